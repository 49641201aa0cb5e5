package optim_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/optim"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// rosenbrock is the extended Rosenbrock function Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)²,
// whose minimum is 0 at x = (1, …, 1).
func rosenbrock(x, grad []float64) float64 {
	f := 0.0
	clear(grad)
	for i := 0; i+1 < len(x); i++ {
		a, b := x[i+1]-x[i]*x[i], 1-x[i]
		f += 100*a*a + b*b
		grad[i] += -400*a*x[i] - 2*b
		grad[i+1] += 200 * a
	}
	return f
}

func TestLBFGSRosenbrock(t *testing.T) {
	for _, x0 := range [][]float64{
		{-1.2, 1}, // the classic start (Rosenbrock 1960)
		{-1.2, 1, -1.2, 1, -1.2, 1},
	} {
		start := slices.Clone(x0)
		res, err := optim.MinimizeLBFGS(rosenbrock, x0, nil)
		if err != nil {
			t.Fatalf("from %v: %v", x0, err)
		}
		ones := slices.Repeat([]float64{1}, len(x0))
		if d := maxAbsDiff(res.X, ones); d > 1e-8 || res.F > 1e-16 {
			t.Errorf("from %v: x = %v (error %g), f = %g after %d iterations, %d evaluations, status %v",
				x0, res.X, d, res.F, res.Iterations, res.Evaluations, res.Status)
		}
		if res.Status != optimize.GradientThreshold {
			t.Errorf("from %v: status %v, want GradientThreshold", x0, res.Status)
		}
		if !slices.Equal(x0, start) {
			t.Errorf("x0 changed to %v", x0)
		}
		t.Logf("n=%d: %d iterations, %d evaluations, |x−1|∞ = %.2g", len(x0), res.Iterations, res.Evaluations, maxAbsDiff(res.X, ones))
	}
}

// TestLBFGSLeastSquares fits w in ½‖A·w·s − y‖² over the trainable w of a small
// autodiff model with a frozen scale s, and compares with gonum's QR least-squares
// solve of (s·A)w = y.
func TestLBFGSLeastSquares(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	const m, n = 20, 5
	a := make([]float64, m*n)
	y := make([]float64, m)
	for i := range a {
		a[i] = rng.NormFloat64()
	}
	for i := range y {
		y[i] = rng.NormFloat64()
	}
	w := ad.Variable(ad.Zeros(n, 1))
	s := ad.Variable(ad.Scalar(2))
	s.SetRequiresGrad(false)
	params := []*ad.Var{s, w}
	A, Y := ad.Constant(ad.New(a, m, n)), ad.Constant(ad.New(y, m, 1))
	loss := func() *ad.Var {
		r := ad.Sub(ad.Mul(ad.MatMul(A, w), s), Y)
		return ad.Scale(ad.Sum(ad.Square(r)), 0.5)
	}

	x0 := optim.Flatten(params)
	if len(x0) != n {
		t.Fatalf("Flatten gave %d values, want %d (the frozen scale left out)", len(x0), n)
	}
	res, err := optim.MinimizeLBFGS(optim.Objective(params, loss), x0, nil)
	if err != nil {
		t.Fatal(err)
	}
	optim.Unflatten(params, res.X)

	sa := mat.NewDense(m, n, nil)
	sa.Scale(2, mat.NewDense(m, n, a))
	var want mat.Dense
	if err := want.Solve(sa, mat.NewDense(m, 1, y)); err != nil {
		t.Fatal(err)
	}
	d := maxAbsDiff(w.Value().Data, want.RawMatrix().Data)
	t.Logf("%d iterations, max |w − w_QR| = %.2g", res.Iterations, d)
	if d > 1e-10 {
		t.Errorf("w = %v, QR gives %v (max difference %g)", w.Value().Data, want.RawMatrix().Data, d)
	}
	if s.Item() != 2 {
		t.Errorf("frozen scale changed to %v", s.Item())
	}
	if l := loss().Item(); math.Abs(l-res.F) > 1e-14 {
		t.Errorf("loss at the solution %v, Result.F %v", l, res.F)
	}
}

func TestLBFGSNotConverged(t *testing.T) {
	res, err := optim.MinimizeLBFGS(rosenbrock, []float64{-1.2, 1}, &optim.LBFGSOptions{MaxIterations: 5})
	if !errors.Is(err, optim.ErrNotConverged) || res.Status != optimize.IterationLimit {
		t.Fatalf("5 iterations on Rosenbrock: status %v, error %v; want IterationLimit and ErrNotConverged", res.Status, err)
	}
	t.Log(err)
	// f(−1.2, 1) = 100·(1 − 1.44)² + 2.2² = 24.2; the best point so far is returned.
	if res.Iterations != 5 || len(res.X) != 2 || !(res.F < 24.2) {
		t.Errorf("result %+v", res)
	}

	_, err = optim.MinimizeLBFGS(rosenbrock, []float64{-1.2, 1}, &optim.LBFGSOptions{MaxEvaluations: 4})
	if !errors.Is(err, optim.ErrNotConverged) {
		t.Errorf("4 evaluations: error %v, want ErrNotConverged", err)
	}
}

func TestLBFGSBadInput(t *testing.T) {
	nan := func(x, grad []float64) float64 { clear(grad); return math.NaN() }
	for _, c := range []struct {
		name string
		f    func(x, grad []float64) float64
		x0   []float64
		opt  *optim.LBFGSOptions
	}{
		{"NaN objective", nan, []float64{1}, nil},
		{"empty", rosenbrock, nil, nil},
		{"negative tolerance", rosenbrock, []float64{1, 1}, &optim.LBFGSOptions{GradientTolerance: -1}},
		{"negative iterations", rosenbrock, []float64{1, 1}, &optim.LBFGSOptions{MaxIterations: -1}},
	} {
		_, err := optim.MinimizeLBFGS(c.f, c.x0, c.opt)
		if err == nil || errors.Is(err, optim.ErrNotConverged) {
			t.Errorf("%s: error %v, want an input error", c.name, err)
		}
		t.Logf("%s: %v", c.name, err)
	}
}

func TestFlattenUnflatten(t *testing.T) {
	a := ad.Variable(ad.New([]float64{1, 2, 3, 4}, 2, 2))
	b := ad.Variable(ad.New([]float64{5}, 1))
	b.SetRequiresGrad(false)
	c := ad.Variable(ad.New([]float64{6, 7}, 2))
	params := []*ad.Var{a, b, c}
	x := optim.Flatten(params)
	if !slices.Equal(x, []float64{1, 2, 3, 4, 6, 7}) {
		t.Errorf("Flatten = %v", x)
	}
	x[0] = 100 // Flatten copies
	if a.Value().Data[0] != 1 {
		t.Error("Flatten aliases the parameters")
	}
	optim.Unflatten(params, []float64{-1, -2, -3, -4, -6, -7})
	if !slices.Equal(a.Value().Data, []float64{-1, -2, -3, -4}) || b.Value().Data[0] != 5 || !slices.Equal(c.Value().Data, []float64{-6, -7}) {
		t.Errorf("Unflatten gave %v %v %v", a.Value().Data, b.Value().Data, c.Value().Data)
	}
	if !panics(func() { optim.Unflatten(params, make([]float64, 7)) }) {
		t.Error("Unflatten of 7 values into 6 did not panic")
	}
}
