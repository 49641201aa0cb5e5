package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

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
// SIGINT or SIGTERM: training then finishes its step, writes a checkpoint (if it
// has a file) and stops with an error naming it. A second signal kills the process
// at once. Call stop when training is over. Without --checkpoint, checkpoints go to
// the --resume file.
func (c *CheckpointFlags) saver() (s *checkpoint.Saver, stop func(), err error) {
	if c.Every < 0 {
		return nil, nil, usagef("--checkpoint-every %d: must be 0 (every epoch) or positive", c.Every)
	}
	path := c.Path
	if path == "" {
		path = c.Resume
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			cancel() // restore the default action: a second signal kills
		case <-done:
		}
	}()
	stop = func() { close(done); cancel() }
	return &checkpoint.Saver{Path: path, Every: c.Every, ResumeFrom: c.Resume, Context: ctx}, stop, nil
}

// printCheckpoints reports the number, size and time of the checkpoints written.
func printCheckpoints(w io.Writer, s *checkpoint.Saver) {
	ws := s.Writes()
	if len(ws) == 0 {
		return
	}
	var secs float64
	for _, x := range ws {
		secs += x.Seconds
	}
	fmt.Fprintf(w, "wrote %d checkpoints to %s (%d bytes, %.4f s each on average)\n", len(ws), s.Path, ws[len(ws)-1].Bytes, secs/float64(len(ws)))
}
