package autodiff

import "math"

// Smooth elementwise functions. Each derivative is written with the ops of this
// package (tanh′ = 1 − tanh², σ′ = σ(1 − σ), …), so every function here can be
// differentiated to any order.

// unaryOp is an elementwise function f with derivative d(x, out) = f′(x).
type unaryOp struct {
	id string
	f  func(float64) float64 // float32 elements are computed in float64 and rounded
	d  func(x, out *Var) *Var
	// df, if set, is f′ from x and y = f(x) as numbers; it is used when no graph is
	// being built (nothing requires a gradient), to save the intermediate tensors of d.
	df func(x, y float64) float64
}

func (u *unaryOp) name() string { return u.id }
func (u *unaryOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	if u.df != nil && !g.requiresGrad && !out.requiresGrad && !in[0].requiresGrad {
		r := result(out.value.Shape, g, out)
		if r.Data32 != nil {
			gradKernel(r.Data32, g.value.Data32, in[0].value.Data32, out.value.Data32, u.df)
		} else {
			gradKernel(r.Data, g.value.Data, in[0].value.Data, out.value.Data, u.df)
		}
		return []*Var{{value: r, arena: arenaOf(g, out)}}
	}
	return []*Var{Mul(g, u.d(in[0], out))}
}
func (u *unaryOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	if t[0] == nil {
		return nil
	}
	return Mul(t[0], u.d(in[0], out))
}

func (u *unaryOp) apply(x *Var) *Var {
	out := result(x.value.Shape, x)
	if x.value.Data32 != nil {
		mapKernel(out.Data32, x.value.Data32, u.f)
	} else {
		mapKernel(out.Data, x.value.Data, u.f)
	}
	return record(u, out, x)
}

// mapKernel sets dst[i] = f(src[i]), in float64.
func mapKernel[T float](dst, src []T, f func(float64) float64) {
	src = src[:len(dst)]
	for i, x := range src {
		dst[i] = T(f(float64(x)))
	}
}

// gradKernel sets dst[i] = g[i]·f′(x[i]) from f′ written in terms of x and y = f(x).
func gradKernel[T float](dst, g, x, y []T, df func(x, y float64) float64) {
	g, x, y = g[:len(dst)], x[:len(dst)], y[:len(dst)]
	for i := range dst {
		dst[i] = g[i] * T(df(float64(x[i]), float64(y[i])))
	}
}

// constLike returns the constant v with the precision of x (rank 0, broadcasting).
func constLike(x *Var, v float64) *Var { return Constant(FullOf(x.value.DType(), v)) }

var (
	negOp = &unaryOp{id: "Neg", f: (func(x float64) float64 { return -x }),
		d: func(x, out *Var) *Var { return constLike(x, -1) }}
	expOp = &unaryOp{id: "Exp", f: (math.Exp),
		d: func(x, out *Var) *Var { return out }}
	logOp = &unaryOp{id: "Log", f: (math.Log),
		d: func(x, out *Var) *Var { return Reciprocal(x) }}
	sqrtOp = &unaryOp{id: "Sqrt", f: (math.Sqrt),
		d: func(x, out *Var) *Var { return Scale(Reciprocal(out), 0.5) }}
	squareOp = &unaryOp{id: "Square", f: (func(x float64) float64 { return x * x }),
		d: func(x, out *Var) *Var { return Scale(x, 2) }}
	reciprocalOp = &unaryOp{id: "Reciprocal", f: (func(x float64) float64 { return 1 / x }),
		d: func(x, out *Var) *Var { return Neg(Square(out)) }}
	sinOp  = &unaryOp{id: "Sin", f: (math.Sin)} // d set in init: sin′ and cos′ refer to each other
	cosOp  = &unaryOp{id: "Cos", f: (math.Cos)}
	tanhOp = &unaryOp{id: "Tanh", f: (math.Tanh),
		d: func(x, out *Var) *Var { return OneMinus(Square(out)) }}
	sigmoidOp = &unaryOp{id: "Sigmoid", f: (sigmoid),
		d: func(x, out *Var) *Var { return Mul(out, OneMinus(out)) }}
	softplusOp = &unaryOp{id: "Softplus", f: (softplus),
		d: func(x, out *Var) *Var { return Sigmoid(x) }}
	shiftedSoftplusOp = &unaryOp{id: "ShiftedSoftplus", f: shiftedSoftplus,
		d: func(x, out *Var) *Var { return Sigmoid(x) }}
	siluOp = &unaryOp{id: "SiLU", f: (func(x float64) float64 { return x * sigmoid(x) }),
		// SiLU′(x) = σ(x)·(1 + x·(1 − σ(x)))
		d: func(x, out *Var) *Var {
			s := Sigmoid(x)
			return Mul(s, AddScalar(Mul(x, OneMinus(s)), 1))
		}}
	reluOp = &unaryOp{id: "ReLU", f: (func(x float64) float64 { return math.Max(x, 0) }),
		// ReLU′ is the step function (1 for x > 0), a constant of the graph: ReLU′′ = 0
		// almost everywhere.
		d: func(x, out *Var) *Var { return &Var{value: step(x), arena: x.arena} }}
	absOp = &unaryOp{id: "Abs", f: (math.Abs),
		d: func(x, out *Var) *Var { return &Var{value: sign(x), arena: x.arena} }}
)

