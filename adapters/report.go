package adapters

import "math"

// Report gives the sizes and costs of an adapter on its base.
type Report struct {
	Name   string `json:"name"`
	Method Method `json:"method"`
	// TrainableParams is the number of scalar values the adapter trains (what an
	// adapter file holds); TotalParams counts the base and the adapter's own
	// parameters together.
	TrainableParams int `json:"trainable_parameters"`
	TotalParams     int `json:"total_parameters"`
	// BaseParams is the number of scalar parameters of the base model.
	BaseParams int `json:"base_parameters"`
	// FileBytes is the size of the adapter file that Save writes.
	FileBytes int64 `json:"bytes_on_disk"`
	// ExtraFLOPsPerRow is the sum over the adapted sites of the extra floating-point
	// operations per row of each site's output (Sites gives them one by one, with
	// what a row is). Zero for a merged LoRA and for selection methods.
	ExtraFLOPsPerRow int64 `json:"extra_flops_per_row"`
	// PromptLength is the number of positions a prompt adapter adds to every
	// sequence; every layer after the prompt site runs on them too.
	PromptLength int  `json:"prompt_length,omitempty"`
	Merged       bool `json:"merged,omitempty"`
	// Sites lists the adapted sites.
	Sites []SiteCost `json:"sites,omitempty"`
}

// SiteCost is the cost of an adapter at one site.
type SiteCost struct {
	Site        string `json:"site"`
	Rows        string `json:"rows,omitempty"` // what a row is ("atom", "pair", …), if the model says
	Params      int    `json:"parameters"`
	FLOPsPerRow int64  `json:"extra_flops_per_row"`
}

// Report returns the adapter's parameter counts, file size and extra compute. It
// panics if the adapter is not attached.
func (a *Adapter) Report() (Report, error) {
	a.mustAttached("Report")
	r := Report{Name: a.name, Method: a.cfg.Method, Merged: a.merged}
	for _, p := range a.base.Params() {
		r.BaseParams += p.Size()
	}
	for _, p := range a.Params() {
		r.TrainableParams += p.Size()
	}
	r.TotalParams = r.BaseParams
	for _, p := range a.own { // the adapter's own parameters (not selected base ones)
		r.TotalParams += p.Size()
	}
	for _, pt := range a.parts {
		c := SiteCost{Site: pt.site().Name, Rows: pt.site().Rows}
		for _, p := range pt.params() {
			c.Params += p.Size()
		}
		if !a.merged {
			c.FLOPsPerRow = pt.flopsPerRow()
		}
		r.ExtraFLOPsPerRow += c.FLOPsPerRow
		if p, ok := pt.(*prompt); ok {
			r.PromptLength = max(r.PromptLength, p.length())
		}
		r.Sites = append(r.Sites, c)
	}
	n, err := a.FileBytes()
	if err != nil {
		return r, err
	}
	r.FileBytes = n
	return r, nil
}

// MinFraction is the smallest budget fraction that Efficiency uses: a method that
// uses less than 0.1 % of a budget (a merged LoRA adds no compute, BitFit adds
// none) counts as using 0.1 %, so that M stays finite and comparable.
const MinFraction = 1e-3

// Efficiency returns M = ΔAcc/√(p·c), the gain per geometric-mean budget used, with
// p and c the fractions of the parameter and compute budgets used, each raised to
// at least MinFraction. ΔAcc is in the units of the score (accuracy, R², −RMSE …).
// It returns NaN if p or c is negative or NaN.
func Efficiency(deltaAcc, p, c float64) float64 {
	if !(p >= 0) || !(c >= 0) {
		return math.NaN()
	}
	return deltaAcc / math.Sqrt(math.Max(p, MinFraction)*math.Max(c, MinFraction))
}

// Result is the outcome of one adaptation method in a comparison.
type Result struct {
	Name     string  `json:"name"`
	DeltaAcc float64 `json:"delta_acc"`  // improvement of the score over the base
	Params   float64 `json:"parameters"` // trained parameters
	FLOPs    float64 `json:"extra_flops"`
}

// Comparison is one row of Compare: a result with its budget fractions and M.
type Comparison struct {
	Result
	ParamFraction float64 `json:"param_fraction"`
	FLOPFraction  float64 `json:"flop_fraction"`
	M             float64 `json:"efficiency"`
}

// Compare computes the budget fractions and the efficiency M of every result
// against the budgets (a zero budget field counts the fraction as MinFraction).
func Compare(results []Result, b Budget) []Comparison {
	out := make([]Comparison, len(results))
	for i, r := range results {
		c := Comparison{Result: r}
		if b.Params > 0 {
			c.ParamFraction = r.Params / float64(b.Params)
		}
		if b.FLOPs > 0 {
			c.FLOPFraction = r.FLOPs / float64(b.FLOPs)
		}
		c.M = Efficiency(r.DeltaAcc, c.ParamFraction, c.FLOPFraction)
		out[i] = c
	}
	return out
}
