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

func ginConfig(d *dtidata.Dataset, seed uint64, g *GraphConfig) Config {
	cfg := tinyConfig(d, seed)
	cfg.DrugEncoder, cfg.DrugFilters, cfg.DrugWidths, cfg.DrugVocabulary = DrugEncoderGIN, nil, nil, nil
	cfg.Graph = g
	return cfg
}

func encodeOne(t *testing.T, g *GraphEncoder, smiles ...string) *ad.Tensor {
	t.Helper()
	var seqs [][]int
	for _, s := range smiles {
		toks, err := g.Tokens(s)
		if err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, toks)
	}
	return g.Encode(nil, seqs).Value()
}

func maxRelDiff(a, b []float64) float64 {
	worst := 0.0
	for i := range a {
		worst = max(worst, math.Abs(a[i]-b[i])/max(1, math.Abs(a[i])))
	}
	return worst
}

// TestGraphEncoderPermutationInvariant encodes SMILES that write the same
// molecule with its atoms in other orders (and Kekulé instead of aromatic): the
// representations agree to rounding.
func TestGraphEncoderPermutationInvariant(t *testing.T) {
	for _, fp := range []int{0, 256} {
		g := NewGraphEncoder("drug", GraphConfig{Hidden: 16, Layers: 3, Out: 8, MorganBits: fp}, nn.NewRand(3))
		for _, same := range [][]string{
			{"CC(=O)Oc1ccccc1C(=O)O", "OC(=O)c1ccccc1OC(C)=O", "C1=CC=C(C(=C1)C(=O)O)OC(=O)C"},
			{"CN1CCN(CC1)C(=O)c1cc2ccccc2[nH]1", "O=C(N1CCN(C)CC1)c1[nH]c2ccccc2c1"},
			{"[Na+].[O-]C(=O)c1ccccc1", "c1ccccc1C(=O)[O-].[Na+]"},
		} {
			want := encodeOne(t, g, same[0]).Data
			if slices.Max(want) == 0 {
				t.Fatalf("%s: all-zero representation", same[0])
			}
			for _, s := range same[1:] {
				if d := maxRelDiff(want, encodeOne(t, g, s).Data); d > 1e-12 {
					t.Errorf("Morgan bits %d: %s and %s differ by %g", fp, same[0], s, d)
				}
			}
		}
		// A different molecule gives a different representation.
		if d := maxRelDiff(encodeOne(t, g, "CCO").Data, encodeOne(t, g, "CCN").Data); d < 1e-6 {
			t.Errorf("ethanol and ethylamine encode alike (%g)", d)
		}
	}
}

// TestGraphEncoderBatchIndependent checks that a molecule's representation does
// not depend on the molecules batched with it.
func TestGraphEncoderBatchIndependent(t *testing.T) {
	g := NewGraphEncoder("drug", GraphConfig{Hidden: 12, Layers: 2, Out: 6, MorganBits: 64}, nn.NewRand(4))
	mols := []string{"c1ccccc1O", "CCN(CC)CC", "[Cl-]", "O=C1NC(=O)c2ccccc12"}
	batch := encodeOne(t, g, mols...)
	for i, s := range mols {
		alone := encodeOne(t, g, s).Data
		if d := maxRelDiff(alone, batch.Data[i*6:(i+1)*6]); d > 1e-12 {
			t.Errorf("%s: alone and in a batch differ by %g", s, d)
		}
	}
}

// TestGraphEncoderGradients checks the encoder's parameter gradients against
// central differences on a tiny molecule (first order), and its Hessian–vector
// products (second order).
func TestGraphEncoderGradients(t *testing.T) {
	g := NewGraphEncoder("drug", GraphConfig{Hidden: 4, Layers: 2, Out: 3, MorganBits: 8}, nn.NewRand(5))
	var seqs [][]int
	for _, s := range []string{"OC=C", "c1ccoc1"} {
		toks, err := g.Tokens(s)
		if err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, toks)
	}
	params := g.Params()
	xs := make([]*ad.Tensor, len(params))
	rng := nn.NewRand(6)
	for i, p := range params {
		xs[i] = p.Value().Clone()
		// Biases start at zero, which puts an atom whose hidden units are all
		// negative exactly on the kink of the next ReLU, where finite differences
		// do not apply; a trained network has non-zero biases.
		if strings.HasSuffix(p.Name, ".bias") {
			xs[i] = nn.Normal(rng, 0.3, xs[i].Shape...)
		}
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
		return g.Encode(nil, seqs)
	}
	opt := &gradcheck.Options{Step: 1e-6, Atol: 1e-7, Rtol: 1e-5, Seed: 2}
	if err := gradcheck.First(f, xs, opt); err != nil {
		t.Fatal(err)
	}
	if err := gradcheck.Second(f, xs, opt); err != nil {
		t.Fatal(err)
	}
}

