package datasets

import (
	"fmt"
	"io"

	"github.com/sciadapt/sciadapt/internal/atomicfile"
)

// exportBlock is the number of frames WriteExtXYZFrames reads and writes at a time.
const exportBlock = 1024

// SystemRefs returns a reference to every frame of the named systems, system by
// system in the order given, or every frame of the file (Refs) for no names. It
// returns an error naming the file for a system it does not hold.
func (f *File) SystemRefs(names []string) ([]FrameRef, error) {
	if len(names) == 0 {
		return f.Refs(), nil
	}
	var refs []FrameRef
	for _, name := range names {
		info, ok := f.System(name)
		if !ok {
			return nil, fmt.Errorf("%s: no system %q (inspect data %s lists them)", f.Path(), name, f.Path())
		}
		for i := 0; i < info.Frames; i++ {
			refs = append(refs, FrameRef{System: name, Index: i, Atoms: info.Atoms()})
		}
	}
	return refs, nil
}

// WriteExtXYZFrames writes the frames refs of f to w as extended XYZ in eV and Å
// (WriteExtXYZ), reading and writing a block of frames at a time so that memory
// stays small, and returns the number of distinct systems written. name is the
// output's name in errors.
func (f *File) WriteExtXYZFrames(w io.Writer, name string, refs []FrameRef) (systems int, err error) {
	seen := map[string]bool{}
	for start := 0; start < len(refs); start += exportBlock {
		block, err := f.Frames(refs[start:min(start+exportBlock, len(refs))])
		if err != nil {
			return 0, err
		}
		for i := range block {
			seen[block[i].System] = true
		}
		if err := WriteExtXYZ(w, block); err != nil {
			return 0, fmt.Errorf("%s: %v", name, err)
		}
	}
	return len(seen), nil
}

// ExportExtXYZ writes frames of the atoms file in as extended XYZ to out,
// atomically (WriteExtXYZFrames): every frame of the named systems (of all
// systems for none), at most perSystem of each chosen with seed (Subsample; 0
// keeps all). It returns the numbers of frames and of systems written.
func ExportExtXYZ(in, out string, systems []string, perSystem int, seed uint64) (frames, nSystems int, err error) {
	f, err := Open(in)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	refs, err := f.SystemRefs(systems)
	if err != nil {
		return 0, 0, err
	}
	if perSystem > 0 {
		refs = Subsample(refs, perSystem, seed)
	}
	err = atomicfile.Write(out, func(w io.Writer) (err error) {
		nSystems, err = f.WriteExtXYZFrames(w, out, refs)
		return err
	})
	return len(refs), nSystems, err
}
