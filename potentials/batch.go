package potentials

import (
	"fmt"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/potentials/neighbor"
)

// Batch is several structures laid end to end for one batched forward pass: atoms of
// all structures in one (atoms, 3) position tensor, and all neighbour pairs in one
// list with global atom indices, sorted by receiving atom I (then J and image), so
// that the message-passing scatter sums contiguous segments (see autodiff.Pairs).
// I and J must not be changed after NewBatch.
type Batch struct {
	Positions *ad.Tensor // (atoms, 3), Å
	Species   []int      // per atom: index into the model's species list
	Numbers   []int      // per atom: atomic number
	Mol       []int      // per atom: index of its structure
	Counts    []int      // per structure: number of atoms
	I, J      []int      // pairs: receiving atom i and sending atom j (global indices)
	Offsets   *ad.Tensor // (pairs, 3): Cartesian image shift S with r_ij = R_j − R_i + S, Å
	PairMol   []int      // per pair: index of its structure
	Volumes   []float64  // per structure: cell volume in Å³, 0 for free molecules
	// Arena, if set, holds the results of the model's computation on the batch
	// (Model.Energies and every derivative of it), so that a loop reuses one step's
	// memory in the next: call Arena.Release once the step's results are used
	// (after the optimiser step). Results are the same with or without it.
	Arena *ad.Arena
	pairs *ad.Pairs // index of (I, J) for the message-passing ops
}

// PairIndex returns the index of the pairs (I, J) for autodiff.MessagePass and
// autodiff.PairProduct, built once by NewBatch (or now, for a Batch made otherwise).
func (b *Batch) PairIndex() *ad.Pairs {
	p := b.pairs
	if p == nil || p.Len() != len(b.I) || (len(b.I) > 0 && (&p.I()[0] != &b.I[0] || &p.J()[0] != &b.J[0])) {
		n := len(b.Species)
		p = ad.NewPairs(b.I, b.J, n, n)
	}
	return p
}

// Len returns the number of structures.
func (b *Batch) Len() int { return len(b.Counts) }

// NewBatch builds the batch of structures for a model with the given species and
// cutoff (Å). It returns an error for an invalid structure or an element the model
// does not know.
func NewBatch(structs []*Structure, species []int, cutoff float64) (*Batch, error) {
	lists := make([]*neighbor.List, len(structs))
	for k, s := range structs {
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("structure %d: %v", k, err)
		}
		nl, err := neighbor.Build(s.Positions, s.Cell, s.PBC, neighbor.Options{Cutoff: cutoff})
		if err != nil {
			return nil, fmt.Errorf("structure %d: %v", k, err)
		}
		lists[k] = nl
	}
	return batchOf(structs, species, lists)
}

// batchOf lays out valid structures with their neighbour lists (pairs within the
// model's cutoff, shifts referring to the structures' positions).
func batchOf(structs []*Structure, species []int, lists []*neighbor.List) (*Batch, error) {
	index := map[int]int{}
	for i, z := range species {
		index[z] = i
	}
	b := &Batch{}
	var pos, off []float64
	base := 0
	for k, s := range structs {
		for i, z := range s.Numbers {
			sp, ok := index[z]
			if !ok {
				return nil, fmt.Errorf("structure %d, atom %d: the model does not know element Z=%d (known: %v)", k, i, z, species)
			}
			b.Species = append(b.Species, sp)
			b.Numbers = append(b.Numbers, z)
			b.Mol = append(b.Mol, k)
		}
		pos = append(pos, s.Positions...)
		nl := lists[k]
		for p := range nl.I {
			b.I = append(b.I, base+nl.I[p])
			b.J = append(b.J, base+nl.J[p])
			b.PairMol = append(b.PairMol, k)
			var sh [3]float64
			if s.Cell != nil {
				for a := 0; a < 3; a++ {
					n := float64(nl.Shift[p][a])
					for c := 0; c < 3; c++ {
						sh[c] += n * s.Cell[3*a+c]
					}
				}
			}
			off = append(off, sh[:]...)
		}
		b.Counts = append(b.Counts, s.Len())
		v := 0.0
		if s.Cell != nil {
			v = Volume(s.Cell)
			if v < 0 {
				v = -v
			}
		}
		b.Volumes = append(b.Volumes, v)
		base += s.Len()
	}
	b.Positions = ad.New(pos, base, 3)
	b.Offsets = ad.New(off, len(b.I), 3)
	// Structures follow one another and each list is sorted by I (neighbor.List), so
	// the pairs are sorted by receiving atom.
	b.pairs = ad.NewPairs(b.I, b.J, base, base)
	return b, nil
}
