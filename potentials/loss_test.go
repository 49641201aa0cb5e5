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
		terms, err := batchTerms(m, frames, w, o)
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
