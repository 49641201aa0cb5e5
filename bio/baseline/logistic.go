package baseline

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"
)

// LogisticOptions configure FitLogistic. Zero fields take the defaults stated.
type LogisticOptions struct {
	// L2 is λ in the objective Σᵢ ℓᵢ + (λ/2)‖w‖² (the intercept is not
	// penalised): scikit-learn's LogisticRegression with C = 1/λ. Default 1
	// (scikit-learn's C = 1).
	L2 float64
	// MaxIter bounds the L-BFGS iterations (default 1000).
	MaxIter int
}

// Logistic is an L2-regularised logistic regression: P(y = 1 | x) = σ(w·x + b).
type Logistic struct {
	W []float64
	B float64
}

// FitLogistic fits w and b to samples x (n rows of p features) and labels y (0
// or 1) by minimising Σᵢ [softplus(zᵢ) − yᵢ zᵢ] + (λ/2)‖w‖², zᵢ = w·xᵢ + b, with
// L-BFGS from w = 0, b = 0 (gonum/optimize). The objective is strictly convex, so
// the result does not depend on a seed. It returns an error for bad input or if
// the optimiser fails.
func FitLogistic(x [][]float64, y []float64, opt *LogisticOptions) (*Logistic, error) {
	if err := checkXY(x, y); err != nil {
		return nil, err
	}
	o := LogisticOptions{}
	if opt != nil {
		o = *opt
	}
	if o.L2 == 0 {
		o.L2 = 1
	}
	if o.L2 < 0 || math.IsNaN(o.L2) {
		return nil, fmt.Errorf("L2 penalty %v: want ≥ 0", o.L2)
	}
	if o.MaxIter <= 0 {
		o.MaxIter = 1000
	}
	p := len(x[0])
	z := make([]float64, len(x))
	logits := func(theta []float64) {
		for i, row := range x {
			s := theta[p]
			for j, v := range row {
				if v != 0 {
					s += theta[j] * v
				}
			}
			z[i] = s
		}
	}
	prob := optimize.Problem{
		Func: func(theta []float64) float64 {
			logits(theta)
			f := 0.0
			for i := range x {
				f += softplus(z[i]) - y[i]*z[i]
			}
			for _, w := range theta[:p] {
				f += o.L2 / 2 * w * w
			}
			return f
		},
		Grad: func(grad, theta []float64) {
			logits(theta)
			for j := range p {
				grad[j] = o.L2 * theta[j]
			}
			grad[p] = 0
			for i, row := range x {
				r := sigmoid(z[i]) - y[i]
				for j, v := range row {
					if v != 0 {
						grad[j] += r * v
					}
				}
				grad[p] += r
			}
		},
	}
	settings := &optimize.Settings{MajorIterations: o.MaxIter, GradientThreshold: 1e-9}
	res, err := optimize.Minimize(prob, make([]float64, p+1), settings, &optimize.LBFGS{})
	if err != nil {
		// A line search that stalls in rounding noise at the optimum is success;
		// anything else with a gradient that has not vanished is not.
		if res == nil {
			return nil, fmt.Errorf("logistic regression: %v", err)
		}
		g := make([]float64, p+1)
		prob.Grad(g, res.X)
		norm := 0.0
		for _, v := range g {
			norm = max(norm, math.Abs(v))
		}
		if norm > 1e-6*float64(len(x)) {
			return nil, fmt.Errorf("logistic regression did not converge (gradient %.2g): %v", norm, err)
		}
	}
	return &Logistic{W: append([]float64(nil), res.X[:p]...), B: res.X[p]}, nil
}

// Prob returns σ(w·x + b). It panics if x has the wrong length.
func (l *Logistic) Prob(x []float64) float64 {
	if len(x) != len(l.W) {
		panic(fmt.Sprintf("baseline: Logistic.Prob: %d features, want %d", len(x), len(l.W)))
	}
	s := l.B
	for j, v := range x {
		s += l.W[j] * v
	}
	return sigmoid(s)
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

func softplus(z float64) float64 {
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}
