package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/constitutive/curves"
)

func TestImportGleeble(t *testing.T) {
	out := filepath.Join(t.TempDir(), "STEEL.h5")
	var stdout bytes.Buffer
	err := runImportGleeble(&ImportGleebleOptions{
		Inputs:  []string{filepath.Join(constitutiveData, "gleeble_subset.h5")},
		Out:     out,
		Dataset: "all",
		Stdout:  &stdout,
	})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := curves.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 4 {
		t.Fatalf("%d curves, want 4", len(cs))
	}
	for _, c := range cs {
		if c.Loading != curves.Compression || c.SourceStressUnit != "MPa" || c.SourceTemperatureUnit != "C" || c.Len() != 36 {
			t.Errorf("%s: %+v", c.Specimen, c)
		}
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 6 {
		t.Fatalf("stdout has %d lines, want 6:\n%s", len(lines), stdout.String())
	}
	// 1050 °C at 5 /s: the source's peak flow stress in the 'short' table is
	// 153.5919 MPa (h5py), reached at strain 0.7.
	for _, w := range []string{"T1050C_rate5", "1050.0", "5", "36", "153.6", "0.700"} {
		if !strings.Contains(lines[2], w) {
			t.Errorf("line %q lacks %q", lines[2], w)
		}
	}
	if !strings.HasPrefix(lines[5], "wrote 4 curves (144 points) to "+out) {
		t.Errorf("last line %q", lines[5])
	}
}

func TestImportGleebleErrors(t *testing.T) {
	dir := t.TempDir()
	notH5 := filepath.Join(dir, "notes.h5")
	os.WriteFile(notH5, []byte("strain,stress\n"), 0o644)
	fixture := filepath.Join(constitutiveData, "gleeble_subset.h5")
	for _, tc := range []struct {
		name    string
		inputs  []string
		dataset string
		want    string
		code    int
	}{
		{"not hdf5", []string{notH5}, "all", notH5 + ": not an HDF5 file", ExitBadInput},
		{"no dataset", []string{fixture}, "long", fixture + `: dataset "long" is missing`, ExitBadInput},
		{"empty dataset flag", []string{fixture}, "", "--dataset must name a dataset", ExitUsage},
		{"out is the input", []string{fixture}, "all", "is also an input", ExitUsage},
		{"same file twice under two names", []string{fixture, "./" + fixture}, "all", `two curves are named "T1050C_rate0.001"`, ExitBadInput},
	} {
		out := filepath.Join(dir, "out.h5")
		if tc.name == "out is the input" {
			out = "./" + fixture
		}
		err := runImportGleeble(&ImportGleebleOptions{Inputs: tc.inputs, Out: out, Dataset: tc.dataset})
		if err == nil || !strings.Contains(err.Error(), tc.want) || exitCode(err) != tc.code {
			t.Errorf("%s: %v (exit %d); want %q, exit %d", tc.name, err, exitCode(err), tc.want, tc.code)
		}
		if _, err := os.Stat(out); tc.name != "out is the input" && !os.IsNotExist(err) {
			t.Errorf("%s: %s was written", tc.name, out)
		}
	}
}

func TestImportGleebleMain(t *testing.T) {
	out := filepath.Join(t.TempDir(), "STEEL_short.h5")
	var stdout, stderr bytes.Buffer
	code := Main([]string{"import", "gleeble", filepath.Join(constitutiveData, "gleeble_subset.h5"), "--dataset", "short", "--out", out},
		strings.NewReader(""), &stdout, &stderr)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	cs, err := curves.Read(out)
	if err != nil || len(cs) != 1 || cs[0].Len() != 9 {
		t.Fatalf("read back %v: %+v", err, cs)
	}
	stdout.Reset()
	stderr.Reset()
	code = Main([]string{"import", "gleeble", filepath.Join(constitutiveData, "cleaned_CA-LT-01.csv"), "--out", out},
		strings.NewReader(""), &stdout, &stderr)
	if code != ExitBadInput || !strings.Contains(stderr.String(), "cleaned_CA-LT-01.csv: not an HDF5 file") {
		t.Errorf("a CSV given to gleeble: exit %d, stderr %q", code, stderr.String())
	}
}
