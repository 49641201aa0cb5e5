package datasets

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sciadapt/sciadapt/internal/h5io"
)

// Format and Version are the values of the root attributes "format" and "version"
// of an atoms file.
const (
	Format  = "sciadapt-atoms"
	Version = 1
)

// ForcesConvention is the value of the root attribute "forces": forces are the
// negative gradient of the energy, F = −∂E/∂R.
const ForcesConvention = "negative gradient of energy"

// Meta is the free-text provenance of an atoms file.
type Meta struct {
	LevelOfTheory string // e.g. "PBE/def2-SVP"; "" if unknown
	Source        string // where the data came from, e.g. "rMD17 split 01, CC0-1.0"
}

// File is an atoms file open for reading. Frames are read on demand, so the file
// may be far larger than memory. Every value returned is in eV and Å, converted
// from the units the file states.
//
// A File may be read from several goroutines at once.
type File struct {
	h       *h5io.File
	meta    Meta
	units   Units
	systems []SystemInfo // sorted by name
	index   map[string]int
}

// Open opens the atoms file at path and checks its layout: root attributes (format,
// version, units, forces convention), and in every group the presence, type and
// shape of each dataset and the atomic numbers. Values of coordinates, energies and
// the rest are checked as frames are read. Every problem is an error naming the
// file, the group and what is wrong.
func Open(path string) (*File, error) {
	h, err := h5io.Open(path)
	if err != nil {
		return nil, err
	}
	f := &File{h: h, index: map[string]int{}}
	if err := f.readHeader(); err != nil {
		h.Close()
		return nil, err
	}
	return f, nil
}

// Close closes the file.
func (f *File) Close() error { return f.h.Close() }

// Path returns the file name as given to Open.
func (f *File) Path() string { return f.h.Name() }

// Meta returns the file's provenance attributes.
func (f *File) Meta() Meta { return f.meta }

// Units returns the units the file stores its values in. Values returned by the
// File are converted from them to eV and Å.
func (f *File) Units() Units { return f.units }

// Systems returns the systems of the file ordered by name. The slice is shared:
// do not modify it.
func (f *File) Systems() []SystemInfo { return f.systems }

// System returns the system called name.
func (f *File) System(name string) (SystemInfo, bool) {
	i, ok := f.index[name]
	if !ok {
		return SystemInfo{}, false
	}
	return f.systems[i], true
}

// Len returns the total number of frames.
func (f *File) Len() int {
	n := 0
	for _, s := range f.systems {
		n += s.Frames
	}
	return n
}

// Refs returns a reference to every frame, ordered by system name and index.
func (f *File) Refs() []FrameRef {
	refs := make([]FrameRef, 0, f.Len())
	for _, s := range f.systems {
		for i := 0; i < s.Frames; i++ {
			refs = append(refs, FrameRef{System: s.Name, Index: i, Atoms: s.Atoms()})
		}
	}
	return refs
}

func (f *File) errorf(format string, args ...any) error {
	return &h5io.Error{File: f.h.Name(), Err: fmt.Errorf(format, args...)}
}

// readHeader reads and checks the root attributes and every group's layout.
func (f *File) readHeader() error {
	root := f.h.Root()
	str := func(name string) (string, error) { return root.ReadStringAttr(name) }
	if !root.HasAttr("format") {
		return f.errorf("not a sciadapt atoms file (it has no readable \"format\" attribute; other layouts are converted with \"sciadapt import\")")
	}
	format, err := str("format")
	if err != nil {
		return err
	}
	if format != Format {
		return f.errorf("not a sciadapt atoms file: attribute \"format\" is %q, want %q", format, Format)
	}
	version, err := root.ReadIntAttr("version")
	if err != nil {
		return err
	}
	if version != Version {
		return f.errorf("attribute \"version\" is %d; this sciadapt reads version %d", version, Version)
	}
	eu, err := str("energy_unit")
	if err != nil {
		return err
	}
	if f.units.Energy, err = ParseEnergyUnit(eu); err != nil {
		return f.errorf("attribute \"energy_unit\" is %q, which sciadapt does not know (known: eV, kcal/mol, hartree)", eu)
	}
	lu, err := str("length_unit")
	if err != nil {
		return err
	}
	if f.units.Length, err = ParseLengthUnit(lu); err != nil {
		return f.errorf("attribute \"length_unit\" is %q, which sciadapt does not know (known: angstrom, bohr)", lu)
	}
	for _, a := range []struct {
		name string
		dst  *string
	}{{"level_of_theory", &f.meta.LevelOfTheory}, {"source", &f.meta.Source}} {
		if root.HasAttr(a.name) {
			if *a.dst, err = str(a.name); err != nil {
				return err
			}
		}
	}
	names, err := root.Groups()
	if err != nil {
		return err
	}
	anyForces := false
	for _, name := range names {
		info, err := f.readSystem(name)
		if err != nil {
			return err
		}
		anyForces = anyForces || info.HasForces
		f.index[name] = len(f.systems)
		f.systems = append(f.systems, info)
	}
	if anyForces {
		conv, err := str("forces")
		if err != nil {
			return f.errorf("attribute \"forces\" is missing; it must say %q for the forces to be used", ForcesConvention)
		}
		if conv != ForcesConvention {
			return f.errorf("attribute \"forces\" is %q; sciadapt reads only forces that are the %s", conv, ForcesConvention)
		}
	}
	sort.Slice(f.systems, func(i, j int) bool { return f.systems[i].Name < f.systems[j].Name })
	for i, s := range f.systems {
		f.index[s.Name] = i
	}
	return nil
}

