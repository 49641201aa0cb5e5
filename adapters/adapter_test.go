package adapters_test

import (
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/adapters"
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		cfg  adapters.Config
		want string // substring of the error; "" for valid
	}{
		{adapters.Config{Method: "lora", Targets: []string{"enc"}}, ""},
		{adapters.Config{Method: "bitfit"}, ""},
		{adapters.Config{Method: "film", Targets: []string{"x"}, CondDim: 1, Gamma: "softplus"}, ""},
		{adapters.Config{}, "method is empty"},
		{adapters.Config{Method: "LoRA"}, `unknown method "LoRA"`},
		{adapters.Config{Method: "lora"}, "targets are empty"},
		{adapters.Config{Method: "lora", Targets: []string{""}}, "target 0 is empty"},
		{adapters.Config{Method: "lora", Targets: []string{"a"}, Rank: -1}, "rank -1 is negative"},
		{adapters.Config{Method: "lora", Targets: []string{"a"}, Alpha: math.NaN()}, "alpha NaN"},
		{adapters.Config{Method: "lora", Targets: []string{"a"}, Alpha: math.Inf(1)}, "alpha +Inf"},
		{adapters.Config{Method: "lora", Targets: []string{"a"}, Overrides: []adapters.Override{{Pattern: ""}}}, "override 0 has an empty pattern"},
		{adapters.Config{Method: "lora", Targets: []string{"a"}, Reduction: 4}, "reduction set, but method lora does not use it"},
		{adapters.Config{Method: "bitfit", Rank: 4, Alpha: 8}, "rank, alpha set, but method bitfit does not use them"},
		{adapters.Config{Method: "bottleneck", Targets: []string{"a"}, Form: "serial"}, `form "serial" is unknown`},
		{adapters.Config{Method: "bottleneck", Targets: []string{"a"}, Activation: "gelu"}, `unknown activation "gelu"`},
		{adapters.Config{Method: "film", Targets: []string{"a"}}, "cond_dim 0"},
		{adapters.Config{Method: "film", Targets: []string{"a"}, CondDim: 1, Gamma: "log"}, `gamma "log" is unknown`},
		{adapters.Config{Method: "prompt", Targets: []string{"a"}}, "prompt_length 0"},
		{adapters.Config{Method: "select"}, "patterns are empty"},
		{adapters.Config{Method: "full", Targets: []string{"a"}}, "targets set, but method full"},
		{adapters.Config{Method: "norm", Gate: true}, "gate set"},
	}
	for _, c := range cases {
		err := c.cfg.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: unexpected error %v", c.cfg, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%+v: error %v, want one containing %q", c.cfg, err, c.want)
		}
	}
}