func init() {
	tanhOp.df = func(x, y float64) float64 { return 1 - y*y }
	sigmoidOp.df = func(x, y float64) float64 { return y * (1 - y) }
	softplusOp.df = func(x, y float64) float64 { return sigmoid(x) }
	shiftedSoftplusOp.df = softplusOp.df
	siluOp.df = func(x, y float64) float64 { s := sigmoid(x); return s * (1 + x*(1-s)) }
	expOp.df = func(x, y float64) float64 { return y }
	squareOp.df = func(x, y float64) float64 { return 2 * x }
	sqrtOp.df = func(x, y float64) float64 { return 0.5 / y }
	sinOp.df = func(x, y float64) float64 { return math.Cos(x) }
	cosOp.df = func(x, y float64) float64 { return -math.Sin(x) }
	sinOp.d = func(x, out *Var) *Var { return Cos(x) }
	cosOp.d = func(x, out *Var) *Var { return Neg(Sin(x)) }
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// softplus is log(1 + eˣ), computed without overflow.
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// step returns 1 where x > 0, else 0.
func step(v *Var) *Tensor {
	out := zeroResult(v.value.Shape, v)
	for i, x := range v.value.Float64s() {
		if x > 0 {
			out.setFlat(i, 1)
		}
	}
	return out
}

// sign returns 1 where x > 0, −1 where x < 0, else 0.
func sign(v *Var) *Tensor {
	out := zeroResult(v.value.Shape, v)
	for i, x := range v.value.Float64s() {
		switch {
		case x > 0:
			out.setFlat(i, 1)
		case x < 0:
			out.setFlat(i, -1)
		}
	}
	return out
}

// Neg returns −x.
func Neg(x *Var) *Var { return negOp.apply(x) }

// Exp returns eˣ elementwise.
func Exp(x *Var) *Var { return expOp.apply(x) }

// Log returns the natural logarithm elementwise.
func Log(x *Var) *Var { return logOp.apply(x) }

// Sqrt returns √x elementwise. Its derivative is infinite at 0.
func Sqrt(x *Var) *Var { return sqrtOp.apply(x) }

// Square returns x² elementwise.
func Square(x *Var) *Var { return squareOp.apply(x) }

// Reciprocal returns 1/x elementwise.
func Reciprocal(x *Var) *Var { return reciprocalOp.apply(x) }

// Sin returns sin x elementwise (radians).
func Sin(x *Var) *Var { return sinOp.apply(x) }

// Cos returns cos x elementwise (radians).
func Cos(x *Var) *Var { return cosOp.apply(x) }

// Tanh returns tanh x elementwise.
func Tanh(x *Var) *Var { return tanhOp.apply(x) }

// Sigmoid returns σ(x) = 1/(1 + e⁻ˣ) elementwise.
func Sigmoid(x *Var) *Var { return sigmoidOp.apply(x) }

// Softplus returns log(1 + eˣ) elementwise.
func Softplus(x *Var) *Var { return softplusOp.apply(x) }

// ShiftedSoftplus returns log(1 + eˣ) − log 2 elementwise (SchNet's activation,
// zero at zero).
//
// When x requires a gradient, its derivative σ(x) is computed with the value from
// the same exponential and kept for the backward and forward rules, so that no rule
// evaluates another exponential.
func ShiftedSoftplus(x *Var) *Var {
	if !x.requiresGrad {
		return shiftedSoftplusOp.apply(x)
	}
	out := result(x.value.Shape, x)
	sigma := ZerosOf(x.value.DType(), x.value.Shape...) // heap: the op keeps it
	if out.Data32 != nil {
		sspKernel(out.Data32, sigma.Data32, x.value.Data32)
	} else {
		sspKernel(out.Data, sigma.Data, x.value.Data)
	}
	return record(&sspOp{sigma: sigma}, out, x)
}

// shiftedSoftplus is log(1 + eˣ) − log 2 = max(x, 0) + log(1 + t) − log 2 with
// t = e^(−|x|) ∈ (0, 1]. log(1 + t) is used rather than log1p(t): the result is
// offset by log 2, so only its absolute error counts, and log(1 + t) errs by at most
// one rounding of 1 + t (1.1·10⁻¹⁶) while costing a third of log1p.
func shiftedSoftplus(x float64) float64 {
	if x > 0 {
		return x + math.Log(1+math.Exp(-x)) - math.Ln2
	}
	return math.Log(1+math.Exp(x)) - math.Ln2
}

// sspKernel sets y = shiftedSoftplus(x) and s = σ(x) from one exponential
// t = e^(−|x|): σ(x) = 1/(1 + t) for x ≥ 0 and t/(1 + t) otherwise — the same
// numbers as shiftedSoftplus and sigmoid.
func sspKernel[T float](y, s, x []T) {
	y, s = y[:len(x)], s[:len(x)]
	for i, xv := range x {
		v := float64(xv)
		if v >= 0 {
			t := math.Exp(-v)
			s[i] = T(1 / (1 + t))
			if v > 0 {
				y[i] = T(v + math.Log(1+t) - math.Ln2)
			} else {
				y[i] = T(math.Log(1+t) - math.Ln2)
			}
		} else {
			t := math.Exp(v)
			s[i] = T(t / (1 + t))
			y[i] = T(math.Log(1+t) - math.Ln2)
		}
	}
}

// sspOp is ShiftedSoftplus with σ(x) kept from the forward pass.
type sspOp struct{ sigma *Tensor }

func (*sspOp) name() string { return "ShiftedSoftplus" }

// d returns σ(x) as a graph value of x (a Sigmoid node whose value is known).
func (o *sspOp) d(x *Var) *Var { return record(sigmoidOp, o.sigma, x) }
func (o *sspOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	if !g.requiresGrad && !in[0].requiresGrad {
		r := result(out.value.Shape, g, out)
		if r.Data32 != nil {
			kernel(kMul, r.Data32, g.value.Data32, o.sigma.Data32)
		} else {
			kernel(kMul, r.Data, g.value.Data, o.sigma.Data)
		}
		return []*Var{{value: r, arena: arenaOf(g, out)}}
	}
	return []*Var{Mul(g, o.d(in[0]))}
}
func (o *sspOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	if t[0] == nil {
		return nil
	}
	return Mul(t[0], o.d(in[0]))
}

// SiLU returns x·σ(x) elementwise (also called swish).
func SiLU(x *Var) *Var { return siluOp.apply(x) }

// ReLU returns max(x, 0) elementwise. It is not smooth: its second derivative is
// taken as zero; do not use it where forces are differentiated.
func ReLU(x *Var) *Var { return reluOp.apply(x) }

// Abs returns |x| elementwise; its derivative at 0 is taken as 0.
func Abs(x *Var) *Var { return absOp.apply(x) }

// Pow returns xᵖ elementwise for a constant exponent p.
func Pow(x *Var, p float64) *Var {
	out := result(x.value.Shape, x)
	if x.value.Data32 != nil {
		mapKernel(out.Data32, x.value.Data32, func(v float64) float64 { return math.Pow(v, p) })
	} else {
		mapKernel(out.Data, x.value.Data, func(v float64) float64 { return math.Pow(v, p) })
	}
	return record(powOp{p}, out, x)
}

type powOp struct{ p float64 }

func (o powOp) name() string { return "Pow" }
func (o powOp) d(x *Var) *Var {
	if o.p == 1 {
		return Constant(FullOf(x.value.DType(), 1, x.value.Shape...))
	}
	return Scale(Pow(x, o.p-1), o.p)
}
func (o powOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	return []*Var{Mul(g, o.d(in[0]))}
}
func (o powOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	if t[0] == nil {
		return nil
	}
	return Mul(t[0], o.d(in[0]))
}

// Scale returns c·x for a constant c.
func Scale(x *Var, c float64) *Var {
	out := result(x.value.Shape, x)
	if x.value.Data32 != nil {
		scaleKernel(out.Data32, x.value.Data32, float32(c))
	} else {
		scaleKernel(out.Data, x.value.Data, c)
	}
	return record(scaleOp{c}, out, x)
}

type scaleOp struct{ c float64 }

func (o scaleOp) name() string { return "Scale" }
func (o scaleOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	return []*Var{Scale(g, o.c)}
}
func (o scaleOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	if t[0] == nil {
		return nil
	}
	return Scale(t[0], o.c)
}

// AddScalar returns x + c for a constant c.
func AddScalar(x *Var, c float64) *Var {
	out := result(x.value.Shape, x)
	if x.value.Data32 != nil {
		kernelScalarB(kAdd, out.Data32, x.value.Data32, float32(c))
	} else {
		kernelScalarB(kAdd, out.Data, x.value.Data, c)
	}
	return record(addScalarOp{}, out, x)
}

// OneMinus returns 1 − x.
func OneMinus(x *Var) *Var { return AddScalar(Neg(x), 1) }

type addScalarOp struct{}

func (addScalarOp) name() string { return "AddScalar" }
func (addScalarOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	return []*Var{g}
}
func (addScalarOp) jvp(t []*Var, out *Var, in []*Var) *Var { return t[0] }

func scaleKernel[T float](dst, x []T, c T) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] = c * v
	}
}
