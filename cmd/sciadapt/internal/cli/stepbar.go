package cli

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// stepBar is a progress bar over a known number of steps, drawn only when its
// writer is a terminal; otherwise (files, pipes, tests) it does nothing.
type stepBar struct{ bar *progressbar.ProgressBar }

// newStepBar returns a bar of n steps on w with the description desc.
func newStepBar(w io.Writer, n int, desc string) *stepBar {
	f, ok := w.(*os.File)
	if !ok || n <= 0 || !term.IsTerminal(int(f.Fd())) {
		return &stepBar{}
	}
	return &stepBar{bar: progressbar.NewOptions(n,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("steps"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

func (b *stepBar) add(n int) {
	if b.bar != nil {
		b.bar.Add(n)
	}
}

func (b *stepBar) finish() {
	if b.bar != nil {
		b.bar.Finish()
	}
}
