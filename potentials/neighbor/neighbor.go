package neighbor

import (
	"fmt"
	"math"
)

// Options configures Build and BruteForce.
type Options struct {
	// Cutoff is the interaction cutoff radius in Å. It must be positive and finite.
	Cutoff float64

	// Skin is an extra distance in Å, zero or positive, added to Cutoff so that a
	// list can be reused while atoms move: the list holds every pair closer than
	// Cutoff+Skin and stays complete for Cutoff until some atom has moved more
	// than Skin/2 (see List.NeedsRebuild).
	Skin float64
}

// List is a full neighbour list: both (i, j) and (j, i) are present. Pair p joins
// atom I[p] to the periodic image of atom J[p] shifted by Shift[p] lattice vectors,
//
//	r_p = R[J[p]] + Σ_k Shift[p][k]·cell[k] − R[I[p]],   |r_p| < Cutoff + Skin,
//
// where R are the positions given to Build (not wrapped into the cell) and cell[k]
// is row k of the cell. Shift[p][k] is zero along non-periodic axes. Pairs are
// sorted by I, then J, then Shift (lexicographically), so a list is deterministic.
// An atom is never its own neighbour with zero shift, but it may neighbour its own
// periodic images when the cell is small. For every pair (i, j, S) the list also
// holds (j, i, −S).
type List struct {
	I, J  []int    // atom indices of each pair, length P
	Shift [][3]int // lattice-vector shift of atom J for each pair, length P

	Cutoff float64 // Options.Cutoff used to build the list, Å
	Skin   float64 // Options.Skin used to build the list, Å
}

// Len returns the number of pairs P.
func (l *List) Len() int { return len(l.I) }

// Vectors returns the pair vectors r_p = R[J[p]] + Shift[p]·cell − R[I[p]] in Å
// as a P×3 row-major slice, for the given positions (N×3, Å) and cell (rows are
// lattice vectors, Å). Passing the positions and cell of the build gives vectors
// shorter than Cutoff+Skin; passing later positions gives the current vectors of
// the same pairs.
//
// Vectors panics if positions is not N×3 with every atom index of the list below
// N, or if cell is nil while some shift is non-zero.
func (l *List) Vectors(positions []float64, cell *[9]float64) []float64 {
	if len(positions)%3 != 0 {
		panic(fmt.Sprintf("neighbor: Vectors: positions has length %d, not a multiple of 3", len(positions)))
	}
	if len(l.J) != len(l.I) || len(l.Shift) != len(l.I) {
		panic(fmt.Sprintf("neighbor: Vectors: list has %d I, %d J and %d Shift entries", len(l.I), len(l.J), len(l.Shift)))
	}
	n := len(positions) / 3
	out := make([]float64, 3*len(l.I))
	for p := range l.I {
		i, j, s := l.I[p], l.J[p], l.Shift[p]
		if i < 0 || i >= n || j < 0 || j >= n {
			panic(fmt.Sprintf("neighbor: Vectors: pair %d joins atoms %d and %d but positions hold %d atoms", p, i, j, n))
		}
		if cell == nil && s != [3]int{} {
			panic(fmt.Sprintf("neighbor: Vectors: pair %d has shift %v but cell is nil", p, s))
		}
		x, y, z := pairVector(positions, cell, i, j, s)
		out[3*p], out[3*p+1], out[3*p+2] = x, y, z
	}
	return out
}

// NeedsRebuild reports whether some atom has moved more than Skin/2 Å between
// positionsAtBuild and positionsNow (both N×3, Å); if not, every pair closer than
// Cutoff is still in the list. A non-finite position counts as moved. Wrapping an
// atom back into the cell counts as a move by a lattice vector, because the list's
// shifts refer to the positions it was built from; a change of the cell is not
// seen by NeedsRebuild and needs a new list (or a skin that covers it).
//
// NeedsRebuild panics if the two slices differ in length.
func (l *List) NeedsRebuild(positionsAtBuild, positionsNow []float64) bool {
	if len(positionsAtBuild) != len(positionsNow) {
		panic(fmt.Sprintf("neighbor: NeedsRebuild: positions have lengths %d and %d", len(positionsAtBuild), len(positionsNow)))
	}
	lim := 0.5 * l.Skin
	lim2 := lim * lim
	for a := 0; a+2 < len(positionsNow); a += 3 {
		dx := positionsNow[a] - positionsAtBuild[a]
		dy := positionsNow[a+1] - positionsAtBuild[a+1]
		dz := positionsNow[a+2] - positionsAtBuild[a+2]
		if !(dx*dx+dy*dy+dz*dz <= lim2) {
			return true
		}
	}
	return false
}

