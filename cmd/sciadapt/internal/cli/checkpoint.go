package cli

import (
	"io"

	"github.com/spf13/pflag"

	"github.com/sciadapt/sciadapt/train/checkpoint"
)

// CheckpointFlags are the checkpoint flags shared by the training commands.
type CheckpointFlags struct {
	Path   string // --checkpoint: file to write checkpoints to
	Every  int    // --checkpoint-every: steps between checkpoints (0 = every epoch)
	Resume string // --resume: checkpoint to continue from
}

func (c *CheckpointFlags) register(f *pflag.FlagSet) {
	f.StringVar(&c.Path, "checkpoint", "", "write training checkpoints to this file (also on SIGINT/SIGTERM)")
	f.IntVar(&c.Every, "checkpoint-every", 0, "steps between checkpoints (0 = at the end of every epoch; for L-BFGS fits, evaluations, 0 = 10)")
	f.StringVar(&c.Resume, "resume", "", "continue training from this checkpoint (same data, seed and training flags)")
}

// saver returns a checkpoint saver for the flags whose context is cancelled by
// SIGINT or SIGTERM (checkpoint.OnSignal). Call stop when training is over.
// Without --checkpoint, checkpoints go to the --resume file.
func (c *CheckpointFlags) saver() (s *checkpoint.Saver, stop func(), err error) {
	if c.Every < 0 {
		return nil, nil, usagef("--checkpoint-every %d: must be 0 (every epoch) or positive", c.Every)
	}
	s, stop = checkpoint.OnSignal(c.Path, c.Every, c.Resume)
	return s, stop, nil
}

// printCheckpoints reports the number, size and time of the checkpoints written.
func printCheckpoints(w io.Writer, s *checkpoint.Saver) { s.WriteSummary(w) }
