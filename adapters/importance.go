package adapters

import (
	"fmt"
	"math"
	"slices"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/optim"
)

// Importance accumulates AdaLoRA's smoothed sensitivity of parameters (Zhang et
// al. 2023, eqs. 8–10). At each update, for every scalar parameter θ with gradient g,
//
//	I = |θ·g|,  Ī ← β₁Ī + (1−β₁)I,  Ū ← β₂Ū + (1−β₂)|I − Ī|,  s = Ī·Ū.
//
// I is the first-order estimate of the change of the loss if θ were removed; Ī
// smooths it over steps and Ū measures its uncertainty.
type Importance struct {
	beta1, beta2 float64
	params       []*nn.Param
	ibar, ubar   [][]float64
	steps        int
}

// NewImportance returns an accumulator for params; zero betas mean AdaLoRA's
// defaults β₁ = β₂ = 0.85. It panics if a beta is outside [0, 1).
func NewImportance(params []*nn.Param, beta1, beta2 float64) *Importance {
	if beta1 == 0 {
		beta1 = 0.85
	}
	if beta2 == 0 {
		beta2 = 0.85
	}
	if !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) {
		panic(fmt.Sprintf("adapters: importance betas %v, %v are not in [0, 1)", beta1, beta2))
	}
	im := &Importance{beta1: beta1, beta2: beta2, params: params}
	for _, p := range params {
		im.ibar = append(im.ibar, make([]float64, p.Size()))
		im.ubar = append(im.ubar, make([]float64, p.Size()))
	}
	return im
}

// Update adds one step, with grads[i] the gradient of the loss with respect to
// params[i] at the current parameter values (call it before the optimiser's step).
// It panics if the number or sizes of grads differ from the parameters'.
func (im *Importance) Update(grads []*ad.Tensor) {
	if len(grads) != len(im.params) {
		panic(fmt.Sprintf("adapters: importance update with %d gradients for %d parameters", len(grads), len(im.params)))
	}
	b1, b2 := im.beta1, im.beta2
	for i, p := range im.params {
		theta, g := p.Value().Float64s(), grads[i].Float64s()
		if len(g) != len(theta) {
			panic(fmt.Sprintf("adapters: importance update: gradient of %s has %d values, parameter %d", p.Name, len(g), len(theta)))
		}
		ib, ub := im.ibar[i], im.ubar[i]
		for j := range theta {
			s := math.Abs(theta[j] * g[j])
			ib[j] = b1*ib[j] + (1-b1)*s
			ub[j] = b2*ub[j] + (1-b2)*math.Abs(s-ib[j])
		}
	}
	im.steps++
}

// Steps returns the number of updates so far.
func (im *Importance) Steps() int { return im.steps }

// Scores returns s = Ī·Ū for every value of params[i], row-major.
func (im *Importance) Scores(i int) []float64 {
	s := make([]float64, len(im.ibar[i]))
	for j := range s {
		s[j] = im.ibar[i][j] * im.ubar[i][j]
	}
	return s
}

// SiteScores are the importance scores of the rank components of a LoRA adapter at
// one site, in decreasing order.
type SiteScores struct {
	Site   string    `json:"site"`
	Scores []float64 `json:"scores"`
}

// ComponentScores returns, for each site of a LoRA adapter, the importance of its
// rank components: component k (row k of A, column k of B) scores
// mean_j s(A_kj) + mean_j s(B_jk), AdaLoRA's triplet score without the singular
// value. im must have been made over a.Params(). The scores of a site are sorted in
// decreasing order (plain LoRA's components are interchangeable). It panics if the
// adapter is not a LoRA adapter or im is over other parameters.
func (a *Adapter) ComponentScores(im *Importance) []SiteScores {
	if a.cfg.Method != MethodLoRA {
		panic("adapters: ComponentScores of a " + string(a.cfg.Method) + " adapter")
	}
	index := map[*nn.Param]int{}
	for i, p := range im.params {
		index[p] = i
	}
	var out []SiteScores
	for _, pt := range a.parts {
		l, ok := pt.(*lora)
		if !ok {
			continue
		}
		ia, okA := index[l.a]
		ib, okB := index[l.b]
		if !okA || !okB {
			panic("adapters: ComponentScores with an Importance over other parameters")
		}
		sa, sb := im.Scores(ia), im.Scores(ib)
		r, in, outW := l.rank(), l.a.Value().Shape[1], l.s.Out
		sc := make([]float64, r)
		for k := 0; k < r; k++ {
			var ma, mb float64
			for j := 0; j < in; j++ {
				ma += sa[k*in+j]
			}
			for j := 0; j < outW; j++ {
				mb += sb[j*r+k]
			}
			sc[k] = ma/float64(in) + mb/float64(outW)
		}
		slices.SortFunc(sc, func(x, y float64) int { return -cmpFloat(x, y) })
		out = append(out, SiteScores{Site: l.s.Name, Scores: sc})
	}
	return out
}

