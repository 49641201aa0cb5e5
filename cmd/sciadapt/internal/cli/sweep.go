package cli

import (
	"context"
	"fmt"
	"github.com/sciadapt/sciadapt/internal/plots"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/sweep"
)

// SweepOptions are the flags of "sweep".
type SweepOptions struct {
	Spec, Out, Executor string
	Jobs                int
	// Slurm executor.
	PerTask, MaxRunning int
	SbatchFlags         []string
	Binary              string
	Poll                time.Duration
	Log, Err            io.Writer
}

// NewCmdSweep returns the "sweep" command and its hidden "sweep run-task".
func NewCmdSweep(stdout, stderr io.Writer) *cobra.Command {
	o := &SweepOptions{Log: stdout, Err: stderr}
	cmd := &cobra.Command{
		Use:   "sweep --spec SWEEP.json --out DIR [--executor local|slurm]",
		Short: "Run a grid of adaptations and gather their reports into one table",
		Long: `Expand a sweep spec into jobs of add-element, temperature-tune or transfer, run
them here (--executor local, a pool of --jobs workers) or as ONE Slurm job array
(--executor slurm, --per-task jobs per array task), and gather every report into
DIR/sweep.csv and DIR/sweep.json: one row per job, the varying flags as columns,
then every report value (nested values flattened as "test.energy_mae_ev"; the
wall-clock "seconds" is left out, so the table depends only on the results).

A spec is JSON: the command, the flags every job gets, and a grid (every
combination, the last axis varying fastest) or an explicit list under "jobs":

  {"command": "add-element",
   "args": {"base": "hcn.model", "data": "o_train.h5", "test": "o_test.h5", "epochs": 50},
   "grid": {"element": ["O"], "frames": [10, 50], "seed": [1, 2, 3]}}

  {"command": "temperature-tune",
   "args": {"base": "al6061.model", "data": "al.h5"},
   "jobs": [{"temperature": "100C", "points": 5}, {"temperature": "200C", "points": 10}]}

Job names join the command and the varying flags
(add-element_element=O_frames=10_seed=1); each job writes DIR/jobs/<name>/ with
its report.json, out.adapter and log. --out and --report are set by the sweep.
Relative paths resolve against the current directory (on Slurm too: the tasks
start there, so it must be on storage the nodes share, like DIR).

Running the same sweep again skips every job whose report is complete and whose
flags are unchanged, so an interrupted sweep resumes and a grid can grow in place.
A failed job is listed with its log; the table is still written, with status
"failed" in its row ("not run" for a job that never started), and the exit code
is 1.

With --executor slurm the submitter writes DIR/slurm/sweep.sh, submits it with
"sbatch --parsable --array=0-N%M", waits until the array has left the queue
(polling squeue; Ctrl-C cancels it with scancel), then gathers. It refuses to
submit while an earlier array of the same DIR is still queued.`,
		Example: `  sciadapt sweep --spec o_frames.json --out sweeps/o_frames
  sciadapt sweep --spec o_frames.json --out sweeps/o_frames --jobs 4
  sciadapt sweep --spec al_temps.json --out /scratch/$USER/al_temps --executor slurm --per-task 8 --max-running 20 \
      --sbatch-flag=--partition=short --sbatch-flag=--time=01:00:00`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runSweep(o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Spec, "spec", "", "sweep spec (JSON; see above)")
	f.StringVar(&o.Out, "out", "", "directory for the jobs' files and the table")
	f.StringVar(&o.Executor, "executor", "local", "local (this machine) or slurm (one job array)")
	f.IntVar(&o.Jobs, "jobs", 0, "local: jobs run at once (0 = half the cores, at least 1)")
	f.IntVar(&o.PerTask, "per-task", sweep.DefaultPerTask, "slurm: jobs per array task, run one after the other")
	f.IntVar(&o.MaxRunning, "max-running", 0, "slurm: array tasks running at once, the %M of --array (0 = no limit)")
	f.StringArrayVar(&o.SbatchFlags, "sbatch-flag", nil, "slurm: extra sbatch flag, repeatable (--sbatch-flag=--time=01:00:00)")
	f.StringVar(&o.Binary, "binary", "", "slurm: the sciadapt binary the tasks run, on shared storage (default: this one)")
	f.DurationVar(&o.Poll, "poll", sweep.DefaultPoll, "slurm: time between two squeue calls")
	f.MarkHidden("poll")
	cmd.MarkFlagRequired("spec")
	cmd.MarkFlagRequired("out")
	cmd.AddCommand(newCmdSweepRunTask(stdout))
	return cmd
}

// sweepRunner runs a sciadapt command line in this process.
func sweepRunner(_ context.Context, args []string, stdout, stderr io.Writer) error {
	if code := Main(args, strings.NewReader(""), stdout, stderr); code != 0 {
		return fmt.Errorf("exit code %d", code)
	}
	return nil
}

func runSweep(o *SweepOptions) error {
	switch o.Executor {
	case "local", "slurm":
	default:
		return usagef("--executor must be local or slurm, not %q", o.Executor)
	}
	if o.Jobs < 0 {
		return usagef("--jobs must be 0 (half the cores) or more, not %d", o.Jobs)
	}
	if o.PerTask < 1 {
		return usagef("--per-task must be at least 1, not %d", o.PerTask)
	}
	if o.MaxRunning < 0 {
		return usagef("--max-running must be 0 (no limit) or more, not %d", o.MaxRunning)
	}
	raw, err := os.ReadFile(o.Spec)
	if err != nil {
		return err
	}
	spec, err := sweep.ParseSpec(raw)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Spec, err)
	}
	if err := checkSweepFlags(o.Spec, spec); err != nil {
		return err
	}
	jobs, err := spec.Expand()
	if err != nil {
		return fmt.Errorf("%s: %v", o.Spec, err)
	}
	if err := sweep.WriteSpec(o.Out, raw); err != nil {
		return err
	}
	pending := sweep.Pending(o.Out, spec, jobs)
	var ex sweep.Executor
	switch o.Executor {
	case "local":
		ex = &sweep.Local{Workers: o.Jobs, Runner: sweepRunner, Progress: o.Log}
	case "slurm":
		bin := o.Binary
		if bin != "" {
			if bin, err = filepath.Abs(bin); err != nil {
				return err
			}
		}
		ex = &sweep.Slurm{Binary: bin, PerTask: o.PerTask, MaxRunning: o.MaxRunning,
			SbatchFlags: o.SbatchFlags, Poll: o.Poll, Progress: o.Log}
	}
	fmt.Fprintf(o.Log, "sweep of %d %s jobs: %d finished earlier, %d to run (%s)\n",
		len(jobs), spec.Command, len(jobs)-len(pending), len(pending), o.Executor)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { <-ctx.Done(); stop() }() // a second Ctrl-C ends the process at once
	runErr := ex.Run(ctx, o.Out, spec, pending)

	table, err := sweep.Gather(o.Out, spec, jobs)
	if err != nil {
		return err
	}
	csvPath, jsonPath, err := table.WriteFiles(o.Out)
	if err != nil {
		return err
	}
	figs := sweep.Summaries(spec, table)
	printSweepSummaries(o.Log, figs)
	if err := drawSweepSummaries(filepath.Join(o.Out, "plots"), figs); err != nil {
		return err
	}
	fails := sweep.Failures(o.Out, spec, jobs)
	notRun := 0
	for _, f := range fails {
		if !f.Started {
			notRun++
		}
	}
	fmt.Fprintf(o.Log, "wrote %s and %s: %d jobs, %d finished, %d failed", csvPath, jsonPath, len(jobs), len(jobs)-len(fails), len(fails)-notRun)
	if notRun > 0 {
		fmt.Fprintf(o.Log, ", %d not run", notRun)
	}
	fmt.Fprintln(o.Log)
	if runErr != nil {
		return fmt.Errorf("sweep stopped: %v (run the same command again to resume)", runErr)
	}
	if len(fails) == 0 {
		return nil
	}
	names := make([]string, len(fails))
	for i, f := range fails {
		names[i] = f.Job.Name
		if f.Log == "" {
			fmt.Fprintf(o.Err, "job %s failed: %s and left no log (see the Slurm task output in %s)\n", f.Job.Name, f.Reason, filepath.Join(o.Out, sweep.SlurmDir))
			continue
		}
		fmt.Fprintf(o.Err, "job %s failed: %s; %s ends:\n    %s\n", f.Job.Name, f.Reason, f.Log, strings.ReplaceAll(f.Tail, "\n", "\n    "))
	}
	return fmt.Errorf("%d of %d jobs failed: %s (logs in %s; run the same command again to retry only these)",
		len(fails), len(jobs), strings.Join(names, ", "), filepath.Join(o.Out, sweep.JobsDir, "<name>", sweep.LogFile))
}

