package sweep

import (
	"encoding/json"
	"sort"
	"strings"
)

// headline returns the table columns a summary figure of command shows, with
// their units, in this order when present.
func headline(command string) []Metric {
	switch command {
	case "add-element":
		return []Metric{
			{"test.force_mae_ev_per_angstrom", "test force MAE (eV/Å)"},
			{"test.energy_mae_ev_per_atom", "test energy MAE (eV/atom)"},
		}
	case "temperature-tune":
		return []Metric{{"stress_rmse_mpa", "stress RMSE on the other specimens (MPa)"}}
	case "transfer":
		return []Metric{
			{"test.auroc", "test AUROC"},
			{"test.auprc", "test AUPRC"},
			{"test.mse", "test MSE"},
			{"test.ci", "test concordance index"},
		}
	}
	return nil
}

// Metric names a table column and the axis label for it, with its unit.
type Metric struct {
	Column, Label string
}

// Line is one line of a summary figure: the mean of a metric at each value of a
// numeric flag, for one combination of the other varying flags.
type Line struct {
	// Label names the other flags' values, as in "temperature=200C"; "" when
	// there are none.
	Label string
	// X holds the flag's values in increasing order, Y the mean of the metric
	// over the finished jobs at each, and N how many jobs that mean is over
	// (the seeds, when "seed" is an axis).
	X, Y []float64
	N    []int
}

// Figure is a metric against one numeric flag, one line per combination of the
// other varying flags except seed.
type Figure struct {
	X      string // the flag, such as "frames"
	Metric Metric
	Lines  []Line
}

// Summaries returns the summary figures a table supports: for each varying flag
// other than seed whose values are all numbers and that takes two values or
// more, and each headline metric of the command found in the table, the metric
// against that flag. Rows that did not finish, and null metrics, are left out;
// lines are in order of first appearance in the table.
func Summaries(s *Spec, t *Table) []Figure {
	col := map[string]int{}
	for i, c := range t.Columns {
		col[c] = i
	}
	number := func(v json.RawMessage) (float64, bool) {
		var x float64
		if len(v) == 0 || v[0] == '"' || string(v) == "null" || json.Unmarshal(v, &x) != nil {
			return 0, false
		}
		return x, true
	}
	var xs []string
	for _, c := range s.Columns() {
		if c == "seed" {
			continue
		}
		distinct := map[float64]bool{}
		numeric := true
		for _, r := range t.Rows {
			x, ok := number(r[col[c]])
			if !ok && r[col[c]] != nil {
				numeric = false
			}
			if ok {
				distinct[x] = true
			}
		}
		if numeric && len(distinct) >= 2 {
			xs = append(xs, c)
		}
	}
	var figs []Figure
	for _, x := range xs {
		for _, m := range headline(s.Command) {
			mc, ok := col[m.Column]
			if !ok {
				continue
			}
			type acc struct {
				sum map[float64]float64
				n   map[float64]int
			}
			var labels []string
			groups := map[string]*acc{}
			for _, r := range t.Rows {
				if string(r[1]) != `"ok"` {
					continue
				}
				xv, ok1 := number(r[col[x]])
				yv, ok2 := number(r[mc])
				if !ok1 || !ok2 {
					continue
				}
				var parts []string
				for _, c := range s.Columns() {
					if c != x && c != "seed" && r[col[c]] != nil {
						parts = append(parts, c+"="+valueText(r[col[c]]))
					}
				}
				label := strings.Join(parts, ", ")
				g := groups[label]
				if g == nil {
					g = &acc{map[float64]float64{}, map[float64]int{}}
					groups[label] = g
					labels = append(labels, label)
				}
				g.sum[xv] += yv
				g.n[xv]++
			}
			if len(labels) == 0 {
				continue
			}
			f := Figure{X: x, Metric: m}
			for _, label := range labels {
				g := groups[label]
				l := Line{Label: label}
				for xv := range g.sum {
					l.X = append(l.X, xv)
				}
				sort.Float64s(l.X)
				for _, xv := range l.X {
					l.Y = append(l.Y, g.sum[xv]/float64(g.n[xv]))
					l.N = append(l.N, g.n[xv])
				}
				f.Lines = append(f.Lines, l)
			}
			figs = append(figs, f)
		}
	}
	return figs
}
