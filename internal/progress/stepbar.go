package progress

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// StepBar is a progress bar over a known number of fast steps (molecular
// dynamics, relaxation), throttled to a redraw every 100 ms and drawn only when
// its writer is a terminal; otherwise (files, pipes, tests) it does nothing. The
// zero value draws nothing.
type StepBar struct{ bar *progressbar.ProgressBar }

// NewStepBar returns a bar of n steps on w with the description desc.
func NewStepBar(w io.Writer, n int, desc string) *StepBar {
	f, ok := w.(*os.File)
	if !ok || n <= 0 || !term.IsTerminal(int(f.Fd())) {
		return &StepBar{}
	}
	return &StepBar{bar: progressbar.NewOptions(n,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("steps"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

// Add advances the bar by n steps.
func (b *StepBar) Add(n int) {
	if b.bar != nil {
		b.bar.Add(n)
	}
}

// Finish completes the bar and clears it.
func (b *StepBar) Finish() {
	if b.bar != nil {
		b.bar.Finish()
	}
}
