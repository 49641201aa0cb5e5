package main

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/bench"
)

func TestRowRatio(t *testing.T) {
	for _, c := range []struct {
		ref          string
		goMS, pt, dg float64
		target       float64
		ratio        float64
		met          bool
	}{
		{"pytorch", 10, 25, 0, 2, 2.5, false}, // ratio of minima 5/3 < 2
		{"pytorch", 10, 40, 0, 2, 4, true},
		{"pytorch", 10, 15, 0, 2, 1.5, false},
		{"dgemm", 10, 99, 8, 0.85, 0.8, false},
		{"dgemm", 10, 1, 9, 0.85, 0.9, true},
	} {
		// Minima are half the medians, except PyTorch's, a third: ratios of minima
		// are 2/3 of the ratios for PyTorch rows and equal to them for dgemm rows.
		r := Row{Reference: c.ref, Target: c.target, Go: &bench.Timing{MedianMS: c.goMS, MinMS: c.goMS / 2}}
		if c.pt > 0 {
			r.PyTorch = &bench.Timing{MedianMS: c.pt, MinMS: c.pt / 3}
		}
		if c.dg > 0 {
			r.Dgemm = &bench.Timing{MedianMS: c.dg, MinMS: c.dg / 2}
		}
		r.finish()
		if r.Ratio == nil || *r.Ratio != c.ratio || *r.Met != c.met {
			t.Errorf("%s: Go %g, PyTorch %g, dgemm %g ms: ratio %v met %v, want %g %v", c.ref, c.goMS, c.pt, c.dg, r.Ratio, r.Met, c.ratio, c.met)
		}
		wantMin := c.ratio
		if c.ref == "pytorch" {
			wantMin = c.ratio * 2 / 3
		}
		if math.Abs(*r.RatioMin-wantMin) > 1e-12 {
			t.Errorf("%s: ratio of minima %g, want %g", c.ref, *r.RatioMin, wantMin)
		}
	}
	r := Row{Reference: "pytorch", Target: 1, Go: &bench.Timing{MedianMS: 3}}
	r.finish()
	if r.Ratio != nil || r.Met != nil {
		t.Errorf("without PyTorch: ratio %v, met %v; want none", r.Ratio, r.Met)
	}
}

func TestMergeRounds(t *testing.T) {
	acc := merge(nil, bench.Timing{Reps: 4, RunsMS: []float64{5, 1, 3}})
	acc = merge(acc, bench.Timing{Reps: 2, RunsMS: []float64{10, 2}})
	if len(acc.RunsMS) != 5 || acc.MedianMS != 3 || acc.MinMS != 1 || acc.Reps != 2 {
		t.Errorf("merged %+v; want 5 runs, median 3, min 1, reps 2", *acc)
	}
	acc = merge(acc, bench.Timing{Reps: 2, RunsMS: []float64{4}})
	if acc.MedianMS != 3.5 {
		t.Errorf("median of %v = %g, want 3.5", acc.RunsMS, acc.MedianMS)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-only", "gemm_512"}, {"-rounds", "0"}, {"extra"}, {"-nosuch"}} {
		var out, errb bytes.Buffer
		if code := Main(args, &out, &errb); code != 2 {
			t.Errorf("benchall %v: exit %d, want 2 (stderr %q)", args, code, errb.String())
		}
		if errb.Len() == 0 {
			t.Errorf("benchall %v: no message", args)
		}
	}
	var out, errb bytes.Buffer
	Main([]string{"-only", "gemm_512"}, &out, &errb)
	if !strings.Contains(errb.String(), `"gemm_512"`) || !strings.Contains(errb.String(), "gemm_1024") {
		t.Errorf("unknown workload message %q should name it and the known ones", errb.String())
	}
}
