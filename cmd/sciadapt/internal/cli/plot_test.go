package cli

import (
	"bytes"
	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/figures"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/demodata"
)

// checkFigures checks that dir holds exactly the named figures, each a 750×600
// PNG with data drawn on it: at least 300 coloured pixels (axes, grid and text
// are black, grey or white; every data series is coloured).
func checkFigures(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %v, want %v", dir, got, names)
	}
	for _, n := range names {
		fh, err := os.Open(filepath.Join(dir, n))
		if err != nil {
			t.Error(err)
			continue
		}
		img, err := png.Decode(fh)
		fh.Close()
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		b := img.Bounds()
		if b.Dx() != 750 || b.Dy() != 600 {
			t.Errorf("%s: %d×%d pixels, want 750×600", n, b.Dx(), b.Dy())
		}
		coloured := 0
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r, g, bb, _ := img.At(x, y).RGBA()
				hi, lo := max(r, g, bb)>>8, min(r, g, bb)>>8
				if hi-lo > 0x40 {
					coloured++
				}
			}
		}
		if coloured < 300 {
			t.Errorf("%s: only %d coloured pixels: no data drawn", n, coloured)
		}
	}
}

func TestPlotPotentials(t *testing.T) {
	dir := t.TempDir()
	paths, err := demodata.WriteTo(dir)
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "hcn.model")
	figs := filepath.Join(dir, "train_figs")
	code, out, stderr := run(t, "train", "potential", "--data", paths[demodata.HCNTrain], "--out", base,
		"--frames", "4", "--epochs", "3", "--features", "8", "--rbf", "8", "--interactions", "1", "--plot", figs)
	if code != 0 {
		t.Fatalf("train potential: exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "wrote figures "+filepath.Join(figs, figures.Loss)) {
		t.Errorf("train potential does not name its figures: %s", out)
	}
	checkFigures(t, figs, figures.Loss, figures.ParityEnergy, figures.ParityForces)

	adapter := filepath.Join(dir, "O.adapter")
	figs = filepath.Join(dir, "nested", "add_figs") // made with its parents
	code, _, stderr = run(t, "add-element", "--base", base, "--element", "O", "--data", paths[demodata.OTrain],
		"--frames", "2", "--epochs", "2", "--test", paths[demodata.OTest], "--out", adapter, "--plot", figs)
	if code != 0 {
		t.Fatalf("add-element: exit %d: %s", code, stderr)
	}
	checkFigures(t, figs, figures.Loss, figures.ParityEnergy, figures.ParityForces)

	figs = filepath.Join(dir, "eval_figs")
	code, _, stderr = run(t, "eval", "--model", base, "--adapter", adapter, "--data", paths[demodata.OTest], "--plot", figs)
	if code != 0 {
		t.Fatalf("eval: exit %d: %s", code, stderr)
	}
	checkFigures(t, figs, figures.ParityEnergy, figures.ParityForces)

	// A --plot path that is a file is refused with its name.
	code, _, stderr = run(t, "eval", "--model", base, "--data", paths[demodata.HCNTest], "--plot", base)
	if code != ExitBadInput || !strings.Contains(stderr, "--plot") {
		t.Errorf("eval --plot onto a file: exit %d, %q", code, stderr)
	}
}

func TestPlotConstitutive(t *testing.T) {
	dir := t.TempDir()
	data := writeAlCurves(t, dir)
	base := filepath.Join(dir, "al.model")
	figs := filepath.Join(dir, "train_figs")
	code, _, stderr := run(t, "train", "constitutive", "--data", data, "--out", base,
		"--points-per-curve", "30", "--max-iterations", "60", "--plot", figs)
	if code != 0 {
		t.Fatalf("train constitutive: exit %d: %s", code, stderr)
	}
	checkFigures(t, figs, figures.ParityStress, figures.StressStrain)

	// The fixtures hold one 200 °C specimen: the stress–strain figure shows it,
	// and with no other specimen to test on there is no parity plot.
	figs = filepath.Join(dir, "tune_figs")
	code, _, stderr = run(t, "temperature-tune", "--base", base, "--temperature", "200C", "--data", data,
		"--points", "5", "--max-iterations", "40", "--out", filepath.Join(dir, "t200.adapter"), "--plot", figs)
	if code != 0 {
		t.Fatalf("temperature-tune: exit %d: %s", code, stderr)
	}
	checkFigures(t, figs, figures.StressStrain)

	figs = filepath.Join(dir, "eval_figs")
	code, _, stderr = run(t, "eval", "--model", base, "--data", data, "--plot", figs)
	if code != 0 {
		t.Fatalf("eval: exit %d: %s", code, stderr)
	}
	checkFigures(t, figs, figures.ParityStress, figures.StressStrain)
}

func TestPlotDTI(t *testing.T) {
	dir, gpcr, _ := dtiFixtures(t)
	base := filepath.Join(dir, "human.model")
	var log bytes.Buffer
	figs := filepath.Join(dir, "train_figs")
	o := &TrainDTIOptions{Data: gpcr, Out: base, Species: "human,unknown", TestFraction: 0.25, Epochs: 2,
		BatchProteins: 8, PairsPerProtein: 8, LR: 1e-3, Embed: 8, MaxProteinLength: 200, Seed: 1, Log: &log, Plot: figs}
	if err := runTrainDTI(o); err != nil {
		t.Fatal(err)
	}
	checkFigures(t, figs, figures.Loss, figures.ROC)

	figs = filepath.Join(dir, "transfer_figs")
	if err := runTransfer(&TransferOptions{Base: base, Species: "rat", Data: gpcr, Out: filepath.Join(dir, "rat.adapter"),
		Method: "prompt", PerTarget: 2, Epochs: 2, PromptLength: 4, Rank: 2, Reduction: 4, LR: 3e-3, Seed: 1,
		Log: &log, Plot: figs}); err != nil {
		t.Fatal(err)
	}
	checkFigures(t, figs, figures.Loss, figures.ROC)

	// Affinities (Davis fixture, pKd): the parity plot replaces the ROC curves.
	davis := filepath.Join(dir, "DAVIS.h5")
	if code, _, stderr := run(t, "import", "davis", filepath.Join(dtiData, "davis"), "--out", davis); code != 0 {
		t.Fatalf("import davis: exit %d: %s", code, stderr)
	}
	figs = filepath.Join(dir, "davis_figs")
	if err := runTrainDTI(&TrainDTIOptions{Data: davis, Out: filepath.Join(dir, "davis.model"), Species: "human,unknown",
		Split: "train", TestSplit: "test", Epochs: 2, BatchProteins: 4, PairsPerProtein: 4, LR: 1e-3, Embed: 8,
		MaxProteinLength: 200, Seed: 1, Log: &log, Plot: figs}); err != nil {
		t.Fatal(err)
	}
	checkFigures(t, figs, figures.Loss, figures.ParityAffinity)
}
