package datasets

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportFiles imports the aspirin fixture (3 frames, MD17: kcal/mol) twice
// into one file and checks the report, the conversion to eV, and the refusals
// of an unknown format and of an HDF5 file given as extended XYZ, which leave no
// file behind.
func TestImportFiles(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "aspirin.h5")
	r, err := ImportFiles(out, []string{fixXYZ, fixXYZ}, ImportOptions{Format: FormatExtXYZ, Units: Units{Energy: KcalPerMol}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Units != (Units{KcalPerMol, Angstrom}) || len(r.Frames) != 2 || r.Frames[0] != 3 || len(r.Systems) != 1 || r.Systems[0].Frames != 6 {
		t.Fatalf("report %+v: want kcal/mol and Å, 3 frames per input, one system of 6 frames", r)
	}
	f, err := Open(out)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := f.Frames(f.Refs())
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.Open(fixXYZ)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	asRead, err := ReadExtXYZ(raw, fixXYZ, &ExtXYZOptions{Units: Units{KcalPerMol, Angstrom}})
	if err != nil {
		t.Fatal(err)
	}
	// 1 kcal/mol = 0.0433641 eV: the stored energy is the file's value converted.
	if len(frames) != 6 || math.Abs(frames[0].Energy-asRead[0].Energy) > 1e-9*math.Abs(asRead[0].Energy) {
		t.Errorf("%d frames, energy %g eV; want 6 and %g", len(frames), frames[0].Energy, asRead[0].Energy)
	}
	for _, c := range []struct {
		o    ImportOptions
		in   string
		want string
	}{
		{ImportOptions{Format: "xyz"}, fixXYZ, `unknown atoms format "xyz"`},
		{ImportOptions{Format: FormatExtXYZ}, fixRMD17, "is an HDF5 file, not extended XYZ"},
	} {
		bad := filepath.Join(dir, "bad.h5")
		if _, err := ImportFiles(bad, []string{c.in}, c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error with %q", c.o, err, c.want)
		}
		if _, err := os.Stat(bad); err == nil {
			t.Errorf("%+v: %s left behind", c.o, bad)
		}
	}
}
