package adapters_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/adapters"
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

func TestAllocateRanks(t *testing.T) {
	cases := []struct {
		scores [][]float64
		opt    adapters.RankOptions
		want   []int
	}{
		{[][]float64{{5, 4, 3}, {10, 1}}, adapters.RankOptions{Total: 3}, []int{2, 1}},
		{[][]float64{{3, 5, 4}, {1, 10}}, adapters.RankOptions{Total: 3}, []int{2, 1}}, // any order
		{[][]float64{{5, 4, 3}, {10, 1}}, adapters.RankOptions{Total: 4, Step: 2}, []int{2, 2}},
		{[][]float64{{5, 4, 3}, {10, 1}}, adapters.RankOptions{Total: 10}, []int{3, 2}}, // runs out
		{[][]float64{{5, 4, 3}, {0.1, 0.1}}, adapters.RankOptions{Total: 3, Min: 1}, []int{2, 1}},
	}
	for _, c := range cases {
		got, err := adapters.AllocateRanks(c.scores, c.opt)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("AllocateRanks(%v, %+v) = %v, %v; want %v", c.scores, c.opt, got, err, c.want)
		}
	}
	for _, opt := range []adapters.RankOptions{{Total: 0}, {Total: 2, Min: 2}, {Total: 4, Min: 1, Step: 2}} {
		if _, err := adapters.AllocateRanks([][]float64{{1, 1}, {1, 1}}, opt); err == nil {
			t.Errorf("%+v: no error", opt)
		}
	}
}

// The greedy allocation keeps the largest total score of all allocations, checked
// by enumeration on random instances.
func TestAllocateRanksOptimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 200; trial++ {
		L := 1 + rng.IntN(3)
		step := 1 + rng.IntN(2)
		scores := make([][]float64, L)
		for l := range scores {
			scores[l] = make([]float64, 1+rng.IntN(6))
			for i := range scores[l] {
				scores[l][i] = rng.Float64() * float64(1+l)
			}
		}
		total := 1 + rng.IntN(10)
		got, err := adapters.AllocateRanks(scores, adapters.RankOptions{Total: total, Step: step})
		if err != nil {
			t.Fatal(err)
		}
		kept := func(ranks []int) float64 {
			var s float64
			for l, r := range ranks {
				top := slices.Clone(scores[l])
				slices.Sort(top)
				slices.Reverse(top)
				for _, v := range top[:r] {
					s += v
				}
			}
			return s
		}
		best := 0.0
		var rec func(l, left int, ranks []int)
		rec = func(l, left int, ranks []int) {
			if l == L {
				best = math.Max(best, kept(ranks))
				return
			}
			for r := 0; r <= len(scores[l]) && r <= left; r += step {
				rec(l+1, left-r, append(ranks, r))
			}
		}
		rec(0, total, nil)
		if math.Abs(kept(got)-best) > 1e-12 {
			t.Fatalf("trial %d: greedy ranks %v keep %v, best %v", trial, got, kept(got), best)
		}
	}
}

// twoLayer is y = L2(tanh(L1(x))) with both layers 32 wide.
type twoLayer struct{ L1, L2 *nn.Linear }

func (m *twoLayer) Forward(x *ad.Var) *ad.Var {
	return m.L2.Forward(nil, ad.Tanh(m.L1.Forward(nil, x)))
}
func (m *twoLayer) Params() []*nn.Param { return nn.Join(m.L1, m.L2).Params() }
func (m *twoLayer) Sites() []*nn.Site   { return nn.Join(m.L1, m.L2).Sites() }

// shiftProblem returns a base model and a loss against a teacher whose layer
// weights are shifted by random full-rank matrices of sizes s1 and s2.
func shiftProblem(s1, s2 float64) (*twoLayer, func() *ad.Var) {
	const d, n = 32, 128
	mk := func() *twoLayer {
		rng := nn.NewRand(21)
		return &twoLayer{nn.NewLinear("l1", d, d, true, rng), nn.NewLinear("l2", d, d, true, rng)}
	}
	base, teacher := mk(), mk()
	rng := nn.NewRand(22)
	for _, s := range []struct {
		w    *nn.Param
		size float64
	}{{teacher.L1.W, s1}, {teacher.L2.W, s2}} {
		for i := range s.w.Value().Data {
			s.w.Value().Data[i] += s.size * rng.NormFloat64() / math.Sqrt(d)
		}
	}
	x := ad.Constant(randn(rng, n, d))
	y := ad.Constant(teacher.Forward(x).Value())
	return base, func() *ad.Var { return ad.Mean(ad.Square(ad.Sub(base.Forward(x), y))) }
}