func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// RankOptions configure AllocateRanks.
type RankOptions struct {
	// Total is the total-rank budget Σ r_l (required).
	Total int
	// Min is the smallest rank of every layer (default 0: a layer may get none).
	Min int
	// Step makes every rank a multiple of Step (default 1).
	Step int
}

// AllocateRanks splits a total-rank budget across layers: scores[l] holds the
// importance of the candidate rank components of layer l (any order; the length is
// the layer's largest rank). Every layer starts at Min components; the remaining
// budget goes, Step components at a time, to the layer whose next Step
// components (its best not yet taken) have the largest summed score. Since each
// layer's scores are taken in decreasing order, this greedy choice maximises the
// total score of the kept components. Ranks may sum to less than Total when
// (Total − Σ Min) is not a multiple of Step or the layers run out of components.
//
// It returns an error if Total, Min or Step is negative or inconsistent, or a
// layer has fewer than Min components.
func AllocateRanks(scores [][]float64, opt RankOptions) ([]int, error) {
	step := opt.Step
	if step == 0 {
		step = 1
	}
	switch {
	case opt.Total < 1:
		return nil, fmt.Errorf("total rank %d: give a positive total-rank budget", opt.Total)
	case opt.Min < 0 || step < 0:
		return nil, fmt.Errorf("minimum rank %d and step %d must not be negative", opt.Min, opt.Step)
	case opt.Min*len(scores) > opt.Total:
		return nil, fmt.Errorf("%d layers at minimum rank %d need %d, more than the total %d", len(scores), opt.Min, opt.Min*len(scores), opt.Total)
	case opt.Min%step != 0:
		return nil, fmt.Errorf("minimum rank %d is not a multiple of the step %d", opt.Min, step)
	}
	sorted := make([][]float64, len(scores))
	ranks := make([]int, len(scores))
	left := opt.Total
	for l, s := range scores {
		if len(s) < opt.Min {
			return nil, fmt.Errorf("layer %d has %d rank components, fewer than the minimum %d", l, len(s), opt.Min)
		}
		for _, v := range s {
			if math.IsNaN(v) {
				return nil, fmt.Errorf("layer %d has a NaN importance score", l)
			}
		}
		sorted[l] = slices.Clone(s)
		slices.SortFunc(sorted[l], func(x, y float64) int { return -cmpFloat(x, y) })
		ranks[l] = opt.Min
		left -= opt.Min
	}
	for left >= step {
		best, bestSum := -1, math.Inf(-1)
		for l, s := range sorted {
			if ranks[l]+step > len(s) {
				continue
			}
			var sum float64
			for _, v := range s[ranks[l] : ranks[l]+step] {
				sum += v
			}
			if sum > bestSum {
				best, bestSum = l, sum
			}
		}
		if best < 0 {
			break
		}
		ranks[best] += step
		left -= step
	}
	return ranks, nil
}

// RankProbeOptions configure ProbeRanks. Zero fields take the defaults given.
type RankProbeOptions struct {
	// Targets are the site patterns of the layers that compete for rank (required).
	Targets []string
	// MaxRank is the LoRA rank probed at every site (capped at the site's
	// min(in, out)); it bounds the rank a layer can get. Default 8.
	MaxRank int
	// Total, Min and Step are as in RankOptions; Total is required.
	Total, Min, Step int
	// Steps is the number of Adam steps of the probe (default 20) at learning rate
	// LR (default 1e-2).
	Steps int
	LR    float64
	// Beta1 and Beta2 smooth the importance (default 0.85 each).
	Beta1, Beta2 float64
	// Seed seeds the LoRA initialisation.
	Seed uint64
}

// RankAllocation is the result of ProbeRanks.
type RankAllocation struct {
	Sites  []string     `json:"sites"`
	Ranks  []int        `json:"ranks"`
	Scores []SiteScores `json:"scores"`
	// Loss before and after the probe's training steps.
	LossBefore float64 `json:"loss_before"`
	LossAfter  float64 `json:"loss_after"`
}

