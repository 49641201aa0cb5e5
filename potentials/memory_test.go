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
	data, per := TrainingMemory(atoms, 32, 16, 2)
	if want := uint64(10 * (9*7*8 + 19*8)); data != want {
		t.Errorf("data %d bytes, want %d", data, want)
	}
	if want := uint64(72 * (16 + 64) * 2 * 8 * 4); per != want {
		t.Errorf("activations %d bytes per frame, want %d", per, want)
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
