package adaptertest_test

import (
	"testing"

	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/adapters/adaptertest"
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// The suite as a domain package runs it: on its own model, for the methods it uses.
func TestRunOnMLP(t *testing.T) {
	build := func() (nn.Module, func() *ad.Var) {
		m := nn.NewMLP("mlp", []int{3, 6, 2}, nn.ActSiLU, nn.NewRand(1))
		x := ad.Constant(nn.Normal(nn.NewRand(2), 1, 4, 3))
		ctx := &nn.Context{Cond: ad.Constant(ad.New([]float64{0.5}, 1, 1))}
		return m, func() *ad.Var { return m.Forward(ctx, x) }
	}
	for _, cfg := range []adapters.Config{
		{Method: "lora", Targets: []string{"mlp.*"}, Rank: 2},
		{Method: "film", Targets: []string{"mlp.0"}, CondDim: 1, Gamma: "exp"},
		{Method: "bitfit"},
	} {
		t.Run(string(cfg.Method), func(t *testing.T) { adaptertest.Run(t, build, cfg) })
	}
}
