package cli

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/demo"
	"github.com/sciadapt/sciadapt/constitutive"
	"github.com/sciadapt/sciadapt/constitutive/curves"
	"github.com/sciadapt/sciadapt/potentials"
)

// TestEvalPredictions checks that eval --predictions writes the test frames with
// the model's energies and forces: their errors against the data are the MAEs the
// report gives, positions and numbers are the data's, and a failed run leaves no file.
func TestEvalPredictions(t *testing.T) {
	dir := t.TempDir()
	data := "../../../../testdata/atoms/rmd17_o_subset.h5"
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
		if !slices.Equal(got[i].Positions, ref[i].Positions) || len(got[i].Numbers) != len(ref[i].Numbers) {
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
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	r := map[string]float64{}
	for k, v := range raw {
		if f, ok := v.(float64); ok {
			r[k] = f
		}
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

// TestEvalPredictionsCurvesAndPairs checks --predictions for a constitutive model
// (curves whose RMSE against the data is the report's) and a drug–target model
// (one CSV line per scored pair).
func TestEvalPredictionsCurvesAndPairs(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	var out bytes.Buffer
	if err := runDemo(&DemoOptions{Export: data, Options: demo.Options{Out: &out}}); err != nil {
		t.Fatal(err)
	}
	cm, err := constitutive.New(constitutive.Config{Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	model, pred, rep := filepath.Join(dir, "c.model"), filepath.Join(dir, "c_pred.h5"), filepath.Join(dir, "c.json")
	if err := cm.Save(model); err != nil {
		t.Fatal(err)
	}
	al := filepath.Join(data, "al6061.h5")
	if err := runEval(&EvalOptions{Model: model, Data: al, Predictions: pred, Report: rep, Out: &out}); err != nil {
		t.Fatal(err)
	}
	ref, _ := curves.Read(al)
	got, err := curves.Read(pred)
	if err != nil || len(got) != len(ref) {
		t.Fatalf("%d predicted curves for %d: %v", len(got), len(ref), err)
	}
	var se float64
	n := 0
	for i := range ref {
		for k := range ref[i].Stress {
			d := got[i].Stress[k] - ref[i].Stress[k]
			se += d * d
			n++
		}
	}
	var r map[string]float64
	b, _ := os.ReadFile(rep)
	json.Unmarshal(b, &r)
	if rmse := math.Sqrt(se / float64(n)); math.Abs(rmse-r["stress_rmse_mpa"]) > 1e-9*rmse {
		t.Errorf("RMSE from predictions %g MPa, report %g", rmse, r["stress_rmse_mpa"])
	}

	model = filepath.Join(dir, "d.model")
	if err := runTrainDTI(&TrainDTIOptions{Data: filepath.Join(data, "gpcr_demo.h5"), Out: model, Species: "human",
		TestFraction: 0.25, Epochs: 1, BatchProteins: 8, PairsPerProtein: 8, LR: 1e-3, Embed: 8, MaxProteinLength: 200,
		Seed: 1, Log: &out}); err != nil {
		t.Fatal(err)
	}
	csvPath := filepath.Join(dir, "rat.csv")
	if err := runEval(&EvalOptions{Model: model, Data: filepath.Join(data, "gpcr_demo.h5"), Species: "rat",
		Predictions: csvPath, Report: rep, Plot: filepath.Join(dir, "fig"), Out: &out}); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(filepath.Join(dir, "fig", "roc.png")); err != nil || st.Size() < 1000 {
		t.Errorf("eval --plot of a drug–target model: roc.png %v", err)
	}
	b, _ = os.ReadFile(csvPath)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	b, _ = os.ReadFile(rep)
	json.Unmarshal(b, &r)
	if len(lines) != int(r["n_pairs"])+1 || !strings.HasPrefix(lines[0], "protein,accession,species,drug,split,value,output") {
		t.Errorf("%d CSV lines for %v pairs; header %q", len(lines), r["n_pairs"], lines[0])
	}
	for _, l := range lines[1:] {
		if !strings.Contains(l, ",rat,") {
			t.Fatalf("non-rat pair in --species rat predictions: %s", l)
		}
	}
}