func TestAttachErrors(t *testing.T) {
	cases := []struct {
		name  string
		model func() nn.Module
		cfg   adapters.Config
		want  string
	}{
		{"no site", func() nn.Module { return newToy(1) }, adapters.Config{Method: "lora", Targets: []string{"decoder.*"}}, "no site matches"},
		{"lora on a norm", func() nn.Module { return newToy(1) }, adapters.Config{Method: "lora", Targets: []string{"norm"}}, "site norm is a layernorm layer"},
		{"lora on an embedding", func() nn.Module { return newSeqToy(1) }, adapters.Config{Method: "lora", Targets: []string{"tok"}}, "site tok is a embedding layer"},
		{"rank too large", func() nn.Module { return newToy(1) }, adapters.Config{Method: "lora", Targets: []string{"head"}, Rank: 4}, "rank 4 exceeds min(in, out) = min(8, 3)"},
		{"parallel on conv", func() nn.Module { return newSeqToy(1) }, adapters.Config{Method: "bottleneck", Targets: []string{"conv"}, Form: "parallel"}, "parallel bottleneck needs"},
		{"norm without norms", func() nn.Module { return newSeqToy(1) }, adapters.Config{Method: "norm"}, "no normalisation layer"},
		{"select nothing", func() nn.Module { return newToy(1) }, adapters.Config{Method: "select", Patterns: []string{"decoder.**"}}, "no parameter matches"},
		{"gate without rows", func() nn.Module { return newSeqToy(1) }, adapters.Config{Method: "lora", Targets: []string{"out"}, Gate: true}, "does not say what its rows are"},
	}
	for _, c := range cases {
		m := c.model()
		fp := nn.Fingerprint(m)
		a, err := adapters.New("a", c.cfg)
		if err != nil {
			t.Fatalf("%s: New: %v", c.name, err)
		}
		err = a.Attach(m)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Attach error %v, want one containing %q", c.name, err, c.want)
		}
		if nn.Fingerprint(m) != fp || m.Params()[0].Trainable() != true {
			t.Errorf("%s: a failed Attach changed the model", c.name)
		}
		for _, s := range m.Sites() {
			if len(s.Hooks()) != 0 {
				t.Errorf("%s: a failed Attach left hooks at %s", c.name, s.Name)
			}
		}
	}
	// A second adapter of the same name on the same model is refused.
	m := newToy(1)
	a, _ := adapters.New("x", adapters.Config{Method: "lora", Targets: []string{"enc"}, Rank: 2})
	b, _ := adapters.New("x", adapters.Config{Method: "bottleneck", Targets: []string{"enc"}})
	if err := a.Attach(m); err != nil {
		t.Fatal(err)
	}
	if err := b.Attach(m); err == nil || !strings.Contains(err.Error(), "already holds a hook") {
		t.Errorf("second adapter of the same name: error %v", err)
	}
	if _, err := adapters.New("my adapter", adapters.Config{Method: "full"}); err == nil {
		t.Error("New accepted a name with a space")
	}
}

// Every base parameter is frozen on Attach, except what the method trains.
func TestTrainableSelection(t *testing.T) {
	cases := []struct {
		cfg  adapters.Config
		want []string
	}{
		{adapters.Config{Method: "bitfit"}, []string{"enc.bias", "head.bias"}},
		{adapters.Config{Method: "bitfit", Targets: []string{"head"}}, []string{"head.bias"}},
		{adapters.Config{Method: "norm"}, []string{"norm.gamma", "norm.beta"}},
		{adapters.Config{Method: "select", Patterns: []string{"enc.weight", "**.beta"}}, []string{"enc.weight", "norm.beta"}},
		{adapters.Config{Method: "full"}, []string{"enc.weight", "enc.bias", "norm.gamma", "norm.beta", "head.weight", "head.bias"}},
		{adapters.Config{Method: "lora", Targets: []string{"head"}, Rank: 1}, nil},
	}
	for _, c := range cases {
		m := newToy(1)
		a, _ := adapters.New("a", c.cfg)
		if err := a.Attach(m); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range nn.Trainable(m) {
			got = append(got, p.Name)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: trainable base parameters %q, want %q", c.cfg.Method, got, c.want)
		}
	}
}

