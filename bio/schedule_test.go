package bio

import (
	"math"
	"slices"
	"testing"

	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/train"
)

// TestCosineSchedule checks TrainOptions.Schedule: the zero value is the cosine
// schedule; its first epoch runs at the full step size (the same parameters as a
// constant schedule), and in the last of three epochs, at a quarter of it plus
// LR/100, the parameters move much less than under a constant step size (Adam's
// steps scale with the step size).
func TestCosineSchedule(t *testing.T) {
	d := synthetic(6, 0, 12, 8, 3)
	pairs := pairsOf(d, "human")
	run := func(s train.Schedule) [][]float64 {
		m, data := newTiny(t, d, 5)
		var snaps [][]float64
		snap := func(EpochStats) {
			var v []float64
			for _, p := range nn.Trainable(m) {
				v = append(v, p.Value().Data...)
			}
			snaps = append(snaps, v)
		}
		snap(EpochStats{})
		if _, err := Train(m, data, pairs, TrainOptions{Epochs: 3, LR: 1e-2, Seed: 1, Schedule: s, Progress: snap}); err != nil {
			t.Fatal(err)
		}
		return snaps
	}
	constant, cosine := run(train.Constant), run(train.Schedule(0))
	if !slices.Equal(constant[1], cosine[1]) {
		t.Errorf("after epoch 1 the schedules differ; the first epoch should run at --lr under both")
	}
	move := func(s [][]float64, ep int) float64 {
		sum := 0.0
		for i := range s[ep] {
			sum += math.Abs(s[ep][i] - s[ep-1][i])
		}
		return sum
	}
	if c, k := move(cosine, 3), move(constant, 3); !(c < 0.5*k) {
		t.Errorf("epoch 3 moved the parameters by %.4g under the cosine and %.4g under a constant step size; want less than half", c, k)
	}
}
