package datasets_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/sciadapt/sciadapt/datasets"
)

// Open a file stored in kcal/mol and read one frame: values come back in eV and Å.
func ExampleOpen() {
	f, err := datasets.Open("../testdata/atoms/rmd17_o_subset.h5")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	fmt.Println("stored in", f.Units())
	for _, s := range f.Systems() {
		fmt.Printf("%s: %s, %d atoms, %d frames\n", s.Name, datasets.Formula(s.Numbers), s.Atoms(), s.Frames)
	}
	fr, err := f.Frame("ethanol", 2)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("ethanol frame 2: E = %.4f eV, F[0] = %.4f eV/Å\n", fr.Energy, fr.Forces[0])
	// Output:
	// stored in kcal/mol and angstrom
	// ethanol: C2H6O, 9 atoms, 4 frames
	// malonaldehyde: C3H4O2, 9 atoms, 3 frames
	// ethanol frame 2: E = -4209.5598 eV, F[0] = -1.3837 eV/Å
}

// Subsets for a learning curve are nested: the frames chosen per system with k = 1
// are among those chosen with k = 2, which are among those with k = 3.
func ExampleSubsample() {
	f, err := datasets.Open("../testdata/atoms/rmd17_o_subset.h5")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	for _, k := range []int{1, 2, 3} {
		fmt.Println(k, datasets.Subsample(f.Refs(), k, 2024))
	}
	// Output:
	// 1 [{ethanol 0 9} {malonaldehyde 0 9}]
	// 2 [{ethanol 0 9} {ethanol 2 9} {malonaldehyde 0 9} {malonaldehyde 1 9}]
	// 3 [{ethanol 0 9} {ethanol 2 9} {ethanol 3 9} {malonaldehyde 0 9} {malonaldehyde 1 9} {malonaldehyde 2 9}]
}

// Read an extended XYZ frame whose energies are in kcal/mol (as MD17 files are).
func ExampleReadExtXYZ() {
	const xyz = `3
Properties=species:S:1:pos:R:3:forces:R:3 energy=-47925.4 pbc="F F F"
O  0.000  0.000  0.117  0.0  0.0  -2.1
H  0.000  0.757 -0.467  0.0  1.3   1.05
H  0.000 -0.757 -0.467  0.0 -1.3   1.05
`
	units := datasets.Units{Energy: datasets.KcalPerMol, Length: datasets.Angstrom}
	frames, err := datasets.ReadExtXYZ(strings.NewReader(xyz), "water.xyz", &datasets.ExtXYZOptions{Units: units})
	if err != nil {
		log.Fatal(err)
	}
	fr := frames[0]
	fmt.Printf("%s: E = %.3f eV, Fz(O) = %.4f eV/Å\n", datasets.Formula(fr.Numbers), fr.Energy, fr.Forces[2])
	// Output:
	// H2O: E = -2078.242 eV, Fz(O) = -0.0911 eV/Å
}

// Batch frames of different sizes under an atom budget.
func ExampleBatches() {
	refs := []datasets.FrameRef{{"benzene", 0, 12}, {"benzene", 1, 12}, {"water", 0, 3}, {"azobenzene", 0, 24}, {"water", 1, 3}}
	for _, b := range datasets.Batches(refs, 0, 30) {
		fmt.Println(b)
	}
	// Output:
	// [{benzene 0 12} {benzene 1 12} {water 0 3}]
	// [{azobenzene 0 24} {water 1 3}]
}

// Each atoms format has the units its files are read in unless told otherwise.
func ExampleDefaultUnits() {
	for _, f := range []string{datasets.FormatExtXYZ, datasets.FormatANI1x, datasets.FormatDeePMD} {
		u, _ := datasets.DefaultUnits(f)
		fmt.Printf("%-6s %s\n", f, u)
	}
	// Output:
	// extxyz eV and angstrom
	// ani1x  hartree and angstrom
	// deepmd eV and angstrom
}
