package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/bio/dtidata"
)

const dtiData = "../../../../testdata/dti"

func TestImportGPCR(t *testing.T) {
	out := filepath.Join(t.TempDir(), "GPCR.h5")
	var stdout bytes.Buffer
	err := runImportGPCR(&ImportGPCROptions{
		Inputs: []string{
			filepath.Join(dtiData, "gpcr/GPCR_train_subset.txt"), // no _train suffix: split from prefix below
			"test=" + filepath.Join(dtiData, "gpcr/GPCR_test_subset.txt"),
		},
		SpeciesTable: filepath.Join(dtiData, "gpcr/protein_species_subset.tsv"),
		Species:      "unknown",
		Out:          out,
		Stdout:       &stdout,
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := dtidata.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	// Fixture counts (testdata/dti/README.md): 36 + 9 pairs, 8 proteins; 27 rat pairs.
	if len(d.Pairs) != 45 || len(d.Proteins) != 8 || d.Task != dtidata.Binary {
		t.Fatalf("%d pairs, %d proteins, task %q", len(d.Pairs), len(d.Proteins), d.Task)
	}
	if len(d.PairsInSplit("test")) != 9 || len(d.PairsInSplit("")) != 36 {
		t.Errorf("splits: test %d, none %d", len(d.PairsInSplit("test")), len(d.PairsInSplit("")))
	}
	if n := len(d.PairsBySpecies("rat")); n != 27 {
		t.Errorf("%d rat pairs, want 27", n)
	}
	for _, want := range []string{"45 pairs, ", "split test        9 pairs", "no split         36 pairs", "species rat           4 proteins     27 pairs", "wrote " + out} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
}

func TestImportGPCRCommand(t *testing.T) {
	dir := t.TempDir()
	// A file named *_train.txt gets split "train"; --species applies to every protein.
	train := filepath.Join(dir, "rat_train.txt")
	b, _ := os.ReadFile(filepath.Join(dtiData, "gpcr/GPCR_test_subset.txt"))
	os.WriteFile(train, b, 0o644)
	out := filepath.Join(dir, "RAT.h5")
	cmd := NewCmdImportGPCR()
	cmd.SetArgs([]string{train, "--species", "Rat", "--out", out})
	cmd.SetOut(&bytes.Buffer{})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	d, err := dtidata.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.PairsInSplit("train")) != 9 || len(d.PairsBySpecies("rat")) != 9 {
		t.Errorf("train %d, rat %d; want 9 and 9", len(d.PairsInSplit("train")), len(d.PairsBySpecies("rat")))
	}
}

func TestImportGPCRErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("CCO MKV 1\nCC(O MKV 0\n"), 0o644)
	out := filepath.Join(dir, "x.h5")
	for _, tc := range []struct {
		opts ImportGPCROptions
		code int
		frag string
	}{
		{ImportGPCROptions{Inputs: []string{bad}, Out: out}, ExitBadInput, bad + `: line 2: SMILES "CC(O": position 3: unclosed '('`},
		{ImportGPCROptions{Inputs: []string{filepath.Join(dir, "none.txt")}, Out: out}, ExitBadInput, "none.txt: no such file"},
		{ImportGPCROptions{Inputs: []string{"=" + bad}, Out: out}, ExitUsage, "want NAME=FILE"},
		{ImportGPCROptions{Inputs: []string{bad}}, ExitUsage, "--out is required"},
		{ImportGPCROptions{Inputs: []string{filepath.Join(dtiData, "gpcr/GPCR_test_subset.txt")}, SpeciesTable: bad, Out: out}, ExitBadInput, bad + `: line 1: header has no "species" column`},
	} {
		tc.opts.Stdout = &bytes.Buffer{}
		err := runImportGPCR(&tc.opts)
		if err == nil || exitCode(err) != tc.code || !strings.Contains(err.Error(), tc.frag) {
			t.Errorf("%+v: error %v (exit %d), want exit %d with %q", tc.opts.Inputs, err, exitCode(err), tc.code, tc.frag)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("an output file was written despite errors")
	}
}
