package cli

import (
	"bytes"
	"flag"
	"fmt"
	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/figures"
	"os"
	"path/filepath"
	"testing"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/demodata"
	"github.com/sciadapt/sciadapt/internal/plots"
)

var updateFigures = flag.Bool("update-figures", false, "rewrite the example figures in docs/figures (slow: trains small models)")

// TestWriteDocFigures regenerates the example figures of the README in
// docs/figures from runs of the commands with --plot on the embedded demo data and
// the test fixtures. It runs only with -update-figures (several minutes):
//
//	go test ./internal/cli -run TestWriteDocFigures -update-figures
func TestWriteDocFigures(t *testing.T) {
	if !*updateFigures {
		t.Skip("run with -update-figures to rewrite docs/figures")
	}
	docs := filepath.Join("..", "..", "..", "..", "docs", "figures")
	if err := os.MkdirAll(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keep := func(figDir, name, as string) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(figDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(docs, as), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	must := func(args ...string) string {
		t.Helper()
		code, out, stderr := run(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		return out
	}

	// Potentials: base on H/C/N (rMD17 subsets), then O from K frames per molecule.
	paths, err := demodata.WriteTo(dir)
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "hcn.model")
	figs := filepath.Join(dir, "base")
	must("train", "potential", "--data", paths[demodata.HCNTrain], "--out", base, "--features", "32", "--rbf", "16",
		"--interactions", "2", "--epochs", "40", "--batch-size", "16", "--lr", "3e-3", "--plot", figs)
	keep(figs, figures.Loss, "train_potential_loss.png")
	keep(figs, figures.ParityForces, "train_potential_parity_forces.png")
	var ks, eMAE, fMAE []float64
	for _, k := range []int{1, 2, 4, 8, 16} {
		figs = filepath.Join(dir, fmt.Sprintf("o%d", k))
		rep := filepath.Join(dir, fmt.Sprintf("o%d.json", k))
		must("add-element", "--base", base, "--element", "O", "--data", paths[demodata.OTrain], "--frames", fmt.Sprint(k),
			"--epochs", "40", "--test", paths[demodata.OTest], "--out", filepath.Join(dir, "O.adapter"), "--report", rep, "--plot", figs)
		r := readDTIReport(t, rep)["test"].(map[string]any)
		ks = append(ks, float64(k))
		eMAE = append(eMAE, r["energy_mae_ev_per_atom"].(float64)*1000)
		fMAE = append(fMAE, r["force_mae_ev_per_angstrom"].(float64))
	}
	keep(filepath.Join(dir, "o16"), figures.ParityEnergy, "add_element_parity_energy.png")
	if err := plots.LearningCurve(filepath.Join(docs, "add_element_learning_curve.png"), []plots.Series{
		{Label: "force MAE (eV/Å)", X: ks, Y: fMAE},
		{Label: "energy MAE (meV/atom)", X: ks, Y: eMAE},
	}, &plots.CurvesOptions{Title: "adding O to an H/C/N potential", XLabel: "training frames K per molecule",
		YLabel: "test error", XScale: plots.ScaleLog}); err != nil {
		t.Fatal(err)
	}

	// Constitutive: Al 6061 at 23 °C, tuned to 200 °C on 5 points.
	data := writeAlCurves(t, dir)
	cbase := filepath.Join(dir, "al.model")
	figs = filepath.Join(dir, "al")
	must("train", "constitutive", "--data", data, "--out", cbase, "--points-per-curve", "60", "--plot", figs)
	keep(figs, figures.ParityStress, "train_constitutive_parity_stress.png")
	figs = filepath.Join(dir, "al200")
	must("temperature-tune", "--base", cbase, "--temperature", "200C", "--data", data, "--points", "5",
		"--out", filepath.Join(dir, "al200.adapter"), "--plot", figs)
	keep(figs, figures.StressStrain, "temperature_tune_stress_strain.png")

	// Drug–target: human GPCR model moved to rat.
	ddir, gpcr, _ := dtiFixtures(t)
	dbase := filepath.Join(ddir, "human.model")
	var log bytes.Buffer
	if err := runTrainDTI(&TrainDTIOptions{Data: gpcr, Out: dbase, Species: "human,unknown", TestFraction: 0.25, Epochs: 20,
		BatchProteins: 8, PairsPerProtein: 8, LR: 1e-3, Embed: 16, MaxProteinLength: 400, Seed: 1, Log: &log}); err != nil {
		t.Fatal(err)
	}
	figs = filepath.Join(ddir, "rat")
	if err := runTransfer(&TransferOptions{Base: dbase, Species: "rat", Data: gpcr, Out: filepath.Join(ddir, "rat.adapter"),
		Method: "prompt", PerTarget: 4, Epochs: 30, PromptLength: 8, Rank: 4, Reduction: 4, LR: 3e-3, Seed: 1,
		Log: &log, Plot: figs}); err != nil {
		t.Fatal(err)
	}
	keep(figs, figures.ROC, "transfer_roc.png")
	keep(figs, figures.Loss, "transfer_loss.png")
}