// shapeString formats a shape as "(10,9,3)".
func shapeString(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = fmt.Sprint(d)
	}
	if len(shape) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ",") + ")"
}

func sameShape(a, b []int) bool { return equalInts(a, b) }

// readSystem reads the layout of one group.
func (f *File) readSystem(name string) (SystemInfo, error) {
	g, err := f.h.Root().OpenGroup(name)
	if err != nil {
		return SystemInfo{}, err
	}
	defer g.Close()
	info := SystemInfo{Name: name}
	z, zshape, err := g.ReadInt("atomic_numbers")
	if err != nil {
		return info, err
	}
	if len(zshape) != 1 || zshape[0] == 0 {
		return info, g.Errorf("atomic_numbers has shape %s, want (N,) with N ≥ 1", shapeString(zshape))
	}
	if err := checkNumbers(z); err != nil {
		return info, g.Errorf("atomic_numbers: %v", err)
	}
	info.Numbers = z
	n := len(z)
	cshape, err := g.Shape("coordinates")
	if err != nil {
		return info, err
	}
	if len(cshape) != 3 || cshape[1] != n || cshape[2] != 3 {
		return info, g.Errorf("coordinates has shape %s but atomic_numbers has %d atoms (want (M,%d,3))", shapeString(cshape), n, n)
	}
	m := cshape[0]
	info.Frames = m
	eshape, err := g.Shape("energies")
	if err != nil {
		return info, err
	}
	if !sameShape(eshape, []int{m}) {
		return info, g.Errorf("energies has shape %s but coordinates %s (want (%d,))", shapeString(eshape), shapeString(cshape), m)
	}
	if g.Has("forces") {
		fshape, err := g.Shape("forces")
		if err != nil {
			return info, err
		}
		if !sameShape(fshape, cshape) {
			return info, g.Errorf("forces has shape %s but coordinates %s", shapeString(fshape), shapeString(cshape))
		}
		info.HasForces = true
	}
	for _, d := range []struct {
		name string
		has  *bool
	}{{"cell", &info.HasCell}, {"stress", &info.HasStress}} {
		if !g.Has(d.name) {
			continue
		}
		shape, err := g.Shape(d.name)
		if err != nil {
			return info, err
		}
		if !sameShape(shape, []int{m, 3, 3}) {
			return info, g.Errorf("%s has shape %s, want (%d,3,3) for %d frames", d.name, shapeString(shape), m, m)
		}
		*d.has = true
	}
	if g.Has("pbc") {
		pbc, shape, err := g.ReadInt("pbc")
		if err != nil {
			return info, err
		}
		if !sameShape(shape, []int{3}) {
			return info, g.Errorf("pbc has shape %s, want (3,)", shapeString(shape))
		}
		for i, v := range pbc {
			if v != 0 && v != 1 {
				return info, g.Errorf("pbc[%d] is %d, want 0 or 1", i, v)
			}
			info.PBC[i] = v == 1
		}
	}
	if (info.PBC[0] || info.PBC[1] || info.PBC[2]) && !info.HasCell {
		return info, g.Errorf("pbc says periodic but there is no cell dataset")
	}
	return info, nil
}

// Frame reads frame i of system. Only that frame is read from the file.
func (f *File) Frame(system string, i int) (Frame, error) {
	fr, err := f.readRows(system, i, 1)
	if err != nil {
		return Frame{}, err
	}
	return fr[0], nil
}

