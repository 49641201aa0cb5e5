package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/bench/painn"
	"github.com/sciadapt/sciadapt/bench/schnet"
)

// fixtureOptions times a PaiNN of 8 features, 1 block and 4 radial functions on 2
// ethanol molecules and on 1, in float64 and float32.
func fixtureOptions() options {
	return options{data: "../../../../testdata/atoms", molecules: "rmd17_o_subset.h5:ethanol,rmd17_o_subset.h5:ethanol:1",
		precisions: "float64,float32", batch: 2, features: 8, interactions: 1, rbf: 4, threads: 1, goThreads: 1,
		warm: 1, repeats: 2, rounds: 2, python: "/usr/bin/python3", script: "../../painn_torch.py"}
}

func needTorch(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts PyTorch")
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import torch").Run(); err != nil {
		t.Skipf("no PyTorch: %v", err)
	}
}

// runReport runs painnbench with o and returns its JSON report and tables.
func runReport(t *testing.T, o options) (Report, string) {
	t.Helper()
	o.jsonOut = filepath.Join(t.TempDir(), "r.json")
	var out bytes.Buffer
	if err := run(o, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	b, err := os.ReadFile(o.jsonOut)
	if err != nil {
		t.Fatal(err)
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r, out.String()
}

// TestRunGoOnly times PaiNN and the SchNet-like model on the two fixture batches in
// both precisions and requires a row for each, in order, with every median, the
// floor of PaiNN's own layers and the memory per molecule filled in.
func TestRunGoOnly(t *testing.T) {
	o := fixtureOptions()
	o.noTorch, o.withSchNet = true, true
	r, out := runReport(t, o)
	if r.Parameters == 0 || r.SchNetParams == 0 || !r.Arena || r.DgemmGflops <= 0 || r.SgemmGflops <= 0 {
		t.Fatalf("report %+v", r)
	}
	want := []struct {
		prec       string
		mols, atom int
	}{{"float64", 2, 18}, {"float32", 2, 18}, {"float64", 1, 9}, {"float32", 1, 9}}
	if len(r.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(r.Rows), len(want))
	}
	for i, x := range r.Rows {
		w := want[i]
		if x.Precision != w.prec || x.Molecules != w.mols || x.Atoms != w.atom || !x.Arena {
			t.Errorf("row %d: %s ×%d, %d atoms, arena %v; want %s ×%d, %d atoms, arena", i, x.Precision, x.Molecules, x.Atoms, x.Arena, w.prec, w.mols, w.atom)
		}
		if x.GoInferMs <= 0 || x.GoTrainMs <= 0 || x.SchNetInfer <= 0 || x.SchNetTrain <= 0 || x.TorchInferMs != 0 {
			t.Errorf("row %d medians: %+v", i, x)
		}
		layers := painn.Layers(r.Config, x.Atoms, x.Pairs)
		gi, gt := schnet.TotalFlops(schnet.Matmuls(layers, false))/1e9, schnet.TotalFlops(schnet.Matmuls(layers, true))/1e9
		if x.InferGflop != gi || x.TrainGflop != gt || x.InferFloorMs <= 0 || x.TrainFloorMs <= 0 || x.TrainGflops <= 0 {
			t.Errorf("row %d floor: %g, %g GFLOP (PaiNN's layers: %g, %g), %g, %g ms", i, x.InferGflop, x.TrainGflop, gi, gt, x.InferFloorMs, x.TrainFloorMs)
		}
		// With an arena its buffers stay live after the calls, so the peak is above
		// the heap before them.
		if x.GoInferMBPerMol <= 0 || x.GoTrainMBPerMol <= 0 {
			t.Errorf("row %d: %g MB/molecule for energies+forces, %g for a training step", i, x.GoInferMBPerMol, x.GoTrainMBPerMol)
		}
	}
	for _, s := range []string{"| ethanol ×2 | float64 | 18 |", "| ethanol ×1 | float32 | 9 |", "Go arena true"} {
		if !strings.Contains(out, s) {
			t.Errorf("no %q in the tables:\n%s", s, out)
		}
	}
	if strings.Contains(out, "PyTorch agrees") {
		t.Errorf("agreement table without PyTorch:\n%s", out)
	}
}

// TestRunNoArena times one molecule in float32 without an arena.
func TestRunNoArena(t *testing.T) {
	o := fixtureOptions()
	o.noTorch, o.noArena, o.molecules, o.precisions = true, true, "rmd17_o_subset.h5:ethanol:1", "float32"
	r, out := runReport(t, o)
	if r.Arena || len(r.Rows) != 1 || r.Rows[0].Arena || r.Rows[0].Precision != "float32" || r.Rows[0].GoTrainMs <= 0 {
		t.Errorf("report %+v", r)
	}
	if !strings.Contains(out, "Go arena false") {
		t.Errorf("tables:\n%s", out)
	}
}

// TestRunCheckOnly runs the agreement check through PyTorch in float64 (skipped
// without it; TestRunWithTorch checks float32, and package bench/painn both).
func TestRunCheckOnly(t *testing.T) {
	needTorch(t)
	o := fixtureOptions()
	o.checkOnly, o.molecules, o.precisions = true, "rmd17_o_subset.h5:ethanol", "float64"
	r, out := runReport(t, o)
	if s := "| ethanol ×2 | float64, float64 | true | 1e-08 |"; !strings.Contains(out, s) {
		t.Errorf("no %q in the tables:\n%s", s, out)
	}
	if len(r.Rows) != 1 || r.Rows[0].GoInferMs != 0 || strings.Contains(out, "PaiNN Go ms") {
		t.Errorf("-check-only timed something: %+v\n%s", r.Rows, out)
	}
}

// TestRunWithTorch times Go and PyTorch on one molecule in float32 (skipped
// without PyTorch).
func TestRunWithTorch(t *testing.T) {
	needTorch(t)
	o := fixtureOptions()
	o.molecules, o.precisions = "rmd17_o_subset.h5:ethanol:1", "float32"
	r, out := runReport(t, o)
	x := r.Rows[0]
	if !x.Agrees || x.TorchPrecision != "float32" || x.TorchInferMs <= 0 || x.TorchTrainMs <= 0 || x.Min["torch_train"] <= 0 {
		t.Errorf("row %+v", x)
	}
	if !strings.Contains(out, "| ethanol ×1 | float32 | 9 |") || !strings.Contains(out, "| ethanol ×1 | float32, float32 | true | 1e-05 |") {
		t.Errorf("tables:\n%s", out)
	}
}

// TestRunRefusesBadTwin starts a stand-in for painn_torch.py that prints a given
// agreement line and requires painnbench to stop with an error that says what is
// wrong: a disagreement, another precision, a looser tolerance.
func TestRunRefusesBadTwin(t *testing.T) {
	for _, c := range []struct{ head, want string }{
		{`{"precision":"float32","check":{"grad_rel_diff":1e-3},"agree":false,"tolerance":1e-5}`, "disagree"},
		{`{"precision":"float64","check":{},"agree":true,"tolerance":1e-8}`, `PyTorch computes in "float64", Go in float32`},
		{`{"precision":"float32","check":{},"agree":true,"tolerance":1e-3}`, "looser than 1e-05"},
	} {
		script := filepath.Join(t.TempDir(), "twin.sh")
		if err := os.WriteFile(script, []byte("echo '"+c.head+"'\ncat >/dev/null\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		o := fixtureOptions()
		o.python, o.script, o.precisions, o.molecules = "/bin/sh", script, "float32", "rmd17_o_subset.h5:ethanol:1"
		var out bytes.Buffer
		err := run(o, &out)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("twin %s: %v, want an error saying %q", c.head, err, c.want)
		}
		if !strings.Contains(out.String(), "| ethanol ×1 | float32, ") || !strings.Contains(out.String(), "| false |") {
			t.Errorf("twin %s: tables\n%s", c.head, out.String())
		}
	}
}

func TestParseMolecules(t *testing.T) {
	got, err := parseMolecules("o.h5:ethanol, hcn.h5:naphthalene:1", 32)
	want := []batchSpec{{"o.h5", "ethanol", 32}, {"hcn.h5", "naphthalene", 1}}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("parseMolecules: %v, %v; want %v", got, err, want)
	}
	for _, bad := range []string{"o.h5", "o.h5:", ":ethanol", "o.h5:ethanol:0", "o.h5:ethanol:-1", "o.h5:ethanol:x", "o.h5:ethanol:1:2", "o.h5:ethanol,"} {
		if _, err := parseMolecules(bad, 32); err == nil || !strings.Contains(err.Error(), "-molecules") {
			t.Errorf("parseMolecules(%q): %v", bad, err)
		}
	}
}

func TestParsePrecisions(t *testing.T) {
	if got, err := parsePrecisions("float64, float32"); err != nil || len(got) != 2 || got[0].String() != "float64" || got[1].String() != "float32" {
		t.Errorf("parsePrecisions: %v, %v", got, err)
	}
	for _, bad := range []string{"", "float16", "float64,", "Float32"} {
		if _, err := parsePrecisions(bad); err == nil || !strings.Contains(err.Error(), "-precisions") {
			t.Errorf("parsePrecisions(%q): %v", bad, err)
		}
	}
}

func TestRunRefusesNothingToDo(t *testing.T) {
	o := fixtureOptions()
	o.noTorch, o.checkOnly = true, true
	if err := run(o, &bytes.Buffer{}); err == nil {
		t.Fatal("-no-torch -check-only accepted")
	}
}
