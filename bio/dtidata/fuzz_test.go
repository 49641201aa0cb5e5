package dtidata

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadLabelledPairs checks that a pair list either gives an error naming its
// line or pairs whose SMILES tokenise, whose sequences are proteins and whose
// labels are 0 or 1.
func FuzzReadLabelledPairs(f *testing.F) {
	b, err := os.ReadFile("../../testdata/dti/gpcr/GPCR_test_subset.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b[:min(len(b), 2000)]))
	f.Add("CC(=O)O MKTAYIAKQR 1\n\nCCN MKT 0\n")
	f.Add("CC(C(=O)O MKTAYIAKQR 0\n")
	f.Add("C MK1 1\n")
	f.Add("C MK 0.5\n")
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := ReadLabelledPairs(strings.NewReader(s))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") && !strings.Contains(err.Error(), "no pairs") {
				t.Logf("message: %v", err)
			}
			return
		}
		for _, p := range ps {
			if p.Label != 0 && p.Label != 1 || p.SMILES == "" || p.Sequence == "" {
				t.Fatalf("accepted %+v", p)
			}
		}
	})
}

// FuzzReadSpeciesTable checks that the species table reader never panics.
func FuzzReadSpeciesTable(f *testing.F) {
	b, err := os.ReadFile("../../testdata/dti/gpcr/protein_species_subset.tsv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add("species\taccession\tsequence\nrat\tP1\tMKT\n")
	f.Add("rat\t\t\n")
	f.Fuzz(func(t *testing.T, s string) {
		es, err := ReadSpeciesTable(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, e := range es {
			if e.Sequence == "" {
				t.Fatalf("accepted an entry without a sequence: %+v", e)
			}
		}
	})
}

// FuzzImportDavis writes fuzzed DeepDTA Davis files (ligands, proteins, Kd matrix
// and the two fold files) to a folder and imports it: no panic, errors name the
// folder, and an accepted dataset passes Validate with finite affinities.
func FuzzImportDavis(f *testing.F) {
	rd := func(name string) string {
		b, err := os.ReadFile(filepath.Join("../../testdata/dti/davis", name))
		if err != nil {
			f.Fatal(err)
		}
		return string(b)
	}
	f.Add(rd(DavisLigands), rd(DavisProteins), rd(DavisKd), rd("folds/test_fold_setting1.txt"), rd("folds/train_fold_setting1.txt"))
	f.Add(`{"1": "CCO", "2": "c1ccccc1"}`, `{"P1": "MKTAYIAKQR"}`, "10\nnan\n", "[0]", "[[]]")
	f.Add(`{"1": "CCO"}`, `{"P1": "MKT", "P2": "MKV"}`, "0 -5\n", "[1]", "[[0], [1]]")
	f.Add(`{"1": "CCO", "1": "CCN"}`, `{"P1": "MKT"}`, "1e400\n1\n", "[]", "[]")
	f.Fuzz(func(t *testing.T, lig, prot, kd, test, train string) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, DavisFolds), 0o755); err != nil {
			t.Fatal(err)
		}
		for name, s := range map[string]string{DavisLigands: lig, DavisProteins: prot, DavisKd: kd,
			"folds/test_fold_setting1.txt": test, "folds/train_fold_setting1.txt": train} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		d, err := ImportDavis(dir, nil)
		if err != nil {
			if !strings.Contains(err.Error(), dir) {
				t.Fatalf("error does not name the folder: %v", err)
			}
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("accepted a dataset that does not validate: %v", err)
		}
	})
}
