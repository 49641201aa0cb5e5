package adapters

import (
	"slices"
	"strings"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// valuesOf returns a copy of p's values, widened to float64 (exactly).
func valuesOf(p *nn.Param) []float64 { return slices.Clone(p.Value().Float64s()) }

// setValues writes v into p in p's precision (values that came from valuesOf of a
// float32 parameter round back exactly).
func setValues(p *nn.Param, v []float64) { p.SetFloat64s(v) }

// sitePrecision returns the precision of the layer at site s: that of its first
// parameter (named like the site, or "<site>.…"), float64 if it has none.
func sitePrecision(base nn.Module, s *nn.Site) ad.DType {
	for _, p := range base.Params() {
		if p.Name == s.Name || strings.HasPrefix(p.Name, s.Name+".") {
			return p.DType()
		}
	}
	return ad.Float64
}

// matchPrecision converts the parameters of every part to the precision of the
// layer it adapts, so that an adapter on a float32 model computes in float32.
func (a *Adapter) matchPrecision(base nn.Module) {
	a.own = a.own[:0]
	for _, pt := range a.parts {
		nn.SetPrecision(paramsModule(pt.params()), sitePrecision(base, pt.site()))
		a.own = append(a.own, pt.params()...)
	}
}

// paramsModule is a module of parameters only.
type paramsModule []*nn.Param

func (m paramsModule) Params() []*nn.Param { return m }
func (m paramsModule) Sites() []*nn.Site   { return nil }
