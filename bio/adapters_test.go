package bio

import (
	"testing"

	"github.com/sciadapt/sciadapt/adapters/adaptertest"
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// TestAdapterConformance runs the adapters conformance suite on the real model
// with the adapter of every transfer method but the prompt (which changes the
// max-pooled output from the start, by design): the logits of 12 pairs of 4
// proteins are the output.
func TestAdapterConformance(t *testing.T) {
	d := synthetic(4, 0, 10, 3, 5)
	pairs := pairsOf(d, "human")
	build := func() (nn.Module, func() *ad.Var) {
		m, data := newTiny(t, d, 6)
		return m, func() *ad.Var { return m.Outputs(nil, data, pairs) }
	}
	for _, method := range []string{MethodHead, MethodFull, MethodAdapter, MethodLoRA} {
		cfg, err := AdapterConfig(method, AdapterOptions{Rank: 2, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Run(method, func(t *testing.T) { adaptertest.Run(t, build, cfg) })
	}
}
