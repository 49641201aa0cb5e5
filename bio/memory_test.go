package bio

import "testing"

// TestTrainingMemory checks the estimate against a hand count: 10 proteins of
// 1000 residues, 5 drugs, 20 pairs, embedding width 32.
func TestTrainingMemory(t *testing.T) {
	data, per := TrainingMemory(10, 5, 20, 1000, 32)
	if want := uint64(10*1000*8 + 5*100*8 + 20*4*8); data != want {
		t.Errorf("data %d bytes, want %d", data, want)
	}
	if want := uint64(1100 * 32 * 3 * 8 * 4); per != want {
		t.Errorf("activations %d bytes per pair, want %d", per, want)
	}
}
