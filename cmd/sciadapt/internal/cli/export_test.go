package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/datasets"
)

func TestExportExtXYZ(t *testing.T) {
	in := filepath.Join(atomsData, "emt_subset.h5")
	out := filepath.Join(t.TempDir(), "emt.xyz")
	code, stdout, stderr := atomsMain("export", "extxyz", in, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "wrote " + out + ": 4 frames from 2 systems of " + in + ", in eV and Å\n"; stdout != want {
		t.Errorf("output %q, want %q", stdout, want)
	}
	// Read back: the same frames, bit for bit, in system-name order.
	f := openAtoms(t, in)
	want, err := f.Frames(f.Refs())
	if err != nil {
		t.Fatal(err)
	}
	r, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := datasets.ReadExtXYZ(r, out, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		want[i].System, want[i].Index = "", i
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("exported frames differ from the file's frames")
	}

	// One system, a seeded subset of 2 of its 3 frames; export then import gives them back.
	sub := filepath.Join(t.TempDir(), "sub.xyz")
	var opts = &ExportExtXYZOptions{Input: in, Out: sub, Systems: []string{"Ag11Au2Cu19_32"}, Frames: 2, Seed: 5}
	if err := runExportExtXYZ(opts); err != nil {
		t.Fatal(err)
	}
	refs := datasets.Subsample(f.Refs()[1:4], 2, 5) // the 3 frames of Ag11Au2Cu19_32
	b, _ := os.ReadFile(sub)
	if n := strings.Count(string(b), "Lattice="); n != 2 || len(refs) != 2 || refs[0].System != "Ag11Au2Cu19_32" {
		t.Fatalf("%d frames exported, refs %v", n, refs)
	}
	h5 := filepath.Join(t.TempDir(), "sub.h5")
	if code, _, stderr := atomsMain("import", "extxyz", sub, "--system", "Ag11Au2Cu19_32", "--out", h5); code != 0 {
		t.Fatalf("re-import: %s", stderr)
	}
	g := openAtoms(t, h5)
	back, err := g.Frames(g.Refs())
	if err != nil {
		t.Fatal(err)
	}
	orig, err := f.Frames(refs)
	if err != nil {
		t.Fatal(err)
	}
	for i := range orig {
		orig[i].Index = i
	}
	if !reflect.DeepEqual(back, orig) {
		t.Error("export → import does not give the chosen frames back")
	}
}

func TestExportBad(t *testing.T) {
	in := filepath.Join(atomsData, "rmd17_o_subset.h5")
	out := filepath.Join(t.TempDir(), "x.xyz")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"export", "extxyz", in, "--system", "water", "--out", out}, 1, `no system "water" (inspect data ` + in + ` lists them)`},
		{[]string{"export", "extxyz", in, "--frames", "-1", "--out", out}, 2, "--frames -1: want a number ≥ 0"},
		{[]string{"export", "extxyz", in, "--out", in}, 2, "is the input; write to another file"},
		{[]string{"export", "extxyz", filepath.Join(atomsData, "aspirin_3.xyz"), "--out", out}, 1, "not an HDF5 file (no HDF5 signature)"},
		{[]string{"export"}, 2, "name a format: sciadapt export extxyz IN.h5 --out OUT.xyz"},
	}
	for _, tt := range tests {
		code, _, stderr := atomsMain(tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v:\n exit %d, %q\nwant exit %d, %q", tt.args[1:], code, stderr, tt.code, tt.want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an output file was written by a failing export")
	}
}
