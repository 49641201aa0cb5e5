package autodiff

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestShiftedSoftplusKeepsSigmoidBitIdentical checks that ShiftedSoftplus with σ
// kept from the forward pass gives the bits of the plain elementwise op (which
// recomputes σ in every rule): values, gradients and Hessian–vector products, in
// both precisions, over inputs of both signs and 0.
func TestShiftedSoftplusKeepsSigmoidBitIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, dt := range []DType{Float64, Float32} {
		x := randTensor(rng, 50, 3)
		x.Data[0], x.Data[1] = 0, -40
		x = x.Convert(dt)
		run := func(ssp func(*Var) *Var) []*Tensor {
			xv := Variable(x)
			y := ssp(xv)
			s := Sum(Mul(y, Tanh(xv)))
			g := Gradients([]*Var{s}, []*Var{xv}, &GradOptions{CreateGraph: true})[0]
			h := Gradients([]*Var{Sum(Square(g))}, []*Var{xv}, nil)[0]
			jv := JVP([]*Var{y}, []*Var{xv}, []*Var{Constant(x)}, nil)[0]
			return []*Tensor{y.Value(), g.Value(), h.Value(), jv.Value()}
		}
		got := run(ShiftedSoftplus)
		want := run(shiftedSoftplusOp.apply)
		for k := range want {
			g, w := got[k].Float64s(), want[k].Float64s()
			for i := range w {
				if g[i] != w[i] {
					t.Fatalf("%v, result %d[%d]: %.17g, want %.17g", dt, k, i, g[i], w[i])
				}
			}
		}
	}
}

// TestShiftedSoftplusAccuracy checks the log(1 + t) form against log1p(t) over
// x ∈ [−60, 60]: within two roundings of the result's scale, max(|x|, log 2).
func TestShiftedSoftplusAccuracy(t *testing.T) {
	for k := -6000; k <= 6000; k++ {
		x := float64(k) / 100
		got, want := shiftedSoftplus(x), softplus(x)-math.Ln2
		if d := math.Abs(got - want); d > 2*0x1p-52*math.Max(math.Abs(x), math.Ln2) {
			t.Fatalf("x = %g: %.17g, log1p form %.17g", x, got, want)
		}
	}
}
