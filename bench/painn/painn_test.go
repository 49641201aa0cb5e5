package painn

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sciadapt/sciadapt/bench/schnet"
)

// fixture is a small rMD17 subset kept in the repository (see its README).
const fixture = "../../testdata/atoms/rmd17_o_subset.h5"

const python = "/usr/bin/python3"

var torchErr = sync.OnceValue(func() error { return exec.Command(python, "-c", "import torch").Run() })

// needTorch skips the test without /usr/bin/python3 and torch (make deps-bench
// installs Debian's python3-torch) and in -short mode.
func needTorch(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts PyTorch")
	}
	if err := torchErr(); err != nil {
		t.Skipf("no PyTorch: %v", err)
	}
}

// export writes the exchange file of 4 ethanol molecules and a PaiNN of 16
// features, 2 interactions and 8 radial functions to a temporary directory.
func export(t *testing.T) (*schnet.Workload, string) {
	t.Helper()
	frames, err := schnet.LoadFrames(fixture, "ethanol", 4)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWorkload("ethanol", frames, Config(16, 2, 8))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ethanol.json")
	if err := w.Export(path); err != nil {
		t.Fatal(err)
	}
	return w, path
}

// TestTorchAgrees starts painn_torch.py in serve mode on the exported batch, as
// painnbench does, and requires energies, forces, loss and loss gradient to agree
// to 1e-8 relative; then asks for one timed call of each workload.
func TestTorchAgrees(t *testing.T) {
	needTorch(t)
	_, path := export(t)
	tp, err := StartTorch(python, "painn_torch.py", path, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Close()
	t.Logf("PyTorch %s: %v", tp.Head.Torch, tp.Head.Check)
	if !tp.Head.Agree || tp.Head.Tolerance != 1e-8 {
		t.Errorf("PyTorch disagrees with Go beyond %g: %v", tp.Head.Tolerance, tp.Head.Check)
	}
	for _, k := range []string{"energy_rel_diff", "forces_rel_diff", "loss_rel_diff", "grad_rel_diff"} {
		if v, ok := tp.Head.Check[k]; !ok || v > 1e-8 {
			t.Errorf("%s = %v (present %v), want ≤ 1e-8", k, v, ok)
		}
	}
	for _, wk := range []string{"infer", "train"} {
		ds, _, err := tp.Calls(wk, 2)
		if err != nil || len(ds) != 2 || ds[0] <= 0 {
			t.Errorf("%s: %v, %v", wk, ds, err)
		}
	}
}

// TestTorchDetectsDifference changes one weight of the exported model by 1e-4
// relative (one of about 7 000), leaving Go's results as they were, and requires painn_torch.py to
// report the disagreement and exit 1: the check can fail.
func TestTorchDetectsDifference(t *testing.T) {
	needTorch(t)
	_, path := export(t)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var x map[string]any
	if err := json.Unmarshal(b, &x); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range x["params"].([]any) {
		q := p.(map[string]any)
		if q["name"] == "interaction.1.update.U.weight" {
			d := q["data"].([]any)
			d[3] = d[3].(float64) * (1 + 1e-4)
			found = true
		}
	}
	if !found {
		t.Fatal("no parameter interaction.1.update.U.weight in the export")
	}
	b, _ = json.Marshal(x)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(python, "painn_torch.py", "--threads", "1", "--repeats", "0", path).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(out), "disagree") {
		t.Fatalf("painn_torch.py on a changed weight: %v\n%s", err, out)
	}
}

func TestNewWorkloadRefusesOtherArchitecture(t *testing.T) {
	cfg := Config(8, 1, 4)
	cfg.Model = "schnet"
	if _, err := NewWorkload("x", nil, cfg); err == nil || !strings.Contains(err.Error(), "painn") {
		t.Fatalf("NewWorkload with a SchNet configuration: %v", err)
	}
}
