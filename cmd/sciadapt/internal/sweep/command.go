package sweep

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/usage"
)

// Options are the inputs of the sweep command.
type Options struct {
	Spec, Out, Executor string // the spec file, the sweep directory, "local" or "slurm"
	Jobs                int    // local: jobs run at once (0: DefaultWorkers)
	// Slurm executor.
	PerTask, MaxRunning int
	SbatchFlags         []string
	Binary              string
	Poll                time.Duration
	Log, Err            io.Writer // progress and the table; the failed jobs
	// Runner runs a job's command line in this process (the local executor).
	Runner Runner
	// CheckFlags, if set, refuses a spec that sets a flag its command does not
	// have; path is the spec file, for the message.
	CheckFlags func(path string, s *Spec) error
}

// Run reads and checks the spec, runs the sweep into Out with the executor
// (Sweep) until ctx ends, and writes its summary. It returns the sweep's error
// (Result.Err) after writing every failure to Err.
func (o *Options) Run(ctx context.Context) error {
	if err := o.validate(); err != nil {
		return err
	}
	raw, err := os.ReadFile(o.Spec)
	if err != nil {
		return err
	}
	spec, err := ParseSpec(raw)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Spec, err)
	}
	if o.CheckFlags != nil {
		if err := o.CheckFlags(o.Spec, spec); err != nil {
			return err
		}
	}
	if _, err := spec.Expand(); err != nil {
		return fmt.Errorf("%s: %v", o.Spec, err)
	}
	ex, err := o.executor()
	if err != nil {
		return err
	}
	r, err := Sweep(ctx, o.Out, raw, spec, ex, o.Executor, o.Log)
	if err != nil {
		return err
	}
	r.WriteSummary(o.Log)
	return r.Err(o.Out, o.Err)
}

// validate checks the options that need no file.
func (o *Options) validate() error {
	switch {
	case o.Executor != "local" && o.Executor != "slurm":
		return usage.Errorf("--executor must be local or slurm, not %q", o.Executor)
	case o.Jobs < 0:
		return usage.Errorf("--jobs must be 0 (half the cores) or more, not %d", o.Jobs)
	case o.PerTask < 1:
		return usage.Errorf("--per-task must be at least 1, not %d", o.PerTask)
	case o.MaxRunning < 0:
		return usage.Errorf("--max-running must be 0 (no limit) or more, not %d", o.MaxRunning)
	}
	return nil
}

// executor returns the executor of o.Executor.
func (o *Options) executor() (Executor, error) {
	if o.Executor == "local" {
		return &Local{Workers: o.Jobs, Runner: o.Runner, Progress: o.Log}, nil
	}
	bin := o.Binary
	if bin != "" {
		var err error
		if bin, err = filepath.Abs(bin); err != nil {
			return nil, err
		}
	}
	return &Slurm{Binary: bin, PerTask: o.PerTask, MaxRunning: o.MaxRunning,
		SbatchFlags: o.SbatchFlags, Poll: o.Poll, Progress: o.Log}, nil
}
