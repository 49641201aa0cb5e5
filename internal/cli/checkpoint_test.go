package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainPotentialDivergesWithoutModel trains with a learning rate that makes the
// loss NaN and checks that the command fails with exit code 1, naming the step and
// the last checkpoint, and writes no model.
func TestTrainPotentialDivergesWithoutModel(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "nan.model")
	ckpt := filepath.Join(dir, "nan.ckpt")
	fixture := filepath.Join("..", "..", "testdata", "atoms", "rmd17_o_subset.h5")
	code, _, stderr := run(t, "train", "potential", "--data", fixture, "--out", out, "--epochs", "5",
		"--batch-size", "4", "--features", "8", "--rbf", "8", "--interactions", "1", "--lr", "1e200",
		"--checkpoint", ckpt, "--checkpoint-every", "1")
	if code != ExitBadInput {
		t.Fatalf("exit %d, want %d: %s", code, ExitBadInput, stderr)
	}
	for _, want := range []string{"training diverged at epoch ", ", step ", "last good checkpoint " + ckpt} {
		if !strings.Contains(stderr, want) {
			t.Errorf("message %q lacks %q", stderr, want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s was written", out)
	}
	// A negative interval is a usage error.
	code, _, stderr = run(t, "train", "potential", "--data", fixture, "--out", out, "--checkpoint-every", "-1")
	if code != ExitUsage || !strings.Contains(stderr, "--checkpoint-every -1") {
		t.Errorf("--checkpoint-every -1: exit %d: %s", code, stderr)
	}
}
