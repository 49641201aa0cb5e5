package cli

import (
	"bytes"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/bio/dtidata"
)

func TestImportDavis(t *testing.T) {
	out := filepath.Join(t.TempDir(), "DAVIS.h5")
	var stdout bytes.Buffer
	cmd := NewCmdImportDavis()
	cmd.SetArgs([]string{filepath.Join(dtiData, "davis"), "--out", out})
	cmd.SetOut(&stdout)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	d, err := dtidata.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if d.Task != dtidata.Affinity || d.AffinityUnit != "pKd" || len(d.Pairs) != 30 {
		t.Fatalf("task %q unit %q, %d pairs", d.Task, d.AffinityUnit, len(d.Pairs))
	}
	// Fixture cell (2,1) is Kd 0.94 nM: pKd = 9 − log10(0.94), the largest value;
	// the smallest is the ceiling, pKd 5 (Kd 10000 nM), which 8 cells hold.
	if got := d.Pairs[13].Value; math.Abs(got-(9-math.Log10(0.94))) > 1e-12 {
		t.Errorf("pair 13 pKd %v", got)
	}
	for _, want := range []string{
		"5 drugs × 6 proteins, 30 measured pairs, pKd 5.000 to 9.027, 8 at the 10000 nM ceiling (pKd 5)",
		"DeepDTA setting 1: test fold 8 pairs; training folds 7 2 5 5 3",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
}

func TestImportDavisErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.h5")
	for _, tc := range []struct {
		opts ImportDavisOptions
		code int
		frag string
	}{
		{ImportDavisOptions{Dir: filepath.Join(dtiData, "gpcr"), Out: out, Setting: 1}, ExitBadInput, "no ligands_can.txt: not a DeepDTA Davis directory"},
		{ImportDavisOptions{Dir: filepath.Join(dtiData, "davis/ligands_can.txt"), Out: out, Setting: 1}, ExitBadInput, "not a directory"},
		{ImportDavisOptions{Dir: filepath.Join(dtiData, "davis"), Out: out, Setting: 2}, ExitBadInput, "test_fold_setting2.txt: no such file"},
		{ImportDavisOptions{Dir: filepath.Join(dtiData, "davis"), Out: out, Setting: 0}, ExitUsage, "--setting"},
	} {
		tc.opts.Stdout = &bytes.Buffer{}
		err := runImportDavis(&tc.opts)
		if err == nil || exitCode(err) != tc.code || !strings.Contains(err.Error(), tc.frag) {
			t.Errorf("%+v: error %v (exit %d), want exit %d with %q", tc.opts, err, exitCode(err), tc.code, tc.frag)
		}
	}
}
