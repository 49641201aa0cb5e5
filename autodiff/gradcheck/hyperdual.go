package gradcheck

import (
	"fmt"

	"gonum.org/v1/gonum/num/hyperdual"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// Hyperdual checks an elementwise function g built from autodiff ops against its
// hyperdual twin ref at each point of xs: g′ by reverse and forward mode and g′′ by
// reverse-over-reverse must equal ref's E1mag and E1E2mag to within tol relative
// (hyperdual arithmetic is exact to rounding, so tol can be about 1e-12).
func Hyperdual(g func(*ad.Var) *ad.Var, ref func(hyperdual.Number) hyperdual.Number, xs []float64, tol float64) error {
	for _, x0 := range xs {
		want := ref(hyperdual.Number{Real: x0, E1mag: 1, E2mag: 1})
		x := ad.Variable(ad.Scalar(x0))
		y := g(x)
		d1 := ad.Gradients([]*ad.Var{y}, []*ad.Var{x}, &ad.GradOptions{CreateGraph: true})[0]
		d2 := ad.Grad(d1, x)[0].Item()
		jv := ad.JVP([]*ad.Var{y}, []*ad.Var{x}, []*ad.Var{ad.Constant(ad.Scalar(1))}, nil)[0].Item()
		for _, c := range []struct {
			what      string
			got, want float64
		}{
			{"value", y.Item(), want.Real},
			{"first derivative (reverse)", d1.Item(), want.E1mag},
			{"first derivative (forward)", jv, want.E1mag},
			{"second derivative", d2, want.E1E2mag},
		} {
			if err := compare(c.got, c.want, Options{Atol: tol, Rtol: tol}, fmt.Sprintf("%s at x=%g", c.what, x0)); err != nil {
				return err
			}
		}
	}
	return nil
}
