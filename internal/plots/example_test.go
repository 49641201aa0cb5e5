package plots_test

import (
	"fmt"
	"image/png"
	"log"
	"os"
	"path/filepath"

	"github.com/sciadapt/sciadapt/internal/plots"
)

// ExampleROCPoints computes the ROC curve of five scored examples, two of them
// tied across the classes.
func ExampleROCPoints() {
	labels := []bool{true, false, true, false, false}
	scores := []float64{0.9, 0.8, 0.4, 0.4, 0.1}
	fpr, tpr, auroc := plots.ROCPoints(labels, scores)
	fmt.Printf("FPR %.3g\nTPR %.3g\nAUROC %.3g\n", fpr, tpr, auroc)
	// Output:
	// FPR [0 0 0.333 0.667 1]
	// TPR [0 0.5 0.5 1 1]
	// AUROC 0.75
}

// ExampleParity writes a parity plot of three energies and reads its size back.
func ExampleParity() {
	dir, err := os.MkdirTemp("", "plots")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "parity_energy.png")
	ref := []float64{-1.2, 0.1, 0.9}  // eV
	pred := []float64{-1.0, 0.0, 1.0} // eV
	if err := plots.Parity(path, ref, pred, &plots.ParityOptions{Quantity: "energy", Unit: "eV", Points: "frames"}); err != nil {
		log.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		log.Fatal(err)
	}
	mae, n := plots.MAE(ref, pred)
	fmt.Printf("%d×%d pixels; MAE %.3g eV over %d frames\n", cfg.Width, cfg.Height, mae, n)
	// Output:
	// 750×600 pixels; MAE 0.133 eV over 3 frames
}