// pairVector is the one formula for r = (R[j] − R[i]) + s·cell used by Build,
// BruteForce and Vectors, so that all three agree to the last bit. The explicit
// conversions forbid fused multiply-adds, which would round differently.
func pairVector(pos []float64, cell *[9]float64, i, j int, s [3]int) (x, y, z float64) {
	var sx, sy, sz float64
	if cell != nil {
		s0, s1, s2 := float64(s[0]), float64(s[1]), float64(s[2])
		sx = float64(s0*cell[0]) + float64(s1*cell[3]) + float64(s2*cell[6])
		sy = float64(s0*cell[1]) + float64(s1*cell[4]) + float64(s2*cell[7])
		sz = float64(s0*cell[2]) + float64(s1*cell[5]) + float64(s2*cell[8])
	}
	x = (pos[3*j] - pos[3*i]) + sx
	y = (pos[3*j+1] - pos[3*i+1]) + sy
	z = (pos[3*j+2] - pos[3*i+2]) + sz
	return x, y, z
}

// Limits that turn pathological input into errors rather than exhausted memory.
const (
	maxAtoms = 1 << 30 // atom indices are held as int32 internally
	// maxFrac bounds |fractional coordinate| along periodic axes, so that lattice
	// shifts and their differences fit in int32.
	maxFrac = 1 << 28
	// maxCoord bounds |coordinates| and |cell entries| in Å, far beyond any
	// physical system, so that differences of coordinates cannot overflow.
	maxCoord = 1e100
	// minPointBudget and pointsPerAtom bound the number of atoms plus periodic
	// images: max(minPointBudget, pointsPerAtom·N).
	minPointBudget = 1 << 24
	pointsPerAtom  = 4
)

var axisName = [3]string{"a", "b", "c"}

// geometry is validated input common to Build and BruteForce.
type geometry struct {
	n        int
	rc       float64 // Cutoff + Skin, Å
	cell     *[9]float64
	periodic [3]bool
	anyPBC   bool
	// recip[k] is the reciprocal vector b_k (without 2π): fractional coordinate
	// f_k = r·b_k. Set only if anyPBC.
	recip [3][3]float64
	// pad[k] = rc/d_k, the cutoff in fractional units along a periodic axis k,
	// where d_k is the distance between lattice planes k.
	pad  [3]float64
	frac []float64 // N×3 fractional coordinates along periodic axes (0 elsewhere)
}

