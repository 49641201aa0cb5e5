package bio

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/sciadapt/sciadapt/bio/dtidata"
)

// TestProtocol runs the species-transfer protocol with every method on the
// synthetic set (16 human and 6 rat proteins, 8 pairs each) and checks its
// report: the split (K = 2 per protein, adapt + test + dropped = every rat pair),
// the human pairs predicted bit for bit as before with the adapter disabled, the
// frozen method reporting the frozen model as its result, the receptor base rate
// scored as ReceptorRate, and the alignment and control parts present exactly when
// asked for.
func TestProtocol(t *testing.T) {
	d, _, _, al := trained(t)
	human := pairsOf(d, "human")[:24] // 3 human proteins stand in for the base's held-out ones
	for _, method := range Methods {
		t.Run(method, func(t *testing.T) {
			_, m, data, _ := trained(t)
			control, _ := drugOnly(t, d)
			p, err := NewProtocol(m, data, ProtocolOptions{Species: "Rat", Method: method, PerTarget: 2, PromptLength: 4,
				Epochs: 2, LR: 1e-2, Seed: 1, Alignment: al, HumanTest: human, Control: control})
			if err != nil {
				t.Fatal(err)
			}
			r, err := p.Run()
			if err != nil {
				t.Fatal(err)
			}
			checkSplit(t, d, p, r)
			if r.HumanPredictionsUnchanged == nil || !*r.HumanPredictionsUnchanged || r.HumanTestAfter == nil ||
				!sameMetrics(*r.HumanTestBefore, *r.HumanTestAfter) {
				t.Errorf("human test before %v, after %v; predictions unchanged: %v", r.HumanTestBefore, r.HumanTestAfter, r.HumanPredictionsUnchanged != nil && *r.HumanPredictionsUnchanged)
			}
			if want := Score(d, p.Test, ReceptorRate(d, p.Adapt, p.Test)); !sameMetrics(r.ControlReceptorRateTest, want) {
				t.Errorf("receptor base rate %v, want %v", r.ControlReceptorRateTest, want)
			}
			if r.ControlDrugOnlyTest == nil || r.ControlDrugOnlyTest.Pairs != len(p.Test) {
				t.Errorf("drug-only control %v, want one on the %d test pairs", r.ControlDrugOnlyTest, len(p.Test))
			}
			frozen := method == MethodFrozen
			if frozen != (p.Adapter == nil) || frozen != (r.TrainableParameters == 0) || frozen != (r.OrthologPairs == nil) {
				t.Errorf("adapter %v, %d trained values, ortholog pairs %v", p.Adapter, r.TrainableParameters, r.OrthologPairs)
			}
			if frozen && !sameMetrics(r.Test, r.FrozenTest) {
				t.Errorf("frozen: test %v differs from frozen_test %v", r.Test, r.FrozenTest)
			}
			if !frozen && (r.AlignmentCosineBefore == nil || r.AlignmentCosineAfter == nil || *r.OrthologPairs != len(al.Other)) {
				t.Errorf("alignment: cosine %v → %v over %v pairs", r.AlignmentCosineBefore, r.AlignmentCosineAfter, r.OrthologPairs)
			}
			if (method == MethodPrompt) != (r.PromptLength != nil) {
				t.Errorf("prompt_length %v for method %s", r.PromptLength, method)
			}
		})
	}
}

// checkSplit checks the split of the rat pairs against the report.
func checkSplit(t *testing.T, d *dtidata.Dataset, p *Protocol, r *TransferReport) {
	t.Helper()
	rat := pairsOf(d, "rat")
	dropped := 0
	for _, tr := range r.Targets {
		dropped += tr.Dropped
		if tr.Adapt != 2 {
			t.Errorf("protein %s adapts on %d pairs, want K = 2", tr.Protein, tr.Adapt)
		}
	}
	if r.Species != "rat" || len(r.Targets) != 6 || r.AdaptPairs != len(p.Adapt) || len(p.Adapt)+len(p.Test)+dropped != len(rat) {
		t.Errorf("species %q, %d targets, %d adapt + %d test + %d dropped; want rat, 6, and the %d rat pairs",
			r.Species, len(r.Targets), len(p.Adapt), len(p.Test), dropped, len(rat))
	}
	for _, k := range p.Test {
		if slices.Contains(p.Adapt, k) {
			t.Fatalf("pair %d both adapts and tests", k)
		}
	}
	if r.Test.Pairs != len(p.Test) || r.FrozenTest.Pairs != len(p.Test) {
		t.Errorf("test metrics over %d and %d pairs, want %d", r.Test.Pairs, r.FrozenTest.Pairs, len(p.Test))
	}
}

