package datasets

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestWriteExtXYZFrames exports systems of an atoms file and reads the extended
// XYZ back: the same frames, in the order of the references.
func TestWriteExtXYZFrames(t *testing.T) {
	f, err := Open(fixRMD17)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, _ := f.SystemRefs(nil)
	if !slices.Equal(all, f.Refs()) {
		t.Fatal("no names: not every frame")
	}
	names := []string{f.Systems()[1].Name, f.Systems()[0].Name}
	refs, err := f.SystemRefs(names)
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != f.Systems()[0].Frames+f.Systems()[1].Frames || refs[0].System != names[0] {
		t.Fatalf("%d refs starting with %s", len(refs), refs[0].System)
	}
	var b bytes.Buffer
	systems, err := f.WriteExtXYZFrames(&b, "out.xyz", refs[1:])
	if err != nil || systems != 2 {
		t.Fatalf("%d systems written (%v)", systems, err)
	}
	back, err := ReadExtXYZ(&b, "out.xyz", nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := f.Frames(refs[1:])
	for i := range want {
		if !slices.Equal(back[i].Positions, want[i].Positions) || back[i].Energy != want[i].Energy || !slices.Equal(back[i].Forces, want[i].Forces) {
			t.Fatalf("frame %d does not read back", i)
		}
	}
	if _, err := f.SystemRefs([]string{"nope"}); err == nil || !strings.Contains(err.Error(), fixRMD17+`: no system "nope"`) {
		t.Errorf("unknown system: %v", err)
	}
}

func TestExportExtXYZ(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.xyz")
	frames, systems, err := ExportExtXYZ(fixRMD17, out, nil, 2, 7)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := Open(fixRMD17)
	defer f.Close()
	want := Subsample(f.Refs(), 2, 7)
	b, _ := os.ReadFile(out)
	back, err := ReadExtXYZ(bytes.NewReader(b), out, nil)
	if err != nil || frames != len(want) || len(back) != frames || systems != len(f.Systems()) {
		t.Fatalf("%d frames of %d systems written, %d read back (%v); want %d frames of %d systems", frames, systems, len(back), err, len(want), len(f.Systems()))
	}
	if _, _, err := ExportExtXYZ(fixRMD17, filepath.Join(dir, "none.xyz"), []string{"nope"}, 0, 1); err == nil {
		t.Fatal("unknown system: no error")
	}
	if _, err := os.Stat(filepath.Join(dir, "none.xyz")); err == nil {
		t.Fatal("a failed export left its file")
	}
}