// FiLM starts at γ = 1, β = 0 exactly for every parametrisation, and exp and
// softplus keep γ positive for any weights.
func TestFiLMGamma(t *testing.T) {
	for _, g := range []string{"affine", "exp", "softplus"} {
		m := newToy(2)
		rng := nn.NewRand(4)
		x := ad.Constant(randn(rng, 5, 4))
		c := ad.Constant(randn(rng, 5, 3))
		ctx := &nn.Context{Cond: c}
		want := m.Enc.Forward(nil, x).Value().Clone()
		a, _ := adapters.New("film", adapters.Config{Method: "film", Targets: []string{"enc"}, CondDim: 3, FiLMHidden: 4, Gamma: g})
		if err := a.Attach(m); err != nil {
			t.Fatal(err)
		}
		got := m.Enc.Forward(ctx, x).Value()
		if !slices.Equal(got.Data, want.Data) {
			t.Errorf("%s: FiLM at start changes the output", g)
		}
		// Large random output weights: γ·h + β with h = base output.
		for _, p := range a.Params() {
			copy(p.Value().Data, nn.Normal(rng, 3, p.Value().Shape...).Data)
		}
		// With β's weights zeroed, the output is γ∘h, so sign(out) = sign(h) iff γ > 0.
		out := a.Params()[2].Value() // film.out.weight (16, 4): rows 8… are β
		for i := 8 * 4; i < len(out.Data); i++ {
			out.Data[i] = 0
		}
		b := a.Params()[3].Value()
		for i := 8; i < 16; i++ {
			b.Data[i] = 0
		}
		got = m.Enc.Forward(ctx, x).Value()
		flips := 0
		for i := range got.Data {
			if got.Data[i]*want.Data[i] < 0 {
				flips++
			}
		}
		if g != "affine" && flips > 0 {
			t.Errorf("%s: %d outputs changed sign, so γ was not positive", g, flips)
		}
		if g == "affine" && flips == 0 {
			t.Errorf("affine: no output changed sign with random weights of scale 3 (γ = 1 + z should go negative)")
		}
	}
	// A FiLM hook without conditioning input is a programmer error with a clear panic.
	m := newToy(2)
	a, _ := adapters.New("film", adapters.Config{Method: "film", Targets: []string{"enc"}, CondDim: 3})
	if err := a.Attach(m); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "needs a conditioning input") {
			t.Errorf("panic %v", r)
		}
	}()
	m.Forward(nil, ad.Constant(ad.Zeros(2, 4)))
}

// FiLM with one conditioning row for a whole (batch, length, d) output, and with
// one row per sequence.
func TestFiLMBroadcast(t *testing.T) {
	m := newSeqToy(2)
	a, _ := adapters.New("f", adapters.Config{Method: "film", Targets: []string{"proj"}, CondDim: 1})
	if err := a.Attach(m); err != nil {
		t.Fatal(err)
	}
	out := a.Params()[0].Value() // (12, 1): z then β
	for i := range out.Data {
		out.Data[i] = 1 // γ = 1 + c, β = c
	}
	x := ad.Constant(nn.Normal(nn.NewRand(1), 1, 2, 4, 6))
	base := m.Proj.Base(x).Value()
	perSeq := m.Proj.Forward(&nn.Context{Cond: ad.Constant(ad.New([]float64{0.5, -1}, 2, 1))}, x).Value()
	shared := m.Proj.Forward(&nn.Context{Cond: ad.Constant(ad.New([]float64{0.5}, 1, 1))}, x).Value()
	for i, h := range base.Data {
		c := 0.5
		if i >= 4*6 {
			c = -1
		}
		if d := math.Abs(perSeq.Data[i] - ((1+c)*h + c)); d > 1e-15 {
			t.Fatalf("per-sequence FiLM element %d off by %v", i, d)
		}
		if d := math.Abs(shared.Data[i] - (1.5*h + 0.5)); d > 1e-15 {
			t.Fatalf("shared FiLM element %d off by %v", i, d)
		}
	}
}

