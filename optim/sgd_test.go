package optim_test

import (
	"math"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/optim"
)

// TestSGDFirstSteps checks SGD on f(θ) = θ², ∇f = 2θ, from θ₀ = 1 with α = 0.1,
// against the update rule worked by hand:
//
//	momentum 0.9:  g=2, b=2, θ=1−0.2=0.8;  g=1.6, b=1.8+1.6=3.4, θ=0.8−0.34=0.46;
//	               g=0.92, b=3.06+0.92=3.98, θ=0.46−0.398=0.062
//	Nesterov 0.9:  g=2, b=2, d=2+1.8=3.8, θ=1−0.38=0.62;
//	               g=1.24, b=1.8+1.24=3.04, d=1.24+2.736=3.976, θ=0.62−0.3976=0.2224;
//	               g=0.4448, b=2.736+0.4448=3.1808, d=0.4448+2.86272=3.30752, θ=−0.108352
//	L2 λ=0.5:      g=2θ+0.5θ=2.5θ, θ ← 0.75θ: 0.75, 0.5625, 0.421875
func TestSGDFirstSteps(t *testing.T) {
	for _, c := range []struct {
		name string
		opt  optim.SGDOptions
		want []float64
	}{
		{"momentum", optim.SGDOptions{LR: 0.1, Momentum: 0.9}, []float64{0.8, 0.46, 0.062}},
		{"Nesterov", optim.SGDOptions{LR: 0.1, Momentum: 0.9, Nesterov: true}, []float64{0.62, 0.2224, -0.108352}},
		{"L2", optim.SGDOptions{LR: 0.1, WeightDecay: 0.5}, []float64{0.75, 0.5625, 0.421875}},
	} {
		theta := ad.Variable(ad.Scalar(1))
		opt := optim.NewSGD(&c.opt)
		for k, w := range c.want {
			opt.Step([]*ad.Var{theta}, []*ad.Tensor{ad.Scalar(2 * theta.Item())})
			if got := theta.Item(); math.Abs(got-w) > 1e-15 {
				t.Errorf("%s step %d: θ = %.17g, want %v", c.name, k+1, got, w)
			}
		}
	}
}

func TestSGDOptions(t *testing.T) {
	for _, c := range []struct {
		opt optim.SGDOptions
		ok  bool
	}{
		{optim.SGDOptions{}, true},
		{optim.SGDOptions{LR: 0.5, Momentum: 0.99, Nesterov: true, WeightDecay: 1e-3}, true},
		{optim.SGDOptions{LR: -0.1}, false},
		{optim.SGDOptions{Momentum: 1}, false},
		{optim.SGDOptions{Momentum: -0.1}, false},
		{optim.SGDOptions{Nesterov: true}, false},
		{optim.SGDOptions{WeightDecay: -1}, false},
	} {
		err := c.opt.Validate()
		if (err == nil) != c.ok {
			t.Errorf("%+v: Validate() = %v, want ok %t", c.opt, err, c.ok)
		}
		if p := panics(func() { optim.NewSGD(&c.opt) }); p == c.ok {
			t.Errorf("%+v: NewSGD panics %t, want %t", c.opt, p, !c.ok)
		}
	}
	if lr := optim.NewSGD(nil).LR(); lr != 1e-2 {
		t.Errorf("default SGD LR %v, want 1e-2", lr)
	}
}
