package schnet

import (
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"time"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// PeakMB returns the peak of the Go heap's objects (live and not yet collected,
// the arena's buffers included) during two calls of f, above the heap after a
// collection before them, in MB. The heap is sampled every 2 ms and after each
// call, so that calls shorter than the sampling interval count too. f is a call on
// w (Predict or Step); with arena, w gets a fresh autodiff.Arena first, which it
// keeps after PeakMB returns; without, w.Arena is nil.
func (w *Workload) PeakMB(f func(), arena bool) float64 {
	w.Arena = nil
	runtime.GC()
	base := heapObjects()
	if arena {
		w.Arena = ad.NewArena()
	}
	var peak atomic.Uint64
	sample := func() {
		v := heapObjects()
		for old := peak.Load(); v > old && !peak.CompareAndSwap(old, v); old = peak.Load() {
		}
	}
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			sample()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	for range 2 {
		f()
		sample()
	}
	close(done)
	<-finished
	if p := peak.Load(); p > base {
		return float64(p-base) / 1e6
	}
	return 0
}

// heapObjects returns the bytes of the heap's objects, live and not yet collected.
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
