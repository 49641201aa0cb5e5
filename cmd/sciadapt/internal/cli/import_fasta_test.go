package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/bio/dtidata"
)

func TestImportFASTA(t *testing.T) {
	out := filepath.Join(t.TempDir(), "ORTHOLOGS.h5")
	var stdout bytes.Buffer
	err := runImportFASTA(&ImportFASTAOptions{
		Inputs: []string{
			"human=" + filepath.Join(dtiData, "orthologs/human_subset.fasta"),
			filepath.Join(dtiData, "orthologs/rat_subset.fasta"),
		},
		Species:   "rat",
		Orthologs: filepath.Join(dtiData, "orthologs/ortholog_pairs_subset.tsv"),
		Out:       out,
		Stdout:    &stdout,
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := dtidata.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	// 5 human + 4 rat records; 4 human–rat links (ADRB2, CHRM1, CHRM3, CNR2).
	if len(d.Proteins) != 9 || d.Task != dtidata.NoPairs || len(d.Orthologs) != 4 {
		t.Fatalf("%d proteins, task %q, %d orthologs", len(d.Proteins), d.Task, len(d.Orthologs))
	}
	o := d.Orthologs[1]
	if d.Proteins[o.Human].Accession != "P11229" || d.Proteins[o.Other].Accession != "P08482" || o.Identity != 0.987 {
		t.Errorf("CHRM1 link: %+v", o)
	}
	for _, want := range []string{"species human         5 proteins", "species rat           4 proteins", "4 ortholog pairs: human–rat 4 human–mouse 0",
		"8 ortholog pairs left out", "ADRA1A rat P23944: sequence not given"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
}

func TestImportFASTAErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.fasta")
	os.WriteFile(bad, []byte(">P1\nMKV\nMK-V\n"), 0o644)
	rat := filepath.Join(dtiData, "orthologs/rat_subset.fasta")
	out := filepath.Join(dir, "x.h5")
	for _, tc := range []struct {
		opts ImportFASTAOptions
		code int
		frag string
	}{
		{ImportFASTAOptions{Inputs: []string{rat}, Out: out}, ExitUsage, "no species: give --species"},
		{ImportFASTAOptions{Inputs: []string{bad}, Species: "rat", Out: out}, ExitBadInput, bad + `: line 3, column 3: record "P1": invalid residue '-'`},
		{ImportFASTAOptions{Inputs: []string{rat}, Species: "rat", Orthologs: bad, Out: out}, ExitBadInput, bad + `: line 1: header has no "gene_symbol_in_source" column`},
		// The human file filed as rat: CHRM1's human accession then has the wrong species.
		{ImportFASTAOptions{Inputs: []string{filepath.Join(dtiData, "orthologs/human_subset.fasta")}, Species: "rat",
			Orthologs: filepath.Join(dtiData, "orthologs/ortholog_pairs_subset.tsv"), Out: out}, ExitBadInput, "is the human accession, but its protein has species \"rat\""},
	} {
		tc.opts.Stdout = &bytes.Buffer{}
		err := runImportFASTA(&tc.opts)
		if err == nil || exitCode(err) != tc.code || !strings.Contains(err.Error(), tc.frag) {
			t.Errorf("%+v: error %v (exit %d), want exit %d with %q", tc.opts.Inputs, err, exitCode(err), tc.code, tc.frag)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("an output file was written despite errors")
	}
}
