package adapters

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/sciadapt/sciadapt/internal/atomicfile"
	"github.com/sciadapt/sciadapt/nn"
)

// Candidate is one possible placement of an adapter: a method at a site with a rank,
// its costs and its expected gain. Candidates with the same method and site exclude
// each other (one LoRA per layer, of one rank); a candidate without a site is its
// own group.
type Candidate struct {
	Name   string `json:"name"`
	Method Method `json:"method"`
	// Site is the site name for hook methods, bitfit and norm; for select it is the
	// pattern of the parameters that train.
	Site string `json:"site,omitempty"`
	// Rank is the LoRA rank (0 for other methods).
	Rank int `json:"rank,omitempty"`
	// Params is the number of trained parameters; FLOPs the extra compute, in one
	// unit for all candidates (for example FLOPs per forward of a reference batch,
	// or per row where all sites have the same rows).
	Params int64 `json:"param_cost"`
	FLOPs  int64 `json:"flop_cost"`
	// Gain is the measured or estimated improvement (loss decrease, ΔAcc, …); gains
	// add up over the chosen candidates.
	Gain float64 `json:"gain"`
}

// group returns the exclusion group key of c, or "" if c is alone in its group.
func (c Candidate) group() string {
	if c.Site == "" {
		return ""
	}
	return string(c.Method) + "\x00" + c.Site
}

// Budget bounds the total costs of a plan. A zero field means no limit.
type Budget struct {
	Params int64 `json:"params,omitempty"`
	FLOPs  int64 `json:"flops,omitempty"`
}

// PlanFormat is the "format" field of plan files.
const PlanFormat = "sciadapt-plan"

// Plan is a chosen set of placements, written as JSON by "sciadapt plan" and read by
// the commands that train adapters (Plan.Configs turns it into adapter
// configurations).
type Plan struct {
	Format  string      `json:"format"`
	Version int         `json:"version"`
	Budget  Budget      `json:"budget"`
	Chosen  []Candidate `json:"chosen"`
	// Totals of the chosen candidates.
	ParamCost int64   `json:"param_cost"`
	FLOPCost  int64   `json:"flop_cost"`
	Gain      float64 `json:"gain"`
	// GainUpperBound bounds the best total gain of any set within the budgets: the
	// optimum lies in [Gain, GainUpperBound]. Equal to Gain when Exact.
	GainUpperBound float64 `json:"gain_upper_bound"`
	// Exact reports whether the plan is optimal.
	Exact bool `json:"exact"`
	// UnitParams and UnitFLOPs are the cost units of the dynamic programme: costs
	// were divided by them (exactly, when Exact; rounded up for the plan and down for
	// the bound otherwise).
	UnitParams int64 `json:"unit_params,omitempty"`
	UnitFLOPs  int64 `json:"unit_flops,omitempty"`
	// Candidates is the number of candidates considered.
	Candidates int `json:"candidates"`
	// Solver describes how the plan was found.
	Solver string `json:"solver"`
}

// SolveOptions configure Solve. The zero value means defaults.
type SolveOptions struct {
	// MaxCells bounds the table of the dynamic programme (groups × cost states).
	// Default 1<<22 (16 MiB of choices).
	MaxCells int
}

