package optim_test

import (
	"math"
	"testing"

	"github.com/sciadapt/sciadapt/optim"
)

func TestCosine(t *testing.T) {
	c := optim.Cosine{Base: 1, Min: 0.1, Warmup: 4, Total: 14}
	for _, tc := range []struct {
		step int
		want float64
	}{
		{0, 0.25}, // Base·1/4: the first step already moves
		{1, 0.5},
		{3, 1}, // end of warm-up
		{4, 1}, // cosine phase starts at Base
		// (s−Warmup)/(Total−Warmup) = 5/10: halfway, Min + (Base−Min)/2 = 0.55
		{9, 0.55},
		// 9/10 of the way: 0.1 + 0.9·(1 + cos 0.9π)/2 = 0.1 + 0.45·(1 − 0.95105651629515357) = 0.12202456766718090
		{13, 0.12202456766718090},
		{14, 0.1},
		{1000, 0.1},
	} {
		if got := c.LR(tc.step); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("LR(%d) = %.17g, want %.17g", tc.step, got, tc.want)
		}
	}
	// Without warm-up, step 0 runs at Base.
	if got := (optim.Cosine{Base: 2, Total: 10}).LR(0); got != 2 {
		t.Errorf("no warm-up: LR(0) = %v, want 2", got)
	}
	for _, bad := range []optim.Cosine{{Base: 1, Total: 0}, {Base: 1, Warmup: 5, Total: 5}, {Base: 1, Warmup: -1, Total: 5}} {
		if !panics(func() { bad.LR(0) }) {
			t.Errorf("%+v: LR did not panic", bad)
		}
	}
	if got := optim.Constant(3e-4).LR(12345); got != 3e-4 {
		t.Errorf("Constant(3e-4).LR = %v", got)
	}
}

func TestReduceOnPlateau(t *testing.T) {
	type obs struct {
		metric  float64
		lr      float64
		reduced bool
	}
	for _, c := range []struct {
		name string
		r    optim.ReduceOnPlateau
		seq  []obs
	}{
		{
			// Patience 2: the third non-improving observation in a row reduces.
			name: "patience",
			r:    optim.ReduceOnPlateau{LR: 1, Factor: 0.5, Patience: 2},
			seq: []obs{
				{10, 1, false}, {9, 1, false}, // improving
				{9, 1, false}, {9.5, 1, false}, // bad 1, 2
				{9.2, 0.5, true},                     // bad 3 > Patience
				{9.1, 0.5, false}, {9.3, 0.5, false}, // bad 1, 2 (Best is still 9)
				{8, 0.5, false}, // improves: counter reset
				{8, 0.5, false}, {8, 0.5, false}, {8, 0.25, true},
			},
		},
		{
			// Threshold 1e-2 (relative): 9.95 is not below 10 − 0.1, 9.89 is.
			name: "threshold",
			r:    optim.ReduceOnPlateau{LR: 1, Factor: 0.1, Patience: 1, Threshold: 1e-2},
			seq:  []obs{{10, 1, false}, {9.95, 1, false}, {9.89, 1, false}, {9.85, 1, false}, {9.8, 0.1, true}},
		},
		{
			// Negative metrics: relative to |Best|, so −10.05 does not improve on −10
			// by 1%, but −10.2 does.
			name: "negative",
			r:    optim.ReduceOnPlateau{LR: 1, Factor: 0.5, Patience: 1, Threshold: 1e-2},
			seq:  []obs{{-10, 1, false}, {-10.05, 1, false}, {-10.2, 1, false}, {-10.2, 1, false}, {-10.2, 0.5, true}},
		},
		{
			// Cooldown 2: the two observations after a reduction are not counted,
			// then Patience 0 reduces at the first bad one; MinLR floors the rate.
			name: "cooldown and floor",
			r:    optim.ReduceOnPlateau{LR: 1, Factor: 0.1, Cooldown: 2, MinLR: 0.005},
			seq: []obs{
				{5, 1, false}, {5, 0.1, true},
				{5, 0.1, false}, {5, 0.1, false}, // cooldown
				{5, 0.01, true},
				{5, 0.01, false}, {5, 0.01, false},
				{5, 0.005, true},                                        // floored
				{5, 0.005, false}, {5, 0.005, false}, {5, 0.005, false}, // at the floor: no reduction
			},
		},
		{
			// NaN never improves; default Factor 0.1.
			name: "NaN",
			r:    optim.ReduceOnPlateau{LR: 1, Patience: 1},
			seq:  []obs{{math.NaN(), 1, false}, {3, 1, false}, {math.NaN(), 1, false}, {math.NaN(), 0.1, true}},
		},
	} {
		r := c.r
		for i, o := range c.seq {
			lr, reduced := r.Observe(o.metric)
			if math.Abs(lr-o.lr) > 1e-15 || reduced != o.reduced {
				t.Errorf("%s: observation %d (%v): lr %v reduced %t, want %v %t", c.name, i, o.metric, lr, reduced, o.lr, o.reduced)
			}
		}
	}
	if !panics(func() { (&optim.ReduceOnPlateau{LR: 1, Factor: 2}).Observe(1) }) {
		t.Error("Factor 2 did not panic")
	}
}
