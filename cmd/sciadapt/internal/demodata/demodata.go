// Package demodata embeds the small data sets that "sciadapt demo" runs on, so the
// demo needs no file (provenance and licences in README.md):
//
//   - rMD17 subsets (CC0-1.0): H/C/N molecules (azobenzene, benzene, toluene,
//     naphthalene; 40 training and 10 test frames each) and O-containing molecules
//     (ethanol, malonaldehyde, salicylic acid; 50 training and 20 test frames each).
//     PBE/def2-SVP; energies kcal/mol and forces kcal/mol/Å as published, frames drawn
//     by a seeded permutation from ../shared/data/rmd17; no value was changed.
//   - al6061.csv (Sandia MatCal, BSD-3-Clause): Al 6061-T6 true stress–strain
//     tension curves, the LT curves at 23 °C and all curves at 200 °C, thinned to
//     about 30 points each (gen_curves.go).
//   - gpcr_demo.h5 and orthologs_demo.h5 (TransformerCPI GPCR set, Apache-2.0;
//     UniProt sequences via Avoidome, CC BY 4.0): at most 20 pairs of each human and
//     40 of each rat GPCR, and the human–rat ortholog links of those rat receptors
//     (gen_dti.go). Stored gzip-compressed; ReadFile and WriteTo uncompress them.
package demodata

import (
	"bytes"
	"compress/gzip"
	"embed"
	"io"
	"os"
	"path/filepath"
)

//go:embed *.h5 *.gz *.csv
var files embed.FS

// Names of the embedded files.
const (
	HCNTrain = "hcn_train.h5"
	HCNTest  = "hcn_test.h5"
	OTrain   = "o_train.h5"
	OTest    = "o_test.h5"
	// AlCurves is a CSV with header specimen, temperature_K, direction,
	// elastic_limit_index, true_strain, true_stress_MPa; one line per point.
	AlCurves = "al6061.csv"
	// GPCR holds binary drug–target pairs (sciadapt-dti layout), Orthologs the
	// human–rat ortholog links (sciadapt-dti layout, no pairs).
	GPCR      = "gpcr_demo.h5"
	Orthologs = "orthologs_demo.h5"
)

// Names lists every embedded file by the name WriteTo gives it.
var Names = []string{HCNTrain, HCNTest, OTrain, OTest, AlCurves, GPCR, Orthologs}

// ReadFile returns the contents of an embedded file, uncompressed.
func ReadFile(name string) ([]byte, error) {
	b, err := files.ReadFile(name)
	if err == nil {
		return b, nil
	}
	gz, gerr := files.ReadFile(name + ".gz")
	if gerr != nil {
		return nil, err
	}
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// WriteTo copies the embedded files into dir (HDF5 needs real files) and returns
// their paths by name.
func WriteTo(dir string) (map[string]string, error) {
	paths := map[string]string{}
	for _, n := range Names {
		b, err := ReadFile(n)
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
