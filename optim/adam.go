package optim

import (
	"fmt"
	"math"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// AdamOptions configure Adam. A zero field takes the default given with it, so
// Beta1 and Beta2 must lie in (0, 1).
type AdamOptions struct {
	// LR is the step size α, in the units of the parameters. Default 1e-3.
	LR float64
	// Beta1 and Beta2 are the decay rates of the first- and second-moment estimates.
	// Defaults 0.9 and 0.999.
	Beta1, Beta2 float64
	// Eps keeps the division finite, in the units of the gradient. Default 1e-8.
	Eps float64
	// WeightDecay is λ. Zero (the default) means no decay.
	WeightDecay float64
	// Decoupled selects AdamW's decay θ ← θ·(1−αλ) instead of adding λθ to the
	// gradient (see the package documentation).
	Decoupled bool
}

// withDefaults returns o with zero fields replaced by defaults.
func (o AdamOptions) withDefaults() AdamOptions {
	if o.LR == 0 {
		o.LR = 1e-3
	}
	if o.Beta1 == 0 {
		o.Beta1 = 0.9
	}
	if o.Beta2 == 0 {
		o.Beta2 = 0.999
	}
	if o.Eps == 0 {
		o.Eps = 1e-8
	}
	return o
}

// Validate returns an error describing the first invalid field, after defaults are
// applied: LR, Eps and WeightDecay must be non-negative and finite, Beta1 and Beta2
// in (0, 1).
func (o AdamOptions) Validate() error {
	o = o.withDefaults()
	switch {
	case !(o.LR > 0) || math.IsInf(o.LR, 0):
		return fmt.Errorf("optim: Adam learning rate %v is not positive and finite", o.LR)
	case !(o.Beta1 > 0 && o.Beta1 < 1):
		return fmt.Errorf("optim: Adam Beta1 %v is not in (0, 1)", o.Beta1)
	case !(o.Beta2 > 0 && o.Beta2 < 1):
		return fmt.Errorf("optim: Adam Beta2 %v is not in (0, 1)", o.Beta2)
	case !(o.Eps > 0) || math.IsInf(o.Eps, 0):
		return fmt.Errorf("optim: Adam Eps %v is not positive and finite", o.Eps)
	case !(o.WeightDecay >= 0) || math.IsInf(o.WeightDecay, 0):
		return fmt.Errorf("optim: Adam weight decay %v is not non-negative and finite", o.WeightDecay)
	}
	return nil
}

// Adam is the Adam optimizer of Kingma & Ba (2015), or AdamW with
// AdamOptions.Decoupled. See the package documentation for the update rule.
type Adam struct {
	tracker
	opt  AdamOptions
	m, v [][]float64 // per parameter; nil until its first update
}

var _ Optimizer = (*Adam)(nil)

// NewAdam returns an Adam optimizer; nil options mean all defaults. It panics if
// the options are invalid (see AdamOptions.Validate).
func NewAdam(opt *AdamOptions) *Adam {
	var o AdamOptions
	if opt != nil {
		o = *opt
	}
	if err := o.Validate(); err != nil {
		panic(err.Error())
	}
	o = o.withDefaults()
	return &Adam{tracker: tracker{name: "adam", lr: o.LR}, opt: o}
}

// Step applies one Adam update; see Optimizer.Step.
func (a *Adam) Step(params []*ad.Var, grads []*ad.Tensor) {
	a.begin(params, grads)
	if a.m == nil {
		a.m = make([][]float64, len(params))
		a.v = make([][]float64, len(params))
	}
	lr, b1, b2, eps, wd := a.lr, a.opt.Beta1, a.opt.Beta2, a.opt.Eps, a.opt.WeightDecay
	for i, p := range params {
		g := grads[i]
		if !trainable(p, g) {
			continue
		}
		if a.m[i] == nil {
			a.m[i] = make([]float64, p.Value().Size())
			a.v[i] = make([]float64, p.Value().Size())
		}
		m, v := a.m[i], a.v[i]
		a.counts[i]++
		t := float64(a.counts[i])
		// 1−βᵗ as −expm1(t·ln β): 1 − math.Pow(β, t) would lose digits to
		// cancellation (1 − 0.999² keeps 13 of 16).
		bc1 := -math.Expm1(t * math.Log(b1))
		bc2 := -math.Expm1(t * math.Log(b2))
		c := adamConsts{lr, b1, b2, eps, wd, bc1, bc2, a.opt.Decoupled}
		if th := p.Value(); th.DType() == ad.Float32 {
			adamUpdate(th.Data32, g.Data32, m, v, c)
		} else {
			adamUpdate(th.Data, g.Data, m, v, c)
		}
	}
}

// adamConsts are the numbers of one Adam update of one parameter.
type adamConsts struct {
	lr, b1, b2, eps, wd, bc1, bc2 float64
	decoupled                     bool
}

// adamUpdate updates theta in place from its gradient g and the moments m and v
// (kept in float64 for either precision of theta). The update is computed in float64
// and rounded once per element for float32 parameters.
func adamUpdate[T float32 | float64](theta, g []T, m, v []float64, c adamConsts) {
	for j := range g {
		th, gj := float64(theta[j]), float64(g[j])
		if c.wd != 0 {
			if c.decoupled {
				th *= 1 - c.lr*c.wd
			} else {
				gj += c.wd * th
			}
		}
		m[j] = c.b1*m[j] + (1-c.b1)*gj
		v[j] = c.b2*v[j] + (1-c.b2)*gj*gj
		mhat := m[j] / c.bc1
		vhat := v[j] / c.bc2
		th -= c.lr * mhat / (math.Sqrt(vhat) + c.eps)
		theta[j] = T(th)
	}
}

// State returns a deep copy of the optimizer's state, with slots "m" and "v".
func (a *Adam) State() State {
	return a.state(map[string][][]float64{"m": a.m, "v": a.v})
}

// SetState restores a state returned by State of an Adam optimizer, for the given
// parameters (in the order later passed to Step). It returns an error, and leaves the
// optimizer unchanged, if the state does not fit the parameters.
func (a *Adam) SetState(params []*ad.Var, s State) error {
	slots, err := a.restore(params, s, []string{"m", "v"})
	if err != nil {
		return err
	}
	a.m, a.v = slots["m"], slots["v"]
	return nil
}
