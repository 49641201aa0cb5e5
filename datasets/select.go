package datasets

import "fmt"

// Selection chooses frames of an atoms file: PerSystem frames of each system, or
// Total frames across systems, drawn with Seed (see Subsample and SubsampleTotal;
// smaller counts give nested subsets); all frames when both are 0.
type Selection struct {
	PerSystem, Total int
	Seed             uint64
}

// Refs returns the references of the chosen frames, or an error for negative
// counts or both counts set.
func (s Selection) Refs(refs []FrameRef) ([]FrameRef, error) {
	switch {
	case s.PerSystem < 0 || s.Total < 0:
		return nil, fmt.Errorf("frame counts must be ≥ 0 (got %d per system and %d in all)", s.PerSystem, s.Total)
	case s.PerSystem > 0 && s.Total > 0:
		return nil, fmt.Errorf("choose frames per system or in all, not both")
	case s.PerSystem > 0:
		return Subsample(refs, s.PerSystem, s.Seed), nil
	case s.Total > 0:
		return SubsampleTotal(refs, s.Total, s.Seed), nil
	}
	return refs, nil
}

// ReadSelected reads the frames of path that sel chooses. check, if not nil, is
// first called with the atom counts of the frames about to be read (to refuse a
// read that would not fit in memory, say), and its error is returned instead of
// reading them.
func ReadSelected(path string, sel Selection, check func(atoms []int) error) ([]Frame, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	refs, err := sel.Refs(f.Refs())
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if check != nil {
		atoms := make([]int, len(refs))
		for i, r := range refs {
			atoms[i] = r.Atoms
		}
		if err := check(atoms); err != nil {
			return nil, err
		}
	}
	return f.Frames(refs)
}

// Block is one process's contiguous share of the frames a Selection chooses:
// frames [Lo, Lo+len(Frames)) of Total, in file order, and the atomic numbers of
// every system the selection holds (the same on every process).
type Block struct {
	Frames    []Frame
	Lo, Total int
	Systems   [][]int
}

// ReadBlock reads the block [lo, hi) = share(n) of the n frames that sel chooses in
// path, by hyperslab, without reading the others. It returns an error for a
// selection of no frames.
func ReadBlock(path string, sel Selection, share func(n int) (lo, hi int)) (Block, error) {
	var b Block
	f, err := Open(path)
	if err != nil {
		return b, err
	}
	defer f.Close()
	refs, err := sel.Refs(f.Refs())
	if err != nil {
		return b, fmt.Errorf("%s: %v", path, err)
	}
	if len(refs) == 0 {
		return b, fmt.Errorf("%s: no frames", path)
	}
	seen := map[string]bool{}
	for _, r := range refs {
		if !seen[r.System] {
			seen[r.System] = true
			info, _ := f.System(r.System)
			b.Systems = append(b.Systems, info.Numbers)
		}
	}
	lo, hi := share(len(refs))
	b.Lo, b.Total = lo, len(refs)
	b.Frames, err = f.Frames(refs[lo:hi])
	return b, err
}
