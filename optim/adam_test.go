package optim_test

import (
	"math"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/optim"
)

// TestAdamFirstSteps checks Adam's first three steps on f(θ) = (θ−3)², ∇f = 2(θ−3),
// from θ₀ = 0 with α = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, against Kingma & Ba's
// Algorithm 1 worked by hand (digits to 40 places with Python's decimal module):
//
//	t=1: g = −6; m = 0.1·(−6) = −0.6; v = 0.001·36 = 0.036;
//	     m̂ = −0.6/0.1 = −6; v̂ = 0.036/0.001 = 36;
//	     θ₁ = 0 + 0.1·6/(6 + 1e-8) = 0.6/6.00000001 = 0.099999999833333333611…
//	t=2: g = 2(θ₁−3) = −5.800000000333333332778…;
//	     m = 0.9·(−0.6) + 0.1·g = −1.120000000033333333278…;
//	     v = 0.999·0.036 + 0.001·g² = 0.035964 + 0.033640000003866666660 = 0.069604000003866666660…;
//	     m̂ = m/(1−0.81) = −5.894736842280701754094…; v̂ = v/(1−0.998001) = 34.819409706786726693513…;
//	     θ₂ = θ₁ − 0.1·m̂/(√v̂ + ε) = 0.199897292585211706598…
//	t=3: g = −5.600205414829576586803…; m = −1.568020541512957658630…;
//	     v = 0.100896696692149309976…; m̂ = m/0.271 = −5.786053658719400954355…;
//	     v̂ = v/0.002997001 = 33.665886895649787896583…;
//	     θ₃ = 0.299618476549253391879…
//
// Computing 1−βᵗ as −expm1(t·ln β) keeps float64 within a few ulps of these values
// (1 − 0.999² in floating point would leave only 13 correct digits).
func TestAdamFirstSteps(t *testing.T) {
	want := []float64{
		0.09999999983333333361111111064814814891975,
		0.1998972925852117065983343484114471883202,
		0.2996184765492533918793009373502430520176,
	}
	theta := ad.Variable(ad.Scalar(0))
	opt := optim.NewAdam(&optim.AdamOptions{LR: 0.1})
	for k, w := range want {
		g := 2 * (theta.Item() - 3)
		opt.Step([]*ad.Var{theta}, []*ad.Tensor{ad.Scalar(g)})
		if got := theta.Item(); math.Abs(got-w) > 1e-15*math.Abs(w) {
			t.Errorf("step %d: θ = %.17g, want %.17g", k+1, got, w)
		}
	}
	if s := opt.State(); s.Steps != 3 || s.Counts[0] != 3 {
		t.Errorf("state after 3 steps: Steps %d, Counts %v", s.Steps, s.Counts)
	}
}

// TestConvergeQuadratic runs each optimizer on f(θ) = ½θᵀAθ − bᵀθ from θ = 0 and
// compares with the solution of (A + λI)θ = b by LU (λ = 0 without L2 decay).
func TestConvergeQuadratic(t *testing.T) {
	for _, c := range []struct {
		name   string
		opt    optim.Optimizer
		lr     optim.Schedule
		steps  int
		lambda float64 // L2 coefficient in the answer
		tol    float64
	}{
		{"Adam", optim.NewAdam(&optim.AdamOptions{LR: 0.05}), optim.Constant(0.05), 3000, 0, 1e-12},
		{"Adam+cosine", optim.NewAdam(nil), optim.Cosine{Base: 0.05, Warmup: 10, Total: 2000}, 2000, 0, 1e-12},
		// L2 decay in the gradient moves Adam's fixed point (where g + λθ = 0) to the
		// ridge solution.
		{"Adam L2", optim.NewAdam(&optim.AdamOptions{WeightDecay: 0.1}), optim.Constant(0.05), 3000, 0.1, 1e-12},
		{"SGD momentum", optim.NewSGD(&optim.SGDOptions{Momentum: 0.9}), optim.Constant(0.1), 500, 0, 1e-10},
		{"SGD Nesterov", optim.NewSGD(&optim.SGDOptions{Momentum: 0.9, Nesterov: true}), optim.Constant(0.1), 500, 0, 1e-10},
		{"SGD L2", optim.NewSGD(&optim.SGDOptions{Momentum: 0.5, WeightDecay: 0.1}), optim.Constant(0.1), 500, 0.1, 1e-10},
		{"SGD plain", optim.NewSGD(nil), optim.Constant(0.3), 500, 0, 1e-10},
	} {
		theta := ad.Variable(ad.Zeros(3, 1))
		ps := []*ad.Var{theta}
		for s := 0; s < c.steps; s++ {
			c.opt.SetLR(c.lr.LR(s))
			c.opt.Step(ps, grads(quadLoss(theta), ps))
		}
		want := ridge(t, c.lambda)
		if d := maxAbsDiff(theta.Value().Data, want); d > c.tol {
			t.Errorf("%s: θ = %v, want %v (max error %g > %g)", c.name, theta.Value().Data, want, d, c.tol)
		}
	}
}

