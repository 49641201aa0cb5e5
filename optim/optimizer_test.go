package optim_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/optim"
)

// stateful is what a checkpointing training loop needs of an optimizer.
type stateful interface {
	optim.Optimizer
	State() optim.State
	SetState(params []*ad.Var, s optim.State) error
}

var (
	_ stateful = (*optim.Adam)(nil)
	_ stateful = (*optim.SGD)(nil)
)

// optimizers builds a fresh optimizer of each kind, with decay so that every term
// of each update rule is exercised.
var optimizers = []struct {
	name string
	new  func() stateful
}{
	{"Adam", func() stateful { return optim.NewAdam(&optim.AdamOptions{LR: 0.01, WeightDecay: 1e-2}) }},
	{"AdamW", func() stateful {
		return optim.NewAdam(&optim.AdamOptions{LR: 0.01, WeightDecay: 1e-2, Decoupled: true})
	}},
	{"SGD Nesterov", func() stateful {
		return optim.NewSGD(&optim.SGDOptions{LR: 0.01, Momentum: 0.9, Nesterov: true, WeightDecay: 1e-2})
	}},
	{"SGD", func() stateful { return optim.NewSGD(&optim.SGDOptions{LR: 0.01}) }},
}

// model is a small least-squares fit y ≈ tanh(x·W)·v with W (3×4) and v (4×1)
// trainable and a frozen scale s (1×1); the data come from a fixed seed.
type model struct {
	params []*ad.Var // W, s (frozen), v
	x, y   *ad.Var
}

func newModel(seed uint64) *model {
	rng := rand.New(rand.NewPCG(seed, 1))
	randn := func(shape ...int) *ad.Tensor {
		t := ad.Zeros(shape...)
		for i := range t.Data {
			t.Data[i] = rng.NormFloat64()
		}
		return t
	}
	s := ad.Variable(ad.New([]float64{1.5}, 1, 1))
	s.SetRequiresGrad(false)
	return &model{
		params: []*ad.Var{ad.Variable(randn(3, 4)), s, ad.Variable(randn(4, 1))},
		x:      ad.Constant(randn(8, 3)),
		y:      ad.Constant(randn(8, 1)),
	}
}

func (m *model) loss() *ad.Var {
	h := ad.Tanh(ad.MatMul(m.x, m.params[0]))
	p := ad.Mul(ad.MatMul(h, m.params[2]), m.params[1])
	return ad.Mean(ad.Square(ad.Sub(p, m.y)))
}

func (m *model) clone() *model {
	c := *m
	c.params = make([]*ad.Var, len(m.params))
	for i, p := range m.params {
		c.params[i] = ad.Variable(p.Value().Clone())
		c.params[i].SetRequiresGrad(p.RequiresGrad())
	}
	return &c
}

// train runs steps from step number from, with a cosine schedule, passing a
// non-zero gradient for the frozen parameter too.
func (m *model) train(opt optim.Optimizer, from, steps int) {
	sched := optim.Cosine{Base: 0.01, Min: 1e-3, Warmup: 3, Total: 30}
	for s := from; s < from+steps; s++ {
		g := grads(m.loss(), m.params)
		g[1] = ad.Full(0.5, 1, 1)
		opt.SetLR(sched.LR(s))
		opt.Step(m.params, g)
	}
}

func bits(t *ad.Tensor) []uint64 {
	b := make([]uint64, len(t.Data))
	for i, v := range t.Data {
		b[i] = math.Float64bits(v)
	}
	return b
}

