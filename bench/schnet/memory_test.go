package schnet

import "testing"

// TestPeakMB measures two training steps of the fixture batch with and without an
// arena: the steps allocate, so the peak is above the heap before them, and the
// workload keeps a fresh arena only when asked for one.
func TestPeakMB(t *testing.T) {
	w := smallWorkload(t)
	for _, arena := range []bool{true, false} {
		mb := w.PeakMB(func() { w.Step() }, arena)
		if mb <= 0 || (w.Arena != nil) != arena {
			t.Errorf("arena %v: %g MB, workload arena %p", arena, mb, w.Arena)
		}
	}
}
