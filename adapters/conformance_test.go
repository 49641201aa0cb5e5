package adapters_test

import (
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
