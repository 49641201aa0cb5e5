package checkpoint

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// OnSignal returns a saver writing checkpoints to path (to resume when path is
// "") every steps (0: every epoch), resuming from resume ("" starts afresh),
// whose Context is cancelled by SIGINT or SIGTERM: training then finishes its
// step, writes a checkpoint (if it has a file) and stops with an *Interrupted
// error. The first signal restores the default action, so a second one kills the
// process at once. Call stop when training is over.
func OnSignal(path string, every int, resume string) (s *Saver, stop func()) {
	if path == "" {
		path = resume
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
	return &Saver{Path: path, Every: every, ResumeFrom: resume, Context: ctx}, func() { close(done); cancel() }
}

// WriteSummary writes the number of checkpoints written, the size of the last
// and the mean time per checkpoint; nothing if none was written.
func (s *Saver) WriteSummary(w io.Writer) {
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
