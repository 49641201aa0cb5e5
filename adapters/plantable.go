package adapters

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Total returns the comparison of the plan as a whole within its budget: its
// fractions of the budgets and its efficiency M (Compare).
func (p *Plan) Total() Comparison {
	return Compare([]Result{{DeltaAcc: p.Gain, Params: float64(p.ParamCost), FLOPs: float64(p.FLOPCost)}}, p.Budget)[0]
}

// WriteTable writes the chosen placements of p as a table (name, method, site,
// rank, parameters, FLOPs, gain and efficiency M, text left-aligned and numbers
// right-aligned), a row of totals, then the budgets used, the share of a base
// model of baseParams parameters trained (if baseParams > 0) and the total gain
// with its optimality.
func (p *Plan) WriteTable(w io.Writer, baseParams int64) {
	rows := make([]Result, len(p.Chosen))
	for i, c := range p.Chosen {
		rows[i] = Result{Name: c.Name, DeltaAcc: c.Gain, Params: float64(c.Params), FLOPs: float64(c.FLOPs)}
	}
	eff := Compare(rows, p.Budget)
	table := [][]string{{"name", "method", "site", "rank", "params", "flops", "gain", "M"}}
	for i, c := range p.Chosen {
		site, rank := c.Site, "-"
		if site == "" {
			site = "-"
		}
		if c.Rank > 0 {
			rank = strconv.Itoa(c.Rank)
		}
		table = append(table, []string{c.Name, string(c.Method), site, rank, strconv.FormatInt(c.Params, 10),
			strconv.FormatInt(c.FLOPs, 10), fmt.Sprintf("%.4g", c.Gain), fmt.Sprintf("%.3g", eff[i].M)})
	}
	table = append(table, []string{"total", "", "", "", strconv.FormatInt(p.ParamCost, 10),
		strconv.FormatInt(p.FLOPCost, 10), fmt.Sprintf("%.4g", p.Gain), fmt.Sprintf("%.3g", p.Total().M)})
	writeAligned(w, table, 3)
	fmt.Fprintf(w, "chose %d of %d candidates: %s, %s\n", len(p.Chosen), p.Candidates,
		budgetUse(p.ParamCost, p.Budget.Params, "parameters"), budgetUse(p.FLOPCost, p.Budget.FLOPs, "FLOPs"))
	if baseParams > 0 {
		fmt.Fprintf(w, "the base model has %d parameters; the plan trains %.3g %% of them\n", baseParams, 100*float64(p.ParamCost)/float64(baseParams))
	}
	if p.Exact {
		fmt.Fprintf(w, "total gain %.6g, optimal (%s)\n", p.Gain, p.Solver)
	} else {
		fmt.Fprintf(w, "total gain %.6g; the optimum lies in [%.6g, %.6g] (%s)\n", p.Gain, p.Gain, p.GainUpperBound, p.Solver)
	}
}

// writeAligned writes table with columns two spaces apart, the first text
// columns left-aligned and the others right-aligned, without trailing spaces.
func writeAligned(w io.Writer, table [][]string, text int) {
	width := make([]int, len(table[0]))
	for _, row := range table {
		for j, cell := range row {
			width[j] = max(width[j], len([]rune(cell)))
		}
	}
	for _, row := range table {
		var b strings.Builder
		for j, cell := range row {
			pad := strings.Repeat(" ", width[j]-len([]rune(cell)))
			if j < text {
				b.WriteString(cell + pad)
			} else {
				b.WriteString(pad + cell)
			}
			if j+1 < len(row) {
				b.WriteString("  ")
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func budgetUse(used, budget int64, unit string) string {
	if budget == 0 {
		return fmt.Sprintf("%d %s (no limit)", used, unit)
	}
	return fmt.Sprintf("%d of %d %s (%.1f %%)", used, budget, unit, 100*float64(used)/float64(budget))
}

// PlanReport is the report of "plan": the parameters the plan trains and those
// of the base with them, the candidates file, the plan, its fractions of the
// budgets and its efficiency M.
type PlanReport struct {
	TrainableParameters int64   `json:"trainable_parameters"`
	TotalParameters     int64   `json:"total_parameters"`
	BaseParameters      int64   `json:"base_parameters"`
	Seconds             float64 `json:"seconds"` // set by the caller
	Candidates          string  `json:"candidates"`
	Plan                *Plan   `json:"plan"`
	ParamFraction       float64 `json:"param_fraction"`
	FLOPFraction        float64 `json:"flop_fraction"`
	Efficiency          float64 `json:"efficiency"`
}

// NewPlanReport returns the report of plan p solved from the candidates file cf
// at path candidates.
func NewPlanReport(p *Plan, cf *CandidateFile, candidates string) PlanReport {
	t := p.Total()
	return PlanReport{TrainableParameters: p.ParamCost, TotalParameters: cf.BaseParams + p.ParamCost, BaseParameters: cf.BaseParams,
		Candidates: candidates, Plan: p, ParamFraction: t.ParamFraction, FLOPFraction: t.FLOPFraction, Efficiency: t.M}
}
