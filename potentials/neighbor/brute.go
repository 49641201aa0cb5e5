package neighbor

import "math"

// BruteForce returns the same list as Build by testing every pair of atoms against
// every periodic image that can lie within the cutoff. It takes O(N²·M) time, where
// M is the number of images of the cell within reach of the cutoff, and is meant
// for tests and systems of a few atoms. Arguments, errors and the result are as
// for Build.
func BruteForce(positions []float64, cell *[9]float64, pbc [3]bool, opt Options) (*List, error) {
	g, err := prepare(positions, cell, pbc, opt)
	if err != nil {
		return nil, err
	}
	l := &List{I: []int{}, J: []int{}, Shift: [][3]int{}, Cutoff: opt.Cutoff, Skin: opt.Skin}
	rc2 := g.rc * g.rc
	// Along a periodic axis k an image within the cutoff has fractional separation
	// |Δf_k + s_k| ≤ pad_k; centred on b_k = −round(Δf_k), that needs
	// |s_k − b_k| ≤ pad_k + 1/2. One more lattice shift on each side absorbs rounding.
	var reach [3]int
	for k := 0; k < 3; k++ {
		if pbc[k] {
			reach[k] = int(math.Ceil(g.pad[k])) + 1
		}
	}
	for i := 0; i < g.n; i++ {
		for j := 0; j < g.n; j++ {
			var lo, hi [3]int
			for k := 0; k < 3; k++ {
				if !pbc[k] {
					continue
				}
				b := -int(math.Round(g.frac[3*j+k] - g.frac[3*i+k]))
				lo[k], hi[k] = b-reach[k], b+reach[k]
			}
			var s [3]int
			for s[0] = lo[0]; s[0] <= hi[0]; s[0]++ {
				for s[1] = lo[1]; s[1] <= hi[1]; s[1]++ {
					for s[2] = lo[2]; s[2] <= hi[2]; s[2]++ {
						if i == j && s == [3]int{} {
							continue
						}
						x, y, z := pairVector(positions, g.cellIfPeriodic(), i, j, s)
						if x*x+y*y+z*z < rc2 {
							l.I = append(l.I, i)
							l.J = append(l.J, j)
							l.Shift = append(l.Shift, s)
						}
					}
				}
			}
		}
	}
	return l, nil
}

// cellIfPeriodic returns the cell if some axis is periodic and nil otherwise (all
// shifts are then zero and the cell plays no part).
func (g *geometry) cellIfPeriodic() *[9]float64 {
	if g.anyPBC {
		return g.cell
	}
	return nil
}
