package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// TestTorchModelAgrees checks that bench/torch/engine_bench.py defines the same
// potential as NewPotential: on the same positions, weights and targets, PyTorch's
// energies, forces, loss and loss gradient (double backward) match the engine's to
// rounding. It is skipped when /usr/bin/python3 has no torch (make deps-bench
// installs Debian's python3-torch) and in -short mode.
func TestTorchModelAgrees(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PyTorch")
	}
	const python = "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		t.Skipf("no %s", python)
	}
	p := NewPotential(11, 3)
	type layer struct {
		In  int       `json:"in"`
		Out int       `json:"out"`
		W   []float64 `json:"w"`
		B   []float64 `json:"b"`
	}
	spec := struct {
		Sizes     []int     `json:"sizes"`
		Positions []float64 `json:"positions"`
		Layers    []layer   `json:"layers"`
		ERef      []float64 `json:"e_ref"`
		FRef      []float64 `json:"f_ref"`
	}{Sizes: p.Sizes, Positions: p.R.Value().Data, ERef: p.ERef.Value().Data, FRef: p.FRef.Value().Data}
	for _, l := range p.Model.Layers {
		w := l.W.Value()
		spec.Layers = append(spec.Layers, layer{In: w.Shape[0], Out: w.Shape[1], W: w.Data, B: l.B.Value().Data})
	}
	in := filepath.Join(t.TempDir(), "potential.json")
	b, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, filepath.Join("torch", "engine_bench.py"), "--threads", "1", "--check", in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && strings.Contains(stderr.String(), "No module named 'torch'") {
			t.Skip("python3-torch is not installed (make deps-bench)")
		}
		t.Fatalf("engine_bench.py --check: %v\n%s", err, stderr.String())
	}
	var got struct {
		Energies []float64   `json:"energies"`
		Forces   []float64   `json:"forces"`
		Loss     float64     `json:"loss"`
		Grads    [][]float64 `json:"grads"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("engine_bench.py --check printed %q: %v", out, err)
	}

	e, f := p.EnergyForces(false)
	loss := p.Loss()
	grads := values(ad.Grad(loss, p.Params...))
	compare := func(what string, torch, goVals []float64) {
		t.Helper()
		if len(torch) != len(goVals) {
			t.Fatalf("%s: PyTorch gave %d values, Go %d", what, len(torch), len(goVals))
		}
		var scale float64
		for _, v := range goVals {
			scale = max(scale, math.Abs(v))
		}
		for i := range goVals {
			if !near(torch[i], goVals[i], 1e-11, scale) {
				t.Fatalf("%s[%d]: PyTorch %.17g, Go %.17g", what, i, torch[i], goVals[i])
			}
		}
	}
	compare("energies", got.Energies, e.Value().Data)
	compare("forces", got.Forces, f.Value().Data)
	compare("loss", []float64{got.Loss}, []float64{loss.Item()})
	if len(got.Grads) != len(grads) {
		t.Fatalf("PyTorch gave %d gradients, Go %d", len(got.Grads), len(grads))
	}
	for i := range grads {
		compare("∂loss/∂"+strings.ReplaceAll(p.Model.Params()[i].Name, "atom.", ""), got.Grads[i], grads[i].Data)
	}
}
