package imports

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/usage"
)

const testdata = "../../../../testdata"

// TestRunAndUsage runs one import of each kind on the fixtures and checks the
// last line printed, and that a missing --out is a usage error for every kind.
func TestRunAndUsage(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.h5")
	var w bytes.Buffer
	for _, c := range []struct {
		run      interface{ Run() error }
		last     string
		withoutO interface{ Run() error }
	}{
		{&Atoms{Format: "extxyz", Inputs: []string{filepath.Join(testdata, "atoms/aspirin_3.xyz")}, EnergyUnit: "kcal/mol", Out: out, Stdout: &w},
			"  system C9H8O4", &Atoms{Format: "extxyz", Inputs: []string{"x.xyz"}}},
		{&MatCal{Inputs: []string{filepath.Join(testdata, "constitutive/cleaned_CA-LT-01.csv")}, Out: out, Stdout: &w},
			"wrote 1 curves", &MatCal{Inputs: []string{"x.csv"}}},
		{&Gleeble{Inputs: []string{filepath.Join(testdata, "constitutive/gleeble_subset.h5")}, Dataset: "all", Out: out, Stdout: &w},
			"(compression negative), temperature in K", &Gleeble{Dataset: "all"}},
		{&GPCR{Inputs: []string{"test=" + filepath.Join(testdata, "dti/gpcr/GPCR_test_subset.txt")}, Species: "rat", Out: out, Stdout: &w},
			"(sciadapt-dti, binary labels)", &GPCR{Inputs: []string{"x.txt"}}},
		{&Davis{Dir: filepath.Join(testdata, "dti/davis"), Setting: 1, Species: "human", Out: out, Stdout: &w},
			"(sciadapt-dti, affinity in pKd)", &Davis{Setting: 1}},
		{&FASTA{Inputs: []string{"rat=" + filepath.Join(testdata, "dti/orthologs/rat_subset.fasta")}, Out: out, Stdout: &w},
			"(sciadapt-dti, proteins only)", &FASTA{Inputs: []string{"x.fasta"}}},
	} {
		w.Reset()
		if err := c.run.Run(); err != nil {
			t.Fatalf("%T: %v", c.run, err)
		}
		lines := strings.Split(strings.TrimSpace(w.String()), "\n")
		if !strings.Contains(lines[len(lines)-1], c.last) {
			t.Errorf("%T: last line %q, want %q", c.run, lines[len(lines)-1], c.last)
		}
		var u usage.Error
		if err := c.withoutO.Run(); !errors.As(err, &u) || !strings.Contains(err.Error(), "--out is required") {
			t.Errorf("%T without --out: %v, want a usage error", c.withoutO, err)
		}
	}
}