// Config returns a LoRA configuration with the allocated rank at each site (sites
// given rank 0 are left out), the given α (0: α = r at each site) and seed.
func (r *RankAllocation) Config(alpha float64, seed uint64) Config {
	cfg := Config{Method: MethodLoRA, Seed: seed}
	for i, s := range r.Sites {
		if r.Ranks[i] == 0 {
			continue
		}
		cfg.Targets = append(cfg.Targets, s)
		cfg.Overrides = append(cfg.Overrides, Override{Pattern: s, Rank: r.Ranks[i], Alpha: alpha})
		cfg.Rank = max(cfg.Rank, r.Ranks[i])
	}
	return cfg
}

// ProbeRanks allocates LoRA ranks across the targeted layers as AdaLoRA does: it
// attaches a LoRA of rank MaxRank to every targeted site, trains it for a few Adam
// steps on loss (a function that evaluates the model on a batch and returns a
// one-element loss), accumulates the smoothed importance of every LoRA parameter,
// scores each rank component, and splits Total by AllocateRanks. The probe's
// adapter is detached afterwards; base is left as it was.
func ProbeRanks(base nn.Module, loss func() *ad.Var, opt RankProbeOptions) (*RankAllocation, error) {
	if opt.MaxRank == 0 {
		opt.MaxRank = DefaultRank
	}
	if opt.Steps == 0 {
		opt.Steps = 20
	}
	if opt.LR == 0 {
		opt.LR = 1e-2
	}
	if opt.MaxRank < 1 || opt.Steps < 1 || !(opt.LR > 0) {
		return nil, fmt.Errorf("rank probe: max rank %d, steps %d and learning rate %v must be positive", opt.MaxRank, opt.Steps, opt.LR)
	}
	cfg := Config{Method: MethodLoRA, Targets: opt.Targets, Rank: opt.MaxRank, Seed: opt.Seed}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("rank probe: %v", err)
	}
	for _, s := range nn.SitesMatching(base, opt.Targets...) {
		if c := min(opt.MaxRank, s.In, s.Out); c < opt.MaxRank && c > 0 {
			cfg.Overrides = append(cfg.Overrides, Override{Pattern: s.Name, Rank: c})
		}
	}
	a, err := New("rank-probe", cfg)
	if err != nil {
		return nil, err
	}
	if err := a.Attach(base); err != nil {
		return nil, fmt.Errorf("rank probe: %v", err)
	}
	defer a.Detach()
	res, err := trainProbe(a, loss, opt.Steps, opt.LR, NewImportance(a.Params(), opt.Beta1, opt.Beta2))
	if err != nil {
		return nil, fmt.Errorf("rank probe: %v", err)
	}
	scores := a.ComponentScores(res.im)
	lists := make([][]float64, len(scores))
	for i, s := range scores {
		lists[i] = s.Scores
	}
	ranks, err := AllocateRanks(lists, RankOptions{Total: opt.Total, Min: opt.Min, Step: opt.Step})
	if err != nil {
		return nil, fmt.Errorf("rank probe: %v", err)
	}
	return &RankAllocation{Sites: a.Sites(), Ranks: ranks, Scores: scores, LossBefore: res.before, LossAfter: res.after}, nil
}

type probeResult struct {
	before, after float64
	im            *Importance
}

// trainProbe runs steps Adam steps on the adapter's parameters, updating im if not
// nil, and returns the loss before and after.
func trainProbe(a *Adapter, loss func() *ad.Var, steps int, lr float64, im *Importance) (probeResult, error) {
	params := a.Vars()
	opt := optim.NewAdam(&optim.AdamOptions{LR: lr})
	res := probeResult{im: im}
	grads := make([]*ad.Tensor, len(params))
	for t := 0; t < steps; t++ {
		l := loss()
		if t == 0 {
			res.before = l.Item()
		}
		if math.IsNaN(l.Item()) || math.IsInf(l.Item(), 0) {
			return res, fmt.Errorf("loss is %v at step %d", l.Item(), t)
		}
		for i, g := range ad.Grad(l, params...) {
			grads[i] = g.Value()
		}
		if im != nil {
			im.Update(grads)
		}
		opt.Step(params, grads)
	}
	res.after = loss().Item()
	if math.IsNaN(res.after) || math.IsInf(res.after, 0) {
		return res, fmt.Errorf("loss is %v after %d steps", res.after, steps)
	}
	return res, nil
}

// ProbeOptions configure ProbeGains. Zero fields take the defaults given.
type ProbeOptions struct {
	// Steps is the number of Adam steps per candidate (default 10) at learning rate
	// LR (default 1e-2).
	Steps int
	LR    float64
	// Defaults supply the configuration fields candidates do not carry (see
	// Plan.Configs).
	Defaults []Config
}