// With a total rank of 48 over two 32-wide layers, the layer whose weights need the
// larger change gets rank 32 and the other 16 (not 24 + 24), whichever layer it is.
func TestProbeRanksFavoursTheLayerThatMatters(t *testing.T) {
	for _, c := range []struct {
		s1, s2 float64
		want   []int
	}{{1, 0.05, []int{32, 16}}, {0.05, 1, []int{16, 32}}} {
		base, loss := shiftProblem(c.s1, c.s2)
		fp := nn.Fingerprint(base)
		alloc, err := adapters.ProbeRanks(base, loss, adapters.RankProbeOptions{
			Targets: []string{"l1", "l2"}, MaxRank: 32, Total: 48, Step: 8, Steps: 15, Seed: 1,
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("shifts %v/%v: ranks %v, mean component score %.3g / %.3g, loss %.4g → %.4g",
			c.s1, c.s2, alloc.Ranks, mean(alloc.Scores[0].Scores), mean(alloc.Scores[1].Scores), alloc.LossBefore, alloc.LossAfter)
		if !slices.Equal(alloc.Ranks, c.want) {
			t.Errorf("shifts %v/%v: ranks %v, want %v", c.s1, c.s2, alloc.Ranks, c.want)
		}
		if !(alloc.LossAfter < alloc.LossBefore) {
			t.Errorf("the probe did not reduce the loss: %v → %v", alloc.LossBefore, alloc.LossAfter)
		}
		if nn.Fingerprint(base) != fp || len(base.L1.Site.Hooks()) != 0 || !base.L1.W.Trainable() {
			t.Error("ProbeRanks left the base changed")
		}
		cfg := alloc.Config(0, 1)
		if err := cfg.Validate(); err != nil || len(cfg.Overrides) != 2 {
			t.Errorf("allocation config %+v: %v", cfg, err)
		}
	}
}

func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// A short probe ranks the placement at the shifted layer above the others.
func TestProbeGains(t *testing.T) {
	base, loss := shiftProblem(0.02, 1)
	fp := nn.Fingerprint(base)
	cands := []adapters.Candidate{
		{Name: "lora l1", Method: "lora", Site: "l1", Rank: 4},
		{Name: "lora l2", Method: "lora", Site: "l2", Rank: 4},
		{Name: "bitfit", Method: "bitfit"},
	}
	gains, err := adapters.ProbeGains(base, cands, loss, &adapters.ProbeOptions{Steps: 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("gains: lora l1 %.4g, lora l2 %.4g, bitfit %.4g", gains[0], gains[1], gains[2])
	if !(gains[1] > gains[0] && gains[1] > gains[2] && gains[0] > 0) {
		t.Errorf("gains %v: want the LoRA at the shifted layer l2 first, all positive", gains)
	}
	if nn.Fingerprint(base) != fp {
		t.Error("ProbeGains changed the base")
	}
}

func TestChoosePromptLength(t *testing.T) {
	// A validation loss that saturates: 1 + exp(−m/2).
	var calls []int
	loss := func(m int) (float64, error) {
		calls = append(calls, m)
		return 1 + math.Exp(-float64(m)/2), nil
	}
	got, err := adapters.ChoosePromptLength(loss, adapters.LengthOptions{Tol: 0.02})
	if err != nil {
		t.Fatal(err)
	}
	// Improvements: 1→2 0.24, 2→4 0.23, 4→8 0.12, 8→16 0.018 and 16→32 0.0003 are
	// below the tolerance, so the search stops at 32; 8 is within 0.02 of the plateau.
	if got.Length != 8 || !slices.Equal(calls, []int{1, 2, 4, 8, 16, 32}) || math.Abs(got.Plateau-(1+math.Exp(-16))) > 1e-15 {
		t.Errorf("choice %+v after calls %v", got, calls)
	}
	acc := func(m int) (float64, error) { return -1 - math.Exp(-float64(m)/2), nil }
	got, err = adapters.ChoosePromptLength(acc, adapters.LengthOptions{Tol: 0.02, HigherIsBetter: true})
	if err != nil || got.Length != 8 {
		t.Errorf("higher-is-better: %+v, %v", got, err)
	}
	boom := errors.New("diverged")
	_, err = adapters.ChoosePromptLength(func(m int) (float64, error) { return 0, boom }, adapters.LengthOptions{})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "prompt length 1") {
		t.Errorf("error %v", err)
	}
	if _, err := adapters.ChoosePromptLength(loss, adapters.LengthOptions{Lengths: []int{4, 2}}); err == nil {
		t.Error("decreasing lengths accepted")
	}
}
