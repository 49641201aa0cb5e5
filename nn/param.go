package nn

import (
	"fmt"
	"regexp"
	"strings"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// Param is a named parameter tensor of a model. V is a leaf Variable; it requires a
// gradient exactly when the parameter is trainable.
type Param struct {
	Name string
	V    *ad.Var
}

// NewParam returns a trainable parameter holding t.
func NewParam(name string, t *ad.Tensor) *Param { return &Param{Name: name, V: ad.Variable(t)} }

// Trainable reports whether the parameter is trained.
func (p *Param) Trainable() bool { return p.V.RequiresGrad() }

// SetTrainable freezes (false) or unfreezes (true) the parameter.
func (p *Param) SetTrainable(on bool) { p.V.SetRequiresGrad(on) }

// Value returns the parameter's tensor.
func (p *Param) Value() *ad.Tensor { return p.V.Value() }

// Size returns the number of scalar values in the parameter.
func (p *Param) Size() int { return p.V.Value().Size() }

// DType returns the precision of the parameter's tensor.
func (p *Param) DType() ad.DType { return p.V.Value().DType() }

// SetPrecision converts every parameter of m to precision dt in place (rounding to
// float32 or widening to float64) and returns how many it converted. Trainability
// is kept. Call it on a new model, before optimisers, adapters or graphs hold its
// parameters' Vars: each converted parameter gets a new leaf Var.
func SetPrecision(m Module, dt ad.DType) int {
	n := 0
	for _, p := range m.Params() {
		if p.DType() == dt {
			continue
		}
		on := p.Trainable()
		p.V = ad.Variable(p.Value().Convert(dt))
		p.V.SetRequiresGrad(on)
		n++
	}
	return n
}

// Module is anything made of parameters and hook sites, listed in a fixed order.
type Module interface {
	Params() []*Param
	Sites() []*Site
}

// Join returns the parameters and sites of several modules as one Module, in order.
func Join(ms ...Module) Module { return joined(ms) }

type joined []Module

func (j joined) Params() []*Param {
	var ps []*Param
	for _, m := range j {
		ps = append(ps, m.Params()...)
	}
	return ps
}

func (j joined) Sites() []*Site {
	var ss []*Site
	for _, m := range j {
		ss = append(ss, m.Sites()...)
	}
	return ss
}

// Counts returns the number of scalar parameters in m: all, and trainable ones.
func Counts(m Module) (total, trainable int) {
	for _, p := range m.Params() {
		total += p.Size()
		if p.Trainable() {
			trainable += p.Size()
		}
	}
	return total, trainable
}

// Trainable returns m's trainable parameters in order.
func Trainable(m Module) []*Param {
	var ps []*Param
	for _, p := range m.Params() {
		if p.Trainable() {
			ps = append(ps, p)
		}
	}
	return ps
}

// Vars returns the Vars of ps in order, for ad.Gradients and the optimisers.
func Vars(ps []*Param) []*ad.Var {
	vs := make([]*ad.Var, len(ps))
	for i, p := range ps {
		vs[i] = p.V
	}
	return vs
}

// Freeze makes every parameter of m whose name matches one of the patterns
// non-trainable and returns how many it changed. With no pattern it freezes all.
func Freeze(m Module, patterns ...string) int { return setTrainable(m, false, patterns) }

// Unfreeze makes every parameter of m whose name matches one of the patterns
// trainable and returns how many it changed. With no pattern it unfreezes all.
func Unfreeze(m Module, patterns ...string) int { return setTrainable(m, true, patterns) }

func setTrainable(m Module, on bool, patterns []string) int {
	n := 0
	for _, p := range m.Params() {
		if (len(patterns) == 0 || MatchAny(patterns, p.Name)) && p.Trainable() != on {
			p.SetTrainable(on)
			n++
		}
	}
	return n
}

// Match reports whether a dotted name matches a pattern. In a pattern, "*" matches
// any run of characters within one dot-separated part, "**" matches any run
// including dots, and a pattern without wildcards matches the name itself or any name
// ending in "." + pattern (so "bias" matches "interaction.0.filter.bias").
//
//	Match("interaction.*.filter.weight", "interaction.2.filter.weight") == true
//	Match("**.bias", "head.0.bias") == true
func Match(pattern, name string) bool {
	if !strings.Contains(pattern, "*") {
		return name == pattern || strings.HasSuffix(name, "."+pattern)
	}
	return compilePattern(pattern).MatchString(name)
}

// MatchAny reports whether name matches any of the patterns.
func MatchAny(patterns []string, name string) bool {
	for _, p := range patterns {
		if Match(p, name) {
			return true
		}
	}
	return false
}

func compilePattern(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(p); i++ {
		switch {
		case strings.HasPrefix(p[i:], "**"):
			b.WriteString(".*")
			i++
		case p[i] == '*':
			b.WriteString(`[^.]*`)
		default:
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// ParamByName returns the parameter of m with the given name.
func ParamByName(m Module, name string) (*Param, error) {
	for _, p := range m.Params() {
		if p.Name == name {
			return p, nil
		}
	}
	return nil, fmt.Errorf("no parameter named %q", name)
}

// CheckNames returns an error if two parameters of m share a name.
func CheckNames(m Module) error {
	seen := map[string]bool{}
	for _, p := range m.Params() {
		if seen[p.Name] {
			return fmt.Errorf("two parameters are named %q", p.Name)
		}
		seen[p.Name] = true
	}
	return nil
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// SetFloat64s writes v into the parameter's values in its own precision (rounding
// to nearest for a float32 parameter). It panics if v has another length.
func (p *Param) SetFloat64s(v []float64) {
	t := p.Value()
	if len(v) != t.Size() {
		panic(fmt.Sprintf("nn: %d values for parameter %s of %d", len(v), p.Name, t.Size()))
	}
	if t.DType() == ad.Float32 {
		for i, x := range v {
			t.Data32[i] = float32(x)
		}
		return
	}
	copy(t.Data, v)
}
