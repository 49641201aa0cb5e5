package datasets

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestWriteRoundTrip writes frames read from real files and reads them back
// bit for bit, periodic data included.
func TestWriteRoundTrip(t *testing.T) {
	for _, src := range []string{fixRMD17, fixEMT} {
		f := mustOpen(t, src)
		frames, err := f.Frames(f.Refs())
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "out.h5")
		meta := Meta{LevelOfTheory: "PBE/def2-SVP", Source: "round trip of " + filepath.Base(src)}
		if err := Write(out, meta, frames); err != nil {
			t.Fatal(err)
		}
		g := mustOpen(t, out)
		if g.Units() != EVAngstrom || g.Meta() != meta {
			t.Errorf("%s: units %v meta %+v", src, g.Units(), g.Meta())
		}
		back, err := g.Frames(g.Refs())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, frames) {
			t.Errorf("%s: frames differ after a round trip", src)
		}
		if !reflect.DeepEqual(g.Systems(), f.Systems()) {
			t.Errorf("%s: systems differ: %+v vs %+v", src, g.Systems(), f.Systems())
		}
	}
}

func TestWriteNamesSystems(t *testing.T) {
	water := Frame{Numbers: []int{8, 1, 1}, Positions: []float64{0, 0, 0, 1, 0, 0, 0, 1, 0}, Energy: -14.2}
	water2 := Frame{Numbers: []int{1, 8, 1}, Positions: []float64{0, 0, 0, 1, 0, 0, 0, 1, 0}, Energy: -14.1}
	co2 := Frame{Numbers: []int{6, 8, 8}, Positions: []float64{0, 0, 0, 1, 0, 0, 0, 1, 0}, Energy: -22.9}
	named := Frame{System: "H2O", Numbers: []int{1, 1, 8}, Positions: []float64{0, 0, 0, 1, 0, 0, 0, 1, 0}, Energy: -14.0}
	frames := []Frame{water, co2, water2, water, named}
	path := filepath.Join(t.TempDir(), "x.h5")
	if err := Write(path, Meta{}, frames); err != nil {
		t.Fatal(err)
	}
	if frames[0].System != "" {
		t.Error("Write modified the caller's frames")
	}
	f := mustOpen(t, path)
	var got []string
	for _, s := range f.Systems() {
		got = append(got, s.Name+":"+Formula(s.Numbers)+":"+string(rune('0'+s.Frames)))
	}
	// "H2O" is taken by the named frame (other atom order), so the unnamed water
	// orderings become H2O-2 and H2O-3.
	want := []string{"CO2:CO2:1", "H2O:H2O:1", "H2O-2:H2O:2", "H2O-3:H2O:1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("systems %v, want %v", got, want)
	}
	fr, _ := f.Frame("H2O-2", 1)
	if fr.Energy != -14.2 || !reflect.DeepEqual(fr.Numbers, []int{8, 1, 1}) {
		t.Errorf("H2O-2 frame 1: %+v", fr)
	}
}

func TestFormula(t *testing.T) {
	tests := []struct {
		z    []int
		want string
	}{
		{[]int{6, 6, 8, 1, 1, 1, 1, 1, 1}, "C2H6O"},
		{[]int{8, 1, 1}, "H2O"},
		{[]int{79, 29, 47, 29}, "AgAuCu2"},
		{[]int{7, 6, 1, 17, 6}, "C2HClN"},
		{[]int{0}, "Z0"},
	}
	for _, tt := range tests {
		if got := Formula(tt.z); got != tt.want {
			t.Errorf("Formula(%v) = %s, want %s", tt.z, got, tt.want)
		}
	}
}

func TestWriterRejects(t *testing.T) {
	mk := func() Frame {
		return Frame{Numbers: []int{8, 1, 1}, Positions: []float64{0, 0, 0, 0.96, 0, 0, -0.24, 0.93, 0}, Energy: -14.2,
			Forces: make([]float64, 9)}
	}
	cell := &[9]float64{10, 0, 0, 0, 10, 0, 0, 0, 10}
	tests := []struct {
		name   string
		system string
		frames func() []Frame
		want   string
	}{
		{"no frames", "w", func() []Frame { return nil }, `system "w": has no frames`},
		{"bad name", "a/b", func() []Frame { return []Frame{mk()} }, `system "a/b": not a valid name: a name may not contain "/"`},
		{"NaN energy", "w", func() []Frame { f := mk(); f.Energy = math.NaN(); return []Frame{mk(), f} }, `system "w": frame 1: energy is NaN`},
		{"Inf force", "w", func() []Frame { f := mk(); f.Forces[4] = math.Inf(-1); return []Frame{f} }, `system "w": frame 0: force of atom 1 is -Inf`},
		{"short positions", "w", func() []Frame { f := mk(); f.Positions = f.Positions[:6]; return []Frame{f} }, `system "w": frame 0: positions have 6 values, want 9 (3 atoms × 3)`},
		{"unknown Z", "w", func() []Frame { f := mk(); f.Numbers[2] = 130; return []Frame{f} }, `system "w": frame 0: atom 2: atomic number 130 is not an element (1–118)`},
		{"other atoms", "w", func() []Frame { f := mk(); f.Numbers = []int{1, 8, 1}; return []Frame{mk(), f} },
			`system "w": frame 1 lists the atoms of H2O in another order than frame 0: a system's frames must have the same atoms in the same order`},
		{"other formula", "w", func() []Frame { f := mk(); f.Numbers = []int{8, 1, 9}; return []Frame{mk(), f} },
			`system "w": frame 1 is FHO, frame 0 is H2O: a system's frames must have the same atoms in the same order`},
		{"forces mix", "w", func() []Frame { f := mk(); f.Forces = nil; return []Frame{mk(), f} },
			`system "w": frame 1 has no forces but frame 0 has: all frames of a system or none must have forces`},
		{"cell mix", "w", func() []Frame { f := mk(); f.Cell = cell; f.PBC = [3]bool{true, true, true}; return []Frame{mk(), f} },
			`system "w": frame 1 has a cell but frame 0 has no: all frames of a system or none must have a cell`},
		{"pbc without cell", "w", func() []Frame { f := mk(); f.PBC = [3]bool{true, false, false}; return []Frame{f} },
			`system "w": frames are periodic (pbc [true false false]) but have no cell`},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "out.h5")
		err := Create(path, Meta{}, func(w *Writer) error { return w.Add(tt.system, tt.frames()) })
		if got, want := errString(err), path+": "+tt.want; got != want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, want)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: a file was left at %s", tt.name, path)
		}
	}
	// The same system twice.
	path := filepath.Join(t.TempDir(), "out.h5")
	err := Create(path, Meta{}, func(w *Writer) error {
		if err := w.Add("w", []Frame{mk()}); err != nil {
			return err
		}
		if w.Systems() != 1 || w.Frames() != 1 {
			t.Errorf("counts %d %d", w.Systems(), w.Frames())
		}
		return w.Add("w", []Frame{mk()})
	})
	if want := path + `: system "w": was already written (is the same system in two inputs?)`; errString(err) != want {
		t.Errorf("twice: %v", err)
	}
}
