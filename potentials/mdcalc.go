package potentials

import (
	"fmt"
	"math"
	"slices"

	"github.com/sciadapt/sciadapt/potentials/neighbor"
)

// MDCalculator is a Calculator for a model that reuses its neighbour list from one
// call to the next, as molecular dynamics and geometry optimisation need: the list
// holds every pair within the model's cutoff plus a Verlet skin, and is rebuilt
// only when some atom has moved more than skin/2 since the last build (or the
// atoms, the cell or the periodic axes changed). Between rebuilds the pairs within
// the cutoff are picked from the list (neighbor.List.Within), which gives exactly
// the list a fresh build would, so the results equal Model.Compute's to the last
// bit. Positions must not be wrapped into the cell between calls (wrapping counts
// as a move by a lattice vector and forces a rebuild).
//
// An MDCalculator holds the last list, so it is not safe for concurrent use; give
// each goroutine its own.
type MDCalculator struct {
	model *Model
	skin  float64

	list    *neighbor.List
	at      []float64 // positions at the last build, N×3, Å
	numbers []int
	cell    *[9]float64
	pbc     [3]bool
	builds  int
	calls   int
}

// NewMDCalculator returns a calculator for m (with its attached adapter, if any)
// whose neighbour lists carry a skin of skin Å. A skin of 0 rebuilds the list on
// every call in which an atom moved. Typical skins are 0.5–2 Å: a larger skin
// rebuilds less often but carries more pairs to filter. It returns an error for a
// negative or non-finite skin, and panics if m is nil.
func NewMDCalculator(m *Model, skin float64) (*MDCalculator, error) {
	if m == nil {
		panic("potentials: NewMDCalculator: nil model")
	}
	if !(skin >= 0) || math.IsInf(skin, 1) {
		return nil, fmt.Errorf("neighbour-list skin must be zero or a positive distance in Å, got %g", skin)
	}
	return &MDCalculator{model: m, skin: skin}, nil
}

// Builds returns the number of neighbour lists built so far.
func (c *MDCalculator) Builds() int { return c.builds }

// Calls returns the number of successful calls of Compute so far.
func (c *MDCalculator) Calls() int { return c.calls }

// Compute returns the energy, forces and (for periodic structures) stress of s, as
// Model.Compute does. It implements Calculator.
func (c *MDCalculator) Compute(s *Structure) (Result, error) {
	if err := s.Validate(); err != nil {
		return Result{}, fmt.Errorf("structure 0: %v", err)
	}
	if c.stale(s) {
		l, err := neighbor.Build(s.Positions, s.Cell, s.PBC, neighbor.Options{Cutoff: c.model.Config.Cutoff, Skin: c.skin})
		if err != nil {
			c.list = nil
			return Result{}, fmt.Errorf("structure 0: %v", err)
		}
		c.list, c.at, c.numbers, c.pbc = l, slices.Clone(s.Positions), slices.Clone(s.Numbers), s.PBC
		c.cell = nil
		if s.Cell != nil {
			cell := *s.Cell
			c.cell = &cell
		}
		c.builds++
	}
	nl := c.list.Within(s.Positions, s.Cell, c.model.Config.Cutoff)
	b, err := batchOf([]*Structure{s}, c.model.Species(), []*neighbor.List{nl})
	if err != nil {
		return Result{}, err
	}
	c.calls++
	return c.model.computeBatch(s, b), nil
}

// stale reports whether the list must be rebuilt for s.
func (c *MDCalculator) stale(s *Structure) bool {
	if c.list == nil || s.PBC != c.pbc || !slices.Equal(s.Numbers, c.numbers) || (s.Cell == nil) != (c.cell == nil) {
		return true
	}
	if s.Cell != nil && *s.Cell != *c.cell {
		return true
	}
	return c.list.NeedsRebuild(c.at, s.Positions)
}

var _ Calculator = (*MDCalculator)(nil)