// Solve chooses the candidates of largest total gain whose total costs fit the
// budget, with at most one candidate per (method, site). It solves the 0/1
// knapsack (with exclusion groups, in one or two cost dimensions) by dynamic
// programming over cost states, exactly when the table fits in MaxCells (after
// dividing the costs by their greatest common divisor). Otherwise costs are put on a
// coarser grid of unit u: rounded up to multiples of u the DP gives a plan that
// certainly fits the budget; rounded down it gives an upper bound on the optimum
// (a relaxation), so Plan reports the optimum's bracket [Gain, GainUpperBound].
// A priori the approximate plan is at least as good as the best set whose costs fit
// in the budget reduced by k·u per dimension, k the number of groups.
//
// Candidates with a non-positive gain, or a cost above a budget on their own, are
// never chosen. Solve returns an error for invalid candidates (empty or repeated
// names, unknown methods, negative costs or ranks, non-finite gains) or budgets.
func Solve(cands []Candidate, b Budget, opt *SolveOptions) (*Plan, error) {
	if err := checkCandidates(cands); err != nil {
		return nil, err
	}
	if b.Params < 0 || b.FLOPs < 0 {
		return nil, fmt.Errorf("budget %+v is negative", b)
	}
	maxCells := 1 << 22
	if opt != nil && opt.MaxCells > 0 {
		maxCells = opt.MaxCells
	}

	// Usable candidates, grouped in order of first appearance.
	var (
		items  []int   // indices into cands
		groups [][]int // positions in items
		keys   = map[string]int{}
	)
	for i, c := range cands {
		if !(c.Gain > 0) || (b.Params > 0 && c.Params > b.Params) || (b.FLOPs > 0 && c.FLOPs > b.FLOPs) {
			continue
		}
		k := c.group()
		g, ok := keys[k]
		if !ok || k == "" {
			g = len(groups)
			groups = append(groups, nil)
			if k != "" {
				keys[k] = g
			}
		}
		groups[g] = append(groups[g], len(items))
		items = append(items, i)
	}

	// Cost dimensions with a budget.
	type dim struct {
		budget, unit int64
		params       bool
		cost         func(Candidate) int64
	}
	var dims []dim
	if b.Params > 0 {
		dims = append(dims, dim{budget: b.Params, params: true, cost: func(c Candidate) int64 { return c.Params }})
	}
	if b.FLOPs > 0 {
		dims = append(dims, dim{budget: b.FLOPs, cost: func(c Candidate) int64 { return c.FLOPs }})
	}
	exact := true
	nGroups := max(len(groups), 1)
	perGroup := maxCells / nGroups
	if perGroup < 4 {
		return nil, fmt.Errorf("%d exclusion groups of candidates are too many for a table of %d cells (raise MaxCells)", len(groups), maxCells)
	}
	caps := make([]int64, len(dims))
	for d := range dims {
		g := dims[d].budget
		for _, i := range items {
			g = gcd(g, dims[d].cost(cands[i]))
		}
		dims[d].unit = max(g, 1)
		caps[d] = dims[d].budget / dims[d].unit
	}
	cells := func() float64 {
		n := 1.0
		for _, c := range caps {
			n *= float64(c + 1)
		}
		return n
	}
	if cells() > float64(perGroup) {
		exact = false
		// Give the smaller dimension its exact size if it fits in √perGroup cells,
		// then the rest to the larger one.
		order := []int{0}
		if len(dims) == 2 {
			order = []int{0, 1}
			if caps[1] < caps[0] {
				order = []int{1, 0}
			}
		}
		room := float64(perGroup)
		for k, d := range order {
			var target int64
			if k+1 < len(order) {
				target = min(caps[d], int64(math.Sqrt(room))-1)
			} else {
				target = int64(room) - 1
			}
			target = max(target, 1)
			if caps[d] > target {
				step := (caps[d] + target - 1) / target
				dims[d].unit *= step
				caps[d] = dims[d].budget / dims[d].unit
			}
			room /= float64(caps[d] + 1)
		}
	}
	up := func(c, u int64) int64 { return (c + u - 1) / u }
	down := func(c, u int64) int64 { return c / u }
	costs := func(round func(c, u int64) int64) [][2]int64 {
		cs := make([][2]int64, len(items))
		for k, i := range items {
			for d := range dims {
				cs[k][d] = round(dims[d].cost(cands[i]), dims[d].unit)
			}
		}
		return cs
	}
	var capa [2]int64
	copy(capa[:], caps)
	gains := make([]float64, len(items))
	for k, i := range items {
		gains[k] = cands[i].Gain
	}

	chosen, _ := knapsack(groups, costs(up), gains, capa, true)
	plan := &Plan{
		Format: PlanFormat, Version: 1, Budget: b, Exact: exact,
		Candidates: len(cands), Chosen: []Candidate{},
	}
	slices.Sort(chosen)
	for _, k := range chosen {
		c := cands[items[k]]
		plan.Chosen = append(plan.Chosen, c)
		plan.ParamCost += c.Params
		plan.FLOPCost += c.FLOPs
		plan.Gain += c.Gain
	}
	plan.GainUpperBound = plan.Gain
	for _, d := range dims {
		if d.params {
			plan.UnitParams = d.unit
		} else {
			plan.UnitFLOPs = d.unit
		}
	}
	what := "no budget"
	switch {
	case b.Params > 0 && b.FLOPs > 0:
		what = "parameter and compute budgets (2-D table)"
	case b.Params > 0:
		what = "the parameter budget"
	case b.FLOPs > 0:
		what = "the compute budget"
	}
	if exact {
		plan.Solver = "exact dynamic programming over " + what
	} else {
		_, ub := knapsack(groups, costs(down), gains, capa, false)
		plan.GainUpperBound = math.Max(ub, plan.Gain)
		plan.Solver = fmt.Sprintf("dynamic programming over %s on a grid of %d parameter and %d FLOP units, costs rounded up for the plan and down for the bound",
			what, max(plan.UnitParams, 1), max(plan.UnitFLOPs, 1))
	}
	return plan, nil
}

