package mol

// Scaffold returns the Bemis–Murcko scaffold of m (Bemis & Murcko, J. Med. Chem.
// 39, 2887 (1996)) as RDKit's MurckoScaffold.GetScaffoldForMol builds it: the ring
// atoms and the linker atoms between rings (side chains pruned), with their
// elements, charges and bond orders, plus every atom joined to them by a double
// bond (the O of a ring or linker C=O). An aromatic N, P, O or S, or an aromatic
// C⁺, that loses a substituent gets one hydrogen ([nH]); other atoms that lose one
// get the hydrogens their valence leaves. Aromatic flags are those of m (not
// perceived again). A molecule without rings has an empty scaffold (no atoms).
func (m *Mol) Scaffold() *Mol {
	n := len(m.Atoms)
	keep := slicesClone(m.ringAtom)
	deg := make([]int, n)
	for i := range n {
		deg[i] = len(m.adj[i])
	}
	var queue []int
	for i := range n {
		if !keep[i] && deg[i] <= 1 {
			queue = append(queue, i)
		}
	}
	pruned := make([]bool, n)
	for len(queue) > 0 {
		a := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if pruned[a] {
			continue
		}
		pruned[a] = true
		for _, k := range m.adj[a] {
			if o := m.Bonds[k].Other(a); !keep[o] && !pruned[o] {
				if deg[o]--; deg[o] <= 1 {
					queue = append(queue, o)
				}
			}
		}
	}
	anyRing := false
	for i := range n {
		if m.ringAtom[i] {
			anyRing = true
		}
		if !pruned[i] {
			keep[i] = true
		}
	}
	if !anyRing {
		return &Mol{SMILES: m.SMILES}
	}
	return m.buildScaffold(keep)
}

func slicesClone(v []bool) []bool { return append([]bool(nil), v...) }

// buildScaffold keeps the atoms in core and those doubly bonded to them, and
// fixes the hydrogens of the core atoms that lose a neighbour.
func (m *Mol) buildScaffold(core []bool) *Mol {
	n := len(m.Atoms)
	in := slicesClone(core)
	atoms := slicesCloneAtoms(m.Atoms)
	for i := range n {
		if core[i] {
			continue
		}
		for _, k := range m.adj[i] {
			o := m.Bonds[k].Other(i)
			if !core[o] {
				continue
			}
			if m.Bonds[k].Order == Double {
				in[i] = true
				break
			}
			a := &atoms[o]
			switch {
			case a.Aromatic && (a.Z != 6 || a.Charge == 1):
				a.explicitHs = 1
			case a.Bracket:
				a.Bracket, a.explicitHs = false, 0
			}
		}
	}
	s := &Mol{SMILES: m.SMILES}
	idx := make([]int, n)
	for i := range n {
		idx[i] = -1
		if in[i] {
			idx[i] = len(s.Atoms)
			s.Atoms = append(s.Atoms, atoms[i])
			s.adj = append(s.adj, nil)
		}
	}
	for _, b := range m.Bonds {
		if in[b.A] && in[b.B] {
			s.addBond(idx[b.A], idx[b.B], b.Order, b.Dir, b.Col)
		}
	}
	s.perceiveRings()
	s.recountHydrogens()
	return s
}

func slicesCloneAtoms(v []Atom) []Atom { return append([]Atom(nil), v...) }

// recountHydrogens sets every atom's hydrogens to its explicit ones plus the
// implicit ones of an atom written without brackets.
func (m *Mol) recountHydrogens() {
	for i := range m.Atoms {
		a := &m.Atoms[i]
		if a.Z == 0 || valences(a.Z) == nil {
			a.Hs = a.explicitHs
			continue
		}
		implicit, _, _ := m.implicitHydrogens(i)
		a.Hs = a.explicitHs + implicit
	}
}

// GenericScaffold returns the scaffold with every heavy atom made an uncharged,
// non-aromatic carbon and every bond single (RDKit's MakeScaffoldGeneric): the
// graph of the scaffold only.
func (m *Mol) GenericScaffold() *Mol {
	s := m.Scaffold()
	for i := range s.Atoms {
		a := &s.Atoms[i]
		if a.Z != 1 {
			a.Z = 6
		}
		a.Aromatic, a.Charge, a.Bracket, a.explicitHs = false, 0, false, 0
	}
	for k := range s.Bonds {
		s.Bonds[k].Order = Single
	}
	s.recountHydrogens()
	return s
}

// ScaffoldKey returns the canonical SMILES of the scaffold, "" for a molecule
// without rings: molecules share a key exactly when they share a scaffold.
func (m *Mol) ScaffoldKey() string { return m.Scaffold().CanonicalSMILES() }
