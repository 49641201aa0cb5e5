package plots

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// ROCCurve is one classifier's scores on labelled examples: Labels[i] is true for
// a positive, Scores[i] is higher for "more likely positive" (a logit or a
// probability). Labels and Scores have equal lengths.
type ROCCurve struct {
	Label  string
	Labels []bool
	Scores []float64
}

// ROCOptions configure ROC.
type ROCOptions struct {
	Title string
}

// ROCPoints returns the receiver operating characteristic of scores: the
// false-positive and true-positive rates at every distinct threshold, from (0, 0)
// to (1, 1), tied scores stepping together, and the area under the curve by the
// trapezoidal rule. Examples with a NaN score are left out. Without both a
// positive and a negative it returns nil, nil and NaN. It panics if labels and
// scores have different lengths.
func ROCPoints(labels []bool, scores []float64) (fpr, tpr []float64, auroc float64) {
	if len(labels) != len(scores) {
		panic(fmt.Sprintf("plots: %d labels but %d scores", len(labels), len(scores)))
	}
	idx := make([]int, 0, len(scores))
	pos, neg := 0, 0
	for i, s := range scores {
		if math.IsNaN(s) {
			continue
		}
		idx = append(idx, i)
		if labels[i] {
			pos++
		} else {
			neg++
		}
	}
	if pos == 0 || neg == 0 {
		return nil, nil, math.NaN()
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
	fpr, tpr = []float64{0}, []float64{0}
	tp, fp := 0, 0
	for k := 0; k < len(idx); {
		s := scores[idx[k]]
		for ; k < len(idx) && scores[idx[k]] == s; k++ {
			if labels[idx[k]] {
				tp++
			} else {
				fp++
			}
		}
		fpr = append(fpr, float64(fp)/float64(neg))
		tpr = append(tpr, float64(tp)/float64(pos))
	}
	for i := 1; i < len(fpr); i++ {
		auroc += (fpr[i] - fpr[i-1]) * (tpr[i] + tpr[i-1]) / 2
	}
	return fpr, tpr, auroc
}

// ROC draws the ROC curve of each classifier, with its AUROC and numbers of
// positives and negatives in the legend, and the diagonal of a classifier that
// guesses, and writes the figure as a PNG to path. A curve without both classes
// is not drawn; the legend says so. It returns an error if the file cannot be
// written, and panics if a curve has labels and scores of different lengths.
func ROC(path string, curves []ROCCurve, opts *ROCOptions) error {
	var o ROCOptions
	if opts != nil {
		o = *opts
	}
	f := newFigure(o.Title, "false-positive rate", "true-positive rate")
	f.p.X.Min, f.p.X.Max, f.p.Y.Min, f.p.Y.Max = 0, 1, 0, 1
	f.p.X.Tick.Marker = plot.ConstantTicks(unitTicks())
	f.p.Y.Tick.Marker = plot.ConstantTicks(unitTicks())
	chance, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	if err != nil {
		return err
	}
	chance.Color, chance.Width = grey, vg.Points(1.2)
	chance.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	f.p.Add(chance)
	f.lines = append(f.lines, plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	// Counts of positives and negatives go in each entry, or once beside the
	// chance line when every curve has the same.
	type count struct{ pos, neg int }
	counts := make([]count, len(curves))
	same := true
	for i, c := range curves {
		if len(c.Labels) != len(c.Scores) {
			panic(fmt.Sprintf("plots: ROC curve %q has %d labels but %d scores", c.Label, len(c.Labels), len(c.Scores)))
		}
		for k, l := range c.Labels {
			switch {
			case math.IsNaN(c.Scores[k]):
			case l:
				counts[i].pos++
			default:
				counts[i].neg++
			}
		}
		same = same && counts[i] == counts[0]
	}
	for i, c := range curves {
		fpr, tpr, auc := ROCPoints(c.Labels, c.Scores)
		l, err := plotter.NewLine(plotter.XYs{{}})
		if err != nil {
			return err
		}
		// Later curves are thinner, so that a curve drawn over an earlier one
		// leaves it visible at its edges.
		l.Color, l.Width = Color(i), vg.Points(max(4-1.6*float64(i), 1.3))
		n := ""
		if !same {
			n = fmt.Sprintf(" (%d+, %d−)", counts[i].pos, counts[i].neg)
		}
		if fpr == nil {
			f.add(fmt.Sprintf("%s: AUROC undefined%s", c.Label, n), l)
			continue
		}
		xy := make(plotter.XYs, len(fpr))
		for k := range fpr {
			xy[k] = plotter.XY{X: fpr[k], Y: tpr[k]}
		}
		l.XYs = xy
		f.p.Add(l)
		f.lines = append(f.lines, xy)
		f.add(fmt.Sprintf("%s: AUROC %.3f%s", c.Label, auc, n), l)
	}
	if same && len(curves) > 0 {
		f.add(fmt.Sprintf("chance: AUROC 0.5 (%d+, %d−)", counts[0].pos, counts[0].neg), chance)
		return f.save(path)
	}
	f.add("chance: AUROC 0.5", chance)
	return f.save(path)
}

func unitTicks() []plot.Tick {
	var t []plot.Tick
	for i := 0; i <= 10; i++ {
		v := float64(i) / 10
		lab := ""
		if i%2 == 0 {
			lab = fmt.Sprintf("%g", v)
		}
		t = append(t, plot.Tick{Value: v, Label: lab})
	}
	return t
}
