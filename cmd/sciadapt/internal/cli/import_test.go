package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/datasets"
)

// Atoms fixtures; see testdata/atoms/README.md.
const atomsData = "../../../../testdata/atoms"

// atomsMain runs the command line and returns the exit code, stdout and stderr.
func atomsMain(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func openAtoms(t *testing.T, path string) *datasets.File {
	t.Helper()
	f, err := datasets.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestImportExtXYZ(t *testing.T) {
	out := filepath.Join(t.TempDir(), "aspirin.h5")
	in := filepath.Join(atomsData, "aspirin_3.xyz")
	var stdout bytes.Buffer
	err := runImportAtoms(&ImportAtomsOptions{Format: "extxyz", Inputs: []string{in, in}, Out: out,
		EnergyUnit: "kcal/mol", LevelOfTheory: "CCSD(T)/cc-pVDZ", Stdout: &stdout})
	if err != nil {
		t.Fatal(err)
	}
	f := openAtoms(t, out)
	sys := f.Systems()
	// Both inputs have the same atoms in the same order: one system of 2 × 3 frames.
	if len(sys) != 1 || sys[0].Name != "C9H8O4" || sys[0].Frames != 6 || !sys[0].HasForces || sys[0].HasCell {
		t.Fatalf("systems %+v", sys)
	}
	fr, err := f.Frame("C9H8O4", 4)
	if err != nil {
		t.Fatal(err)
	}
	// Frame 4 is the second file's frame 1: energy=-405691.06 kcal/mol (line 24 of aspirin_3.xyz).
	if want := -405691.06 * datasets.KcalPerMol.EV; fr.Energy != want {
		t.Errorf("energy %v eV, want %v", fr.Energy, want)
	}
	if f.Units() != datasets.EVAngstrom || f.Meta().LevelOfTheory != "CCSD(T)/cc-pVDZ" ||
		!strings.Contains(f.Meta().Source, "extxyz import of aspirin_3.xyz, aspirin_3.xyz by sciadapt") ||
		!strings.Contains(f.Meta().Source, "energies read as kcal/mol") {
		t.Errorf("units %v, meta %+v", f.Units(), f.Meta())
	}
	for _, want := range []string{in + ": 3 frames\n", "wrote " + out + ": 1 system, 6 frames, elements H C O\n",
		"read as kcal/mol and angstrom, stored as eV and angstrom", "system C9H8O4", "21 atoms", "6 frames, forces\n"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
}

func TestImportDeePMD(t *testing.T) {
	out := filepath.Join(t.TempDir(), "water.h5")
	code, stdout, stderr := atomsMain("import", "deepmd", filepath.Join(atomsData, "deepmd_water_3"), "--system", "water64", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f := openAtoms(t, out)
	info, ok := f.System("water64")
	if !ok || info.Frames != 3 || info.Atoms() != 192 || !info.HasCell || info.PBC != [3]bool{true, true, true} {
		t.Fatalf("system %+v", info)
	}
	fr, err := f.Frame("water64", 0)
	if err != nil {
		t.Fatal(err)
	}
	// energy.npy[0] = -29943.906 (float32), box 12.444661 Å.
	if fr.Energy != float64(float32(-29943.906)) || fr.Cell[0] != float64(float32(12.444661)) {
		t.Errorf("energy %v cell %v", fr.Energy, fr.Cell[0])
	}
	if !strings.Contains(stdout, "system water64") || !strings.Contains(stdout, "3 frames, forces, cell\n") {
		t.Errorf("output:\n%s", stdout)
	}
}

func TestImportANI1x(t *testing.T) {
	out := filepath.Join(t.TempDir(), "ani.h5")
	in := filepath.Join(atomsData, "ani1x_like.h5")
	var stdout bytes.Buffer
	err := runImportAtoms(&ImportAtomsOptions{Format: "ani1x", Inputs: []string{in}, Out: out,
		EnergyKey: "wb97x_dz.energy", ForcesKey: "wb97x_dz.forces", Stdout: &stdout})
	if err != nil {
		t.Fatal(err)
	}
	f := openAtoms(t, out)
	if f.Len() != 5 || f.Meta().LevelOfTheory != "wb97x_dz" || len(f.Systems()) != 2 {
		t.Errorf("%d frames, level %q, %d systems", f.Len(), f.Meta().LevelOfTheory, len(f.Systems()))
	}
	want := in + ": 2 systems, 5 frames kept; skipped 1 frame with no wb97x_dz.energy and 1 with no wb97x_dz.forces\n"
	if !strings.Contains(stdout.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, stdout.String())
	}
	// Without --forces-key the output says how to get them.
	stdout.Reset()
	err = runImportAtoms(&ImportAtomsOptions{Format: "ani1x", Inputs: []string{in}, Out: out, EnergyKey: "wb97x_dz.energy", Stdout: &stdout})
	if err != nil || !strings.Contains(stdout.String(), "forces not imported: add --forces-key wb97x_dz.forces to import them") {
		t.Errorf("%v\n%s", err, stdout.String())
	}
}

// TestImportBad checks exit codes and messages for bad input, and that nothing is
// written when an import fails.
func TestImportBad(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.h5")
	xyz := filepath.Join(atomsData, "aspirin_3.xyz")
	broken := filepath.Join(dir, "broken.xyz")
	b, _ := os.ReadFile(xyz)
	lines := strings.Split(string(b), "\n")
	lines[5] = "C 1.0 2.0 nan 0 0 0"
	os.WriteFile(broken, []byte(strings.Join(lines, "\n")), 0o644)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import", "extxyz", broken, "--out", out}, 1, "sciadapt: " + broken + ": line 6: atom 3: position: value is NaN\n"},
		{[]string{"import", "extxyz", filepath.Join(atomsData, "emt_subset.h5"), "--out", out}, 1,
			`is an HDF5 file, not extended XYZ (an ANI-1x-style file imports with "sciadapt import ani1x")`},
		{[]string{"import", "extxyz", xyz, "--energy-unit", "kJ/mol", "--out", out}, 2, `--energy-unit: unknown energy unit "kJ/mol" (known: eV, kcal/mol, hartree)`},
		{[]string{"import", "extxyz", xyz, "--length-unit", "nm", "--out", out}, 2, `--length-unit: unknown length unit "nm" (known: angstrom, bohr)`},
		{[]string{"import", "extxyz", xyz}, 2, `required flag(s) "out" not set`},
		{[]string{"import", "extxyz", xyz, "--out", xyz}, 2, "--out " + xyz + " is also an input; write to another file"},
		{[]string{"import", "extxyz", filepath.Join(dir, "missing.xyz"), "--out", out}, 1, "missing.xyz: no such file or directory"},
		{[]string{"import", "ani1x", filepath.Join(atomsData, "ani1x_like.h5"), "--energy-key", "b3lyp.energy", "--out", out}, 1,
			`group "C2H6O": dataset "b3lyp.energy" is missing (the group has atomic_numbers, ccsd(t)_cbs.energy, coordinates, wb97x_dz.energy, wb97x_dz.forces); is this the ANI-1x layout?`},
		{[]string{"import", "ani1x", filepath.Join(atomsData, "ani1x_like.h5"), "--out", out}, 2, `required flag(s) "energy-key" not set`},
		{[]string{"import", "ani1x", xyz, "--energy-key", "e", "--out", out}, 1, xyz + ": not an HDF5 file (no HDF5 signature)"},
		{[]string{"import", "deepmd", atomsData, "--out", out}, 1, atomsData + ": no type.raw: not a DeePMD-kit system folder (type.raw, type_map.raw, set.*/)"},
		{[]string{"import", "extxyz", xyz, "--system", "a/b", "--out", out}, 2, `--system "a/b": a system name may not contain "/" or be "."`},
		{[]string{"import"}, 2, `name a format: sciadapt import <format> IN... --out OUT.h5`},
		{[]string{"import", "xyz", xyz}, 2, `unknown command "xyz" for "sciadapt import"`},
	}
	for _, tt := range tests {
		code, _, stderr := atomsMain(tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v:\n exit %d, stderr %q\nwant exit %d, %q", tt.args[1:], code, stderr, tt.code, tt.want)
		}
		if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%v: an output file was left behind", tt.args[1:])
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left in %s: %v", dir, entries)
	}
}
