package bio

import (
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/autodiff/gradcheck"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/nn"
)

func TestShapes(t *testing.T) {
	d := synthetic(6, 0, 8, 4, 1)
	for _, drugOnly := range []bool{false, true} {
		cfg := tinyConfig(d, 1)
		cfg.DrugOnly = drugOnly
		m, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		data, err := m.Tokenize(d)
		if err != nil {
			t.Fatal(err)
		}
		if !drugOnly {
			z := m.EncodeProteins(nil, data.Proteins[:3])
			if s := z.Shape(); !slices.Equal(s, []int{3, 8}) {
				t.Errorf("protein representations: shape %v, want [3 8]", s)
			}
		}
		z := m.EncodeDrugs(nil, data.Drugs[:5])
		if s := z.Shape(); !slices.Equal(s, []int{5, 8}) {
			t.Errorf("drug representations: shape %v, want [5 8]", s)
		}
		y := m.Outputs(nil, data, []int{0, 1, 2, 5, 9})
		if s := y.Shape(); !slices.Equal(s, []int{5}) {
			t.Errorf("drugOnly=%v outputs: shape %v, want [5]", drugOnly, s)
		}
		if !y.Value().AllFinite() {
			t.Errorf("outputs not finite: %v", y.Value())
		}
		total, _ := nn.Counts(m)
		want := 0
		if !drugOnly {
			// embedding 28×8, conv 3·8×8 + 8 twice
			want += 28*8 + 2*(24*8+8)
		}
		want += cfg.DrugVocabulary.Len()*8 + 24*8 + 8
		in := 8
		if !drugOnly {
			in = 16
		}
		want += in*16 + 16 + 16 + 1
		if total != want {
			t.Errorf("drugOnly=%v: %d parameters, want %d", drugOnly, total, want)
		}
	}
}

// A sequence gets the same representation alone as in a batch with longer ones:
// padding is masked (see the package documentation).
func TestPaddingMasked(t *testing.T) {
	d := synthetic(6, 0, 8, 4, 2)
	m, data := newTiny(t, d, 3)
	// A short sequence (shorter than the receptive field, 5) as well.
	seqs := append([][]int{{5, 6}}, data.Proteins...)
	batch := m.EncodeProteins(nil, seqs).Value()
	w := m.ProteinWidth()
	for i, s := range seqs {
		alone := m.EncodeProteins(nil, [][]int{s}).Value()
		for c := 0; c < w; c++ {
			if a, b := alone.Data[c], batch.Data[i*w+c]; math.Abs(a-b) > 1e-12*(1+math.Abs(a)) {
				t.Fatalf("sequence %d (length %d) channel %d: %v alone, %v in a batch", i, len(s), c, a, b)
			}
		}
	}
}

// The gradients of the loss with respect to every parameter match central
// differences on a tiny instance with sequences of different lengths.
func TestGradients(t *testing.T) {
	d := synthetic(3, 0, 4, 2, 4)
	cfg := tinyConfig(d, 5)
	cfg.Embed, cfg.ProteinFilters, cfg.ProteinWidths = 3, []int{2, 3}, []int{2, 2}
	cfg.DrugFilters, cfg.DrugWidths, cfg.Hidden = []int{3}, []int{2}, []int{4}
	cfg.MaxProteinLength = 12 // keep it small; lengths still differ below
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	data, err := m.Tokenize(d)
	if err != nil {
		t.Fatal(err)
	}
	data.Proteins[1] = data.Proteins[1][:9]
	pairs := []int{0, 1, 2, 3, 5}
	t0 := make([]float64, len(pairs))
	for i, k := range pairs {
		t0[i] = d.Pairs[k].Value
	}
	params := m.Params()
	xs := make([]*ad.Tensor, len(params))
	for i, p := range params {
		xs[i] = p.Value().Clone()
	}
	orig := nn.Vars(params)
	defer func() {
		for i, p := range params {
			p.V = orig[i]
		}
	}()
	f := func(vs []*ad.Var) *ad.Var {
		for i, p := range params {
			p.V = vs[i]
		}
		return m.Loss(m.Outputs(nil, data, pairs), t0)
	}
	if err := gradcheck.First(f, xs, &gradcheck.Options{Step: 1e-6, Atol: 1e-7, Rtol: 1e-5, Seed: 1}); err != nil {
		t.Fatal(err)
	}
}

