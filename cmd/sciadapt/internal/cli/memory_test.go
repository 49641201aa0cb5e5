package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/demodata"
	"github.com/sciadapt/sciadapt/internal/sysmem"
)

// TestMemoryRefusal gives the training commands a fake machine with 1 MiB of memory:
// they must refuse before reading the frames or training, in one line that names
// the file and says what to change, and write nothing.
func TestMemoryRefusal(t *testing.T) {
	dir := t.TempDir()
	paths, err := demodata.WriteTo(dir)
	if err != nil {
		t.Fatal(err)
	}
	tiny := &sysmem.Machine{Total: 1 << 20, Free: 1 << 20}
	out := filepath.Join(dir, "hcn.model")
	var log bytes.Buffer
	err = runTrainPotential(&TrainPotentialOptions{Data: []string{paths[demodata.HCNTrain]}, Out: out, Epochs: 1, BatchSize: 32,
		Features: 8, Interactions: 1, RBF: 8, Cutoff: 5, LR: 1e-3, ForceWeight: 10, EnergyWeight: 1, Seed: 1, Log: &log, Memory: tiny})
	if err == nil {
		t.Fatal("train potential on a 1 MiB machine: no error")
	}
	msg := err.Error()
	for _, want := range []string{"hcn_train.h5", "160 frames", "needs about", "1.0 MiB of memory", "--frames"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("message %q is not one line", msg)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a model was written despite the refusal")
	}

	err = runTrainDTI(&TrainDTIOptions{Data: writeDemoGPCR(t, dir), Out: out, Species: "human", Epochs: 1,
		TestFraction: 0.1, BatchProteins: 8, PairsPerProtein: 8, LR: 1e-3, Embed: 32, MaxProteinLength: 1000, Log: &log, Memory: tiny})
	if err == nil || !strings.Contains(err.Error(), "--max-protein-length") || !strings.Contains(err.Error(), "gpcr_demo.h5") {
		t.Errorf("train dti on a 1 MiB machine: %v", err)
	}
}

// TestAutoBatchSize checks that a default batch size shrinks to what fits in half
// the free memory, and that a batch size given on the command line is kept.
func TestAutoBatchSize(t *testing.T) {
	dir := t.TempDir()
	paths, err := demodata.WriteTo(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Per frame of the largest H/C/N molecule (azobenzene, 24 atoms: 24·23 pairs),
	// F = R = 8, L = 1: 552·(8 + 16)·1·8·4 = 423 936 bytes. Free 4 MiB → 2 MiB / 423 936 = 4.
	free := &sysmem.Machine{Total: 1 << 40, Free: 4 << 20}
	for _, c := range []struct {
		auto bool
		want int
	}{{true, 4}, {false, 32}} {
		var log bytes.Buffer
		o := &TrainPotentialOptions{Data: []string{paths[demodata.HCNTrain]}, Out: filepath.Join(dir, "m.model"), Epochs: 1, BatchSize: 32,
			Frames: 2, Features: 8, Interactions: 1, RBF: 8, Cutoff: 5, LR: 1e-3, ForceWeight: 10, EnergyWeight: 1, Seed: 1,
			Log: &log, Memory: free, AutoBatchSize: c.auto}
		if err := runTrainPotential(o); err != nil {
			t.Fatal(err)
		}
		if o.BatchSize != c.want {
			t.Errorf("auto %v: batch size %d, want %d", c.auto, o.BatchSize, c.want)
		}
	}
}

// writeDemoGPCR writes the demo's GPCR subset into dir and returns its path.
func writeDemoGPCR(t *testing.T, dir string) string {
	t.Helper()
	paths, err := demodata.WriteTo(dir)
	if err != nil {
		t.Fatal(err)
	}
	return paths[demodata.GPCR]
}
