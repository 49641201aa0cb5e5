package optim

import (
	"errors"
	"fmt"
	"math"
	"slices"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/optimize"
)

// LBFGSOptions configure MinimizeLBFGS. Zero fields take the defaults given with
// them.
type LBFGSOptions struct {
	// MaxIterations bounds the number of L-BFGS iterations (line searches).
	// Default 1000.
	MaxIterations int
	// MaxEvaluations bounds the number of calls to the objective. Zero means no
	// bound other than MaxIterations.
	MaxEvaluations int
	// GradientTolerance is the convergence test: the run succeeds when the largest
	// gradient component, |∂f/∂xᵢ|, falls below it (units of f per unit of x).
	// Default 1e-10. It must lie above the rounding noise of the gradient (roughly
	// 1e-16 times the size of the terms summed into it): asked for more, the line
	// search stops making progress and the run fails with Status
	// optimize.Failure.
	GradientTolerance float64
	// Store is the number of past steps kept to approximate the inverse Hessian.
	// Default 15.
	Store int
}

// Result is the outcome of MinimizeLBFGS.
type Result struct {
	// X is the best point found and F the objective there; Grad is ∇f(X).
	X, Grad []float64
	F       float64
	// Iterations and Evaluations count L-BFGS iterations and calls to f.
	Iterations, Evaluations int
	// Status says why the run stopped: optimize.GradientThreshold on convergence,
	// optimize.FunctionConvergence when f stopped decreasing (by more than 1e-10
	// over 100 iterations) although the gradient is still above the tolerance, and
	// a limit or failure status otherwise.
	Status optimize.Status
}

// ErrNotConverged is wrapped by the errors of MinimizeLBFGS that report a run that
// stopped at a limit or failed, as opposed to bad input.
var ErrNotConverged = errors.New("optim: L-BFGS did not converge")

// MinimizeLBFGS minimises f from x0 by gonum's L-BFGS with a line search satisfying
// the strong Wolfe conditions. f(x, grad) returns f(x) and writes ∇f(x) into grad
// (len(x)); it must not modify x or keep x or grad after it returns. x0 is not
// modified. nil options mean defaults.
//
// The returned Result holds the best point found even when the error is not nil.
// The error wraps ErrNotConverged when the run stopped at MaxIterations or
// MaxEvaluations or its line search failed (Status tells which); it reports a NaN
// or infinite starting value or gradient, and an empty x0.
func MinimizeLBFGS(f func(x, grad []float64) float64, x0 []float64, opt *LBFGSOptions) (Result, error) {
	var o LBFGSOptions
	if opt != nil {
		o = *opt
	}
	if o.MaxIterations == 0 {
		o.MaxIterations = 1000
	}
	if o.GradientTolerance == 0 {
		o.GradientTolerance = 1e-10
	}
	switch {
	case len(x0) == 0:
		return Result{}, errors.New("optim: L-BFGS over zero variables")
	case o.MaxIterations < 0 || o.MaxEvaluations < 0 || o.Store < 0:
		return Result{}, fmt.Errorf("optim: L-BFGS with MaxIterations %d, MaxEvaluations %d, Store %d", o.MaxIterations, o.MaxEvaluations, o.Store)
	case !(o.GradientTolerance > 0):
		return Result{}, fmt.Errorf("optim: L-BFGS gradient tolerance %v is not positive", o.GradientTolerance)
	}

	// gonum asks for f and ∇f separately, at the same x; f gives both at once.
	var (
		lastX, lastG []float64
		lastF        float64
		evals        int
	)
	eval := func(x []float64) {
		if lastX != nil && slices.Equal(x, lastX) {
			return
		}
		if lastX == nil {
			lastX, lastG = make([]float64, len(x)), make([]float64, len(x))
		}
		copy(lastX, x)
		lastF = f(lastX, lastG)
		evals++
	}
	p := optimize.Problem{
		Func: func(x []float64) float64 { eval(x); return lastF },
		Grad: func(grad, x []float64) { eval(x); copy(grad, lastG) },
	}
	settings := &optimize.Settings{
		GradientThreshold: o.GradientTolerance,
		MajorIterations:   o.MaxIterations,
		FuncEvaluations:   o.MaxEvaluations,
	}
	method := &optimize.LBFGS{Store: o.Store, GradStopThreshold: o.GradientTolerance}
	r, err := optimize.Minimize(p, slices.Clone(x0), settings, method)
	if r == nil {
		return Result{}, fmt.Errorf("optim: L-BFGS: %w", err)
	}
	res := Result{
		X: r.X, Grad: r.Gradient, F: r.F,
		Iterations: r.MajorIterations, Evaluations: evals,
		Status: r.Status,
	}
	gmax := math.NaN()
	if len(res.Grad) == len(res.X) {
		gmax = floats.Norm(res.Grad, math.Inf(1))
	}
	if err != nil || r.Status.Early() {
		if err == nil {
			err = r.Status.Err()
		}
		if r.Status == optimize.Failure && r.MajorIterations == 0 {
			// The start was not usable (NaN or Inf value or gradient).
			return res, fmt.Errorf("optim: L-BFGS cannot start: %w", err)
		}
		return res, fmt.Errorf("%w: stopped with status %v after %d iterations and %d evaluations, f = %g, largest gradient component %g > tolerance %g: %v",
			ErrNotConverged, r.Status, res.Iterations, res.Evaluations, res.F, gmax, o.GradientTolerance, err)
	}
	return res, nil
}

// Flatten returns the values of the trainable parameters (RequiresGrad true) of
// params, concatenated in order, each flattened row-major. Frozen parameters are
// left out.
func Flatten(params []*ad.Var) []float64 {
	var x []float64
	for _, p := range params {
		if p.RequiresGrad() {
			x = append(x, p.Value().Float64s()...)
		}
	}
	return x
}

// Unflatten writes x, laid out as by Flatten, into the trainable parameters of
// params, in place. Frozen parameters are not touched. It panics if len(x) is not
// the number of trainable values.
func Unflatten(params []*ad.Var, x []float64) {
	n := 0
	for _, p := range params {
		if p.RequiresGrad() {
			n += p.Value().Size()
		}
	}
	if n != len(x) {
		panic(fmt.Sprintf("optim: Unflatten of %d values into %d trainable values", len(x), n))
	}
	for _, p := range params {
		if p.RequiresGrad() {
			t := p.Value()
			if t.Data32 != nil {
				for j := range t.Data32 {
					t.Data32[j] = float32(x[j])
				}
			} else {
				copy(t.Data, x[:len(t.Data)])
			}
			x = x[t.Size():]
		}
	}
}

// Objective returns the function f(x, grad) of the trainable values of params that
// MinimizeLBFGS needs: it writes x into params (Unflatten), calls loss, which must
// return a one-element Var computed from params, and writes ∂loss/∂θ, laid out as
// by Flatten, into grad. After the minimisation, Unflatten(params, result.X) sets the
// parameters to the best point (they otherwise hold the last point evaluated).
func Objective(params []*ad.Var, loss func() *ad.Var) func(x, grad []float64) float64 {
	var trainable []*ad.Var
	for _, p := range params {
		if p.RequiresGrad() {
			trainable = append(trainable, p)
		}
	}
	return func(x, grad []float64) float64 {
		Unflatten(params, x)
		l := loss()
		gs := ad.Grad(l, trainable...)
		off := 0
		for _, g := range gs {
			off += copy(grad[off:], g.Value().Float64s())
		}
		return l.Item()
	}
}