// checkSweepFlags refuses a spec that sets a flag its command does not have.
func checkSweepFlags(path string, spec *sweep.Spec) error {
	root := NewRootCmd(strings.NewReader(""), io.Discard, io.Discard)
	c, _, err := root.Find([]string{spec.Command})
	if err != nil || c == root {
		return fmt.Errorf("%s: sciadapt has no command %q", path, spec.Command)
	}
	for _, n := range spec.FlagNames() {
		if c.Flags().Lookup(n) == nil {
			return fmt.Errorf("%s: %s has no flag --%s (see \"sciadapt %s --help\")", path, spec.Command, n, spec.Command)
		}
	}
	return nil
}

// SweepRunTaskOptions are the flags of the hidden "sweep run-task".
type SweepRunTaskOptions struct {
	Out       string
	TaskIndex int
	Log       io.Writer
}

func newCmdSweepRunTask(out io.Writer) *cobra.Command {
	o := &SweepRunTaskOptions{Log: out}
	cmd := &cobra.Command{
		Use:    "run-task --out DIR --task-index I",
		Short:  "Run the jobs of one Slurm array task of a sweep (used by the batch script)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return sweep.RunTask(context.Background(), o.Out, o.TaskIndex, sweepRunner, o.Log)
		},
	}
	cmd.Flags().StringVar(&o.Out, "out", "", "the sweep directory")
	cmd.Flags().IntVar(&o.TaskIndex, "task-index", -1, "the array task index ($SLURM_ARRAY_TASK_ID)")
	cmd.MarkFlagRequired("out")
	cmd.MarkFlagRequired("task-index")
	return cmd
}

// printSweepSummaries writes each summary figure as text: one line per combination
// of the other flags, the mean metric at each value of the numeric flag and the
// number of jobs it is over.
func printSweepSummaries(w io.Writer, figs []sweep.Figure) {
	for _, f := range figs {
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
}

// drawSweepSummaries draws each summary figure as a learning curve into dir, as
// <metric column>_vs_<flag>.png, and returns the first error.
func drawSweepSummaries(dir string, figs []sweep.Figure) error {
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
