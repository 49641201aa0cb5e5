package optim

import (
	"fmt"
	"math"
	"slices"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// Optimizer updates parameters in place from their gradients.
type Optimizer interface {
	// Step applies one update to the values of params from grads (grads[i] is the
	// gradient of the loss with respect to params[i], of the same shape). Frozen
	// parameters (RequiresGrad false) and parameters with a nil gradient are skipped.
	// Step panics if len(grads) != len(params), if a gradient's shape differs from
	// its parameter's, or if the number or shapes of params differ from those of the
	// first call.
	Step(params []*ad.Var, grads []*ad.Tensor)
	// SetLR sets the learning rate used by the following steps. It panics if lr is
	// negative or NaN.
	SetLR(lr float64)
	// LR returns the current learning rate.
	LR() float64
}

// State is a snapshot of an optimizer's state, for checkpoints. Every slice is
// indexed by position in the parameter slice passed to Step. A State holds only
// float64, int and string values, so it encodes to JSON (or any container) and
// decodes bit-exactly, as long as its values are finite (JSON has no NaN or Inf).
type State struct {
	// Kind names the optimizer: "adam" or "sgd".
	Kind string
	// LR is the learning rate at the time of the snapshot.
	LR float64
	// Steps is the number of calls to Step so far.
	Steps int
	// Counts holds, per parameter, the number of updates applied to it (Adam's t).
	// It is nil before the first step.
	Counts []int
	// Slots maps a slot name ("m", "v" for Adam; "momentum" for SGD with momentum)
	// to its values per parameter, flattened row-major; the entry of a parameter not
	// updated yet is nil.
	Slots map[string][][]float64
}

// tracker holds the bookkeeping shared by the optimizers: the shapes fixed at the
// first step and the number of updates of each parameter.
type tracker struct {
	name   string
	lr     float64
	steps  int
	shapes [][]int // nil before the first step
	counts []int
}

func (t *tracker) LR() float64 { return t.lr }

func (t *tracker) SetLR(lr float64) {
	if lr < 0 || math.IsNaN(lr) {
		panic(fmt.Sprintf("optim: %s learning rate %v", t.name, lr))
	}
	t.lr = lr
}

// begin checks params and grads against each other and against the first step, and
// fixes the shapes on the first step.
func (t *tracker) begin(params []*ad.Var, grads []*ad.Tensor) {
	if len(grads) != len(params) {
		panic(fmt.Sprintf("optim: %s step with %d gradients for %d parameters", t.name, len(grads), len(params)))
	}
	if t.shapes == nil {
		t.bind(params)
	}
	if len(params) != len(t.shapes) {
		panic(fmt.Sprintf("optim: %s step with %d parameters, but state is for %d (pass the same parameters at every step)", t.name, len(params), len(t.shapes)))
	}
	for i, p := range params {
		if !slices.Equal(p.Shape(), t.shapes[i]) {
			panic(fmt.Sprintf("optim: %s: parameter %d has shape %v, but state is for shape %v", t.name, i, p.Shape(), t.shapes[i]))
		}
		if g := grads[i]; g != nil && p.RequiresGrad() && (!slices.Equal(g.Shape, p.Shape()) || g.DType() != p.Value().DType()) {
			panic(fmt.Sprintf("optim: %s: gradient %d is %v %v for a %v parameter of shape %v", t.name, i, g.DType(), g.Shape, p.Value().DType(), p.Shape()))
		}
	}
	t.steps++
}

func (t *tracker) bind(params []*ad.Var) {
	t.shapes = make([][]int, len(params))
	for i, p := range params {
		t.shapes[i] = slices.Clone(p.Shape())
	}
	t.counts = make([]int, len(params))
}

// trainable reports whether parameter i is updated by this step.
func trainable(p *ad.Var, g *ad.Tensor) bool { return p.RequiresGrad() && g != nil }

// state fills the common fields of a snapshot with deep copies of slots.
func (t *tracker) state(slots map[string][][]float64) State {
	s := State{Kind: t.name, LR: t.lr, Steps: t.steps, Counts: slices.Clone(t.counts)}
	s.Slots = make(map[string][][]float64, len(slots))
	for name, vs := range slots {
		c := make([][]float64, len(vs))
		for i, v := range vs {
			c[i] = slices.Clone(v)
		}
		s.Slots[name] = c
	}
	return s
}

// restore validates s against params and the slot names this optimizer keeps, and
// returns deep copies of the slots. It changes t only when s is valid.
func (t *tracker) restore(params []*ad.Var, s State, names []string) (map[string][][]float64, error) {
	if s.Kind != t.name {
		return nil, fmt.Errorf("optim: state is for a %q optimizer, not %q", s.Kind, t.name)
	}
	if s.LR < 0 || math.IsNaN(s.LR) || s.Steps < 0 {
		return nil, fmt.Errorf("optim: %s state has learning rate %v and step count %d", t.name, s.LR, s.Steps)
	}
	for name := range s.Slots {
		if !slices.Contains(names, name) {
			return nil, fmt.Errorf("optim: %s state has slot %q, which this optimizer does not keep (built with other options?)", t.name, name)
		}
	}
	for i, n := range s.Counts {
		if n < 0 {
			return nil, fmt.Errorf("optim: %s state: parameter %d has update count %d", t.name, i, n)
		}
	}
	if s.Counts == nil { // a snapshot taken before the first step
		for name, vs := range s.Slots {
			for i, v := range vs {
				if v != nil {
					return nil, fmt.Errorf("optim: %s state has no update counts but values in slot %q of parameter %d", t.name, name, i)
				}
			}
		}
		t.lr, t.steps, t.shapes, t.counts = s.LR, s.Steps, nil, nil
		return nil, nil
	}
	if len(s.Counts) != len(params) {
		return nil, fmt.Errorf("optim: %s state is for %d parameters, not %d", t.name, len(s.Counts), len(params))
	}
	slots := make(map[string][][]float64, len(names))
	for _, name := range names {
		vs, ok := s.Slots[name]
		if !ok {
			return nil, fmt.Errorf("optim: %s state lacks slot %q (built with other options?)", t.name, name)
		}
		if len(vs) != len(params) {
			return nil, fmt.Errorf("optim: %s state slot %q is for %d parameters, not %d", t.name, name, len(vs), len(params))
		}
		c := make([][]float64, len(params))
		for i, v := range vs {
			n := params[i].Value().Size()
			switch {
			case v == nil && s.Counts[i] > 0:
				return nil, fmt.Errorf("optim: %s state: parameter %d was updated %d times but has no values in slot %q", t.name, i, s.Counts[i], name)
			case v != nil && len(v) != n:
				return nil, fmt.Errorf("optim: %s state: slot %q of parameter %d holds %d values, but the parameter has %d (shape %v)", t.name, name, i, len(v), n, params[i].Shape())
			}
			c[i] = slices.Clone(v)
		}
		slots[name] = c
	}
	t.lr, t.steps = s.LR, s.Steps
	t.bind(params)
	copy(t.counts, s.Counts)
	return slots, nil
}
