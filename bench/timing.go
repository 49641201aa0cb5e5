package bench

import (
	"math"
	"runtime"
	"slices"
	"time"
)

// MeasureOptions configure Measure. Zero fields take the defaults given with them.
type MeasureOptions struct {
	// WarmUp is how long the workload runs, untimed, before timing (at least three
	// calls). Default 0.5 s.
	WarmUp time.Duration
	// MinRun is the least duration of one timed run; the repetition count is chosen
	// from the warm-up so that a run lasts about this long. Default 0.5 s.
	MinRun time.Duration
	// Runs is the number of timed runs whose median is reported. Default 7.
	Runs int
}

func (o *MeasureOptions) withDefaults() MeasureOptions {
	var r MeasureOptions
	if o != nil {
		r = *o
	}
	if r.WarmUp <= 0 {
		r.WarmUp = 500 * time.Millisecond
	}
	if r.MinRun <= 0 {
		r.MinRun = 500 * time.Millisecond
	}
	if r.Runs <= 0 {
		r.Runs = 7
	}
	return r
}

// Timing is the result of Measure: milliseconds per call.
type Timing struct {
	Reps     int       `json:"reps"`      // calls per timed run
	RunsMS   []float64 `json:"runs_ms"`   // ms per call in each run, in run order
	MedianMS float64   `json:"median_ms"` // median of RunsMS
	MinMS    float64   `json:"min_ms"`    // fastest run
}

// Measure times f: it warms f up, picks a repetition count, then times opt.Runs runs
// of that many calls, each started after a garbage collection (collections during a
// run are part of the cost), and returns the time per call of each run and their
// median. nil options mean the defaults.
func Measure(f func(), opt *MeasureOptions) Timing {
	o := opt.withDefaults()
	start := time.Now()
	calls := 0
	for calls < 3 || time.Since(start) < o.WarmUp {
		f()
		calls++
	}
	per := time.Since(start) / time.Duration(calls)
	reps := max(1, int(math.Ceil(float64(o.MinRun)/float64(max(per, time.Nanosecond)))))
	t := Timing{Reps: reps}
	for range o.Runs {
		runtime.GC()
		s := time.Now()
		for range reps {
			f()
		}
		t.RunsMS = append(t.RunsMS, float64(time.Since(s))/1e6/float64(reps))
	}
	t.MedianMS = median(t.RunsMS)
	t.MinMS = slices.Min(t.RunsMS)
	return t
}

// median returns the median of xs (the mean of the middle two for an even count).
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