func TestPromptShapes(t *testing.T) {
	m := newSeqToy(4)
	a, _ := adapters.New("p", adapters.Config{Method: "prompt", Targets: []string{"tok"}, PromptLength: 3, Seed: 2})
	if err := a.Attach(m); err != nil {
		t.Fatal(err)
	}
	p := a.Prompt("tok")
	if p == nil || !slices.Equal(p.Shape(), []int{3, 6}) {
		t.Fatalf("prompt %v", p)
	}
	// Initialised from rows of the embedding table (Lester et al. 2021).
	table := m.Tok.Table.Value()
	for i := 0; i < 3; i++ {
		row := p.Value().Data[i*6 : (i+1)*6]
		found := false
		for r := 0; r < 10; r++ {
			found = found || slices.Equal(row, table.Data[r*6:(r+1)*6])
		}
		if !found {
			t.Errorf("prompt row %d is not a row of the embedding table", i)
		}
	}
	e := m.Tok.Forward(nil, []int{1, 2, 3, 4})
	if !slices.Equal(e.Shape(), []int{7, 6}) {
		t.Errorf("embedding with prompt has shape %v, want (7, 6)", e.Shape())
	}
	x := ad.Constant(ad.Zeros(2, 5, 6))
	y := adapters.Prepend(p, x)
	if !slices.Equal(y.Shape(), []int{2, 8, 6}) {
		t.Fatalf("Prepend to (2, 5, 6) gives %v, want (2, 8, 6)", y.Shape())
	}
	for b := 0; b < 2; b++ {
		if !slices.Equal(y.Value().Data[b*48:b*48+18], p.Value().Data) {
			t.Errorf("sequence %d does not start with the prompt", b)
		}
	}
	rep, err := a.Report()
	if err != nil {
		t.Fatal(err)
	}
	if rep.PromptLength != 3 || rep.TrainableParams != 18 || rep.ExtraFLOPsPerRow != 0 {
		t.Errorf("report %+v", rep)
	}
}

// A gated adapter changes only the rows its mask selects; the others keep the
// base output exactly, and without a mask nothing changes.
func TestGate(t *testing.T) {
	m := newToy(3)
	rng := nn.NewRand(5)
	x := ad.Constant(randn(rng, 4, 4))
	base := m.Forward(nil, x).Value().Clone()
	a, _ := adapters.New("g", adapters.Config{Method: "lora", Targets: []string{"enc", "head"}, Rank: 2, Gate: true})
	if err := a.Attach(m); err != nil {
		t.Fatal(err)
	}
	for _, p := range a.Params() {
		copy(p.Value().Data, nn.Normal(rng, 1, p.Value().Shape...).Data)
	}
	mask := ad.Constant(ad.New([]float64{0, 1, 1, 0}, 4, 1))
	got := m.Forward(&nn.Context{Masks: map[string]*ad.Var{"sample": mask}}, x).Value()
	for r := 0; r < 4; r++ {
		same := slices.Equal(got.Data[r*3:(r+1)*3], base.Data[r*3:(r+1)*3])
		if same != (mask.Value().Data[r] == 0) {
			t.Errorf("row %d (mask %v): unchanged = %v", r, mask.Value().Data[r], same)
		}
	}
	if !slices.Equal(m.Forward(nil, x).Value().Data, base.Data) {
		t.Error("without a mask the gated adapter changed the output")
	}
}