// ProbeGains estimates the gain of each candidate as the decrease of loss after a
// short training: for each candidate in turn an adapter is attached to base, trained
// for Steps Adam steps on loss, and detached; the gain is loss before − loss
// after. base is left as it was. loss evaluates the model on a fixed batch (passing
// the nn.Context that FiLM needs) and returns a one-element loss.
func ProbeGains(base nn.Module, cands []Candidate, loss func() *ad.Var, opt *ProbeOptions) ([]float64, error) {
	var o ProbeOptions
	if opt != nil {
		o = *opt
	}
	if o.Steps == 0 {
		o.Steps = 10
	}
	if o.LR == 0 {
		o.LR = 1e-2
	}
	if o.Steps < 1 || !(o.LR > 0) {
		return nil, fmt.Errorf("gain probe: steps %d and learning rate %v must be positive", o.Steps, o.LR)
	}
	gains := make([]float64, len(cands))
	for i, c := range cands {
		cfgs, err := (&Plan{Chosen: []Candidate{c}}).Configs(o.Defaults...)
		if err != nil {
			return nil, fmt.Errorf("gain probe: candidate %q: %v", c.Name, err)
		}
		a, err := New("gain-probe", cfgs[0])
		if err != nil {
			return nil, fmt.Errorf("gain probe: candidate %q: %v", c.Name, err)
		}
		if err := a.Attach(base); err != nil {
			return nil, fmt.Errorf("gain probe: candidate %q: %v", c.Name, err)
		}
		res, err := trainProbe(a, loss, o.Steps, o.LR, nil)
		a.Detach()
		if err != nil {
			return nil, fmt.Errorf("gain probe: candidate %q: %v", c.Name, err)
		}
		gains[i] = res.before - res.after
	}
	return gains, nil
}

// LengthOptions configure ChoosePromptLength. Zero fields take the defaults given.
type LengthOptions struct {
	// Lengths are the prompt lengths to try, increasing (default 1, 2, 4, …, 64).
	Lengths []int
	// Tol is how far from the plateau (the best score seen) a length's score may be
	// and still be chosen, in the units of the score.
	Tol float64
	// Patience is the number of consecutive lengths that must fail to improve the
	// best score by more than Tol before the search stops (default 2).
	Patience int
	// HigherIsBetter says the score is to be maximised (accuracy, R²); by default it
	// is minimised (a loss, RMSE).
	HigherIsBetter bool
}

// LengthScore is the validation score of one prompt length.
type LengthScore struct {
	Length int     `json:"length"`
	Score  float64 `json:"score"`
}

// LengthChoice is the result of ChoosePromptLength.
type LengthChoice struct {
	Length  int           `json:"length"`  // the chosen prompt length
	Plateau float64       `json:"plateau"` // the best score seen
	Tried   []LengthScore `json:"tried"`
}

// ChoosePromptLength grows the prompt length m through Lengths, calling score(m)
// (train a prompt of length m, return its validation score), until Patience lengths
// in a row improve the best score by no more than Tol. The best score seen is the
// plateau; the chosen length is the smallest tried whose score is within Tol of it.
func ChoosePromptLength(score func(m int) (float64, error), opt LengthOptions) (*LengthChoice, error) {
	lengths := opt.Lengths
	if len(lengths) == 0 {
		lengths = []int{1, 2, 4, 8, 16, 32, 64}
	}
	patience := opt.Patience
	if patience == 0 {
		patience = 2
	}
	if !(opt.Tol >= 0) || patience < 1 {
		return nil, fmt.Errorf("prompt length search: tolerance %v must be non-negative and patience %d positive", opt.Tol, opt.Patience)
	}
	for i, m := range lengths {
		if m < 1 || (i > 0 && m <= lengths[i-1]) {
			return nil, fmt.Errorf("prompt length search: lengths %v must be positive and increasing", lengths)
		}
	}
	sign := 1.0 // work with "lower is better"
	if opt.HigherIsBetter {
		sign = -1
	}
	res := &LengthChoice{}
	best := math.Inf(1)
	stale := 0
	for _, m := range lengths {
		s, err := score(m)
		if err != nil {
			return nil, fmt.Errorf("prompt length %d: %w", m, err)
		}
		if math.IsNaN(s) {
			return nil, fmt.Errorf("prompt length %d: score is NaN", m)
		}
		res.Tried = append(res.Tried, LengthScore{Length: m, Score: s})
		if v := sign * s; v < best-opt.Tol {
			best, stale = v, 0
		} else {
			best = math.Min(best, v)
			stale++
			if stale >= patience {
				break
			}
		}
	}
	res.Plateau = sign * best
	for _, t := range res.Tried {
		if sign*t.Score <= best+opt.Tol {
			res.Length = t.Length
			break
		}
	}
	return res, nil
}
