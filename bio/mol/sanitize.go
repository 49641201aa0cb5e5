package mol

import "fmt"

// Parse reads a SMILES string (OpenSMILES) into a molecular graph and perceives
// it as RDKit's MolFromSmiles does: hydrogen atoms become hydrogen counts,
// implicit hydrogens come from the default valences, aromatic systems are
// kekulised and aromaticity is perceived again with RDKit's model, and rings are
// found. See the package documentation for what is kept, dropped and refused.
//
// It returns an *Error with the 1-based column of the first problem.
func Parse(smiles string) (*Mol, error) {
	m, err := parseGraph(smiles)
	if err != nil {
		return nil, err
	}
	m.removeHydrogens()
	m.perceiveRings()
	if err := m.assignHydrogens(); err != nil {
		return nil, err
	}
	if err := m.kekulize(); err != nil {
		return nil, err
	}
	m.perceiveAromaticity()
	m.adjustHydrogens()
	return m, nil
}

// adjustHydrogens keeps the hydrogens of atoms that perception made aromatic: an
// atom written without brackets whose implicit hydrogens the aromatic bonds
// would now lower (the N of C1=CNC=C1, now [nH]) gets the difference as explicit
// hydrogens, as RDKit's adjustHs does.
func (m *Mol) adjustHydrogens() {
	for i := range m.Atoms {
		a := &m.Atoms[i]
		if a.Bracket || a.Z == 0 || valences(a.Z) == nil {
			continue
		}
		implicit, _, _ := m.implicitHydrogens(i)
		if had := a.Hs - a.explicitHs; implicit < had {
			a.explicitHs += had - implicit
		}
	}
}

// MustParse is Parse for SMILES known to be valid (tests, examples). It panics
// on an error.
func MustParse(smiles string) *Mol {
	m, err := Parse(smiles)
	if err != nil {
		panic("mol: " + err.Error())
	}
	return m
}

func (m *Mol) fail(atom int, format string, args ...any) *Error {
	return &Error{SMILES: m.SMILES, Col: m.Atoms[atom].Col, Msg: fmt.Sprintf(format, args...)}
}

// removeHydrogens turns every hydrogen atom that is plain (no isotope, charge or
// class), has exactly one single bond, and is bonded to a heavy atom into a
// hydrogen count of that atom, as RDKit's RemoveHs does by default. Other
// hydrogens ([2H], [H+], [H][H], and the H of [H]/N=C/C that defines a cis/trans
// double bond) stay atoms.
func (m *Mol) removeHydrogens() { m.dropHydrogens(false) }

// dropHydrogens removes the hydrogen atoms that removeHydrogens removes, and
// with anyStereo also those that only mark cis/trans stereo; their neighbours'
// explicit (and total) hydrogen counts grow by one each.
func (m *Mol) dropHydrogens(anyStereo bool) {
	drop := make([]bool, len(m.Atoms))
	any := false
	for i, a := range m.Atoms {
		if a.Z != 1 || a.Isotope != 0 || a.Charge != 0 || a.Class != 0 || a.explicitHs != 0 || len(m.adj[i]) != 1 {
			continue
		}
		b := m.Bonds[m.adj[i][0]]
		o := b.Other(i)
		if b.Order != Single || m.Atoms[o].Z <= 1 || (!anyStereo && m.definesDoubleBondStereo(m.adj[i][0], o)) {
			continue
		}
		drop[i] = true
		m.Atoms[o].explicitHs++
		m.Atoms[o].Hs++
		any = true
	}
	if !any {
		return
	}
	newIdx := make([]int, len(m.Atoms))
	var atoms []Atom
	for i, a := range m.Atoms {
		newIdx[i] = -1
		if !drop[i] {
			newIdx[i] = len(atoms)
			atoms = append(atoms, a)
		}
	}
	bonds := m.Bonds
	m.Atoms, m.Bonds, m.adj = atoms, nil, make([][]int, len(atoms))
	for _, b := range bonds {
		if !drop[b.A] && !drop[b.B] {
			m.addBond(newIdx[b.A], newIdx[b.B], b.Order, b.Dir, b.Col)
		}
	}
}

// explicitValence returns RDKit's explicit valence of atom i: bond orders
// (aromatic 1.5) plus explicit hydrogens, a half-integer sum rounded up; for an
// aromatic atom whose sum exceeds its default valence, the allowed valence just
// below the sum when it is within 1.5 (the N of c1cccn1C, the bridgehead N of
// indolizine).
func (m *Mol) explicitValence(i int) int { return explicitValence(&m.Atoms[i], m.bondValence2(i)) }

