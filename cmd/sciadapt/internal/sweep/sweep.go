package sweep

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sciadapt/sciadapt/internal/plots"
)

// Result is what Sweep did: every job of the spec, the ones that have not
// finished, the table files and the summary figures.
type Result struct {
	Jobs, Pending     []Job
	Failures          []Failure
	CSVPath, JSONPath string
	Figures           []Figure
	// RunErr is the executor's error (an interruption, a failed submission): the
	// table is still gathered from the jobs that finished.
	RunErr error
}

// NotRun counts the failures of jobs that never started.
func (r *Result) NotRun() int {
	n := 0
	for _, f := range r.Failures {
		if !f.Started {
			n++
		}
	}
	return n
}

// Sweep runs a sweep into dir: it records the spec (raw, as read), runs the jobs
// that have not finished with ex, gathers every report into dir/sweep.csv and
// dir/sweep.json, and draws the summary figures into dir/plots. It reports on log
// how many jobs run. It returns an error only when the table or the figures
// cannot be written; failed jobs and the executor's error are in the Result.
func Sweep(ctx context.Context, dir string, raw []byte, spec *Spec, ex Executor, executor string, log io.Writer) (*Result, error) {
	jobs, err := spec.Expand()
	if err != nil {
		return nil, err
	}
	if err := WriteSpec(dir, raw); err != nil {
		return nil, err
	}
	r := &Result{Jobs: jobs, Pending: Pending(dir, spec, jobs)}
	fmt.Fprintf(log, "sweep of %d %s jobs: %d finished earlier, %d to run (%s)\n",
		len(jobs), spec.Command, len(jobs)-len(r.Pending), len(r.Pending), executor)
	r.RunErr = ex.Run(ctx, dir, spec, r.Pending)
	table, err := Gather(dir, spec, jobs)
	if err != nil {
		return nil, err
	}
	if r.CSVPath, r.JSONPath, err = table.WriteFiles(dir); err != nil {
		return nil, err
	}
	r.Figures = Summaries(spec, table)
	if err := DrawFigures(filepath.Join(dir, "plots"), r.Figures); err != nil {
		return nil, err
	}
	r.Failures = Failures(dir, spec, jobs)
	return r, nil
}

// WriteText writes the figure as text: one line per combination of the other
// flags, the mean metric at each value of the numeric flag and the number of
// jobs it is over.
func (f Figure) WriteText(w io.Writer) {
	fmt.Fprintf(w, "%s against %s, mean over the finished jobs (how many in brackets):\n", f.Metric.Label, f.X)
	for _, l := range f.Lines {
		label := l.Label
		if label == "" {
			label = "all"
		}
		fmt.Fprintf(w, "  %s:", label)
		for i := range l.X {
			fmt.Fprintf(w, "  %g → %.4g (%d)", l.X[i], l.Y[i], l.N[i])
		}
		fmt.Fprintln(w)
	}
}

// DrawFigures draws each summary figure as a learning curve into dir, as
// <metric column>_vs_<flag>.png, and returns the first error.
func DrawFigures(dir string, figs []Figure) error {
	if len(figs) == 0 {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range figs {
		var series []plots.Series
		for _, l := range f.Lines {
			label := l.Label
			if label == "" {
				label = f.Metric.Label
			}
			series = append(series, plots.Series{Label: label, X: l.X, Y: l.Y})
		}
		name := strings.NewReplacer("/", "_", ".", "_").Replace(f.Metric.Column) + "_vs_" + f.X + ".png"
		if err := plots.LearningCurve(filepath.Join(dir, name), series, &plots.CurvesOptions{
			XLabel: f.X, YLabel: f.Metric.Label, Title: "mean over finished jobs"}); err != nil {
			return fmt.Errorf("%s: %v", filepath.Join(dir, name), err)
		}
	}
	return nil
}
