package optim_test

import (
	"math"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"gonum.org/v1/gonum/mat"
)

// quadratic is f(θ) = ½θᵀAθ − bᵀθ on a 3-vector θ (shape (3,1)), with A symmetric
// positive definite, so its minimiser solves Aθ = b.
var (
	quadA = []float64{
		3, 1, 0,
		1, 2, 0.5,
		0, 0.5, 1,
	}
	quadB = []float64{1, -2, 0.5}
)

func quadLoss(theta *ad.Var) *ad.Var {
	a := ad.Constant(ad.New(quadA, 3, 3))
	b := ad.Constant(ad.New(quadB, 3, 1))
	at := ad.MatMul(a, theta)
	return ad.Sub(ad.Scale(ad.Sum(ad.Mul(theta, at)), 0.5), ad.Sum(ad.Mul(b, theta)))
}

// ridge returns the solution of (A + λI)θ = b by gonum's LU solve.
func ridge(t *testing.T, lambda float64) []float64 {
	t.Helper()
	a := mat.NewDense(3, 3, append([]float64(nil), quadA...))
	for i := 0; i < 3; i++ {
		a.Set(i, i, a.At(i, i)+lambda)
	}
	var x mat.VecDense
	if err := x.SolveVec(a, mat.NewVecDense(3, append([]float64(nil), quadB...))); err != nil {
		t.Fatal(err)
	}
	return x.RawVector().Data
}

// grads returns the gradients of loss with respect to params as tensors.
func grads(loss *ad.Var, params []*ad.Var) []*ad.Tensor {
	gs := ad.Grad(loss, params...)
	out := make([]*ad.Tensor, len(gs))
	for i, g := range gs {
		out[i] = g.Value()
	}
	return out
}

func maxAbsDiff(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

// panics reports whether f panics.
func panics(f func()) (p bool) {
	defer func() { p = recover() != nil }()
	f()
	return false
}