// knapsack solves the grouped 0/1 knapsack in up to two dimensions by dynamic
// programming: at most one item per group, total costs within caps (a zero cap with
// zero costs is an unused dimension). It returns the chosen items (with track) and
// the best total gain.
func knapsack(groups [][]int, costs [][2]int64, gains []float64, caps [2]int64, track bool) ([]int, float64) {
	n0, n1 := int(caps[0])+1, int(caps[1])+1
	size := n0 * n1
	dp := make([]float64, size)
	next := make([]float64, size)
	var choice [][]int32
	for _, g := range groups {
		copy(next, dp)
		var ch []int32
		if track {
			ch = make([]int32, size)
			for s := range ch {
				ch[s] = -1
			}
		}
		for _, k := range g {
			c0, c1 := int(costs[k][0]), int(costs[k][1])
			for i := c0; i < n0; i++ {
				for j := c1; j < n1; j++ {
					s := i*n1 + j
					if v := dp[s-c0*n1-c1] + gains[k]; v > next[s] {
						next[s] = v
						if track {
							ch[s] = int32(k)
						}
					}
				}
			}
		}
		dp, next = next, dp
		choice = append(choice, ch)
	}
	best := dp[size-1]
	if !track {
		return nil, best
	}
	var chosen []int
	i, j := n0-1, n1-1
	for g := len(groups) - 1; g >= 0; g-- {
		if k := choice[g][i*n1+j]; k >= 0 {
			chosen = append(chosen, int(k))
			i -= int(costs[k][0])
			j -= int(costs[k][1])
		}
	}
	return chosen, best
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func checkCandidates(cands []Candidate) error {
	seen := map[string]bool{}
	for i, c := range cands {
		id := fmt.Sprintf("candidate %d (%q)", i, c.Name)
		switch {
		case strings.TrimSpace(c.Name) == "":
			return fmt.Errorf("candidate %d has no name", i)
		case seen[c.Name]:
			return fmt.Errorf("%s: the name is used twice", id)
		case !slices.Contains(methods, c.Method):
			return fmt.Errorf("%s: unknown method %q (known: %s)", id, c.Method, methodList())
		case c.Params < 0:
			return fmt.Errorf("%s: param_cost %d is negative", id, c.Params)
		case c.FLOPs < 0:
			return fmt.Errorf("%s: flop_cost %d is negative", id, c.FLOPs)
		case c.Rank < 0:
			return fmt.Errorf("%s: rank %d is negative", id, c.Rank)
		case math.IsNaN(c.Gain) || math.IsInf(c.Gain, 0):
			return fmt.Errorf("%s: gain %v is not a finite number", id, c.Gain)
		}
		seen[c.Name] = true
	}
	return nil
}

// CandidateFile is the JSON input of "sciadapt plan": candidates and, optionally,
// the size of the base model (for reports).
type CandidateFile struct {
	Candidates []Candidate `json:"candidates"`
	// BaseParams is the number of parameters of the base model, if known.
	BaseParams int64 `json:"base_parameters,omitempty"`
}

// ReadCandidates reads a candidates JSON file: {"candidates": [...]} (a bare array
// of candidates is accepted too). Unknown fields are refused, so that a misspelt
// cost is not read as zero. Errors name the file and the candidate.
func ReadCandidates(path string) (*CandidateFile, error) {
	b, err := readJSONFile(path)
	if err != nil {
		return nil, err
	}
	var f CandidateFile
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '[' {
		err = decodeStrict(t, &f.Candidates)
	} else {
		err = decodeStrict(b, &f)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(f.Candidates) == 0 {
		return nil, fmt.Errorf("%s: no candidates (expected {\"candidates\": [{\"name\", \"method\", \"site\", \"rank\", \"param_cost\", \"flop_cost\", \"gain\"}, …]})", path)
	}
	if err := checkCandidates(f.Candidates); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if f.BaseParams < 0 {
		return nil, fmt.Errorf("%s: base_parameters %d is negative", path, f.BaseParams)
	}
	return &f, nil
}

// readJSONFile reads a whole JSON file, refusing a directory with a message naming it.
func readJSONFile(path string) ([]byte, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory, not a JSON file", path)
	}
	return os.ReadFile(path)
}

func decodeStrict(b []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		switch {
		case len(bytes.TrimSpace(b)) == 0:
			return errors.New("file is empty, want JSON")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return errors.New("the JSON ends early (truncated file?)")
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line := 1 + bytes.Count(b[:min(int(se.Offset), len(b))], []byte("\n"))
			return fmt.Errorf("line %d: %v", line, err)
		}
		return err
	}
	if dec.More() {
		return errors.New("extra data after the JSON value")
	}
	return nil
}

// WritePlan writes a plan as indented JSON, atomically.
func WritePlan(path string, p *Plan) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