func TestSet(t *testing.T) {
	dir := t.TempDir()
	rng := nn.NewRand(6)
	x := ad.Constant(randn(rng, 5, 4))
	m := newToy(9)
	base := m.Forward(nil, x).Value().Clone()

	// Train-free stand-ins: give each adapter random values.
	set := adapters.NewSet(m)
	mk := func(name string, cfg adapters.Config) []float64 {
		a, err := adapters.New(name, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := set.Add(a); err != nil {
			t.Fatal(err)
		}
		for _, p := range a.Params() {
			for i := range p.Value().Data {
				p.Value().Data[i] += rng.NormFloat64()
			}
		}
		if err := a.Save(filepath.Join(dir, name+".adapter")); err != nil {
			t.Fatal(err)
		}
		return slices.Clone(m.Forward(nil, x).Value().Data)
	}
	outs := map[string][]float64{
		"lora":   mk("lora", adapters.Config{Method: "lora", Targets: []string{"enc"}, Rank: 2}),
		"bitfit": mk("bitfit", adapters.Config{Method: "bitfit"}),
		"full":   mk("full", adapters.Config{Method: "full"}),
	}
	if got := set.Names(); !slices.Equal(got, []string{"lora", "bitfit", "full"}) {
		t.Fatalf("names %q", got)
	}
	for _, name := range []string{"lora", "full", "bitfit", "lora"} {
		if err := set.Use(name); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(m.Forward(nil, x).Value().Data, outs[name]) {
			t.Errorf("Use(%q): output differs from the adapter's own", name)
		}
		if set.Active() != name {
			t.Errorf("Active() = %q, want %q", set.Active(), name)
		}
	}
	set.UseBase()
	if !slices.Equal(m.Forward(nil, x).Value().Data, base.Data) {
		t.Error("UseBase: output differs from the base")
	}
	if err := set.Use("dora"); err == nil || !strings.Contains(err.Error(), "lora, bitfit, full") {
		t.Errorf("Use of an unknown name: %v", err)
	}
	if err := set.Use("lora"); err != nil {
		t.Fatal(err)
	}
	if err := set.Merge(); err != nil {
		t.Fatal(err)
	}
	if err := set.Use("bitfit"); err != nil { // unmerges the LoRA first
		t.Fatal(err)
	}
	if !slices.Equal(m.Forward(nil, x).Value().Data, outs["bitfit"]) {
		t.Error("switching from a merged LoRA to BitFit: output differs from BitFit's")
	}

	// The same adapters loaded from their files onto a fresh copy of the base.
	m2 := newToy(9)
	set2 := adapters.NewSet(m2)
	for _, name := range []string{"full", "lora", "bitfit"} {
		if _, err := set2.Load(filepath.Join(dir, name+".adapter"), ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := set2.Load(filepath.Join(dir, "lora.adapter"), ""); err == nil {
		t.Error("a second adapter of the same name was loaded")
	}
	if _, err := set2.Load(filepath.Join(dir, "lora.adapter"), "lora2"); err != nil {
		t.Errorf("loading under another name: %v", err)
	}
	for _, name := range []string{"lora", "full", "bitfit", "lora2"} {
		if err := set2.Use(name); err != nil {
			t.Fatal(err)
		}
		want := outs[strings.TrimSuffix(name, "2")]
		if !slices.Equal(m2.Forward(nil, x).Value().Data, want) {
			t.Errorf("loaded %q: output differs from the original adapter's", name)
		}
	}
	if err := set2.Remove("full"); err != nil {
		t.Fatal(err)
	}
	set2.UseBase()
	if !slices.Equal(m2.Forward(nil, x).Value().Data, base.Data) {
		t.Error("loaded set, UseBase: output differs from the base")
	}
}

// Save refuses when the base has changed under the adapter, and Load refuses a
// model file and names the problem.
func TestFileRefusals(t *testing.T) {
	dir := t.TempDir()
	m := newToy(1)
	a, _ := adapters.New("a", adapters.Config{Method: "lora", Targets: []string{"enc"}, Rank: 1})
	if err := a.Attach(m); err != nil {
		t.Fatal(err)
	}
	m.Head.B.Value().Data[0] += 1 // the base changes behind the adapter's back
	path := filepath.Join(dir, "a.adapter")
	if err := a.Save(path); err == nil || !strings.Contains(err.Error(), "base model changed") {
		t.Errorf("Save after the base changed: %v", err)
	}
	if _, err := adapters.ReadFile(path); err == nil {
		t.Error("a refused Save left a file behind")
	}
	model := filepath.Join(dir, "base.model")
	if err := nn.SaveModel(model, "toy", map[string]int{"x": 1}, m, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := adapters.Load(model, m); err == nil || !strings.Contains(err.Error(), "model file, not an adapter file") {
		t.Errorf("Load of a model file: %v", err)
	}
}

func TestReportFLOPs(t *testing.T) {
	cases := []struct {
		cfg    adapters.Config
		params int
		flops  int64
	}{
		// enc (4→8), r = 2, α/r = 1: x·Aᵀ 2·4·2, ·Bᵀ 2·2·8, add 8.
		{adapters.Config{Method: "lora", Targets: []string{"enc"}, Rank: 2}, 2 * (4 + 8), 16 + 32 + 8},
		// α/r ≠ 1 adds r multiplications.
		{adapters.Config{Method: "lora", Targets: []string{"enc"}, Rank: 2, Alpha: 4}, 2 * (4 + 8), 16 + 32 + 8 + 2},
		// An override's rank with the global α = 2: scale 2/1 adds r = 1.
		{adapters.Config{Method: "lora", Targets: []string{"enc"}, Rank: 2, Alpha: 2, Overrides: []adapters.Override{{Pattern: "enc", Rank: 1}}}, 4 + 8, 8 + 16 + 8 + 1},
		// Without a global α, α = the site's rank: scale 1.
		{adapters.Config{Method: "lora", Targets: []string{"enc"}, Rank: 2, Overrides: []adapters.Override{{Pattern: "enc", Rank: 1}}}, 4 + 8, 8 + 16 + 8},
		// norm (8), reduction 4 → hidden 2: down 2·8·2 + 2, act 2, up 2·2·8 + 8, add 8.
		{adapters.Config{Method: "bottleneck", Targets: []string{"norm"}, Reduction: 4}, 8*2 + 2 + 2*8 + 8, 32 + 2 + 2 + 32 + 8 + 8},
		// FiLM on head (3), c of width 2, no hidden layer, affine: 2·2·6 + 6, γ 3, γh+β 6.
		{adapters.Config{Method: "film", Targets: []string{"head"}, CondDim: 2}, 6*2 + 6, 24 + 6 + 3 + 6},
		{adapters.Config{Method: "bitfit"}, 8 + 3, 0},
	}
	for _, c := range cases {
		m := newToy(1)
		a, _ := adapters.New("a", c.cfg)
		if err := a.Attach(m); err != nil {
			t.Fatal(err)
		}
		r, err := a.Report()
		if err != nil {
			t.Fatal(err)
		}
		if r.TrainableParams != c.params || r.ExtraFLOPsPerRow != c.flops {
			t.Errorf("%+v: %d parameters, %d FLOPs per row; want %d, %d", c.cfg, r.TrainableParams, r.ExtraFLOPsPerRow, c.params, c.flops)
		}
		wantTotal := 32 + 8 + 16 + 24 + 3
		if c.cfg.Method != "bitfit" {
			wantTotal += c.params
		}
		if r.BaseParams != 32+8+16+24+3 || r.TotalParams != wantTotal {
			t.Errorf("%s: base %d, total %d parameters", c.cfg.Method, r.BaseParams, r.TotalParams)
		}
	}
}

func TestEfficiency(t *testing.T) {
	cases := []struct{ d, p, c, want float64 }{
		{0.1, 0.25, 0.04, 0.1 / 0.1},         // √(0.25·0.04) = 0.1
		{0.2, 1, 1, 0.2},                     // the whole budgets
		{0.1, 0, 0.1, 0.1 / math.Sqrt(1e-4)}, // no parameters counts as MinFraction
		{-0.05, 0.01, 0.01, -0.05 / 0.01},    // a loss of accuracy stays negative
		{0.1, math.NaN(), 0.1, math.NaN()},   // undefined
		{0.1, -1, 0.1, math.NaN()},           // undefined
	}
	for _, c := range cases {
		got := adapters.Efficiency(c.d, c.p, c.c)
		if !(math.Abs(got-c.want) <= 1e-12*math.Abs(c.want)) && !(math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("Efficiency(%v, %v, %v) = %v, want %v", c.d, c.p, c.c, got, c.want)
		}
	}
	rows := adapters.Compare([]adapters.Result{{Name: "lora", DeltaAcc: 0.1, Params: 500, FLOPs: 40}}, adapters.Budget{Params: 2000, FLOPs: 1000})
	if r := rows[0]; r.ParamFraction != 0.25 || r.FLOPFraction != 0.04 || math.Abs(r.M-1) > 1e-12 {
		t.Errorf("Compare: %+v", r)
	}
}
