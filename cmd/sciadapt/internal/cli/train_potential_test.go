package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/demodata"
	"github.com/sciadapt/sciadapt/potentials"
)

// TestTrainPotentialSeveralFiles trains one model on two files with weights: the
// model knows the elements of both, and the report names the architecture.
func TestTrainPotentialSeveralFiles(t *testing.T) {
	dir := t.TempDir()
	paths, err := demodata.WriteTo(dir)
	if err != nil {
		t.Fatal(err)
	}
	out, report := filepath.Join(dir, "both.model"), filepath.Join(dir, "r.json")
	code, _, stderr := run(t, "train", "potential", "--data", paths[demodata.HCNTrain], "--data", paths[demodata.OTrain],
		"--data-weights", "1,0.5", "--out", out, "--report", report, "--frames", "2", "--epochs", "1",
		"--features", "4", "--rbf", "4", "--interactions", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m, err := potentials.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := symbols(m.Species()); strings.Join(got, " ") != "H C N O" {
		t.Errorf("species %v, want H C N O (from both files)", got)
	}
	var r struct {
		Model string `json:"model"`
		Train struct {
			Frames int `json:"n_frames"`
		} `json:"train"`
	}
	b, _ := os.ReadFile(report)
	if err := json.Unmarshal(b, &r); err != nil || r.Model != "schnet" {
		t.Fatalf("report %s: %v", b, err)
	}
	hcn, _ := loadFrames(paths[demodata.HCNTrain], 2, 1)
	o, _ := loadFrames(paths[demodata.OTrain], 2, 1)
	if r.Train.Frames != len(hcn)+len(o) {
		t.Errorf("trained on %d frames, want %d + %d", r.Train.Frames, len(hcn), len(o))
	}
	for _, c := range []struct{ weights, want string }{{"1", "1 weights for 2"}, {"1,-1", "must be ≥ 0"}} {
		code, _, stderr := run(t, "train", "potential", "--data", paths[demodata.HCNTrain], "--data", paths[demodata.OTrain],
			"--data-weights", c.weights, "--out", filepath.Join(dir, "x.model"))
		if code != ExitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("--data-weights %s: exit %d, %s", c.weights, code, stderr)
		}
	}
}
