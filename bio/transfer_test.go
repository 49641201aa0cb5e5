package bio

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/nn"
)

// A synthetic task whose signal is in the protein only is learned: AUROC > 0.9
// on proteins held out of training, while the drug-only control stays near 0.5.
func TestLearnsProteinSignal(t *testing.T) {
	d := synthetic(40, 0, 30, 12, 11)
	train, test := d.SplitByProtein(pairsOf(d, "human"), 0.25, 1)
	m, data := newTiny(t, d, 1)
	m.SetOutputBias(BaseRate(d, train))
	opt := TrainOptions{Epochs: 40, LR: 1e-2, Seed: 1}
	if _, err := Train(m, data, train, opt); err != nil {
		t.Fatal(err)
	}
	got := Evaluate(m, nil, data, test)
	if got.AUROC < 0.9 {
		t.Errorf("held-out proteins: AUROC %.3f, want > 0.9 (%v)", got.AUROC, got)
	}
	cfg := tinyConfig(d, 1)
	cfg.DrugOnly = true
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cdata, err := c.Tokenize(d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Train(c, cdata, train, opt); err != nil {
		t.Fatal(err)
	}
	// Every drug is positive on half the proteins: nothing to learn from drugs.
	if cm := Evaluate(c, nil, cdata, test); cm.AUROC > 0.7 {
		t.Errorf("drug-only control: AUROC %.3f on held-out proteins, want ≤ 0.7 (chance 0.5)", cm.AUROC)
	}
	t.Logf("model %v; drug-only control %v", got, Evaluate(c, nil, cdata, test))
}

// trained returns a model trained on the human pairs of a synthetic set with rat
// orthologs, and its alignment data.
func trained(t *testing.T) (*dtidata.Dataset, *Model, *Data, *Alignment) {
	t.Helper()
	d := synthetic(16, 6, 20, 8, 21)
	m, data := newTiny(t, d, 2)
	human := pairsOf(d, "human")
	m.SetOutputBias(BaseRate(d, human))
	if _, err := Train(m, data, human, TrainOptions{Epochs: 4, LR: 1e-2, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	al := &Alignment{Weight: 1, Seed: 3}
	for _, o := range d.Orthologs {
		al.Other = append(al.Other, data.Proteins[o.Other])
		al.Human = append(al.Human, data.Proteins[o.Human])
	}
	return d, m, data, al
}

func snapshot(m nn.Module) [][]float64 {
	var out [][]float64
	for _, p := range m.Params() {
		out = append(out, slices.Clone(p.Value().Data))
	}
	return out
}

// During transfer the human model's parameters never change (bit for bit), and
// with the adapter disabled every human prediction is what it was before.
func TestTransferKeepsHuman(t *testing.T) {
	for _, method := range []string{MethodAdapter, MethodLoRA, MethodPrompt, MethodHead, MethodFull} {
		t.Run(method, func(t *testing.T) {
			d, m, data, al := trained(t)
			human, rat := pairsOf(d, "human"), pairsOf(d, "rat")
			before := snapshot(m)
			yBefore := Predict(m, nil, data, human)
			cfg, err := AdapterConfig(method, AdapterOptions{Seed: 4})
			if err != nil {
				t.Fatal(err)
			}
			a, err := adapters.New("rat", cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := a.Attach(m); err != nil {
				t.Fatal(err)
			}
			if method == MethodAdapter || method == MethodLoRA {
				// These start equal to the base.
				if y := Predict(m, nil, data, human); !slices.Equal(y, yBefore) {
					t.Error("adapter at its start changes the predictions")
				}
			}
			ratBefore := Predict(m, nil, data, rat)
			if _, err := Transfer(m, a, data, rat, al, TrainOptions{Epochs: 3, LR: 1e-2, Seed: 5}); err != nil {
				t.Fatal(err)
			}
			if slices.Equal(Predict(m, nil, data, rat), ratBefore) {
				t.Error("transfer changed nothing for the rat pairs")
			}
			if method != MethodHead && method != MethodFull {
				if !slices.EqualFunc(snapshot(m), before, slices.Equal) {
					t.Error("a parameter of the human model changed during transfer")
				}
			}
			a.Enable(false)
			if !slices.EqualFunc(snapshot(m), before, slices.Equal) {
				t.Error("with the adapter disabled, the human model's parameters differ from before")
			}
			if y := Predict(m, nil, data, human); !slices.Equal(y, yBefore) {
				t.Error("with the adapter disabled, human predictions differ from before")
			}
		})
	}
}

func TestAdapterRoundTrip(t *testing.T) {
	d, m, data, al := trained(t)
	dir := t.TempDir()
	basePath := filepath.Join(dir, "human.model")
	if err := m.Save(basePath, nil); err != nil {
		t.Fatal(err)
	}
	cfg, err := AdapterConfig(MethodPrompt, AdapterOptions{PromptLength: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	a, err := adapters.New("rat", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Attach(m); err != nil {
		t.Fatal(err)
	}
	rat := pairsOf(d, "rat")
	if _, err := Transfer(m, a, data, rat, al, TrainOptions{Epochs: 2, LR: 1e-2, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "rat.adapter")
	if err := a.Save(path); err != nil {
		t.Fatal(err)
	}
	want := Predict(m, nil, data, rat)

	base, _, err := Load(basePath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := adapters.Load(path, base); err != nil {
		t.Fatal(err)
	}
	data2, err := base.Tokenize(d)
	if err != nil {
		t.Fatal(err)
	}
	if got := Predict(base, nil, data2, rat); !slices.Equal(got, want) {
		t.Error("predictions differ after an adapter save/load round trip")
	}

	// Another base (other weights) is refused.
	other, _ := newTiny(t, d, 99)
	if _, err := adapters.Load(path, other); err == nil || !strings.Contains(err.Error(), "belongs to base model") {
		t.Errorf("loading onto another base: error %v, want a fingerprint mismatch", err)
	}
}

// The alignment term alone (no labelled pairs) raises the cosine similarity of
// rat representations with their human orthologs; the shuffled control pairs
// every rat protein with a wrong human one.
func TestAlignmentDecreases(t *testing.T) {
	for _, method := range []string{MethodAdapter, MethodPrompt} {
		_, m, data, al := trained(t)
		cfg, err := AdapterConfig(method, AdapterOptions{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		a, err := adapters.New("rat", cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Attach(m); err != nil {
			t.Fatal(err)
		}
		before := AlignmentCosine(m, a, nil, al)
		stats, err := Transfer(m, a, data, nil, al, TrainOptions{Epochs: 6, LR: 1e-2, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		after := AlignmentCosine(m, a, nil, al)
		if !(after > before) || !(stats[len(stats)-1].Extra < stats[0].Extra) {
			t.Errorf("%s: cosine %.4f → %.4f, alignment loss %.4g → %.4g: want a rise and a fall",
				method, before, after, stats[0].Extra, stats[len(stats)-1].Extra)
		}
		_ = data
	}
	_, _, _, al := trained(t)
	sh := al.Shuffled(1)
	for i := range sh.Other {
		if slices.Equal(sh.Human[i], al.Human[i]) {
			t.Errorf("shuffled pair %d kept its ortholog", i)
		}
	}
}

func TestSplitPerTarget(t *testing.T) {
	d := synthetic(4, 3, 20, 12, 5)
	_, groups, err := d.DrugFrameworks()
	if err != nil {
		t.Fatal(err)
	}
	rat := pairsOf(d, "rat")
	scaffold := 0
	for _, k := range []int{0, 4, 8} {
		splits := SplitPerTarget(d, rat, groups, k, 1)
		if len(splits) != 3 {
			t.Fatalf("K=%d: %d targets, want 3", k, len(splits))
		}
		for _, s := range splits {
			if want := min(k, 6); len(s.Adapt) != want {
				t.Errorf("K=%d protein %d: %d adaptation pairs, want %d", k, s.Protein, len(s.Adapt), want)
			}
			if len(s.Adapt)+len(s.Test)+s.Dropped != 12 {
				t.Errorf("K=%d protein %d: %d + %d + %d pairs, want 12", k, s.Protein, len(s.Adapt), len(s.Test), s.Dropped)
			}
			if s.ByScaffold {
				scaffold++
			}
			seen := map[int]bool{}
			for _, p := range s.Adapt {
				if d.Pairs[p].Protein != s.Protein {
					t.Fatalf("pair %d is not on protein %d", p, s.Protein)
				}
				key := groups[d.Pairs[p].Drug]
				if !s.ByScaffold {
					key = d.Pairs[p].Drug
				}
				seen[key] = true
			}
			for _, p := range s.Test {
				key := groups[d.Pairs[p].Drug]
				if !s.ByScaffold {
					key = d.Pairs[p].Drug
				}
				if seen[key] {
					t.Errorf("K=%d protein %d: test pair %d shares its group with an adaptation pair", k, s.Protein, p)
				}
			}
		}
	}
	if scaffold == 0 {
		t.Error("no protein was split by scaffold, though the drugs have three")
	}
}
