package adapters_test

import (
	"math"
	"testing"

	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/adapters/adaptertest"
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// buildToy returns the toy regression model and its forward pass on a fixed batch
// of 6 samples with a 2-wide conditioning input and a mask selecting samples 1 and 4.
func buildToy() (nn.Module, func() *ad.Var) {
	m := newToy(7)
	rng := nn.NewRand(99)
	x := ad.Constant(randn(rng, 6, 4))
	ctx := &nn.Context{
		Cond:  ad.Constant(randn(rng, 6, 2)),
		Masks: map[string]*ad.Var{"sample": ad.Constant(ad.New([]float64{0, 1, 0, 0, 1, 0}, 6, 1))},
	}
	return m, func() *ad.Var { return m.Forward(ctx, x) }
}

// buildSeq returns the sequence model and its pooled prediction on a batch of two.
func buildSeq() (nn.Module, func() *ad.Var) {
	m := newSeqToy(3)
	return m, func() *ad.Var { return m.Forward(nil, seqBatch) }
}

// buildSeqFull returns the sequence model with the projected sequence
// (batch, length, 6) as output, to see a prompt lengthen it.
func buildSeqFull() (nn.Module, func() *ad.Var) {
	m := newSeqToy(3)
	return m, func() *ad.Var {
		var rows []*ad.Var
		for _, s := range seqBatch {
			e := m.Tok.Forward(nil, s)
			rows = append(rows, ad.Reshape(e, 1, len(s), 6))
		}
		return m.Proj.Forward(nil, ad.Concat(0, rows...))
	}
}

func TestConformance(t *testing.T) {
	cases := []struct {
		name  string
		build adaptertest.Build
		cfg   adapters.Config
	}{
		{"lora", buildToy, adapters.Config{Method: "lora", Targets: []string{"enc", "head"}, Rank: 2, Alpha: 4}},
		{"lora-overrides", buildToy, adapters.Config{Method: "lora", Targets: []string{"*"}, Rank: 1,
			Overrides: []adapters.Override{{Pattern: "enc", Rank: 3, Alpha: 1}}}},
		{"lora-gated", buildToy, adapters.Config{Method: "lora", Targets: []string{"head"}, Rank: 2, Gate: true}},
		{"lora-conv", buildSeq, adapters.Config{Method: "lora", Targets: []string{"conv", "proj"}, Rank: 2, Seed: 5}},
		{"bottleneck-sequential", buildToy, adapters.Config{Method: "bottleneck", Targets: []string{"norm", "head"}, Reduction: 4}},
		{"bottleneck-parallel", buildToy, adapters.Config{Method: "bottleneck", Targets: []string{"enc"}, Form: "parallel", Reduction: 2, Activation: "tanh"}},
		{"bottleneck-conv", buildSeq, adapters.Config{Method: "bottleneck", Targets: []string{"conv"}, Reduction: 2}},
		{"bitfit", buildToy, adapters.Config{Method: "bitfit"}},
		{"bitfit-targets", buildSeq, adapters.Config{Method: "bitfit", Targets: []string{"conv", "out"}}},
		{"norm", buildToy, adapters.Config{Method: "norm"}},
		{"select", buildToy, adapters.Config{Method: "select", Patterns: []string{"head.**"}}},
		{"full", buildToy, adapters.Config{Method: "full"}},
		{"film-affine", buildToy, adapters.Config{Method: "film", Targets: []string{"enc", "norm"}, CondDim: 2}},
		{"film-exp", buildToy, adapters.Config{Method: "film", Targets: []string{"norm"}, CondDim: 2, FiLMHidden: 5, Gamma: "exp", Activation: "tanh"}},
		{"film-softplus", buildToy, adapters.Config{Method: "film", Targets: []string{"head"}, CondDim: 2, FiLMHidden: 3, Gamma: "softplus"}},
		{"film-gated", buildToy, adapters.Config{Method: "film", Targets: []string{"head"}, CondDim: 2, Gate: true}},
		{"prompt-embedding", buildSeq, adapters.Config{Method: "prompt", Targets: []string{"tok"}, PromptLength: 3, Seed: 1}},
		{"prompt-sequence", buildSeqFull, adapters.Config{Method: "prompt", Targets: []string{"proj"}, PromptLength: 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { adaptertest.Run(t, c.build, c.cfg) })
	}
}

// buildSeqNewKinds returns the sequence model, its prediction on sequences of the
// base's 10 tokens, and on sequences that also hold the new tokens 10 and 11
// (rows added by the adapter).
func buildSeqNewKinds() (nn.Module, func() *ad.Var, func() *ad.Var) {
	m := newSeqToy(3)
	newBatch := [][]int{{1, 10, 3, 11, 5, 6, 7}, {11, 8, 7, 1, 10, 2, 2}}
	return m, func() *ad.Var { return m.Forward(nil, seqBatch) },
		func() *ad.Var { return m.Forward(nil, newBatch) }
}

func TestConformanceNewRows(t *testing.T) {
	cases := []struct {
		name string
		cfg  adapters.Config
	}{
		{"rows", adapters.Config{Method: "rows", NewRows: 2, RowTargets: []string{"tok"}, RowLabels: []string{"X", "Y"}}},
		{"lora-rows", adapters.Config{Method: "lora", Targets: []string{"proj"}, Rank: 2, NewRows: 2, RowTargets: []string{"tok"}}},
		{"lora-rows-float32", adapters.Config{Method: "lora", Targets: []string{"proj", "conv"}, Rank: 1, NewRows: 2,
			RowTargets: []string{"tok"}, Precision: "float32"}},
		{"bottleneck-rows", adapters.Config{Method: "bottleneck", Targets: []string{"conv"}, Reduction: 2, NewRows: 2, RowTargets: []string{"tok"}}},
		{"select-rows", adapters.Config{Method: "select", Patterns: []string{"out.**"}, NewRows: 2, RowTargets: []string{"tok"}}},
		{"full-rows", adapters.Config{Method: "full", NewRows: 2, RowTargets: []string{"tok"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { adaptertest.RunNewKinds(t, buildSeqNewKinds, c.cfg) })
	}
}

// vecToy mixes the channels of vector features v (atoms, 3, 4) by a Linear layer
// without bias, as equivariant networks do.
type vecToy struct{ Mix *nn.Linear }

func (m *vecToy) Params() []*nn.Param { return m.Mix.Params() }
func (m *vecToy) Sites() []*nn.Site   { return m.Mix.Sites() }

func buildVec() (nn.Module, func() *ad.Var) {
	m := &vecToy{Mix: nn.NewLinear("mix", 4, 4, false, nn.NewRand(2))}
	m.Mix.Site.Rows = "atom"
	v := ad.Constant(nn.Normal(nn.NewRand(5), 1, 5, 3, 4))
	ctx := &nn.Context{Masks: map[string]*ad.Var{"atom": ad.Constant(ad.New([]float64{0, 1, 0, 1, 0}, 5, 1))}}
	return m, func() *ad.Var { return m.Mix.Forward(ctx, v) }
}

// TestGatedLoRAOnVectorFeatures checks that a gated LoRA on vector features acts on
// the selected atoms only, on all three components, and commutes with rotations.
func TestGatedLoRAOnVectorFeatures(t *testing.T) {
	cfg := adapters.Config{Method: "lora", Targets: []string{"mix"}, Rank: 2, Gate: true}
	adaptertest.Run(t, buildVec, cfg)

	m, fwd := buildVec()
	base := fwd().Value().Clone()
	a, err := adapters.New("g", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Attach(m); err != nil {
		t.Fatal(err)
	}
	for _, p := range a.Params() { // a non-zero update
		for i := range p.Value().Data {
			p.Value().Data[i] = 0.3 * float64(i%5-2)
		}
	}
	out := fwd().Value()
	for atom := 0; atom < 5; atom++ {
		changed := false
		for k := 0; k < 12; k++ {
			changed = changed || out.Data[atom*12+k] != base.Data[atom*12+k]
		}
		if want := atom == 1 || atom == 3; changed != want {
			t.Errorf("atom %d: changed %v, want %v", atom, changed, want)
		}
	}
	// Rotating v about z by 0.7 rad rotates the adapted output the same way.
	c, s := math.Cos(0.7), math.Sin(0.7)
	rot := ad.Constant(ad.New([]float64{c, -s, 0, s, c, 0, 0, 0, 1}, 3, 3))
	rotate := func(x *ad.Var) *ad.Var { // R·v per atom and channel: (3,3)·(atoms,3,4)
		xt := ad.Reshape(ad.Transpose(ad.Reshape(ad.Permute(x, 1, 0, 2), 3, -1)), -1, 3)
		return ad.Permute(ad.Reshape(ad.MatMulT(rot, xt, false, true), 3, 5, 4), 1, 0, 2)
	}
	v := ad.Constant(nn.Normal(nn.NewRand(5), 1, 5, 3, 4))
	ctx := &nn.Context{Masks: map[string]*ad.Var{"atom": ad.Constant(ad.New([]float64{0, 1, 0, 1, 0}, 5, 1))}}
	lhs := m.(*vecToy).Mix.Forward(ctx, rotate(v)).Value()
	rhs := rotate(m.(*vecToy).Mix.Forward(ctx, v)).Value()
	for i := range lhs.Data {
		if math.Abs(lhs.Data[i]-rhs.Data[i]) > 1e-12 {
			t.Fatalf("adapter(R·v) ≠ R·adapter(v) at %d: %g vs %g", i, lhs.Data[i], rhs.Data[i])
		}
	}
}

// TestConformanceFloat32 runs the suite on models whose parameters are float32: an
// adapter computes in the precision of the layer it adapts.
func TestConformanceFloat32(t *testing.T) {
	toy32 := func() (nn.Module, func() *ad.Var) {
		m := newToy(7)
		nn.SetPrecision(m, ad.Float32)
		rng := nn.NewRand(99)
		x := ad.Constant(randn(rng, 6, 4).Convert(ad.Float32))
		ctx := &nn.Context{Masks: map[string]*ad.Var{"sample": ad.Constant(ad.New([]float64{0, 1, 0, 0, 1, 0}, 6, 1))}}
		return m, func() *ad.Var { return m.Forward(ctx, x) }
	}
	seq32 := func() (nn.Module, func() *ad.Var, func() *ad.Var) {
		m, old, new := buildSeqNewKinds()
		nn.SetPrecision(m, ad.Float32)
		return m, old, new
	}
	for _, c := range []struct {
		name string
		cfg  adapters.Config
	}{
		{"lora", adapters.Config{Method: "lora", Targets: []string{"enc", "head"}, Rank: 2, Alpha: 4}},
		{"lora-gated", adapters.Config{Method: "lora", Targets: []string{"head"}, Rank: 2, Gate: true}},
		{"bottleneck", adapters.Config{Method: "bottleneck", Targets: []string{"norm", "head"}, Reduction: 4}},
		{"bitfit", adapters.Config{Method: "bitfit"}},
		{"select", adapters.Config{Method: "select", Patterns: []string{"head.**"}}},
		{"full", adapters.Config{Method: "full"}},
	} {
		t.Run(c.name, func(t *testing.T) { adaptertest.Run(t, toy32, c.cfg) })
	}
	t.Run("lora-rows", func(t *testing.T) {
		adaptertest.RunNewKinds(t, seq32, adapters.Config{Method: "lora", Targets: []string{"proj"}, Rank: 2, NewRows: 2, RowTargets: []string{"tok"}})
	})
}