func sameMetrics(a, b Metrics) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// drugOnly returns an untrained drug-only model for d.
func drugOnly(t *testing.T, d *dtidata.Dataset) (*Model, *Data) {
	t.Helper()
	cfg := tinyConfig(d, 3)
	cfg.DrugOnly = true
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cdata, err := c.Tokenize(d)
	if err != nil {
		t.Fatal(err)
	}
	return c, cdata
}

// TestProtocolRefuses checks the errors of NewProtocol and of a prompt search
// without validation pairs.
func TestProtocolRefuses(t *testing.T) {
	d, m, data, _ := trained(t)
	c, cdata := drugOnly(t, d)
	for _, tc := range []struct {
		m    *Model
		data *Data
		o    ProtocolOptions
	}{
		{m, data, ProtocolOptions{Species: "rat", Method: "magic"}},
		{c, cdata, ProtocolOptions{Species: "rat", Method: MethodPrompt}},
		{m, data, ProtocolOptions{Species: "bovine", Method: MethodPrompt}},
	} {
		if _, err := NewProtocol(tc.m, tc.data, tc.o); err == nil {
			t.Errorf("%+v: no error", tc.o)
		}
	}
	p, err := NewProtocol(m, data, ProtocolOptions{Species: "rat", Method: MethodPrompt, PerTarget: 1, Epochs: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Run(); !errors.Is(err, ErrNoValidationPairs) {
		t.Errorf("prompt length search at K = 1: %v, want ErrNoValidationPairs", err)
	}
}

// TestValidationSplit checks the validation quarter: proteins with one pair keep
// it for fitting, others give ⌈n/4⌉ pairs, every pair lands on exactly one side,
// and the draw depends on the seed only.
func TestValidationSplit(t *testing.T) {
	d := synthetic(3, 0, 12, 9, 1) // 3 proteins × 9 pairs
	pairs := pairsOf(d, "human")
	pairs = append(pairs[:9+5], pairs[18:19]...) // 9, 5 and 1 pairs
	fit, val := ValidationSplit(d, pairs, 7)
	if len(val) != 3+2 || len(fit)+len(val) != len(pairs) {
		t.Fatalf("%d fit and %d validation pairs, want %d and ⌈9/4⌉ + ⌈5/4⌉ = 5", len(fit), len(val), len(pairs)-5)
	}
	for _, k := range val {
		if slices.Contains(fit, k) || d.Pairs[k].Protein == 2 {
			t.Errorf("validation pair %d is also fitted, or of the protein with one pair", k)
		}
	}
	fit2, val2 := ValidationSplit(d, pairs, 7)
	if !slices.Equal(fit, fit2) || !slices.Equal(val, val2) {
		t.Error("the split is not a function of the seed")
	}
}

// TestChoosePromptLength runs the saturation rule on the synthetic rat pairs and
// checks that it chose the shortest length within PromptLengthTol of the best
// loss it saw, having tried the lengths in order, and left the model as it was.
func TestChoosePromptLength(t *testing.T) {
	d, m, data, _ := trained(t)
	before := Predict(m, nil, data, pairsOf(d, "human"))
	c, err := ChoosePromptLength(m, data, pairsOf(d, "rat"), nil, PromptSearchOptions{Species: "rat", Epochs: 2, LR: 1e-2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	best := math.Inf(1)
	for i, tr := range c.Tried {
		if tr.Length != PromptLengths[i] {
			t.Errorf("length %d tried at step %d, want %d", tr.Length, i, PromptLengths[i])
		}
		best = min(best, tr.Score)
	}
	want := 0
	for _, tr := range c.Tried {
		if tr.Score <= best+PromptLengthTol {
			want = tr.Length
			break
		}
	}
	if len(c.Tried) < 3 || c.Length != want {
		t.Errorf("chose %d after %+v, want %d", c.Length, c.Tried, want)
	}
	if after := Predict(m, nil, data, pairsOf(d, "human")); !slices.Equal(before, after) {
		t.Error("the search changed the model")
	}
}

// TestReceptorRate checks the control on a hand example: protein 0 has adaptation
// labels 1, 1, 0, protein 1 none.
func TestReceptorRate(t *testing.T) {
	d := &dtidata.Dataset{Task: dtidata.Binary, Pairs: []dtidata.Pair{
		{Protein: 0, Value: 1}, {Protein: 0, Value: 1}, {Protein: 0, Value: 0}, {Protein: 0, Value: 1}, {Protein: 1, Value: 0}}}
	got := ReceptorRate(d, []int{0, 1, 2}, []int{3, 4})
	if want := []float64{2.0 / 3, 2.0 / 3}; !slices.Equal(got, want) {
		t.Errorf("ReceptorRate = %v, want %v (protein 1 takes the rate of all adaptation pairs)", got, want)
	}
	if got := ReceptorRate(d, nil, []int{3}); got[0] != 0.5 {
		t.Errorf("no adaptation pairs: %v, want 0.5", got)
	}
}
