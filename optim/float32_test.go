package optim_test

import (
	"math"
	"strings"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/optim"
)

// quadLossOf is quadLoss in the precision of theta.
func quadLossOf(theta *ad.Var) *ad.Var {
	dt := theta.Value().DType()
	a := ad.Constant(ad.New(quadA, 3, 3).Convert(dt))
	b := ad.Constant(ad.New(quadB, 3, 1).Convert(dt))
	at := ad.MatMul(a, theta)
	return ad.Sub(ad.Scale(ad.Sum(ad.Mul(theta, at)), 0.5), ad.Sum(ad.Mul(b, theta)))
}

// TestOptimizersFloat32 runs each optimiser for 50 steps on float32 and on float64
// parameters of the quadratic and checks that the float32 run follows the float64
// one to float32 rounding (relative 1e-4: 50 steps of rounding at 6·10⁻⁸), and that
// its parameters stay float32.
func TestOptimizersFloat32(t *testing.T) {
	cases := []struct {
		name string
		make func() optim.Optimizer
	}{
		{"Adam", func() optim.Optimizer { return optim.NewAdam(&optim.AdamOptions{LR: 0.05}) }},
		{"AdamW", func() optim.Optimizer {
			return optim.NewAdam(&optim.AdamOptions{LR: 0.05, WeightDecay: 0.1, Decoupled: true})
		}},
		{"Adam/L2", func() optim.Optimizer { return optim.NewAdam(&optim.AdamOptions{LR: 0.05, WeightDecay: 0.1}) }},
		{"SGD/Nesterov", func() optim.Optimizer {
			return optim.NewSGD(&optim.SGDOptions{LR: 0.05, Momentum: 0.9, Nesterov: true, WeightDecay: 0.01})
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			run := func(dt ad.DType) []float64 {
				theta := ad.Variable(ad.New([]float64{0.3, -0.2, 0.7}, 3, 1).Convert(dt))
				opt := c.make()
				for range 50 {
					g := ad.Grad(quadLossOf(theta), theta)[0].Value()
					grads := []*ad.Tensor{g}
					optim.ClipGradNorm(grads, 1)
					opt.Step([]*ad.Var{theta}, grads)
				}
				if theta.Value().DType() != dt {
					t.Fatalf("parameters became %v", theta.Value().DType())
				}
				return theta.Value().Float64s()
			}
			want, got := run(ad.Float64), run(ad.Float32)
			for j := range want {
				if math.Abs(got[j]-want[j]) > 1e-4*(1+math.Abs(want[j])) || got[j] == 0.3 {
					t.Fatalf("θ[%d]: float32 %.8g, float64 %.8g", j, got[j], want[j])
				}
			}
		})
	}
}

// TestGradientPrecisionMismatch checks that a float64 gradient for a float32
// parameter is refused.
func TestGradientPrecisionMismatch(t *testing.T) {
	theta := ad.Variable(ad.Zeros32(3))
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, "float64") || !strings.Contains(msg, "float32 parameter") {
			t.Fatalf("panic %q", msg)
		}
	}()
	optim.NewAdam(nil).Step([]*ad.Var{theta}, []*ad.Tensor{ad.Zeros(3)})
}
