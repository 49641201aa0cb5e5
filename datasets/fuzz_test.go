package datasets

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzImportDeePMD feeds a DeePMD-kit folder with fuzzed type.raw, type_map.raw,
// coord.npy and energy.npy to ImportDeePMD: it must not panic, errors must name the
// folder, and accepted frames must be finite, consistent and free of overlapping
// atoms.
func FuzzImportDeePMD(f *testing.F) {
	rd := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(fixDeePMD, name))
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	f.Add(rd("type.raw"), rd("type_map.raw"), rd("set.000/coord.npy"), rd("set.000/energy.npy"))
	f.Add([]byte("0 1\n"), []byte("O H\n"), encodeNPY([]float64{0, 0, 0, 1, 1, 1}, []int{1, 6}, false), encodeNPY([]float64{-3}, []int{1}, true))
	f.Add([]byte("0 1\n"), []byte("O H\n"), encodeNPY([]float64{0, 0, 0, 0, 0, 0.05}, []int{1, 6}, false), encodeNPY([]float64{-3}, []int{1}, false))
	f.Add([]byte("0 5\n"), []byte("O\n"), encodeNPY([]float64{0, 0, 0, 1, 1, 1}, []int{1, 6}, false), encodeNPY([]float64{math.NaN()}, []int{1}, false))
	f.Fuzz(func(t *testing.T, typ, typeMap, coord, energy []byte) {
		dir := t.TempDir()
		set := filepath.Join(dir, "set.000")
		if err := os.Mkdir(set, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range map[string][]byte{"type.raw": typ, "type_map.raw": typeMap, "set.000/coord.npy": coord, "set.000/energy.npy": energy} {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		frames, err := ImportDeePMD(dir, nil)
		if err != nil {
			if !strings.Contains(err.Error(), dir) {
				t.Fatalf("error does not name the folder: %v", err)
			}
			return
		}
		for i := range frames {
			fr := &frames[i]
			if err := fr.validate(); err != nil {
				t.Fatalf("frame %d accepted but invalid: %v", i, err)
			}
			if err := checkOverlap(fr); err != nil {
				t.Fatalf("frame %d accepted with %v", i, err)
			}
		}
	})
}

// FuzzOpenAtoms writes fuzzed bytes as an HDF5 file and reads it as an atoms file
// through the HDF5 C library: Open, Summary and reading every frame must return
// an error naming the file, never panic or crash. Seeds are a good file and damaged
// copies of it.
func FuzzOpenAtoms(f *testing.F) {
	good, err := os.ReadFile(fixRMD17)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	c := append([]byte(nil), good...)
	for i := 96; i < 2048 && i < len(c); i++ {
		c[i] ^= 0xA5
	}
	f.Add(c)
	f.Add([]byte("\x89HDF\r\n\x1a\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "x.h5")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		af, err := Open(path)
		if err != nil {
			if !strings.Contains(err.Error(), "x.h5") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		defer af.Close()
		if _, err := af.Summary(); err != nil && !strings.Contains(err.Error(), "x.h5") {
			t.Fatalf("error does not name the file: %v", err)
		}
		if _, err := af.Frames(af.Refs()); err != nil && !strings.Contains(err.Error(), "x.h5") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}

// FuzzParseUnits checks that unit names parse to a known unit or an error, and
// that the canonical name of a parsed unit parses back to the same unit.
func FuzzParseUnits(f *testing.F) {
	for _, s := range []string{"eV", "kcal/mol", "hartree", "Ha", "angstrom", "bohr", "Å", "furlong", "", "EV", "kcal / mol"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if e, err := ParseEnergyUnit(s); err == nil {
			if !(e.EV > 0) {
				t.Fatalf("%q: energy unit %+v has factor %v", s, e, e.EV)
			}
			if back, err := ParseEnergyUnit(e.Name); err != nil || back != e {
				t.Fatalf("%q → %q does not parse back: %v", s, e.Name, err)
			}
		}
		if l, err := ParseLengthUnit(s); err == nil {
			if back, err := ParseLengthUnit(l.Name); err != nil || back != l {
				t.Fatalf("%q → %q does not parse back: %v", s, l.Name, err)
			}
		}
	})
}
