// Package gradcheck checks derivatives computed by the autodiff engine against
// central finite differences, and against gonum's hyperdual numbers (exact to rounding)
// for scalar functions. Every package's tests use it for their models.
//
// For a function f of inputs x₁…xₙ with any output shape, the checks reduce f to the
// scalar s(x) = Σ w∘f(x) with a fixed random weight w, then compare
//
//	first order:  ∇s by reverse mode, and f′·v by forward mode (JVP),
//	              against central differences (s(x+he) − s(x−he))/2h, h = Step;
//	second order: the Hessian–vector product H·v of s computed three ways —
//	              reverse-over-reverse, forward-over-reverse, reverse-over-forward —
//	              against (∇s(x+hv) − ∇s(x−hv))/2h.
//
// A comparison passes when |a − b| ≤ Atol + Rtol·max(|a|, |b|) elementwise.
package gradcheck

import (
	"fmt"
	"math"
	"math/rand/v2"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// Func is a function under test: it builds its output from the given input Vars.
type Func func(xs []*ad.Var) *ad.Var

// Options tune the checks; nil means defaults.
type Options struct {
	Step       float64 // finite-difference step h; default 1e-5
	Atol, Rtol float64 // tolerances; defaults 1e-7 and 1e-6
	Seed       uint64  // seed for the projection weights and directions
}

func (o *Options) withDefaults() Options {
	r := Options{Step: 1e-5, Atol: 1e-7, Rtol: 1e-6, Seed: 1}
	if o != nil {
		if o.Step > 0 {
			r.Step = o.Step
		}
		if o.Atol > 0 {
			r.Atol = o.Atol
		}
		if o.Rtol > 0 {
			r.Rtol = o.Rtol
		}
		if o.Seed != 0 {
			r.Seed = o.Seed
		}
	}
	return r
}

// scalarised returns s(x) = Σ w∘f(x) as a Var, building the graph with Variables.
type problem struct {
	f   Func
	xs  []*ad.Tensor
	w   *ad.Tensor
	rng *rand.Rand
}

func newProblem(f Func, xs []*ad.Tensor, seed uint64) *problem {
	p := &problem{f: f, xs: xs, rng: rand.New(rand.NewPCG(seed, 0x5eed))}
	out := f(constants(xs))
	p.w = randomLike(p.rng, out.Value())
	return p
}

func constants(xs []*ad.Tensor) []*ad.Var {
	vs := make([]*ad.Var, len(xs))
	for i, x := range xs {
		vs[i] = ad.Constant(x)
	}
	return vs
}

func variables(xs []*ad.Tensor) []*ad.Var {
	vs := make([]*ad.Var, len(xs))
	for i, x := range xs {
		vs[i] = ad.Variable(x)
	}
	return vs
}

func randomLike(rng *rand.Rand, t *ad.Tensor) *ad.Tensor {
	r := ad.Zeros(t.Shape...)
	for i := range r.Data {
		r.Data[i] = rng.NormFloat64()
	}
	return r
}

func (p *problem) s(vs []*ad.Var) *ad.Var {
	return ad.Sum(ad.Mul(p.f(vs), ad.Constant(p.w)))
}

func (p *problem) value(xs []*ad.Tensor) float64 { return p.s(constants(xs)).Item() }

// gradient returns ∇s at xs by reverse mode (no graph).
func (p *problem) gradient(xs []*ad.Tensor) []*ad.Tensor {
	vs := variables(xs)
	gs := ad.Gradients([]*ad.Var{p.s(vs)}, vs, nil)
	return values(gs)
}

func values(vs []*ad.Var) []*ad.Tensor {
	ts := make([]*ad.Tensor, len(vs))
	for i, v := range vs {
		ts[i] = v.Value()
	}
	return ts
}

// shifted returns xs + c·dir.
func shifted(xs, dir []*ad.Tensor, c float64) []*ad.Tensor {
	r := make([]*ad.Tensor, len(xs))
	for i, x := range xs {
		y := x.Clone()
		for k := range y.Data {
			y.Data[k] += c * dir[i].Data[k]
		}
		r[i] = y
	}
	return r
}

// First checks reverse-mode gradients elementwise and a forward-mode JVP against
// central differences. It returns nil or an error describing the worst mismatch.
func First(f Func, xs []*ad.Tensor, opt *Options) error {
	o := opt.withDefaults()
	p := newProblem(f, xs, o.Seed)
	grad := p.gradient(xs)
	h := o.Step
	for i, x := range xs {
		for k := range x.Data {
			orig := x.Data[k]
			x.Data[k] = orig + h
			fp := p.value(xs)
			x.Data[k] = orig - h
			fm := p.value(xs)
			x.Data[k] = orig
			fd := (fp - fm) / (2 * h)
			if err := compare(grad[i].Data[k], fd, o, fmt.Sprintf("∂s/∂x%d[%d] reverse", i, k)); err != nil {
				return err
			}
		}
	}
	// Forward mode: the directional derivative of f along a random v.
	dir := make([]*ad.Tensor, len(xs))
	for i, x := range xs {
		dir[i] = randomLike(p.rng, x)
	}
	vs := variables(xs)
	y := f(vs)
	jv := ad.JVP([]*ad.Var{y}, vs, constants(dir), nil)[0].Value()
	yp := f(constants(shifted(xs, dir, h))).Value()
	ym := f(constants(shifted(xs, dir, -h))).Value()
	for k := range jv.Data {
		fd := (yp.Data[k] - ym.Data[k]) / (2 * h)
		if err := compare(jv.Data[k], fd, o, fmt.Sprintf("(f′·v)[%d] forward", k)); err != nil {
			return err
		}
	}
	return nil
}

// Second checks Hessian–vector products of s computed by reverse-over-reverse,
// forward-over-reverse and reverse-over-forward against central differences of
// the reverse-mode gradient, along a random direction.
func Second(f Func, xs []*ad.Tensor, opt *Options) error {
	o := opt.withDefaults()
	p := newProblem(f, xs, o.Seed)
	dir := make([]*ad.Tensor, len(xs))
	for i, x := range xs {
		dir[i] = randomLike(p.rng, x)
	}
	h := o.Step
	gp := p.gradient(shifted(xs, dir, h))
	gm := p.gradient(shifted(xs, dir, -h))
	fd := make([]*ad.Tensor, len(xs))
	for i := range xs {
		fd[i] = ad.Zeros(xs[i].Shape...)
		for k := range fd[i].Data {
			fd[i].Data[k] = (gp[i].Data[k] - gm[i].Data[k]) / (2 * h)
		}
	}
	for name, hv := range map[string][]*ad.Tensor{
		"reverse-over-reverse": HVPReverseReverse(p.s, xs, dir),
		"forward-over-reverse": HVPForwardReverse(p.s, xs, dir),
		"reverse-over-forward": HVPReverseForward(p.s, xs, dir),
	} {
		for i := range xs {
			for k := range hv[i].Data {
				if err := compare(hv[i].Data[k], fd[i].Data[k], o, fmt.Sprintf("(H·v)[x%d][%d] %s", i, k, name)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// HVPReverseReverse returns H·v of the scalar s at xs as ∇(∇s·v), by two reverse passes.
func HVPReverseReverse(s Func, xs, v []*ad.Tensor) []*ad.Tensor {
	vs := variables(xs)
	gs := ad.Gradients([]*ad.Var{s(vs)}, vs, &ad.GradOptions{CreateGraph: true})
	return values(ad.Gradients(gs, vs, &ad.GradOptions{Seeds: constants(v)}))
}

// HVPForwardReverse returns H·v as the forward-mode derivative of ∇s along v.
func HVPForwardReverse(s Func, xs, v []*ad.Tensor) []*ad.Tensor {
	vs := variables(xs)
	gs := ad.Gradients([]*ad.Var{s(vs)}, vs, &ad.GradOptions{CreateGraph: true})
	return values(ad.JVP(gs, vs, constants(v), nil))
}

// HVPReverseForward returns H·v as the gradient of the directional derivative s′·v.
func HVPReverseForward(s Func, xs, v []*ad.Tensor) []*ad.Tensor {
	vs := variables(xs)
	jv := ad.JVP([]*ad.Var{s(vs)}, vs, constants(v), &ad.JVPOptions{CreateGraph: true})[0]
	return values(ad.Gradients([]*ad.Var{jv}, vs, nil))
}

func compare(a, b float64, o Options, what string) error {
	if math.IsNaN(a) || math.IsNaN(b) {
		return fmt.Errorf("gradcheck: %s: NaN (autodiff %g, reference %g)", what, a, b)
	}
	if math.Abs(a-b) > o.Atol+o.Rtol*math.Max(math.Abs(a), math.Abs(b)) {
		return fmt.Errorf("gradcheck: %s: autodiff %.12g, reference %.12g (diff %.3g)", what, a, b, a-b)
	}
	return nil
}
