package datasets_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/sciadapt/sciadapt/datasets"
)

func ExampleFile_WriteSummary() {
	f, err := datasets.Open("../testdata/atoms/emt_subset.h5")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	s, err := f.Summary()
	if err != nil {
		log.Fatal(err)
	}
	if err := f.WriteSummary(os.Stdout, &s, false); err != nil {
		log.Fatal(err)
	}
	// Output:
	// file               ../testdata/atoms/emt_subset.h5 (sciadapt-atoms, version 1)
	// level of theory    EMT (ASE 3.22.1)
	// source             emt_alloys.py elements=Cu,Ag,Au n=1500 seed=11 need=None
	// stored units       eV and angstrom
	// systems            2
	// frames             4
	// atoms per frame    32
	// elements           Cu Ag Au
	// periodic           yes
	// forces             yes
	// stress             yes
	// energy             2.8545 to 7.0872 eV
	// energy per atom    0.089204 to 0.221476 eV/atom
	// force components   max |F| 5.411 eV/Å, RMS 1.184 eV/Å
	// stress components  -0.094551 to 0.0242564 eV/Å³ (-15.1487 to 3.8863 GPa, + = tensile)
	//
	// system          formula      atoms  frames  forces  cell  stress  energy/atom (eV)
	// Ag10Au13Cu9_32  Ag10Au13Cu9  32     1       yes     yes   yes     0.218680 to 0.218680
	// Ag11Au2Cu19_32  Ag11Au2Cu19  32     3       yes     yes   yes     0.089204 to 0.221476
}

func ExampleImportReport_WriteSummary() {
	dir, err := os.MkdirTemp("", "import")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	for _, c := range []struct {
		format, in, energyKey string
		energy                datasets.EnergyUnit
	}{
		{datasets.FormatExtXYZ, "../testdata/atoms/aspirin_3.xyz", "", datasets.KcalPerMol},
		{datasets.FormatANI1x, "../testdata/atoms/ani1x_like.h5", "wb97x_dz.energy", datasets.EnergyUnit{}},
	} {
		o := datasets.ImportOptions{Format: c.format, EnergyKey: c.energyKey}
		o.Units, _ = datasets.DefaultUnits(c.format)
		if c.energy.Name != "" {
			o.Units.Energy = c.energy
		}
		o.Meta = datasets.ImportMeta([]string{c.in}, o, "", "sciadapt v1.0")
		out := filepath.Join(dir, c.format+".h5")
		r, err := datasets.ImportFiles(out, []string{c.in}, o)
		if err != nil {
			log.Fatal(err)
		}
		r.WriteSummary(os.Stdout, []string{filepath.Base(c.in)}, filepath.Base(out), o)
		fmt.Printf("level of theory %q, source %q\n", o.Meta.LevelOfTheory, o.Meta.Source)
	}
	// Output:
	// aspirin_3.xyz: 3 frames
	// wrote extxyz.h5: 1 system, 3 frames, elements H C O
	//   read as kcal/mol and angstrom, stored as eV and angstrom
	//   system C9H8O4               C9H8O4         21 atoms       3 frames, forces
	// level of theory "", source "extxyz import of aspirin_3.xyz by sciadapt v1.0 (energies read as kcal/mol, lengths as angstrom)"
	// ani1x_like.h5: 2 systems, 6 frames kept; skipped 1 frame with no wb97x_dz.energy
	//   forces not imported: add --forces-key wb97x_dz.forces to import them
	// wrote ani1x.h5: 2 systems, 6 frames, elements H C O
	//   read as hartree and angstrom, stored as eV and angstrom
	//   system C2H6O                C2H6O           9 atoms       3 frames
	//   system C3H4O2               C3H4O2          9 atoms       3 frames
	// level of theory "wb97x_dz", source "ani1x import of ani1x_like.h5 by sciadapt v1.0 (energies read as hartree, lengths as angstrom)"
}
