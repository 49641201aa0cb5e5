package potentials

import (
	"fmt"
	"math"

	"github.com/sciadapt/sciadapt/elements"
)

// Structure is one configuration of atoms: positions in Å, atomic numbers, and for
// periodic systems the cell (rows are lattice vectors, Å) and which axes are periodic.
type Structure struct {
	Numbers   []int       // atomic numbers, length N
	Positions []float64   // Cartesian positions, N×3 row-major, Å
	Cell      *[9]float64 // lattice vectors as rows, Å; nil for a free molecule
	PBC       [3]bool     // periodic axes; all false for a free molecule
}

// Len returns the number of atoms.
func (s *Structure) Len() int { return len(s.Numbers) }

// Validate returns an error describing the first problem with s: mismatched
// lengths, unknown atomic numbers, NaN or Inf coordinates, periodic axes without a
// cell, or a degenerate cell.
func (s *Structure) Validate() error {
	if len(s.Positions) != 3*len(s.Numbers) {
		return fmt.Errorf("%d atomic numbers but %d position values (need 3 per atom)", len(s.Numbers), len(s.Positions))
	}
	for i, z := range s.Numbers {
		if _, err := elements.ByZ(z); err != nil {
			return fmt.Errorf("atom %d: %v", i, err)
		}
	}
	for i, v := range s.Positions {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("atom %d: position is %v", i/3, v)
		}
	}
	if (s.PBC[0] || s.PBC[1] || s.PBC[2]) && s.Cell == nil {
		return fmt.Errorf("periodic boundary conditions %v without a cell", s.PBC)
	}
	if s.Cell != nil && math.Abs(Volume(s.Cell)) < 1e-9 {
		return fmt.Errorf("cell %v has zero volume", *s.Cell)
	}
	return nil
}

// Volume returns the signed volume det(cell) in Å³.
func Volume(c *[9]float64) float64 {
	return c[0]*(c[4]*c[8]-c[5]*c[7]) - c[1]*(c[3]*c[8]-c[5]*c[6]) + c[2]*(c[3]*c[7]-c[4]*c[6])
}

// Result is what a calculator computes for one structure.
type Result struct {
	Energy float64     // eV
	Forces []float64   // N×3, eV/Å, −∂E/∂R
	Stress *[9]float64 // eV/Å³, (1/V)·∂E/∂ε (positive = tensile); nil for free molecules
}

// Calculator computes energies, forces and, for periodic structures, stress.
type Calculator interface {
	Compute(s *Structure) (Result, error)
}