func TestConfigValidate(t *testing.T) {
	d := synthetic(2, 0, 4, 2, 1)
	good := tinyConfig(d, 1)
	for _, tc := range []struct {
		name string
		edit func(c *Config)
		want string
	}{
		{"task", func(c *Config) { c.Task = dtidata.NoPairs }, "task"},
		{"widths", func(c *Config) { c.ProteinWidths = []int{3} }, "protein CNN"},
		{"zero filters", func(c *Config) { c.DrugFilters = []int{0} }, "drug CNN"},
		{"hidden", func(c *Config) { c.Hidden = []int{-1} }, "hidden"},
		{"vocabulary", func(c *Config) { c.DrugVocabulary = nil }, "vocabulary"},
		{"length", func(c *Config) { c.MaxProteinLength = 0 }, "maximum lengths"},
	} {
		c := good
		tc.edit(&c)
		if _, err := New(c); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if _, err := New(good); err != nil {
		t.Errorf("good config: %v", err)
	}
}

func TestSaveLoad(t *testing.T) {
	d := synthetic(4, 0, 6, 3, 1)
	m, data := newTiny(t, d, 9)
	path := filepath.Join(t.TempDir(), "dti.model")
	if err := m.Save(path, map[string]string{"note": "x"}); err != nil {
		t.Fatal(err)
	}
	m2, meta, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if meta["note"] != "x" {
		t.Errorf("metadata note = %q, want x", meta["note"])
	}
	if nn.Fingerprint(m) != nn.Fingerprint(m2) {
		t.Error("fingerprint changed by a save/load round trip")
	}
	all := make([]int, len(d.Pairs))
	for i := range all {
		all[i] = i
	}
	data2, err := m2.Tokenize(d)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := Predict(m, nil, data, all), Predict(m2, nil, data2, all); !slices.Equal(a, b) {
		t.Error("predictions differ after a save/load round trip")
	}
	// Another kind of file is refused.
	other := filepath.Join(t.TempDir(), "other.model")
	lin := nn.NewLinear("x", 2, 2, true, nn.NewRand(1))
	if err := nn.SaveModel(other, "potential/schnet", map[string]int{}, lin, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Load(other); err == nil || !strings.Contains(err.Error(), "not a drug–target model") {
		t.Errorf("loading a potential: error %v", err)
	}
}

// Score on a ranking counted by hand.
func TestScore(t *testing.T) {
	d := &dtidata.Dataset{Task: dtidata.Binary, Pairs: []dtidata.Pair{{Value: 1}, {Value: 0}, {Value: 1}, {Value: 0}}}
	mt := Score(d, []int{0, 1, 2, 3}, []float64{0.9, 0.1, 0.2, 0.8})
	// Positives 0.9 and 0.2 against negatives 0.1 and 0.8: 3 of the 4 pairs are ordered.
	if mt.AUROC != 0.75 || mt.Positives != 2 || mt.Pairs != 4 {
		t.Errorf("Score = %+v, want AUROC 0.75 with 2 of 4 positive", mt)
	}
	// Two proteins: protein 0 mostly positive and scored high, protein 1 mostly
	// negative and scored low; within each protein the ranking is exactly wrong
	// and exactly right. Pooled AUROC rewards the base rates, the macro AUROC not.
	two := &dtidata.Dataset{Task: dtidata.Binary, Pairs: []dtidata.Pair{
		{Protein: 0, Value: 1}, {Protein: 0, Value: 1}, {Protein: 0, Value: 0},
		{Protein: 1, Value: 1}, {Protein: 1, Value: 0}, {Protein: 1, Value: 0}}}
	mt = Score(two, []int{0, 1, 2, 3, 4, 5}, []float64{0.7, 0.8, 0.9, 0.3, 0.2, 0.1})
	// Pooled: positives 0.7, 0.8, 0.3 over negatives 0.9, 0.2, 0.1: 6 of 9 ordered.
	if math.Abs(mt.AUROC-6.0/9) > 1e-15 || mt.MacroAUROC != 0.5 || mt.MacroProteins != 2 {
		t.Errorf("two proteins: AUROC %v (want 2/3), macro %v over %d (want 0.5 over 2)", mt.AUROC, mt.MacroAUROC, mt.MacroProteins)
	}
	one := Score(d, []int{0, 2}, []float64{1, 2})
	b, err := one.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"n_pairs":2,"n_positive":2,"auroc":null,"auprc":1,"macro_auroc":null,"macro_proteins":0}`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
}
