package autodiff

import (
	"math/rand/v2"
	"testing"
)

// forceLoss builds the loss of force training on a small network,
// L = Σ (∂E/∂x)² with E = Σ ssp(ssp(x·W₁ + b)·W₂), and returns L and its gradient
// with respect to the weights (a double backward), all tensors copied out.
func forceLoss(x, w1, b, w2 *Tensor, arena *Arena, opt *GradOptions) []*Tensor {
	leaf := Variable
	if arena != nil {
		leaf = arena.Variable
	}
	xv, w1v, bv, w2v := leaf(x), Variable(w1), Variable(b), Variable(w2)
	h := ShiftedSoftplus(Add(MatMul(xv, w1v), bv))
	flat := Reshape(ShiftedSoftplus(h), -1) // views share buffers with their inputs
	e := Sum(MatMul(Reshape(flat, x.Shape[0], 16), w2v))
	f := Gradients([]*Var{e}, []*Var{xv}, &GradOptions{CreateGraph: true})[0]
	// Add of two same-shape Vars passes one owned cotangent to both inputs.
	loss := Add(Sum(Square(Add(f, Scale(f, 0.5)))), Mean(Mul(h, h)))
	loss = Add(loss, Sum(Square(Reshape(h, -1)))) // a view on the path of the loss
	force := f.Value().Clone()                    // with an arena and FreeGraph, f is invalid after the pass
	gs := Gradients([]*Var{loss}, []*Var{w1v, bv, w2v}, opt)
	out := []*Tensor{loss.Value().Clone(), force}
	for _, g := range gs {
		out = append(out, g.Value().Clone())
	}
	return out
}

func randTensor(rng *rand.Rand, shape ...int) *Tensor {
	t := Zeros(shape...)
	for i := range t.Data {
		t.Data[i] = rng.NormFloat64()
	}
	return t
}

// TestRecyclingIsBitIdentical checks that recycling cotangents during a pass, and an
// arena reused over steps of different sizes, give the bits of the engine that
// allocates every result afresh and recycles nothing.
func TestRecyclingIsBitIdentical(t *testing.T) {
	for _, dt := range []DType{Float64, Float32} {
		t.Run(dt.String(), func(t *testing.T) { recyclingIsBitIdentical(t, dt) })
	}
}

func recyclingIsBitIdentical(t *testing.T, dt DType) {
	rng := rand.New(rand.NewPCG(1, 1))
	w1, b, w2 := randTensor(rng, 3, 16).Convert(dt), randTensor(rng, 16).Convert(dt), randTensor(rng, 16, 1).Convert(dt)
	arena := NewArena()
	for step, n := range []int{40, 37, 40, 52} {
		x := randTensor(rng, n, 3).Convert(dt)
		want := forceLoss(x, w1, b, w2, nil, &GradOptions{noRecycle: true})
		for name, got := range map[string][]*Tensor{
			"recycling":          forceLoss(x, w1, b, w2, nil, nil),
			"arena":              forceLoss(x, w1, b, w2, arena, nil),
			"arena, cut graph":   forceLoss(x, w1, b, w2, arena, &GradOptions{FreeGraph: true}),
			"arena, no recycles": forceLoss(x, w1, b, w2, arena, &GradOptions{noRecycle: true}),
		} {
			for k := range want {
				if got[k].DType() != dt {
					t.Fatalf("step %d, %s: result %d is %v", step, name, k, got[k].DType())
				}
				g, w := got[k].Float64s(), want[k].Float64s()
				for i := range w {
					if g[i] != w[i] {
						t.Fatalf("step %d, %s: result %d[%d] = %.17g, want %.17g", step, name, k, i, g[i], w[i])
					}
				}
			}
		}
		arena.Release()
	}
}

// halfSquareSumOp is Σ x²/2 with a backward rule valid for a seed of 1 only, which
// returns its input tensor itself as the gradient: a view of a forward value.
type halfSquareSumOp struct{}

func (halfSquareSumOp) name() string { return "halfSquareSum" }
func (halfSquareSumOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	return []*Var{in[0]}
}
func (halfSquareSumOp) jvp(t []*Var, out *Var, in []*Var) *Var { return nil }

// TestForwardValuesSurviveRecycling checks that a gradient that shares memory with a
// forward value is not recycled: the forward value stays intact after the pass.
func TestForwardValuesSurviveRecycling(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	arena := NewArena()
	x, w := arena.Variable(randTensor(rng, 50, 4)), Variable(randTensor(rng, 4, 4))
	z := Tanh(MatMul(x, w))
	s := 0.0
	for _, v := range z.value.Data {
		s += v * v / 2
	}
	loss := record(halfSquareSumOp{}, &Tensor{Shape: []int{}, Data: []float64{s}}, z)
	before := z.Value().Clone()
	Gradients([]*Var{loss}, []*Var{x, w}, nil)
	for i := range before.Data {
		if z.Value().Data[i] != before.Data[i] {
			t.Fatalf("forward value z[%d] changed from %g to %g by Gradients", i, before.Data[i], z.Value().Data[i])
		}
	}
}