// prepare checks the input and computes what both algorithms need.
func prepare(positions []float64, cell *[9]float64, pbc [3]bool, opt Options) (*geometry, error) {
	if !(opt.Cutoff > 0) || math.IsInf(opt.Cutoff, 1) {
		return nil, fmt.Errorf("neighbor: cutoff must be a positive finite distance in Å, got %g", opt.Cutoff)
	}
	if !(opt.Skin >= 0) || math.IsInf(opt.Skin, 1) {
		return nil, fmt.Errorf("neighbor: skin must be zero or a positive finite distance in Å, got %g", opt.Skin)
	}
	rc := opt.Cutoff + opt.Skin
	if math.IsInf(rc, 1) {
		return nil, fmt.Errorf("neighbor: cutoff %g Å plus skin %g Å overflows", opt.Cutoff, opt.Skin)
	}
	if len(positions)%3 != 0 {
		return nil, fmt.Errorf("neighbor: positions has length %d, not a multiple of 3 (want N×3 coordinates in Å)", len(positions))
	}
	n := len(positions) / 3
	if n > maxAtoms {
		return nil, fmt.Errorf("neighbor: %d atoms is more than the %d supported", n, maxAtoms)
	}
	for i := 0; i < n; i++ {
		x, y, z := positions[3*i], positions[3*i+1], positions[3*i+2]
		if !finite(x) || !finite(y) || !finite(z) {
			return nil, fmt.Errorf("neighbor: atom %d has a non-finite position (%g, %g, %g) Å", i, x, y, z)
		}
		if math.Max(math.Abs(x), math.Max(math.Abs(y), math.Abs(z))) > maxCoord {
			return nil, fmt.Errorf("neighbor: atom %d at (%g, %g, %g) Å is beyond the supported %g Å from the origin", i, x, y, z, maxCoord)
		}
	}
	g := &geometry{n: n, rc: rc, cell: cell, periodic: pbc, anyPBC: pbc[0] || pbc[1] || pbc[2]}
	if cell == nil {
		if g.anyPBC {
			return nil, fmt.Errorf("neighbor: pbc is %v but no cell was given", fmtPBC(pbc))
		}
		return g, nil
	}
	for k := 0; k < 9; k++ {
		if !finite(cell[k]) || math.Abs(cell[k]) > maxCoord {
			return nil, fmt.Errorf("neighbor: cell vector %s = (%g, %g, %g) Å is not finite or beyond %g Å", axisName[k/3], cell[3*(k/3)], cell[3*(k/3)+1], cell[3*(k/3)+2], maxCoord)
		}
	}
	if !g.anyPBC {
		return g, nil // a cell without periodic axes plays no part
	}
	a := [3][3]float64{{cell[0], cell[1], cell[2]}, {cell[3], cell[4], cell[5]}, {cell[6], cell[7], cell[8]}}
	var cross [3][3]float64 // cross[k] = a[k+1] × a[k+2]
	for k := 0; k < 3; k++ {
		cross[k] = cross3(a[(k+1)%3], a[(k+2)%3])
	}
	det := dot3(a[0], cross[0])
	vol := math.Abs(det)
	l0, l1, l2 := norm3(a[0]), norm3(a[1]), norm3(a[2])
	// vol/(|a||b||c|) is 1 for a rectangular cell and 0 for a flat one.
	if !(vol > 1e-10*l0*l1*l2) || vol == 0 || math.IsInf(1/det, 0) {
		return nil, fmt.Errorf("neighbor: cell is degenerate: volume %g Å³ for lattice vectors of lengths %g, %g and %g Å", vol, l0, l1, l2)
	}
	images := 1.0
	for k := 0; k < 3; k++ {
		for c := 0; c < 3; c++ {
			g.recip[k][c] = cross[k][c] / det
		}
		if pbc[k] {
			d := vol / norm3(cross[k])
			g.pad[k] = rc / d
			images *= 1 + 2*g.pad[k]
		}
	}
	if budget := math.Max(minPointBudget, pointsPerAtom*float64(n)); float64(n)*images > budget {
		return nil, fmt.Errorf("neighbor: cell is too small for cutoff %g Å: about %.3g periodic images of %d atoms would be needed (limit %.3g); use a supercell",
			rc, float64(n)*images, n, budget)
	}
	g.frac = make([]float64, 3*n)
	for i := 0; i < n; i++ {
		r := [3]float64{positions[3*i], positions[3*i+1], positions[3*i+2]}
		for k := 0; k < 3; k++ {
			if !pbc[k] {
				continue
			}
			f := dot3(r, g.recip[k])
			if !(math.Abs(f) <= maxFrac) {
				return nil, fmt.Errorf("neighbor: atom %d lies %g cell lengths along lattice vector %s from the origin (limit %d); wrap the positions into the cell first", i, f, axisName[k], maxFrac)
			}
			g.frac[3*i+k] = f
		}
	}
	return g, nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func fmtPBC(pbc [3]bool) string {
	s := ""
	for k, p := range pbc {
		if k > 0 {
			s += " "
		}
		if p {
			s += "T"
		} else {
			s += "F"
		}
	}
	return "[" + s + "]"
}

func cross3(u, v [3]float64) [3]float64 {
	return [3]float64{u[1]*v[2] - u[2]*v[1], u[2]*v[0] - u[0]*v[2], u[0]*v[1] - u[1]*v[0]}
}

func dot3(u, v [3]float64) float64 { return u[0]*v[0] + u[1]*v[1] + u[2]*v[2] }

func norm3(u [3]float64) float64 { return math.Sqrt(dot3(u, u)) }

// Within returns the pairs of l that are shorter than cutoff (Å) at the given
// positions (N×3, Å) and cell, in the order of l. For a list built with a skin,
// while List.NeedsRebuild is false, this is exactly the list that Build would
// return for these positions with Options{Cutoff: cutoff}: the same pairs, shifts
// and order, decided by the same expression for r_p. The result's Skin is 0.
//
// Within panics as List.Vectors does, and if cutoff exceeds l.Cutoff+l.Skin.
func (l *List) Within(positions []float64, cell *[9]float64, cutoff float64) *List {
	if cutoff > l.Cutoff+l.Skin {
		panic(fmt.Sprintf("neighbor: Within: cutoff %g Å is beyond the list's %g Å + %g Å skin", cutoff, l.Cutoff, l.Skin))
	}
	v := l.Vectors(positions, cell)
	rc2 := cutoff * cutoff
	out := &List{I: []int{}, J: []int{}, Shift: [][3]int{}, Cutoff: cutoff}
	for p := range l.I {
		x, y, z := v[3*p], v[3*p+1], v[3*p+2]
		if x*x+y*y+z*z < rc2 {
			out.I = append(out.I, l.I[p])
			out.J = append(out.J, l.J[p])
			out.Shift = append(out.Shift, l.Shift[p])
		}
	}
	return out
}
