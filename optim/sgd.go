package optim

import (
	"fmt"
	"math"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// SGDOptions configure SGD. Zero fields take the defaults given with them.
type SGDOptions struct {
	// LR is the learning rate α, in units of θ² per unit of loss. Default 1e-2.
	LR float64
	// Momentum is μ in [0, 1). Zero (the default) means plain gradient descent.
	Momentum float64
	// Nesterov selects Nesterov momentum; it needs Momentum > 0.
	Nesterov bool
	// WeightDecay is the L2 coefficient λ added as λθ to the gradient. Default 0.
	WeightDecay float64
}

// Validate returns an error describing the first invalid field, after defaults are
// applied.
func (o SGDOptions) Validate() error {
	if o.LR == 0 {
		o.LR = 1e-2
	}
	switch {
	case !(o.LR > 0) || math.IsInf(o.LR, 0):
		return fmt.Errorf("optim: SGD learning rate %v is not positive and finite", o.LR)
	case !(o.Momentum >= 0 && o.Momentum < 1):
		return fmt.Errorf("optim: SGD momentum %v is not in [0, 1)", o.Momentum)
	case o.Nesterov && o.Momentum == 0:
		return fmt.Errorf("optim: SGD with Nesterov momentum needs a positive Momentum")
	case !(o.WeightDecay >= 0) || math.IsInf(o.WeightDecay, 0):
		return fmt.Errorf("optim: SGD weight decay %v is not non-negative and finite", o.WeightDecay)
	}
	return nil
}

// SGD is stochastic gradient descent with optional (Nesterov) momentum and L2 weight
// decay. See the package documentation for the update rule.
type SGD struct {
	tracker
	opt SGDOptions
	buf [][]float64 // momentum buffers per parameter; nil without momentum
}

var _ Optimizer = (*SGD)(nil)

// NewSGD returns an SGD optimizer; nil options mean all defaults. It panics if the
// options are invalid (see SGDOptions.Validate).
func NewSGD(opt *SGDOptions) *SGD {
	var o SGDOptions
	if opt != nil {
		o = *opt
	}
	if err := o.Validate(); err != nil {
		panic(err.Error())
	}
	if o.LR == 0 {
		o.LR = 1e-2
	}
	return &SGD{tracker: tracker{name: "sgd", lr: o.LR}, opt: o}
}

// Step applies one SGD update; see Optimizer.Step.
func (s *SGD) Step(params []*ad.Var, grads []*ad.Tensor) {
	s.begin(params, grads)
	mu, wd, lr := s.opt.Momentum, s.opt.WeightDecay, s.lr
	if mu != 0 && s.buf == nil {
		s.buf = make([][]float64, len(params))
	}
	for i, p := range params {
		g := grads[i]
		if !trainable(p, g) {
			continue
		}
		s.counts[i]++
		var b []float64
		if mu != 0 {
			if s.buf[i] == nil {
				s.buf[i] = make([]float64, p.Value().Size())
			}
			b = s.buf[i]
		}
		c := sgdConsts{lr, mu, wd, s.opt.Nesterov}
		if th := p.Value(); th.DType() == ad.Float32 {
			sgdUpdate(th.Data32, g.Data32, b, c)
		} else {
			sgdUpdate(th.Data, g.Data, b, c)
		}
	}
}

// sgdConsts are the numbers of one SGD update.
type sgdConsts struct {
	lr, mu, wd float64
	nesterov   bool
}

// sgdUpdate updates theta in place from its gradient g and the momentum buffer b
// (float64, nil without momentum); computed in float64, rounded once for float32.
func sgdUpdate[T float32 | float64](theta, g []T, b []float64, c sgdConsts) {
	for j := range g {
		th, d := float64(theta[j]), float64(g[j])
		if c.wd != 0 {
			d += c.wd * th
		}
		if c.mu != 0 {
			b[j] = c.mu*b[j] + d
			if c.nesterov {
				d += c.mu * b[j]
			} else {
				d = b[j]
			}
		}
		theta[j] = T(th - c.lr*d)
	}
}

func (s *SGD) slotNames() []string {
	if s.opt.Momentum == 0 {
		return nil
	}
	return []string{"momentum"}
}

// State returns a deep copy of the optimizer's state, with slot "momentum" when
// Momentum is not zero.
func (s *SGD) State() State {
	slots := map[string][][]float64{}
	if s.opt.Momentum != 0 {
		slots["momentum"] = s.buf
	}
	return s.state(slots)
}

// SetState restores a state returned by State of an SGD optimizer built with the
// same options, for the given parameters (in the order later passed to Step). It
// returns an error, and leaves the optimizer unchanged, if the state does not fit.
func (s *SGD) SetState(params []*ad.Var, st State) error {
	slots, err := s.restore(params, st, s.slotNames())
	if err != nil {
		return err
	}
	s.buf = nil
	if slots != nil {
		s.buf = slots["momentum"]
	}
	return nil
}
