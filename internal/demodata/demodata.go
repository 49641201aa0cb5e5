// Package demodata embeds the small rMD17 subsets that "sciadapt demo" runs on, so
// the demo needs no file: H/C/N molecules (azobenzene, benzene, toluene, naphthalene;
// 40 training and 10 test frames each) and O-containing molecules (ethanol,
// malonaldehyde, salicylic acid; 50 training and 20 test frames each).
//
// Source: rMD17, Christensen & von Lilienfeld 2020 (arXiv 2007.09593), split 01,
// CC0-1.0, PBE/def2-SVP; energies kcal/mol and forces kcal/mol/Å as published. Frames
// were drawn by a seeded permutation from the training and test files of
// ../shared/data/rmd17; no value was changed.
package demodata

import (
	"embed"
	"os"
	"path/filepath"
)

//go:embed *.h5
var files embed.FS

// Names of the embedded files.
const (
	HCNTrain = "hcn_train.h5"
	HCNTest  = "hcn_test.h5"
	OTrain   = "o_train.h5"
	OTest    = "o_test.h5"
)

// WriteTo copies the embedded files into dir (HDF5 needs real files) and returns
// their paths by name.
func WriteTo(dir string) (map[string]string, error) {
	paths := map[string]string{}
	for _, n := range []string{HCNTrain, HCNTest, OTrain, OTest} {
		b, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return nil, err
		}
		paths[n] = p
	}
	return paths, nil
}
