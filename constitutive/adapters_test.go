package constitutive

import (
	"testing"

	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/adapters/adaptertest"
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// TestAdapterConformance runs the adapters conformance suite on the real model:
// its FiLM temperature adapter (what temperature-tune trains), LoRA on the
// property network and full fine-tuning, with the uniaxial stress at 200 °C on
// elastic and plastic strains as the output.
func TestAdapterConformance(t *testing.T) {
	build := func() (nn.Module, func() *ad.Var) {
		m, err := New(Config{BaseTemperatureK: 296.15, Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		eps := []float64{0.001, 0.004, 0.01, 0.02}
		return m, func() *ad.Var {
			s, err := m.uniaxialGraph(eps, ad.Constant(ad.Full(473.15, 1, 1)))
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
	}
	film, err := NewTemperatureAdapter("conformance", 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []adapters.Config{
		film.Config(),
		{Method: adapters.MethodLoRA, Targets: []string{SiteProps + "*"}, Rank: 1, Seed: 2},
		{Method: adapters.MethodFull},
	} {
		t.Run(string(cfg.Method), func(t *testing.T) { adaptertest.Run(t, build, cfg) })
	}
}