// TestAdamWDecoupled checks what makes AdamW's decay "decoupled".
func TestAdamWDecoupled(t *testing.T) {
	const lr, wd = 0.01, 0.1

	// 1. With a zero gradient, AdamW's moments stay zero, so each step is the exact
	// shrink θ ← θ·(1−αλ): θ₁₀ = 0.999¹⁰. L2-in-gradient Adam instead sees g = λθ,
	// whose normalised step m̂/√v̂ ≈ 1 moves θ by ≈ α per step whatever λ is:
	// θ₁₀ ≈ 1 − 10·0.01 = 0.9.
	w := ad.Variable(ad.Scalar(1))
	l2 := ad.Variable(ad.Scalar(1))
	adamw := optim.NewAdam(&optim.AdamOptions{LR: lr, WeightDecay: wd, Decoupled: true})
	adaml2 := optim.NewAdam(&optim.AdamOptions{LR: lr, WeightDecay: wd})
	want := 1.0
	for k := 0; k < 10; k++ {
		adamw.Step([]*ad.Var{w}, []*ad.Tensor{ad.Scalar(0)})
		adaml2.Step([]*ad.Var{l2}, []*ad.Tensor{ad.Scalar(0)})
		want *= 1 - lr*wd
	}
	if w.Item() != want {
		t.Errorf("AdamW with zero gradient: θ₁₀ = %.17g, want %.17g", w.Item(), want)
	}
	if math.Abs(l2.Item()-0.9) > 1e-3 {
		t.Errorf("Adam L2 with zero gradient: θ₁₀ = %.17g, want 0.9 ± 1e-3", l2.Item())
	}

	// 2. An AdamW step equals an Adam step without decay taken from θ·(1−αλ) with
	// the same gradient, bit for bit: the decay never enters m or v.
	a := ad.Variable(ad.New([]float64{0.5, -2, 3}, 3))
	b := ad.Variable(ad.New([]float64{0.5, -2, 3}, 3))
	plain := optim.NewAdam(&optim.AdamOptions{LR: lr})
	adamw = optim.NewAdam(&optim.AdamOptions{LR: lr, WeightDecay: wd, Decoupled: true})
	for k := 0; k < 5; k++ {
		g := ad.New([]float64{float64(k) - 1, 0.25, -3}, 3)
		adamw.Step([]*ad.Var{a}, []*ad.Tensor{g})
		for j := range b.Value().Data {
			b.Value().Data[j] *= 1 - lr*wd
		}
		plain.Step([]*ad.Var{b}, []*ad.Tensor{g})
	}
	for j := range a.Value().Data {
		if a.Value().Data[j] != b.Value().Data[j] {
			t.Errorf("AdamW θ[%d] = %.17g, decay-then-Adam gives %.17g", j, a.Value().Data[j], b.Value().Data[j])
		}
	}

	// 3. On the quadratic, L2-Adam converges to the ridge solution (TestConvergeQuadratic);
	// AdamW does not: its decay pulls with a fixed fraction αλθ against a step that
	// Adam normalises, so as the gradient fades the pull loses, and θ ends near the
	// unregularised minimiser A⁻¹b (2.4e-2 away from the ridge solution at λ = 0.01).
	theta := ad.Variable(ad.Zeros(3, 1))
	ps := []*ad.Var{theta}
	opt := optim.NewAdam(&optim.AdamOptions{LR: 0.05, WeightDecay: 0.01, Decoupled: true})
	for s := 0; s < 3000; s++ {
		opt.Step(ps, grads(quadLoss(theta), ps))
	}
	dStar := maxAbsDiff(theta.Value().Data, ridge(t, 0))
	dRidge := maxAbsDiff(theta.Value().Data, ridge(t, 0.01))
	if dStar > 2e-3 || dRidge < 2e-2 {
		t.Errorf("AdamW on the quadratic: θ = %v is %g from A⁻¹b (want < 2e-3) and %g from the ridge solution (want > 2e-2)",
			theta.Value().Data, dStar, dRidge)
	}
}

func TestAdamOptions(t *testing.T) {
	for _, c := range []struct {
		opt optim.AdamOptions
		ok  bool
	}{
		{optim.AdamOptions{}, true},
		{optim.AdamOptions{LR: 1e-2, Beta1: 0.5, Beta2: 0.99, Eps: 1e-12, WeightDecay: 1e-4, Decoupled: true}, true},
		{optim.AdamOptions{LR: -1}, false},
		{optim.AdamOptions{LR: math.Inf(1)}, false},
		{optim.AdamOptions{LR: math.NaN()}, false},
		{optim.AdamOptions{Beta1: 1}, false},
		{optim.AdamOptions{Beta2: -0.5}, false},
		{optim.AdamOptions{Eps: -1e-8}, false},
		{optim.AdamOptions{WeightDecay: math.NaN()}, false},
	} {
		err := c.opt.Validate()
		if (err == nil) != c.ok {
			t.Errorf("%+v: Validate() = %v, want ok %t", c.opt, err, c.ok)
		}
		if p := panics(func() { optim.NewAdam(&c.opt) }); p == c.ok {
			t.Errorf("%+v: NewAdam panics %t, want %t", c.opt, p, !c.ok)
		}
	}
	if lr := optim.NewAdam(nil).LR(); lr != 1e-3 {
		t.Errorf("default Adam LR %v, want 1e-3", lr)
	}
}
