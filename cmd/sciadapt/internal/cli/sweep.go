package cli

import (
	"context"
	"fmt"
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
	if err := o.validate(); err != nil {
		return err
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
	if _, err := spec.Expand(); err != nil {
		return fmt.Errorf("%s: %v", o.Spec, err)
	}
	ex, err := o.executor()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { <-ctx.Done(); stop() }() // a second Ctrl-C ends the process at once
	r, err := sweep.Sweep(ctx, o.Out, raw, spec, ex, o.Executor, o.Log)
	if err != nil {
		return err
	}
	for _, f := range r.Figures {
		f.WriteText(o.Log)
	}
	fails := r.Failures
	fmt.Fprintf(o.Log, "wrote %s and %s: %d jobs, %d finished, %d failed", r.CSVPath, r.JSONPath, len(r.Jobs), len(r.Jobs)-len(fails), len(fails)-r.NotRun())
	if r.NotRun() > 0 {
		fmt.Fprintf(o.Log, ", %d not run", r.NotRun())
	}
	fmt.Fprintln(o.Log)
	if r.RunErr != nil {
		return fmt.Errorf("sweep stopped: %v (run the same command again to resume)", r.RunErr)
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
		len(fails), len(r.Jobs), strings.Join(names, ", "), filepath.Join(o.Out, sweep.JobsDir, "<name>", sweep.LogFile))
}

// validate checks the flags of sweep that need no file.
func (o *SweepOptions) validate() error {
	switch {
	case o.Executor != "local" && o.Executor != "slurm":
		return usagef("--executor must be local or slurm, not %q", o.Executor)
	case o.Jobs < 0:
		return usagef("--jobs must be 0 (half the cores) or more, not %d", o.Jobs)
	case o.PerTask < 1:
		return usagef("--per-task must be at least 1, not %d", o.PerTask)
	case o.MaxRunning < 0:
		return usagef("--max-running must be 0 (no limit) or more, not %d", o.MaxRunning)
	}
	return nil
}

// executor returns the executor of --executor.
func (o *SweepOptions) executor() (sweep.Executor, error) {
	if o.Executor == "local" {
		return &sweep.Local{Workers: o.Jobs, Runner: sweepRunner, Progress: o.Log}, nil
	}
	bin := o.Binary
	if bin != "" {
		var err error
		if bin, err = filepath.Abs(bin); err != nil {
			return nil, err
		}
	}
	return &sweep.Slurm{Binary: bin, PerTask: o.PerTask, MaxRunning: o.MaxRunning,
		SbatchFlags: o.SbatchFlags, Poll: o.Poll, Progress: o.Log}, nil
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
