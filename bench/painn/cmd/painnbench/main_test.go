package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func fixtureOptions() options {
	return options{data: "../../../../testdata/atoms", molecules: "rmd17_o_subset.h5:ethanol", batch: 2,
		features: 8, interactions: 1, rbf: 4, threads: 1, goThreads: 1, warm: 1, repeats: 2, rounds: 2,
		python: "/usr/bin/python3", script: "../../painn_torch.py"}
}

// TestRunGoOnly times PaiNN and the SchNet-like model on two fixture molecules and
// writes a JSON report with every median filled in.
func TestRunGoOnly(t *testing.T) {
	o := fixtureOptions()
	o.noTorch, o.withSchNet = true, true
	o.jsonOut = filepath.Join(t.TempDir(), "r.json")
	var out bytes.Buffer
	if err := run(o, &out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(o.jsonOut)
	if err != nil {
		t.Fatal(err)
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 1 || r.Rows[0].Atoms != 18 || r.Parameters == 0 || r.SchNetParams == 0 {
		t.Fatalf("report %+v", r)
	}
	x := r.Rows[0]
	if x.GoInferMs <= 0 || x.GoTrainMs <= 0 || x.SchNetInfer <= 0 || x.SchNetTrain <= 0 || x.TorchInferMs != 0 {
		t.Errorf("medians: %+v", x)
	}
	if !strings.Contains(out.String(), "| ethanol | 18 |") {
		t.Errorf("table:\n%s", out.String())
	}
}

// TestRunCheckOnly runs the agreement check through PyTorch (skipped without it).
func TestRunCheckOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PyTorch")
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import torch").Run(); err != nil {
		t.Skipf("no PyTorch: %v", err)
	}
	o := fixtureOptions()
	o.checkOnly = true
	var out bytes.Buffer
	if err := run(o, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "| ethanol | true |") {
		t.Errorf("table:\n%s", out.String())
	}
}

func TestRunRefusesNothingToDo(t *testing.T) {
	o := fixtureOptions()
	o.noTorch, o.checkOnly = true, true
	if err := run(o, &bytes.Buffer{}); err == nil {
		t.Fatal("-no-torch -check-only accepted")
	}
}
