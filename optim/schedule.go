package optim

import (
	"fmt"
	"math"
)

// Schedule gives the learning rate for each step, counted from zero.
type Schedule interface {
	LR(step int) float64
}

var (
	_ Schedule = Constant(0)
	_ Schedule = Cosine{}
)

// Constant is a schedule that always returns its value.
type Constant float64

// LR returns c.
func (c Constant) LR(step int) float64 { return float64(c) }

// Cosine warms the learning rate up linearly and then decays it to Min along half
// a cosine (Loshchilov & Hutter 2017, without restarts):
//
//	LR(s) = Base·(s+1)/Warmup                                  for s < Warmup
//	LR(s) = Min + (Base−Min)·(1 + cos(π·(s−Warmup)/(Total−Warmup)))/2   for Warmup ≤ s < Total
//	LR(s) = Min                                                for s ≥ Total
//
// so the first step already moves (at Base/Warmup), step Warmup−1 and step Warmup
// both run at Base, and Total counts the warm-up steps.
type Cosine struct {
	Base, Min     float64
	Warmup, Total int
}

// LR returns the learning rate for step (from zero). It panics if step is negative,
// Warmup is negative or Total ≤ Warmup.
func (c Cosine) LR(step int) float64 {
	if step < 0 || c.Warmup < 0 || c.Total <= c.Warmup {
		panic(fmt.Sprintf("optim: Cosine step %d with Warmup %d and Total %d", step, c.Warmup, c.Total))
	}
	switch {
	case step < c.Warmup:
		return c.Base * float64(step+1) / float64(c.Warmup)
	case step >= c.Total:
		return c.Min
	}
	p := float64(step-c.Warmup) / float64(c.Total-c.Warmup)
	return c.Min + (c.Base-c.Min)*(1+math.Cos(math.Pi*p))/2
}

// ReduceOnPlateau cuts the learning rate when a monitored metric (a validation
// loss: lower is better) stops improving, in the manner of PyTorch's
// ReduceLROnPlateau in "min" mode with a relative threshold.
//
// An observation improves on the best so far when metric < Best − Threshold·|Best|.
// After more than Patience observations in a row without improvement, the rate is
// multiplied by Factor (but not taken below MinLR), and the next Cooldown
// observations are not counted as bad. So with Patience 2 the third non-improving
// observation in a row reduces the rate.
//
// Set LR and the options, then call Observe once per evaluation. The exported
// fields are the whole state: a ReduceOnPlateau can be saved and restored as a value.
type ReduceOnPlateau struct {
	// LR is the current learning rate: set it to the initial rate.
	LR float64
	// Factor multiplies LR at a reduction; in (0, 1). Zero means 0.1.
	Factor float64
	// Patience is the number of non-improving observations tolerated.
	Patience int
	// MinLR is the floor for LR.
	MinLR float64
	// Threshold is the relative improvement that counts (1e-4 is PyTorch's default).
	Threshold float64
	// Cooldown is the number of observations after a reduction that are not counted.
	Cooldown int

	// Best is the lowest metric seen; NaN or meaningless while none has been seen
	// (Observations zero or only NaN metrics).
	Best float64
	// Bad is the number of non-improving observations counted in a row.
	Bad int
	// CooldownLeft is the number of observations left in the cooldown.
	CooldownLeft int
	// Observations is the number of calls to Observe.
	Observations int
}

// Observe records metric and returns the learning rate to use from now on, and
// whether it was reduced by this observation. A NaN metric counts as no
// improvement. Observe panics if Factor is not in (0, 1) (after the default) or if
// Patience or Cooldown is negative.
func (r *ReduceOnPlateau) Observe(metric float64) (lr float64, reduced bool) {
	factor := r.Factor
	if factor == 0 {
		factor = 0.1
	}
	if !(factor > 0 && factor < 1) || r.Patience < 0 || r.Cooldown < 0 {
		panic(fmt.Sprintf("optim: ReduceOnPlateau with Factor %v, Patience %d, Cooldown %d", r.Factor, r.Patience, r.Cooldown))
	}
	noBest := r.Observations == 0 || math.IsNaN(r.Best)
	r.Observations++
	switch {
	case math.IsNaN(metric):
		if noBest {
			r.Best = math.NaN()
		}
		r.Bad++
	case noBest || metric < r.Best-r.Threshold*math.Abs(r.Best):
		r.Best, r.Bad = metric, 0
	default:
		r.Bad++
	}
	if r.CooldownLeft > 0 {
		r.CooldownLeft--
		r.Bad = 0
	}
	if r.Bad > r.Patience {
		r.Bad = 0
		if next := math.Max(r.LR*factor, r.MinLR); next < r.LR {
			r.LR = next
			r.CooldownLeft = r.Cooldown
			return r.LR, true
		}
	}
	return r.LR, false
}
