package mol

import (
	"fmt"
	"strings"
)

// BondOrder is the kind of a bond. The values are those of RDKit's Bond::BondType
// enumeration, because the Morgan hash (Morgan) mixes them in exactly as RDKit does.
type BondOrder uint8

// Bond orders.
const (
	Single    BondOrder = 1
	Double    BondOrder = 2
	Triple    BondOrder = 3
	Quadruple BondOrder = 4
	Aromatic  BondOrder = 12
)

// String returns the SMILES symbol of the order ("-", "=", "#", "$", ":").
func (o BondOrder) String() string {
	switch o {
	case Single:
		return "-"
	case Double:
		return "="
	case Triple:
		return "#"
	case Quadruple:
		return "$"
	case Aromatic:
		return ":"
	}
	return fmt.Sprintf("BondOrder(%d)", uint8(o))
}

// valence2 is twice the bond's contribution to an atom's valence (aromatic 1.5 → 3).
func (o BondOrder) valence2() int {
	if o == Aromatic {
		return 3
	}
	return 2 * int(o)
}

// Atom is one heavy atom (or a hydrogen that stays an atom, see Parse) of a Mol.
type Atom struct {
	Z        int  // atomic number; 0 for the wildcard '*'
	Isotope  int  // mass number as written, 0 if none was given
	Charge   int  // formal charge, in units of e
	Hs       int  // attached hydrogens: bracket count + removed [H] atoms + implicit
	Aromatic bool // aromatic after perception (RDKit's model, see the package doc)
	Bracket  bool // written in brackets, so it has no implicit hydrogens
	Class    int  // atom class (":n" in brackets), 0 if none
	Col      int  // 1-based column in the SMILES where the atom starts

	explicitHs int // Hs written in brackets or from removed [H] atoms
}

// Bond joins atoms A and B (indices into Mol.Atoms, A < B is not guaranteed).
type Bond struct {
	A, B  int
	Order BondOrder
	// Dir is '/' or '\\' for a directional single bond as written (from A to B in
	// writing order), 0 otherwise. It is kept for the record and not interpreted:
	// Parse does no cis/trans perception.
	Dir byte
	Col int // 1-based column of the bond symbol, or of the later atom for an implicit bond
}

// Other returns the atom of b that is not a. It panics if a is not in b.
func (b Bond) Other(a int) int {
	switch a {
	case b.A:
		return b.B
	case b.B:
		return b.A
	}
	panic(fmt.Sprintf("mol: atom %d is not in bond %d-%d", a, b.A, b.B))
}

// Mol is a molecular graph: heavy atoms with their hydrogen counts, and bonds.
// Parse builds one from SMILES; after Parse its aromaticity, hydrogen counts and
// ring information are those RDKit assigns when it sanitises the same SMILES (see
// the package documentation for the rules and the known differences).
type Mol struct {
	SMILES string // the input, as given
	Atoms  []Atom
	Bonds  []Bond

	adj      [][]int // bond indices of each atom, in the order the bonds were made
	ringBond []bool  // bond lies on a cycle
	ringAtom []bool  // atom lies on a cycle
	rings    [][]int // smallest set of smallest rings (relevant cycles), atom indices in ring order
}

// NumAtoms returns the number of atoms.
func (m *Mol) NumAtoms() int { return len(m.Atoms) }

// Degree returns the number of bonds of atom a (hydrogens in Hs not counted).
func (m *Mol) Degree(a int) int { return len(m.adj[a]) }

// BondsOf returns the indices of the bonds of atom a. The slice must not be changed.
func (m *Mol) BondsOf(a int) []int { return m.adj[a] }

// Neighbors appends the atoms bonded to a to dst and returns it.
func (m *Mol) Neighbors(dst []int, a int) []int {
	for _, b := range m.adj[a] {
		dst = append(dst, m.Bonds[b].Other(a))
	}
	return dst
}

// BondBetween returns the index of the bond between atoms a and b, or -1.
func (m *Mol) BondBetween(a, b int) int {
	for _, k := range m.adj[a] {
		if m.Bonds[k].Other(a) == b {
			return k
		}
	}
	return -1
}

// InRing reports whether atom a lies on a ring (a cycle of the graph).
func (m *Mol) InRing(a int) bool { return m.ringAtom[a] }

// BondInRing reports whether bond b lies on a ring.
func (m *Mol) BondInRing(b int) bool { return m.ringBond[b] }

// Rings returns the rings of the smallest set of smallest rings, each as atom
// indices in ring order, smallest rings first. For molecules with cages it holds
// every relevant cycle (a cycle that is not a sum of smaller ones), like RDKit's
// symmetrised SSSR. The slices must not be changed.
func (m *Mol) Rings() [][]int { return m.rings }

// addBond appends a bond and records it in the adjacency lists.
func (m *Mol) addBond(a, b int, o BondOrder, dir byte, col int) {
	m.Bonds = append(m.Bonds, Bond{A: a, B: b, Order: o, Dir: dir, Col: col})
	k := len(m.Bonds) - 1
	m.adj[a] = append(m.adj[a], k)
	m.adj[b] = append(m.adj[b], k)
}

// Formula returns the molecular formula in Hill order (C, H, then the others
// alphabetically), hydrogens included, e.g. "C9H8O4" for aspirin.
func (m *Mol) Formula() string {
	count := map[string]int{}
	h := 0
	for _, a := range m.Atoms {
		count[symbolOf(a.Z)]++
		h += a.Hs
	}
	count["H"] += h
	if count["H"] == 0 {
		delete(count, "H")
	}
	var b strings.Builder
	write := func(s string) {
		if n, ok := count[s]; ok {
			b.WriteString(s)
			if n > 1 {
				fmt.Fprint(&b, n)
			}
			delete(count, s)
		}
	}
	if _, ok := count["C"]; ok {
		write("C")
		write("H")
	}
	for _, s := range sortedSymbols(count) {
		write(s)
	}
	return b.String()
}

// Error reports a SMILES that cannot be read as a molecule: a syntax error, or a
// chemistry error (a valence no element allows, aromatic atoms that admit no
// Kekulé structure). Col is the 1-based column of the problem in the SMILES.
type Error struct {
	SMILES string
	Col    int
	Msg    string
}

func (e *Error) Error() string {
	s := e.SMILES
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return fmt.Sprintf("SMILES %q: column %d: %s", s, e.Col, e.Msg)
}
