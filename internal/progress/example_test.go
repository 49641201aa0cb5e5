package progress_test

import (
	"math"
	"os"
	"time"

	"github.com/sciadapt/sciadapt/internal/progress"
)

// A command reports its training epochs; with JSON set, each event is one line.
func Example() {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return t0 } // a fixed clock, so "done" takes 0 s
	p := progress.New(os.Stdout, progress.Options{Command: "train potential", JSON: true, Now: clock})
	p.Start(2, "epochs")
	p.Step(progress.Fields{Epoch: 1, Loss: 0.5, Seconds: 1.25})
	p.Step(progress.Fields{Epoch: 2, Loss: math.NaN(), Seconds: 2.5})
	p.Done()
	// Output:
	// {"event":"start","command":"train potential","label":"epochs","total":2}
	// {"event":"epoch","command":"train potential","label":"epochs","epoch":1,"loss":0.5,"seconds":1.25}
	// {"event":"epoch","command":"train potential","label":"epochs","epoch":2,"loss":null,"seconds":2.5}
	// {"event":"done","command":"train potential","label":"epochs","steps":2,"seconds":0}
}
