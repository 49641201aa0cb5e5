package potentials

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sciadapt/sciadapt/datasets"
)

// TestFrameWeights: with weights a and b on two frames of the same size, the batch
// loss is (a·L₁ + b·L₂)/2, L_i the loss of frame i alone (the normalisers are counts).
func TestFrameWeights(t *testing.T) {
	m, err := New(Config{Species: []int{1, 6}, Cutoff: 3, Features: 4, RBF: 4, Interactions: 1, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	frame := func() datasets.Frame {
		f := datasets.Frame{Numbers: []int{6, 1, 1}, Energy: rng.NormFloat64()}
		for i := 0; i < 3; i++ {
			f.Positions = append(f.Positions, float64(i)*1.1+0.1*rng.NormFloat64(), 0.2*rng.NormFloat64(), 0.3*float64(i%2))
		}
		for i := 0; i < 9; i++ {
			f.Forces = append(f.Forces, rng.NormFloat64())
		}
		return f
	}
	fs := []datasets.Frame{frame(), frame()}
	o := TrainOptions{}.withDefaults()
	loss := func(frames []datasets.Frame, w []float64) float64 {
		terms, err := batchTerms(m, frames, w, o, nil)
		if err != nil {
			t.Fatal(err)
		}
		return terms.loss(o, terms.count).Item()
	}
	l1, l2 := loss(fs[:1], nil), loss(fs[1:], nil)
	for _, w := range [][]float64{{1, 1}, {2, 0.5}, {0, 3}} {
		got, want := loss(fs, w), (w[0]*l1+w[1]*l2)/2
		if math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("weights %v: loss %.15g, want %.15g", w, got, want)
		}
	}
	if a, b := loss(fs, []float64{1, 1}), loss(fs, nil); a != b {
		t.Errorf("unit weights %.17g, no weights %.17g", a, b)
	}
}

// TestShareBalances: the greedy split gives every item of a batch to exactly one
// process, each process's load is within the largest cost of the mean, and the
// split does not depend on which process asks.
func TestShareBalances(t *testing.T) {
	costs := []float64{50, 600, 180, 600, 50, 180, 180, 600, 50, 50}
	batch := []int{9, 1, 4, 7, 2, 0, 3, 5, 8, 6}
	for _, ranks := range []int{1, 2, 3, 4} {
		seen := map[int]int{}
		total, most := 0.0, 0.0
		for _, i := range batch {
			total += costs[i]
			most = math.Max(most, costs[i])
		}
		for r := 0; r < ranks; r++ {
			load := 0.0
			for _, i := range share(batch, costs, r, ranks) {
				seen[i]++
				load += costs[i]
			}
			if load > total/float64(ranks)+most {
				t.Errorf("%d ranks: rank %d carries %g of %g", ranks, r, load, total)
			}
		}
		for _, i := range batch {
			if seen[i] != 1 {
				t.Fatalf("%d ranks: item %d computed %d times", ranks, i, seen[i])
			}
		}
	}
	// Two ranks on 3×600, 3×180, 4×50: LPT gives loads 1250 and 1290 (a block split
	// of this order would give 1480 and 1060).
	a := 0.0
	for _, i := range share(batch, costs, 0, 2) {
		a += costs[i]
	}
	if a != 1250 {
		t.Errorf("rank 0 of 2 carries %g, want 1250", a)
	}
}