// explicitValence is Mol.explicitValence for atom a whose bonds sum to bonds2/2.
func explicitValence(a *Atom, bonds2 int) int {
	ev2 := bonds2 + 2*a.explicitHs
	vals := valences(a.Z)
	if vals == nil {
		return (ev2 + 1) / 2
	}
	shift := chargeShift(a)
	if a.Aromatic && ev2 > 2*(vals[0]+shift) {
		p := vals[0] + shift
		for _, v := range vals {
			if 2*(v+shift) > ev2 {
				break
			}
			p = v + shift
		}
		if ev2-2*p <= 3 {
			ev2 = 2 * p
		}
	}
	return (ev2 + 1) / 2
}

// bondValence2 returns twice the sum of the bond orders of atom i (aromatic 1.5).
func (m *Mol) bondValence2(i int) int {
	v := 0
	for _, k := range m.adj[i] {
		v += m.Bonds[k].Order.valence2()
	}
	return v
}

// valence2 returns twice the explicit valence of atom a: its bond orders
// (aromatic 1.5) plus its explicit hydrogens.
func (m *Mol) valence2(a int) int {
	v := 2 * m.Atoms[a].explicitHs
	for _, k := range m.adj[a] {
		v += m.Bonds[k].Order.valence2()
	}
	return v
}

// assignHydrogens checks every atom's valence and gives atoms written without
// brackets their implicit hydrogens (RDKit's calcExplicitValence and
// calcImplicitValence): the smallest allowed valence (shifted by the charge) that
// holds the explicit valence, minus the explicit valence. An aromatic atom's
// aromatic bonds count 1.5 each; its half-integer sum rounds up, and a sum above
// the default valence is brought down to the allowed valence below it when
// within 1.5 (the N of c1cccn1C, the bridgehead N of indolizine).
func (m *Mol) assignHydrogens() error {
	for i := range m.Atoms {
		a := &m.Atoms[i]
		if a.Aromatic && !m.ringAtom[i] {
			return m.fail(i, "atom %s is aromatic (lower case) but not in a ring", symbolOf(a.Z))
		}
		vals := valences(a.Z)
		if vals == nil || a.Z == 0 {
			a.Hs = a.explicitHs
			continue
		}
		implicit, ev, top := m.implicitHydrogens(i)
		if ev > top {
			return m.fail(i, "atom %s has valence %d, more than %s allows with charge %+d (%d)", symbolOf(a.Z), ev, symbolOf(a.Z), a.Charge, top)
		}
		a.Hs = a.explicitHs + implicit
	}
	return nil
}

// implicitHydrogens returns the hydrogens the parser adds to atom i (0 for a
// bracket atom), its explicit valence, and the largest valence its element allows
// with its charge. The atom's element must have a valence list.
func (m *Mol) implicitHydrogens(i int) (implicit, ev, top int) {
	return hydrogenRule(&m.Atoms[i], m.bondValence2(i))
}

// hydrogenRule is Mol.implicitHydrogens for atom a whose bonds sum to bonds2/2.
func hydrogenRule(a *Atom, bonds2 int) (implicit, ev, top int) {
	vals := valences(a.Z)
	shift := chargeShift(a)
	ev = explicitValence(a, bonds2)
	top = vals[len(vals)-1] + shift
	switch {
	case a.Bracket:
	case a.Aromatic:
		implicit = max(0, vals[0]+shift-ev)
	default:
		for _, v := range vals {
			if ev <= v+shift {
				implicit = v + shift - ev
				break
			}
		}
	}
	return implicit, ev, top
}

// radicals returns the number of unpaired electrons RDKit assigns to a bracket
// atom (assignRadicals): those its explicit valence leaves to an octet (a duet for
// H and He), or to the next allowed valence for atoms that can be hypervalent,
// capped by its outer electrons. Atoms written without brackets have none.
func (m *Mol) radicals(i int) int {
	a := &m.Atoms[i]
	vals := valences(a.Z)
	if !a.Bracket || a.Z == 0 || vals == nil {
		return 0
	}
	tv := m.valence2(i) / 2 // truncates like RDKit's int(accum + 0.1)
	outer := outerElectrons(a.Z)
	base := 8
	if a.Z <= 2 {
		base = 2
	}
	n := base - outer - tv + a.Charge
	if n < 0 {
		n = 0
		if len(vals) > 1 {
			for _, v := range vals {
				if v-tv+a.Charge >= 0 {
					n = v - tv + a.Charge
					break
				}
			}
		}
	}
	if n2 := outer - tv - a.Charge; n2 >= 0 {
		n = min(n, n2)
	}
	return n
}

// definesDoubleBondStereo reports whether directional bond k, on atom a, marks a
// cis/trans double bond: a is doubly bonded to an atom that has a directional
// bond too.
func (m *Mol) definesDoubleBondStereo(k, a int) bool {
	if m.Bonds[k].Dir == 0 {
		return false
	}
	for _, d := range m.adj[a] {
		if m.Bonds[d].Order != Double {
			continue
		}
		x := m.Bonds[d].Other(a)
		for _, e := range m.adj[x] {
			if e != d && m.Bonds[e].Dir != 0 {
				return true
			}
		}
	}
	return false
}