func TestFrozenNeverMoves(t *testing.T) {
	for _, o := range optimizers {
		m := newModel(1)
		frozen := bits(m.params[1].Value())
		w0 := m.params[0].Value().Clone()
		opt := o.new()
		m.train(opt, 0, 10)
		if got := bits(m.params[1].Value()); !slices.Equal(got, frozen) {
			t.Errorf("%s: frozen parameter changed from %v to %v", o.name, frozen, m.params[1].Value().Data)
		}
		if maxAbsDiff(w0.Data, m.params[0].Value().Data) == 0 {
			t.Errorf("%s: trainable parameter did not move", o.name)
		}
		s := opt.State()
		if s.Counts[1] != 0 || s.Counts[0] != 10 {
			t.Errorf("%s: update counts %v, want [10 0 10]", o.name, s.Counts)
		}
		for name, vs := range s.Slots {
			if vs[1] != nil {
				t.Errorf("%s: slot %q holds %v for the frozen parameter", o.name, name, vs[1])
			}
		}
	}
}

func TestNilGradientSkipped(t *testing.T) {
	for _, o := range optimizers {
		a := ad.Variable(ad.New([]float64{1, 2}, 2))
		b := ad.Variable(ad.New([]float64{3}, 1))
		opt := o.new()
		opt.Step([]*ad.Var{a, b}, []*ad.Tensor{nil, ad.New([]float64{1}, 1)})
		if a.Value().Data[0] != 1 || a.Value().Data[1] != 2 || b.Value().Data[0] == 3 {
			t.Errorf("%s: after a step with a nil gradient for a: a = %v, b = %v", o.name, a.Value().Data, b.Value().Data)
		}
	}
}

func TestStepPanics(t *testing.T) {
	for _, o := range optimizers {
		a := ad.Variable(ad.Zeros(2, 3))
		b := ad.Variable(ad.Zeros(4))
		ga, gb := ad.Zeros(2, 3), ad.Zeros(4)
		for _, c := range []struct {
			name string
			f    func(opt optim.Optimizer)
		}{
			{"fewer gradients", func(opt optim.Optimizer) { opt.Step([]*ad.Var{a, b}, []*ad.Tensor{ga}) }},
			{"gradient shape", func(opt optim.Optimizer) { opt.Step([]*ad.Var{a, b}, []*ad.Tensor{gb, gb}) }},
			{"parameters dropped", func(opt optim.Optimizer) {
				opt.Step([]*ad.Var{a, b}, []*ad.Tensor{ga, gb})
				opt.Step([]*ad.Var{a}, []*ad.Tensor{ga})
			}},
			{"parameters reordered", func(opt optim.Optimizer) {
				opt.Step([]*ad.Var{a, b}, []*ad.Tensor{ga, gb})
				opt.Step([]*ad.Var{b, a}, []*ad.Tensor{gb, ga})
			}},
			{"negative LR", func(opt optim.Optimizer) { opt.SetLR(-1) }},
		} {
			if !panics(func() { c.f(o.new()) }) {
				t.Errorf("%s: %s did not panic", o.name, c.name)
			}
		}
	}
}

// TestStateRoundTrip runs 10 steps, saves the state (through JSON), runs 10 more,
// and compares with a fresh optimizer and model restored from the snapshot running
// the same 10 steps: the results must be bit-identical.
func TestStateRoundTrip(t *testing.T) {
	for _, o := range optimizers {
		m := newModel(2)
		opt := o.new()
		m.train(opt, 0, 10)
		saved := m.clone()
		js, err := json.Marshal(opt.State())
		if err != nil {
			t.Fatal(err)
		}
		m.train(opt, 10, 10)

		var s optim.State
		if err := json.Unmarshal(js, &s); err != nil {
			t.Fatal(err)
		}
		fresh := o.new()
		if err := fresh.SetState(saved.params, s); err != nil {
			t.Fatalf("%s: SetState: %v", o.name, err)
		}
		if want := (optim.Cosine{Base: 0.01, Min: 1e-3, Warmup: 3, Total: 30}).LR(9); fresh.LR() != want {
			t.Errorf("%s: restored LR %v, want the LR of step 9, %v", o.name, fresh.LR(), want)
		}
		saved.train(fresh, 10, 10)
		for i := range m.params {
			if !slices.Equal(bits(m.params[i].Value()), bits(saved.params[i].Value())) {
				t.Errorf("%s: parameter %d after restore: %v, uninterrupted run: %v", o.name, i,
					saved.params[i].Value().Data, m.params[i].Value().Data)
			}
		}
		a, _ := json.Marshal(opt.State())
		b, _ := json.Marshal(fresh.State())
		if string(a) != string(b) {
			t.Errorf("%s: states differ after the same steps:\n%s\n%s", o.name, a, b)
		}
	}
}