// ReadPlan reads a plan written by WritePlan and checks it.
func ReadPlan(path string) (*Plan, error) {
	b, err := readJSONFile(path)
	if err != nil {
		return nil, err
	}
	var p Plan
	if err := decodeStrict(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if p.Format != PlanFormat {
		return nil, fmt.Errorf("%s: not a sciadapt plan (format %q, want %q)", path, p.Format, PlanFormat)
	}
	if p.Version != 1 {
		return nil, fmt.Errorf("%s: plan version %d is not supported (this sciadapt reads version 1)", path, p.Version)
	}
	if err := checkCandidates(p.Chosen); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &p, nil
}

// Configs turns the plan into adapter configurations, one per method in order of
// first appearance: the chosen sites become the targets (LoRA ranks per site go
// into Overrides, with α = rank unless the default sets α), and the patterns of
// select candidates its Patterns. defaults supply the fields that candidates do not
// carry (a FiLM config's cond_dim, a prompt's length, LoRA's α, seeds …): the first
// default of the same method is used, without its targets, patterns and
// overrides. Each configuration is validated.
func (p *Plan) Configs(defaults ...Config) ([]Config, error) {
	var out []Config
	index := map[Method]int{}
	for _, c := range p.Chosen {
		k, ok := index[c.Method]
		if !ok {
			cfg := Config{Method: c.Method}
			for _, d := range defaults {
				if d.Method == c.Method {
					cfg = d
					break
				}
			}
			// Where to adapt comes from the plan, not from the defaults.
			cfg.Targets, cfg.Patterns, cfg.Overrides = nil, nil, nil
			if c.Method == MethodLoRA {
				cfg.Rank = 0
			}
			k = len(out)
			index[c.Method] = k
			out = append(out, cfg)
		}
		cfg := &out[k]
		switch c.Method {
		case MethodSelect:
			if c.Site != "" {
				cfg.Patterns = append(cfg.Patterns, c.Site)
			}
		case MethodFull:
		default:
			if c.Site != "" {
				cfg.Targets = append(cfg.Targets, c.Site)
			}
		}
		if c.Method == MethodLoRA {
			if c.Rank < 1 {
				return nil, fmt.Errorf("plan: LoRA candidate %q has rank %d", c.Name, c.Rank)
			}
			cfg.Rank = max(cfg.Rank, c.Rank)
			cfg.Overrides = append(cfg.Overrides, Override{Pattern: c.Site, Rank: c.Rank})
		}
	}
	for i := range out {
		if out[i].Method == MethodSelect && len(out[i].Patterns) == 0 {
			return nil, fmt.Errorf("plan: select candidates need a parameter pattern in their site field")
		}
		if err := out[i].Validate(); err != nil {
			return nil, fmt.Errorf("plan: %v", err)
		}
	}
	return out, nil
}

// Placements lists candidates for cfg on base: for lora one per matched site and
// rank in ranks, for the other hook methods one per matched site, for selection
// methods one for the whole selection. Their costs are computed as Report counts
// them (FLOPs per row of each site's output); gains are left at zero for a probe to
// fill. base is not changed.
func Placements(base nn.Module, cfg Config, ranks []int) ([]Candidate, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	var out []Candidate
	if !usesHooks(cfg.Method) {
		a := &Adapter{name: "placement", cfg: cfg}
		if err := a.buildSelection(base); err != nil {
			return nil, err
		}
		var n int64
		for _, p := range a.sel {
			n += int64(p.Size())
		}
		site := strings.Join(cfg.Targets, ",")
		if cfg.Method == MethodSelect {
			site = strings.Join(cfg.Patterns, ",")
		}
		name := string(cfg.Method)
		if site != "" {
			name += ":" + site
		}
		return []Candidate{{Name: name, Method: cfg.Method, Site: site, Params: n}}, nil
	}
	sites, err := targetSites(base, cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Method != MethodLoRA || len(ranks) == 0 {
		ranks = []int{0}
	}
	rng := nn.NewRand(cfg.Seed)
	for _, s := range sites {
		for _, r := range ranks {
			var (
				pt  part
				err error
			)
			c := cfg
			switch cfg.Method {
			case MethodLoRA:
				if r > 0 {
					c.Rank, c.Overrides = r, nil
				}
				pt, err = newLoRA(base, s, c, rng)
			case MethodBottleneck:
				pt, err = newBottleneck(s, c, rng)
			case MethodFiLM:
				pt, err = newFiLM(s, c, rng)
			case MethodPrompt:
				pt, err = newPrompt(base, s, c, rng)
			}
			if err != nil {
				return nil, err
			}
			cand := Candidate{Name: string(cfg.Method) + ":" + s.Name, Method: cfg.Method, Site: s.Name, FLOPs: pt.flopsPerRow()}
			if l, ok := pt.(*lora); ok {
				cand.Rank = l.rank()
				cand.Name += fmt.Sprintf(":r%d", cand.Rank)
			}
			for _, p := range pt.params() {
				cand.Params += int64(p.Size())
			}
			out = append(out, cand)
		}
	}
	return out, nil
}
