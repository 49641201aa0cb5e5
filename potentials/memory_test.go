package potentials

import "testing"

// TestTrainingMemory checks the estimate against a hand count for ten ethanol
// frames (9 atoms, 9·8 = 72 ordered pairs) and the neighbour cap of condensed
// matter.
func TestTrainingMemory(t *testing.T) {
	atoms := make([]int, 10)
	for i := range atoms {
		atoms[i] = 9
	}
	for _, c := range []struct {
		cfg  Config
		want uint64
	}{
		{Config{Features: 32, RBF: 16, Interactions: 2}, 72 * (16 + 64) * 2 * 8 * 4},
		{Config{Features: 32, RBF: 16, Interactions: 2, Precision: "float32"}, 72 * (16 + 64) * 2 * 4 * 4},
		{Config{Model: ArchPaiNN, Features: 32, RBF: 16, Interactions: 2}, 72 * (16 + 9*32) * 2 * 8 * 4},
	} {
		data, per := TrainingMemory(c.cfg, atoms)
		if want := uint64(10 * (9*7*8 + 19*8)); data != want {
			t.Errorf("data %d bytes, want %d", data, want)
		}
		if per != c.want {
			t.Errorf("%+v: activations %d bytes per frame, want %d", c.cfg, per, c.want)
		}
	}
	for _, c := range []struct {
		n    int
		want uint64
	}{{0, 0}, {1, 0}, {2, 2}, {9, 72}, {192, 192 * 64}} {
		if got := neighbourPairs(c.n); got != c.want {
			t.Errorf("pairs of %d atoms %d, want %d", c.n, got, c.want)
		}
	}
}