func TestStateIsACopy(t *testing.T) {
	m := newModel(3)
	opt := optim.NewAdam(nil)
	m.train(opt, 0, 2)
	s := opt.State()
	before, _ := json.Marshal(s)
	m.train(opt, 2, 2)
	after, _ := json.Marshal(s)
	if string(before) != string(after) {
		t.Error("a State changed when the optimizer stepped on")
	}
	s.Slots["m"][0][0] = 1e9
	if opt.State().Slots["m"][0][0] == 1e9 {
		t.Error("changing a State changed the optimizer")
	}
}

func TestSetStateErrors(t *testing.T) {
	m := newModel(4)
	adam := optim.NewAdam(nil)
	m.train(adam, 0, 3)
	sgd := optim.NewSGD(&optim.SGDOptions{Momentum: 0.9})
	m.train(sgd, 0, 3)

	edit := func(s optim.State, f func(*optim.State)) optim.State {
		js, _ := json.Marshal(s)
		var c optim.State
		json.Unmarshal(js, &c)
		f(&c)
		return c
	}
	for _, c := range []struct {
		name   string
		opt    stateful
		params []*ad.Var
		s      optim.State
		want   string
	}{
		{"kind", optim.NewAdam(nil), m.params, sgd.State(), `state is for a "sgd" optimizer, not "adam"`},
		{"no momentum", optim.NewSGD(nil), m.params, sgd.State(), `slot "momentum", which this optimizer does not keep`},
		{"missing slot", optim.NewAdam(nil), m.params, edit(adam.State(), func(s *optim.State) { delete(s.Slots, "v") }), `lacks slot "v"`},
		{"parameter count", optim.NewAdam(nil), m.params[:2], adam.State(), "state is for 3 parameters, not 2"},
		{"slot length", optim.NewAdam(nil), m.params, edit(adam.State(), func(s *optim.State) { s.Slots["m"][2] = s.Slots["m"][2][:3] }),
			`slot "m" of parameter 2 holds 3 values, but the parameter has 4 (shape [4 1])`},
		{"slot missing values", optim.NewAdam(nil), m.params, edit(adam.State(), func(s *optim.State) { s.Slots["v"][0] = nil }),
			`parameter 0 was updated 3 times but has no values in slot "v"`},
		{"negative count", optim.NewAdam(nil), m.params, edit(adam.State(), func(s *optim.State) { s.Counts[0] = -1 }), "update count -1"},
		{"negative LR", optim.NewAdam(nil), m.params, edit(adam.State(), func(s *optim.State) { s.LR = -1 }), "learning rate -1"},
	} {
		before, _ := json.Marshal(c.opt.State())
		err := c.opt.SetState(c.params, c.s)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: SetState error %v, want one containing %q", c.name, err, c.want)
		}
		if after, _ := json.Marshal(c.opt.State()); string(after) != string(before) {
			t.Errorf("%s: a failed SetState changed the state", c.name)
		}
	}

	// A snapshot taken before any step restores to a fresh optimizer.
	opt := optim.NewAdam(&optim.AdamOptions{LR: 0.02})
	if err := opt.SetState(m.params, optim.NewAdam(&optim.AdamOptions{LR: 0.03}).State()); err != nil {
		t.Errorf("restoring a fresh state: %v", err)
	}
	if opt.LR() != 0.03 {
		t.Errorf("LR after restoring a fresh state %v, want 0.03", opt.LR())
	}
}
