package schnet

import (
	"testing"

	"github.com/sciadapt/sciadapt/potentials"
)

// TestPeakMB measures predictions and training steps of a tiny model (4 features,
// one interaction) on one ethanol molecule, calls far shorter than the 2 ms
// sampling interval, with and without an arena, ten times each: they allocate, so
// the peak is above the heap before them every time, and the workload keeps a
// fresh arena only when asked for one.
func TestPeakMB(t *testing.T) {
	frames, err := LoadFrames(fixture, "ethanol", 1)
	if err != nil {
		t.Fatal(err)
	}
	cfg := potentials.DefaultConfig(Species)
	cfg.Features, cfg.RBF, cfg.Interactions = 4, 4, 1
	w, err := NewWorkloadConfig("ethanol", frames, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		f    func()
	}{{"Predict", func() { w.Predict() }}, {"Step", func() { w.Step() }}} {
		for _, arena := range []bool{true, false} {
			for k := range 10 {
				if mb := w.PeakMB(c.f, arena); mb <= 0 || (w.Arena != nil) != arena {
					t.Errorf("%s, arena %v, try %d: %g MB, workload arena %p", c.name, arena, k, mb, w.Arena)
				}
			}
		}
	}
}
