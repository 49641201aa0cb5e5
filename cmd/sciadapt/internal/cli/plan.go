package cli

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/adapters"
)

// PlanOptions are the flags of "plan".
type PlanOptions struct {
	Candidates string // candidates JSON file
	Out        string // plan JSON file to write
	MaxParams  string // parameter budget ("" = no limit); integers or 2e5
	MaxFLOPs   string // compute budget, in the candidates' unit
	MaxCells   int    // bound on the dynamic programme's table
	Seed       uint64
	Report     string
	Stdout     io.Writer
}

// NewCmdPlan returns the "plan" command.
func NewCmdPlan(out io.Writer) *cobra.Command {
	o := &PlanOptions{Stdout: out}
	cmd := &cobra.Command{
		Use:   "plan --candidates CANDIDATES.json --max-params N [--max-flops F] --out PLAN.json",
		Short: "Choose where to place adapters within parameter and compute budgets",
		Long: `Choose, from candidate placements (method × layer × rank, each with a cost in
parameters and in compute and a measured or estimated gain), the set with the largest
total gain within the budgets: a 0/1 knapsack with at most one candidate per method
and site (one LoRA rank per layer), solved exactly by dynamic programming when the
table fits (one budget: 1-D, two budgets: 2-D), otherwise on a coarser cost grid
with a stated bracket [gain, upper bound] for the optimum.

The candidates file is JSON:

  {"base_parameters": 120000,
   "candidates": [
     {"name": "lora:interaction.0.update.0:r4", "method": "lora",
      "site": "interaction.0.update.0", "rank": 4,
      "param_cost": 512, "flop_cost": 1088, "gain": 0.031},
     {"name": "bitfit", "method": "bitfit", "param_cost": 737, "flop_cost": 0, "gain": 0.004}]}

Costs are integers in one unit per budget (parameters; FLOPs per row or per
reference batch); gains add up (loss decreases, ΔAcc). Candidates with a gain ≤ 0
are never chosen. The plan is printed as a table, with each placement's efficiency
M = gain/√(p·c) (p, c its fractions of the budgets, at least 0.001 each), and
written as JSON (the adapters.Plan type, format "sciadapt-plan") for the commands
that train adapters to read.
The plan is deterministic; --seed is accepted like every command's.`,
		Example: `  sciadapt plan --candidates candidates.json --max-params 20000 --out plan.json
  sciadapt plan --candidates candidates.json --max-params 2e4 --max-flops 1e6 --out plan.json --report plan_report.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runPlan(o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Candidates, "candidates", "", "candidates JSON file (required)")
	f.StringVar(&o.Out, "out", "", "plan JSON file to write (required)")
	f.StringVar(&o.MaxParams, "max-params", "", "parameter budget, e.g. 20000 or 2e4")
	f.StringVar(&o.MaxFLOPs, "max-flops", "", "compute budget, in the unit of the candidates' flop_cost")
	f.IntVar(&o.MaxCells, "max-cells", 1<<22, "largest dynamic-programming table before costs go on a coarser grid")
	f.Uint64Var(&o.Seed, "seed", 1, "seed (the plan does not depend on it)")
	f.StringVar(&o.Report, "report", "", "write a JSON report here")
	_ = cmd.MarkFlagRequired("candidates")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

// planParseBudget reads a non-negative integer budget written as 20000 or 2e4; "" is no
// limit.
func planParseBudget(flag, s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || v <= 0 || v != math.Trunc(v) || v > 1<<62 {
		return 0, usagef("--%s %q: give a positive whole number such as 20000 or 2e4", flag, s)
	}
	return int64(v), nil
}

func runPlan(o *PlanOptions) error {
	start := time.Now()
	if err := checkOutputs("out", o.Out, "report", o.Report); err != nil {
		return err
	}
	if o.Candidates == "" || o.Out == "" {
		return usagef("--candidates and --out are required")
	}
	var (
		b   adapters.Budget
		err error
	)
	if b.Params, err = planParseBudget("max-params", o.MaxParams); err != nil {
		return err
	}
	if b.FLOPs, err = planParseBudget("max-flops", o.MaxFLOPs); err != nil {
		return err
	}
	if b.Params == 0 && b.FLOPs == 0 {
		return usagef("give a budget: --max-params, --max-flops or both")
	}
	if o.MaxCells < 64 {
		return usagef("--max-cells %d is too small (at least 64)", o.MaxCells)
	}
	cf, err := adapters.ReadCandidates(o.Candidates)
	if err != nil {
		return err
	}
	plan, err := adapters.Solve(cf.Candidates, b, &adapters.SolveOptions{MaxCells: o.MaxCells})
	if err != nil {
		return fmt.Errorf("%s: %v", o.Candidates, err)
	}
	if err := adapters.WritePlan(o.Out, plan); err != nil {
		return err
	}
	w := o.Stdout
	if w == nil {
		w = io.Discard
	}
	total := adapters.Compare([]adapters.Result{{DeltaAcc: plan.Gain, Params: float64(plan.ParamCost), FLOPs: float64(plan.FLOPCost)}}, b)[0]
	printPlan(w, plan, cf, total)
	fmt.Fprintf(w, "wrote %s\n", o.Out)

	return writeReport(o.Report, planReport{TrainableParameters: plan.ParamCost, TotalParameters: cf.BaseParams + plan.ParamCost,
		BaseParameters: cf.BaseParams, Seconds: time.Since(start).Seconds(), Candidates: o.Candidates, Plan: plan,
		ParamFraction: total.ParamFraction, FLOPFraction: total.FLOPFraction, Efficiency: total.M})
}

// planReport is the report of "plan".
type planReport struct {
	TrainableParameters int64          `json:"trainable_parameters"`
	TotalParameters     int64          `json:"total_parameters"`
	BaseParameters      int64          `json:"base_parameters"`
	Seconds             float64        `json:"seconds"`
	Candidates          string         `json:"candidates"`
	Plan                *adapters.Plan `json:"plan"`
	ParamFraction       float64        `json:"param_fraction"`
	FLOPFraction        float64        `json:"flop_fraction"`
	Efficiency          float64        `json:"efficiency"`
}

// printPlan prints the chosen placements as a table and the totals.
func printPlan(w io.Writer, p *adapters.Plan, cf *adapters.CandidateFile, total adapters.Comparison) {
	rows := make([]adapters.Result, len(p.Chosen))
	for i, c := range p.Chosen {
		rows[i] = adapters.Result{Name: c.Name, DeltaAcc: c.Gain, Params: float64(c.Params), FLOPs: float64(c.FLOPs)}
	}
	eff := adapters.Compare(rows, p.Budget)
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
		strconv.FormatInt(p.FLOPCost, 10), fmt.Sprintf("%.4g", p.Gain), fmt.Sprintf("%.3g", total.M)})
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
			if j < 3 { // text columns left-aligned, numbers right-aligned
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

	fmt.Fprintf(w, "chose %d of %d candidates: %s, %s\n", len(p.Chosen), p.Candidates,
		planBudgetUse(p.ParamCost, p.Budget.Params, "parameters"), planBudgetUse(p.FLOPCost, p.Budget.FLOPs, "FLOPs"))
	if cf.BaseParams > 0 {
		fmt.Fprintf(w, "the base model has %d parameters; the plan trains %.3g %% of them\n", cf.BaseParams, 100*float64(p.ParamCost)/float64(cf.BaseParams))
	}
	if p.Exact {
		fmt.Fprintf(w, "total gain %.6g, optimal (%s)\n", p.Gain, p.Solver)
	} else {
		fmt.Fprintf(w, "total gain %.6g; the optimum lies in [%.6g, %.6g] (%s)\n", p.Gain, p.Gain, p.GainUpperBound, p.Solver)
	}
}

func planBudgetUse(used, budget int64, unit string) string {
	if budget == 0 {
		return fmt.Sprintf("%d %s (no limit)", used, unit)
	}
	return fmt.Sprintf("%d of %d %s (%.1f %%)", used, budget, unit, 100*float64(used)/float64(budget))
}