// Frames reads the frames refs names, in that order. Consecutive refs of one system
// with consecutive indices are read with one hyperslab selection, so reading refs
// in file order is fastest; memory holds only the frames returned.
func (f *File) Frames(refs []FrameRef) ([]Frame, error) {
	out := make([]Frame, 0, len(refs))
	for i := 0; i < len(refs); {
		j := i + 1
		for j < len(refs) && refs[j].System == refs[i].System && refs[j].Index == refs[j-1].Index+1 {
			j++
		}
		fr, err := f.readRows(refs[i].System, refs[i].Index, j-i)
		if err != nil {
			return nil, err
		}
		out = append(out, fr...)
		i = j
	}
	return out, nil
}

// Rows reads count consecutive frames of system starting at frame start.
func (f *File) Rows(system string, start, count int) ([]Frame, error) {
	return f.readRows(system, start, count)
}

// readRows reads frames [start, start+count) of system, converts them to eV and Å
// and checks that every value is finite.
func (f *File) readRows(system string, start, count int) ([]Frame, error) {
	si, ok := f.index[system]
	if !ok {
		return nil, f.errorf("no system %q (the file has %s)", system, f.systemList())
	}
	info := f.systems[si]
	if start < 0 || count < 0 || start > info.Frames-count {
		e := &h5io.Error{File: f.h.Name(), Object: fmt.Sprintf("group %q", system)}
		if count == 1 {
			e.Err = fmt.Errorf("frame %d requested, but it has %d frames", start, info.Frames)
		} else {
			e.Err = fmt.Errorf("frames %d to %d requested, but it has %d frames", start, start+count-1, info.Frames)
		}
		return nil, e
	}
	if count == 0 {
		return nil, nil
	}
	g, err := f.h.Root().OpenGroup(system)
	if err != nil {
		return nil, err
	}
	defer g.Close()
	n := info.Atoms()
	read := func(name string) ([]float64, error) {
		v, _, err := g.ReadFloat64Rows(name, start, count)
		return v, err
	}
	coords, err := read("coordinates")
	if err != nil {
		return nil, err
	}
	energies, err := read("energies")
	if err != nil {
		return nil, err
	}
	var forces, cells, stress []float64
	if info.HasForces {
		if forces, err = read("forces"); err != nil {
			return nil, err
		}
	}
	if info.HasCell {
		if cells, err = read("cell"); err != nil {
			return nil, err
		}
	}
	if info.HasStress {
		if stress, err = read("stress"); err != nil {
			return nil, err
		}
	}
	ke, kl, kf, ks := f.units.factors()
	frames := make([]Frame, count)
	for k := range frames {
		idx := start + k
		fr := Frame{
			System:    system,
			Index:     idx,
			Numbers:   append([]int(nil), info.Numbers...),
			Positions: scale(coords[k*3*n:(k+1)*3*n], kl),
			Energy:    energies[k] * ke,
			PBC:       info.PBC,
		}
		if forces != nil {
			fr.Forces = scale(forces[k*3*n:(k+1)*3*n], kf)
		}
		if cells != nil {
			var c [9]float64
			copy(c[:], scale(cells[k*9:(k+1)*9], kl))
			fr.Cell = &c
		}
		if stress != nil {
			var s [9]float64
			copy(s[:], scale(stress[k*9:(k+1)*9], ks))
			fr.Stress = &s
		}
		if err := checkFrameValues(&fr); err != nil {
			return nil, g.Errorf("frame %d: %v", idx, err)
		}
		frames[k] = fr
	}
	return frames, nil
}

// checkFrameValues reports the first non-finite value of a frame as read, or two
// overlapping atoms (see MinDistance).
func checkFrameValues(fr *Frame) error {
	if err := checkFinite("energies value", []float64{fr.Energy}, 0); err != nil {
		return err
	}
	if err := checkFinite("coordinates", fr.Positions, 3); err != nil {
		return err
	}
	if err := checkFinite("forces", fr.Forces, 3); err != nil {
		return err
	}
	if fr.Cell != nil {
		if err := checkFinite("cell", fr.Cell[:], 9); err != nil {
			return err
		}
	}
	if fr.Stress != nil {
		if err := checkFinite("stress", fr.Stress[:], 9); err != nil {
			return err
		}
	}
	return checkOverlap(fr)
}

// scale returns a new slice holding v·k.
func scale(v []float64, k float64) []float64 {
	out := make([]float64, len(v))
	if k == 1 {
		copy(out, v)
		return out
	}
	for i, x := range v {
		out[i] = x * k
	}
	return out
}

// systemList names the systems for messages, at most five.
func (f *File) systemList() string {
	if len(f.systems) == 0 {
		return "no systems"
	}
	var names []string
	for i, s := range f.systems {
		if i == 5 {
			names = append(names, fmt.Sprintf("… %d more", len(f.systems)-5))
			break
		}
		names = append(names, fmt.Sprintf("%q", s.Name))
	}
	return "systems " + strings.Join(names, ", ")
}
