package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/datasets"
)

func TestInspectData(t *testing.T) {
	path := filepath.Join(atomsData, "rmd17_o_subset.h5")
	var stdout bytes.Buffer
	if err := runInspectData(&InspectDataOptions{Path: path, Stdout: &stdout}); err != nil {
		t.Fatal(err)
	}
	// Expected ranges, computed from the frames independently of Summary.
	f := openAtoms(t, path)
	frames, err := f.Frames(f.Refs())
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := frames[0].Energy, frames[0].Energy
	for _, fr := range frames {
		lo, hi = min(lo, fr.Energy), max(hi, fr.Energy)
	}
	for _, want := range []string{
		"file " + path + " (sciadapt-atoms, version 1)\n",
		"level of theory PBE/def2-SVP\n",
		"stored units kcal/mol and angstrom (shown below converted to eV and Å)\n",
		"systems 2\n",
		"frames 7\n",
		"atoms per frame 9\n",
		"elements H C O\n",
		"periodic no\n",
		"forces yes\n",
		"stress no\n",
		fmt.Sprintf("energy %.4f to %.4f eV\n", lo, hi),
		"ethanol C2H6O 9 4 yes no no",
		"malonaldehyde C3H4O2 9 3 yes no no",
	} {
		if !strings.Contains(squeeze(stdout.String()), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
	// Ethanol's PBE energy, −97 074.755 kcal/mol = −4209.56 eV (frame 2), lies in the range.
	if lo > -4209.56 || hi < -4209.56 {
		t.Errorf("energy range %v … %v", lo, hi)
	}

	stdout.Reset()
	emt := filepath.Join(atomsData, "emt_subset.h5")
	if err := runInspectData(&InspectDataOptions{Path: emt, Stdout: &stdout}); err != nil {
		t.Fatal(err)
	}
	e := openAtoms(t, emt)
	frames, err = e.Frames(e.Refs())
	if err != nil {
		t.Fatal(err)
	}
	sLo, sHi := 0.0, 0.0
	for _, fr := range frames {
		for _, v := range fr.Stress {
			sLo, sHi = min(sLo, v), max(sHi, v)
		}
	}
	// ±3 % strain of Cu/Ag/Au (bulk moduli 100–180 GPa) gives stresses of order 10 GPa.
	if gpa := sLo * 160.2176634; gpa > -5 || gpa < -50 {
		t.Errorf("most compressive stress %v GPa", gpa)
	}
	for _, want := range []string{"periodic yes\n", "stress yes\n", "atoms per frame 32\n", "elements Cu Ag Au\n",
		fmt.Sprintf("stress components %.6g to %.6g eV/Å³ (%.6g to %.6g GPa, + = tensile)\n", sLo, sHi, sLo*160.2176634, sHi*160.2176634),
		"Ag11Au2Cu19_32 Ag11Au2Cu19 32 3 yes yes yes"} {
		if !strings.Contains(squeeze(stdout.String()), want) {
			t.Errorf("EMT output lacks %q:\n%s", want, stdout.String())
		}
	}
}

func TestInspectManySystems(t *testing.T) {
	path := filepath.Join(t.TempDir(), "many.h5")
	var frames []datasets.Frame
	for i := 0; i < 23; i++ {
		frames = append(frames, datasets.Frame{System: fmt.Sprintf("s%02d", i), Numbers: []int{1, 1}, Positions: []float64{0, 0, 0, 0.74, 0, 0}, Energy: -31.7})
	}
	if err := datasets.Write(path, datasets.Meta{}, frames); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := atomsMain("inspect", "data", path)
	out = squeeze(out)
	if code != 0 || !strings.Contains(out, "\ns19 ") || strings.Contains(out, "\ns20 ") || !strings.Contains(out, "… and 3 more systems (--systems lists them all)") ||
		!strings.Contains(out, "forces no\n") || !strings.Contains(out, "level of theory (not recorded)\n") {
		t.Errorf("exit %d %s\n%s", code, stderr, out)
	}
	code, out, _ = atomsMain("inspect", "data", path, "--systems")
	if code != 0 || !strings.Contains(out, "\ns22 ") || strings.Contains(out, "more systems") {
		t.Errorf("--systems:\n%s", out)
	}
}

func TestInspectBad(t *testing.T) {
	dir := t.TempDir()
	good, _ := os.ReadFile(filepath.Join(atomsData, "rmd17_o_subset.h5"))
	trunc := filepath.Join(dir, "trunc.h5")
	os.WriteFile(trunc, good[:5000], 0o644)
	xyz := filepath.Join(atomsData, "aspirin_3.xyz")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"inspect", "data", trunc}, 1, "sciadapt: " + trunc + ": file is truncated: it has 5000 bytes but its HDF5 superblock says 13584 (an interrupted copy or download?)\n"},
		{[]string{"inspect", "data", xyz}, 1, "sciadapt: " + xyz + ": not an HDF5 file (no HDF5 signature)\n"},
		{[]string{"inspect", "data", filepath.Join(dir, "none.h5")}, 1, "none.h5: no such file or directory\n"},
		{[]string{"inspect", "data", filepath.Join(atomsData, "ani1x_like.h5")}, 1, `not a sciadapt atoms file (it has no readable "format" attribute; other layouts are converted with "sciadapt import")`},
		{[]string{"inspect", "data"}, 2, "accepts 1 arg(s), received 0"},
		{[]string{"inspect"}, 2, "name what to inspect: sciadapt inspect data FILE.h5"},
	}
	for _, tt := range tests {
		code, _, stderr := atomsMain(tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v:\n exit %d, %q\nwant exit %d, %q", tt.args[1:], code, stderr, tt.code, tt.want)
		}
	}
}

// squeeze collapses runs of spaces, so tests do not depend on column widths.
func squeeze(s string) string {
	return regexp.MustCompile(` {2,}`).ReplaceAllString(s, " ")
}
