package cli

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/sciadapt/sciadapt/potentials"
)

// TestEvalPredictions checks that eval --predictions writes the test frames with
// the model's energies and forces: their errors against the data are the MAEs the
// report gives, positions and numbers are the data's, and a failed run leaves no file.
func TestEvalPredictions(t *testing.T) {
	dir := t.TempDir()
	data := "../../testdata/atoms/rmd17_o_subset.h5"
	m, err := potentials.New(potentials.Config{Species: []int{1, 6, 8}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 1, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "m.model")
	if err := m.Save(model); err != nil {
		t.Fatal(err)
	}
	pred, rep := filepath.Join(dir, "pred.h5"), filepath.Join(dir, "r.json")
	var out bytes.Buffer
	if err := runEval(&EvalOptions{Model: model, Data: data, Report: rep, Predictions: pred, Out: &out}); err != nil {
		t.Fatal(err)
	}
	ref, err := loadFrames(data, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := loadFrames(pred, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ref) {
		t.Fatalf("%d predicted frames for %d", len(got), len(ref))
	}
	var eMAE, fMAE float64
	nF := 0
	for i := range ref {
		if !equalFloats(got[i].Positions, ref[i].Positions) || len(got[i].Numbers) != len(ref[i].Numbers) {
			t.Fatalf("frame %d: positions or atoms differ from the data", i)
		}
		eMAE += math.Abs(got[i].Energy - ref[i].Energy)
		for k := range ref[i].Forces {
			fMAE += math.Abs(got[i].Forces[k] - ref[i].Forces[k])
			nF++
		}
	}
	eMAE /= float64(len(ref))
	fMAE /= float64(nF)
	b, _ := os.ReadFile(rep)
	var r map[string]float64
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if math.Abs(eMAE-r["energy_mae_ev"]) > 1e-9*r["energy_mae_ev"] || math.Abs(fMAE-r["force_mae_ev_per_angstrom"]) > 1e-9*r["force_mae_ev_per_angstrom"] {
		t.Errorf("MAEs from the predictions file %g eV, %g eV/Å; report %g, %g", eMAE, fMAE, r["energy_mae_ev"], r["force_mae_ev_per_angstrom"])
	}
	// A model that cannot read the data: no predictions file.
	bad := filepath.Join(dir, "bad.h5")
	m2, _ := potentials.New(potentials.Config{Species: []int{1, 6}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 1, Seed: 3})
	m2.Save(model)
	if err := runEval(&EvalOptions{Model: model, Data: data, Predictions: bad, Out: &out}); err == nil {
		t.Fatal("model without O evaluated O frames")
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("predictions file left behind after an error")
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
