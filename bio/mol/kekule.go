package mol

import "sort"

// maxKekuleSteps bounds the backtracking search for a Kekulé structure.
const maxKekuleSteps = 1 << 20

// kekulize replaces aromatic bonds by single and double bonds and clears the
// aromatic flags of atoms, so that aromaticity can be perceived afresh. Aromatic
// bonds off rings become single. An aromatic atom needs a double bond when one
// more bond order fills its valence (RDKit's markDbondCands: c, n, [n+], [nH+],
// but not [nH], o, s, c(=O) or the N of c1cccn1C); those atoms are paired along
// aromatic ring bonds by a backtracking search. It returns an error naming an
// atom that finds no partner.
func (m *Mol) kekulize() error {
	need := make([]bool, len(m.Atoms))
	anyArom := false
	for i := range m.Atoms {
		if m.Atoms[i].Aromatic {
			anyArom = true
			need[i] = m.needsDoubleBond(i)
		}
	}
	for k := range m.Bonds {
		if m.Bonds[k].Order == Aromatic && !m.ringBond[k] {
			m.Bonds[k].Order = Single
		}
	}
	if !anyArom {
		return nil
	}
	// options[i]: aromatic ring bonds from i to other atoms that need a double bond.
	options := make([][]int, len(m.Atoms))
	for k, b := range m.Bonds {
		if b.Order == Aromatic && need[b.A] && need[b.B] {
			options[b.A] = append(options[b.A], k)
			options[b.B] = append(options[b.B], k)
		}
	}
	matched := make([]bool, len(m.Atoms))
	double := make([]bool, len(m.Bonds))
	steps := 0
	if bad, ok := m.match(need, matched, options, double, &steps); !ok {
		if bad < 0 {
			bad = firstTrue(need)
		}
		return m.fail(bad, "cannot kekulize the aromatic system of atom %s: no arrangement of double bonds gives every aromatic atom that needs one a double bond (check the aromatic atoms and their hydrogens, e.g. [nH])", symbolOf(m.Atoms[bad].Z))
	}
	for k := range m.Bonds {
		if m.Bonds[k].Order == Aromatic {
			m.Bonds[k].Order = Single
			if double[k] {
				m.Bonds[k].Order = Double
			}
		}
	}
	for i := range m.Atoms {
		a := &m.Atoms[i]
		wasAromatic := a.Aromatic
		a.Aromatic = false
		vals := valences(a.Z)
		if !wasAromatic || a.Z == 0 || vals == nil {
			continue
		}
		if v, top := m.kekuleValence(i)+a.Hs, vals[len(vals)-1]+chargeShift(a); v > top {
			return m.fail(i, "aromatic atom %s would have valence %d in any Kekulé structure, more than %d", symbolOf(a.Z), v, top)
		}
	}
	return nil
}

func firstTrue(v []bool) int {
	for i, b := range v {
		if b {
			return i
		}
	}
	return 0
}

// match pairs every atom with need set and not yet matched. It picks the open
// atom with the fewest open partners, tries them in order and backtracks. On
// failure it returns an atom that could not be matched (or -1).
func (m *Mol) match(need, matched []bool, options [][]int, double []bool, steps *int) (int, bool) {
	*steps++
	if *steps > maxKekuleSteps {
		return -1, false
	}
	best, bestN := -1, 0
	for i := range need {
		if !need[i] || matched[i] {
			continue
		}
		n := 0
		for _, k := range options[i] {
			if !matched[m.Bonds[k].Other(i)] {
				n++
			}
		}
		if best < 0 || n < bestN {
			best, bestN = i, n
		}
		if n == 0 {
			return i, false
		}
	}
	if best < 0 {
		return -1, true
	}
	opts := append([]int(nil), options[best]...)
	sort.Ints(opts)
	var last int = best
	for _, k := range opts {
		o := m.Bonds[k].Other(best)
		if matched[o] {
			continue
		}
		matched[best], matched[o], double[k] = true, true, true
		bad, ok := m.match(need, matched, options, double, steps)
		if ok {
			return -1, true
		}
		last = bad
		matched[best], matched[o], double[k] = false, false, false
	}
	if last < 0 {
		last = best
	}
	return last, false
}

// needsDoubleBond is RDKit's test of whether aromatic atom i takes a double bond
// in a Kekulé structure: with aromatic bonds counted once, other bonds by their
// order, and its hydrogens, exactly one bond order is missing from its valence.
func (m *Mol) needsDoubleBond(i int) bool {
	a := &m.Atoms[i]
	if a.Z == 0 {
		return false
	}
	vals := valences(a.Z)
	if vals == nil {
		return false
	}
	sbo := a.Hs
	for _, k := range m.adj[i] {
		if o := m.Bonds[k].Order; o == Aromatic {
			sbo++
		} else {
			sbo += int(o)
		}
	}
	shift := chargeShift(a)
	dv := vals[0] + shift
	tbo := m.explicitValence(i) + (a.Hs - a.explicitHs)
	for j := 1; tbo > dv && j < len(vals); j++ {
		dv = vals[j] + shift
	}
	rad := m.radicals(i)
	totalDegree := len(m.adj[i]) + (a.Hs - a.explicitHs)
	if totalDegree+rad >= dv {
		return false
	}
	if dv == sbo+1+rad {
		return true
	}
	return rad == 0 && a.Bracket && dv == sbo+2
}