func TestGraphEncoderTokens(t *testing.T) {
	g := NewGraphEncoder("drug", GraphConfig{}, nn.NewRand(1))
	toks, err := g.Tokens("CCO")
	if err != nil {
		t.Fatal(err)
	}
	// 3 atoms, 2 bonds, 6 feature rows per atom, 2 indices per bond.
	if len(toks) != 2+3*6+2*2 || toks[0] != 3 || toks[1] != 2 {
		t.Errorf("tokens %v", toks)
	}
	if _, err := g.Tokens("C1CC"); err == nil || !strings.Contains(err.Error(), "column 2") {
		t.Errorf("bad SMILES: error %v", err)
	}
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(r.(string), "bio: ") {
			t.Errorf("recover() = %v, want a bio: panic", r)
		}
	}()
	g.Encode(nil, [][]int{{3, 5, 1}})
}

func TestGINModel(t *testing.T) {
	d := synthetic(4, 0, 9, 4, 2)
	m, err := New(ginConfig(d, 3, &GraphConfig{Hidden: 8, Layers: 2, Out: 8, MorganBits: 32}))
	if err != nil {
		t.Fatal(err)
	}
	if m.DrugEmbed != nil || m.DrugWidth() != 8 {
		t.Errorf("graph model: DrugEmbed %v, width %d", m.DrugEmbed, m.DrugWidth())
	}
	data, err := m.Tokenize(d)
	if err != nil {
		t.Fatal(err)
	}
	all := make([]int, len(d.Pairs))
	for i := range all {
		all[i] = i
	}
	path := filepath.Join(t.TempDir(), "gin.model")
	if err := m.Save(path, nil); err != nil {
		t.Fatal(err)
	}
	m2, _, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	data2, err := m2.Tokenize(d)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := Predict(m, nil, data, all), Predict(m2, nil, data2, all); !slices.Equal(a, b) {
		t.Error("graph model predictions differ after a save/load round trip")
	}
	if m2.Config.DrugEncoder != DrugEncoderGIN || m2.Config.Graph.MorganBits != 32 {
		t.Errorf("loaded config %+v", m2.Config)
	}
	// Training lowers the loss (the synthetic labels follow the drug's heteroatom).
	before := m.Loss(m.Outputs(nil, data, all), labelsOf(d, all)).Item()
	if _, err := Train(m, data, all, TrainOptions{Epochs: 30, LR: 3e-3, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	after := m.Loss(m.Outputs(nil, data, all), labelsOf(d, all)).Item()
	if !(after < 0.7*before) {
		t.Errorf("loss %.4f → %.4f after 30 epochs", before, after)
	}
}

func labelsOf(d *dtidata.Dataset, pairs []int) []float64 {
	out := make([]float64, len(pairs))
	for i, k := range pairs {
		out[i] = d.Pairs[k].Value
	}
	return out
}

func TestGINConfigValidate(t *testing.T) {
	d := synthetic(2, 0, 4, 2, 1)
	for _, tc := range []struct {
		name string
		edit func(c *Config)
		want string
	}{
		{"cnn layers", func(c *Config) { c.DrugFilters, c.DrugWidths = []int{4}, []int{3} }, "graph drug encoder"},
		{"layers", func(c *Config) { c.Graph = &GraphConfig{Layers: -1} }, "graph encoder"},
		{"unknown", func(c *Config) { c.DrugEncoder = "transformer" }, `drug encoder "transformer"`},
	} {
		c := ginConfig(d, 1, nil)
		tc.edit(&c)
		if _, err := New(c); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if _, err := New(ginConfig(d, 1, nil)); err != nil {
		t.Errorf("default graph config: %v", err)
	}
}

// TestGraphEncoderSeesBonds encodes two molecules with the same atoms (same
// elements, degrees and hydrogens) joined differently: only messages along the
// bonds can tell them apart.
func TestGraphEncoderSeesBonds(t *testing.T) {
	g := NewGraphEncoder("drug", GraphConfig{Hidden: 16, Layers: 2, Out: 8}, nn.NewRand(8))
	a := encodeOne(t, g, "CCC(O)CCN").Data // OH on C3
	b := encodeOne(t, g, "CC(O)CCCN").Data // OH on C2
	if d := maxRelDiff(a, b); d < 1e-6 {
		t.Errorf("isomers with the same atoms encode alike (%g): the encoder ignores the bonds", d)
	}
}
