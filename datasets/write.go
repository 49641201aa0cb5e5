package datasets

import (
	"fmt"

	"github.com/sciadapt/sciadapt/internal/h5io"
)

// Writer adds systems to an atoms file being created by Create. Values are written
// as given, in eV and Å; the file says so.
type Writer struct {
	f       *h5io.File
	written map[string]bool
	systems int
	frames  int
}

// Create writes the atoms file at path atomically: the root attributes (format,
// version, energy_unit "eV", length_unit "angstrom", the forces convention and
// meta), then whatever fill adds through w.Add. The file appears at path only if
// fill returns nil and everything was written; otherwise nothing is left there.
//
// Create lets a caller stream systems one at a time (an importer reading a large
// file group by group) without holding them all in memory.
func Create(path string, meta Meta, fill func(w *Writer) error) error {
	return h5io.WriteAtomic(path, func(f *h5io.File) error {
		r := f.Root()
		for _, a := range []struct{ name, value string }{
			{"format", Format},
			{"energy_unit", ElectronVolt.Name},
			{"length_unit", Angstrom.Name},
			{"forces", ForcesConvention},
			{"level_of_theory", meta.LevelOfTheory},
			{"source", meta.Source},
		} {
			if err := r.WriteStringAttr(a.name, a.value); err != nil {
				return err
			}
		}
		if err := r.WriteIntAttr("version", Version); err != nil {
			return err
		}
		return fill(&Writer{f: f, written: map[string]bool{}})
	})
}

// Write writes frames to a new atoms file at path atomically (see Create). Frames
// are grouped by System in the order systems first appear; within a system they
// keep their order, and their Index fields are ignored (the i-th frame of a system
// in frames becomes frame i). Frames with an empty System are named by NameSystems
// (the caller's slice is not modified).
func Write(path string, meta Meta, frames []Frame) error {
	named := make([]Frame, len(frames))
	copy(named, frames)
	NameSystems(named)
	var order []string
	groups := map[string][]Frame{}
	for _, fr := range named {
		if _, ok := groups[fr.System]; !ok {
			order = append(order, fr.System)
		}
		groups[fr.System] = append(groups[fr.System], fr)
	}
	return Create(path, meta, func(w *Writer) error {
		for _, name := range order {
			if err := w.Add(name, groups[name]); err != nil {
				return err
			}
		}
		return nil
	})
}

// Systems returns the number of systems added so far.
func (w *Writer) Systems() int { return w.systems }

// Frames returns the number of frames added so far.
func (w *Writer) Frames() int { return w.frames }

// Add writes frames as the system (HDF5 group) called system. The frames' own
// System and Index fields are ignored. Every frame must have the same atoms (atomic
// numbers in the same order), all or none must have forces, a cell and a stress,
// all must share PBC, and every value must be finite. A system can be added once.
func (w *Writer) Add(system string, frames []Frame) error {
	fail := func(format string, args ...any) error {
		return &h5io.Error{File: w.f.Name(), Object: fmt.Sprintf("system %q", system), Err: fmt.Errorf(format, args...)}
	}
	if err := h5io.CheckName(system); err != nil {
		return fail("not a valid name: %v", err)
	}
	if w.written[system] {
		return fail("was already written (is the same system in two inputs?)")
	}
	if len(frames) == 0 {
		return fail("has no frames")
	}
	first := &frames[0]
	n := first.Len()
	for i := range frames {
		fr := &frames[i]
		if err := fr.validate(); err != nil {
			return fail("frame %d: %v", i, err)
		}
		if i == 0 {
			continue
		}
		switch {
		case !equalInts(fr.Numbers, first.Numbers):
			if a, b := Formula(fr.Numbers), Formula(first.Numbers); a != b {
				return fail("frame %d is %s, frame 0 is %s: a system's frames must have the same atoms in the same order", i, a, b)
			}
			return fail("frame %d lists the atoms of %s in another order than frame 0: a system's frames must have the same atoms in the same order", i, Formula(first.Numbers))
		case (fr.Forces == nil) != (first.Forces == nil):
			return fail("frame %d %s forces but frame 0 %s: all frames of a system or none must have forces", i, has(fr.Forces != nil), has(first.Forces != nil))
		case (fr.Cell == nil) != (first.Cell == nil):
			return fail("frame %d %s a cell but frame 0 %s: all frames of a system or none must have a cell", i, has(fr.Cell != nil), has(first.Cell != nil))
		case (fr.Stress == nil) != (first.Stress == nil):
			return fail("frame %d %s a stress but frame 0 %s: all frames of a system or none must have a stress", i, has(fr.Stress != nil), has(first.Stress != nil))
		case fr.PBC != first.PBC:
			return fail("frame %d has pbc %v but frame 0 %v: a system's frames must share pbc", i, fr.PBC, first.PBC)
		}
	}
	if (first.PBC[0] || first.PBC[1] || first.PBC[2]) && first.Cell == nil {
		return fail("frames are periodic (pbc %v) but have no cell", first.PBC)
	}

	m := len(frames)
	numbers := make([]int32, n)
	for i, z := range first.Numbers {
		numbers[i] = int32(z)
	}
	coords := make([]float64, 0, m*3*n)
	energies := make([]float64, 0, m)
	var forces, cells, stress []float64
	for i := range frames {
		fr := &frames[i]
		coords = append(coords, fr.Positions...)
		energies = append(energies, fr.Energy)
		if fr.Forces != nil {
			forces = append(forces, fr.Forces...)
		}
		if fr.Cell != nil {
			cells = append(cells, fr.Cell[:]...)
		}
		if fr.Stress != nil {
			stress = append(stress, fr.Stress[:]...)
		}
	}

	g, err := w.f.Root().CreateGroup(system)
	if err != nil {
		return err
	}
	defer g.Close()
	if err := g.WriteInt32("atomic_numbers", numbers); err != nil {
		return err
	}
	if err := g.WriteFloat64("coordinates", coords, m, n, 3); err != nil {
		return err
	}
	if err := g.WriteFloat64("energies", energies, m); err != nil {
		return err
	}
	if forces != nil {
		if err := g.WriteFloat64("forces", forces, m, n, 3); err != nil {
			return err
		}
	}
	if cells != nil {
		if err := g.WriteFloat64("cell", cells, m, 3, 3); err != nil {
			return err
		}
		pbc := make([]uint8, 3)
		for i, p := range first.PBC {
			if p {
				pbc[i] = 1
			}
		}
		if err := g.WriteUint8("pbc", pbc); err != nil {
			return err
		}
	}
	if stress != nil {
		if err := g.WriteFloat64("stress", stress, m, 3, 3); err != nil {
			return err
		}
	}
	w.written[system] = true
	w.systems++
	w.frames += m
	return nil
}

func has(b bool) string {
	if b {
		return "has"
	}
	return "has no"
}
