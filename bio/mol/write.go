package mol

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// CanonicalSMILES returns a SMILES of m that does not depend on the order in which
// its atoms were written: two SMILES of one molecule give the same string. Atoms
// are ranked by their invariants (element, isotope, charge, hydrogens,
// aromaticity, degree, ring membership, class) refined by their neighbours'
// ranks until stable (Weininger et al., J. Chem. Inf. Comput. Sci. 29, 97
// (1989)); remaining ties, which are symmetric atoms in all but pathological
// graphs, are broken by atom order. The string is written depth first from the
// lowest-ranked atom, neighbours in rank order, aromatic atoms in lower case; no
// stereo is written. It is this package's canonical form, not RDKit's, though
// Parse reads it back to the same molecule.
func (m *Mol) CanonicalSMILES() string {
	if len(m.Atoms) == 0 {
		return ""
	}
	if m.hasStereoHydrogen() {
		c := m.copyMol()
		c.dropHydrogens(true)
		c.perceiveRings()
		m = c
	}
	rank := m.canonicalRanks()
	w := &writer{m: m, rank: rank}
	return w.write()
}

// hasStereoHydrogen reports whether a hydrogen atom stays in m only because it
// marks cis/trans stereo (which CanonicalSMILES does not write).
func (m *Mol) hasStereoHydrogen() bool {
	for i, a := range m.Atoms {
		if a.Z == 1 && a.Isotope == 0 && a.Charge == 0 && len(m.adj[i]) == 1 && m.definesDoubleBondStereo(m.adj[i][0], m.Bonds[m.adj[i][0]].Other(i)) {
			return true
		}
	}
	return false
}

// copyMol returns a deep copy of m's atoms and bonds (ring data not copied).
func (m *Mol) copyMol() *Mol {
	c := &Mol{SMILES: m.SMILES, Atoms: slices.Clone(m.Atoms), adj: make([][]int, len(m.Atoms))}
	for _, b := range m.Bonds {
		c.addBond(b.A, b.B, b.Order, b.Dir, b.Col)
	}
	return c
}

// canonicalRanks returns a rank per atom, 0 … n−1, all distinct.
func (m *Mol) canonicalRanks() []int {
	n := len(m.Atoms)
	keys := make([][]int, n)
	for i, a := range m.Atoms {
		ring, arom := 0, 0
		if m.ringAtom[i] {
			ring = 1
		}
		if a.Aromatic {
			arom = 1
		}
		keys[i] = []int{a.Z, a.Isotope, a.Charge, a.Hs, arom, len(m.adj[i]), ring, a.Class}
	}
	rank := denseRanks(keys)
	for {
		rank = m.refine(rank)
		tied := -1
		count := make([]int, n)
		for _, r := range rank {
			count[r]++
		}
		for r, c := range count {
			if c > 1 {
				tied = r
				break
			}
		}
		if tied < 0 {
			return rank
		}
		first := slices.Index(rank, tied)
		for i := range rank {
			rank[i] *= 2
			if rank[i] == 2*tied && i != first {
				rank[i]++
			}
		}
	}
}

// refine re-ranks atoms by (rank, sorted (bond order, neighbour rank) pairs) until
// the number of distinct ranks stops growing.
func (m *Mol) refine(rank []int) []int {
	classes := distinctCount(rank)
	for {
		keys := make([][]int, len(rank))
		for i := range rank {
			nb := make([][2]int, 0, len(m.adj[i]))
			for _, k := range m.adj[i] {
				nb = append(nb, [2]int{int(m.Bonds[k].Order), rank[m.Bonds[k].Other(i)]})
			}
			sort.Slice(nb, func(a, b int) bool {
				if nb[a][0] != nb[b][0] {
					return nb[a][0] < nb[b][0]
				}
				return nb[a][1] < nb[b][1]
			})
			key := []int{rank[i]}
			for _, p := range nb {
				key = append(key, p[0], p[1])
			}
			keys[i] = key
		}
		next := denseRanks(keys)
		c := distinctCount(next)
		if c == classes {
			return next
		}
		rank, classes = next, c
	}
}

// denseRanks maps each key to its position among the distinct keys in
// lexicographic order.
func denseRanks(keys [][]int) []int {
	idx := make([]int, len(keys))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return slices.Compare(keys[idx[a]], keys[idx[b]]) < 0 })
	rank := make([]int, len(keys))
	r := 0
	for j, i := range idx {
		if j > 0 && slices.Compare(keys[idx[j-1]], keys[i]) != 0 {
			r++
		}
		rank[i] = r
	}
	return rank
}

func distinctCount(v []int) int {
	seen := map[int]bool{}
	for _, x := range v {
		seen[x] = true
	}
	return len(seen)
}

// writer writes a SMILES in two passes: a depth-first search that finds the tree
// and the ring-closure bonds, then the text.
type writer struct {
	m        *Mol
	rank     []int
	visited  []bool
	usedBond []bool
	children [][]int // per atom: tree bonds to children, in visiting order
	closures [][]int // per atom: ring-closure bonds at it
	opened   map[int]int
	free     []bool // ring-closure numbers in use
	b        strings.Builder
}

func (w *writer) write() string {
	n := len(w.m.Atoms)
	w.visited = make([]bool, n)
	w.usedBond = make([]bool, len(w.m.Bonds))
	w.children = make([][]int, n)
	w.closures = make([][]int, n)
	w.opened = map[int]int{}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return w.rank[order[a]] < w.rank[order[b]] })
	var parts []string
	for _, start := range order {
		if w.visited[start] {
			continue
		}
		w.search(start, -1)
		w.b.Reset()
		w.emit(start, -1)
		parts = append(parts, w.b.String())
	}
	return strings.Join(parts, ".")
}

// neighbourBonds returns the bonds of atom a sorted by the rank of the other atom.
func (w *writer) neighbourBonds(a int) []int {
	bs := slices.Clone(w.m.adj[a])
	sort.Slice(bs, func(i, j int) bool {
		return w.rank[w.m.Bonds[bs[i]].Other(a)] < w.rank[w.m.Bonds[bs[j]].Other(a)]
	})
	return bs
}

func (w *writer) search(a, via int) {
	w.visited[a] = true
	for _, k := range w.neighbourBonds(a) {
		if k == via || w.usedBond[k] {
			continue
		}
		o := w.m.Bonds[k].Other(a)
		w.usedBond[k] = true
		if w.visited[o] {
			w.closures[a] = append(w.closures[a], k)
			w.closures[o] = append(w.closures[o], k)
			continue
		}
		w.children[a] = append(w.children[a], k)
		w.search(o, k)
	}
}

func (w *writer) emit(a, via int) {
	if via >= 0 {
		w.b.WriteString(w.bondSymbol(via))
	}
	w.b.WriteString(w.atomSymbol(a))
	var closing []int
	for _, k := range w.sortedClosures(a) {
		if d, ok := w.opened[k]; ok {
			w.b.WriteString(ringNumber(d))
			closing = append(closing, d)
			continue
		}
		d := w.allocate()
		w.opened[k] = d
		w.b.WriteString(w.bondSymbol(k))
		w.b.WriteString(ringNumber(d))
	}
	for _, d := range closing {
		w.free[d] = false
	}
	kids := w.children[a]
	for i, k := range kids {
		o := w.m.Bonds[k].Other(a)
		if i < len(kids)-1 {
			w.b.WriteByte('(')
			w.emit(o, k)
			w.b.WriteByte(')')
		} else {
			w.emit(o, k)
		}
	}
}

// sortedClosures orders the ring-closure bonds of atom a: those closing an
// opened number first, in the order they were opened, then new ones by the rank
// of the partner.
func (w *writer) sortedClosures(a int) []int {
	cs := slices.Clone(w.closures[a])
	sort.SliceStable(cs, func(i, j int) bool {
		di, oi := w.opened[cs[i]]
		dj, oj := w.opened[cs[j]]
		if oi != oj {
			return oi
		}
		if oi {
			return di < dj
		}
		return w.rank[w.m.Bonds[cs[i]].Other(a)] < w.rank[w.m.Bonds[cs[j]].Other(a)]
	})
	return cs
}

func (w *writer) allocate() int {
	for d := 1; ; d++ {
		for len(w.free) <= d {
			w.free = append(w.free, false)
		}
		if !w.free[d] {
			w.free[d] = true
			return d
		}
	}
}

func ringNumber(d int) string {
	switch {
	case d < 10:
		return strconv.Itoa(d)
	case d < 100:
		return "%" + strconv.Itoa(d)
	}
	return "%(" + strconv.Itoa(d) + ")"
}

// bondSymbol writes bond k: nothing for a single bond or an aromatic bond between
// two aromatic atoms, '-' for a single bond between two aromatic atoms.
func (w *writer) bondSymbol(k int) string {
	b := w.m.Bonds[k]
	bothArom := w.m.Atoms[b.A].Aromatic && w.m.Atoms[b.B].Aromatic
	switch b.Order {
	case Single:
		if bothArom {
			return "-"
		}
		return ""
	case Aromatic:
		if bothArom {
			return ""
		}
		return ":"
	}
	return b.Order.String()
}

// organicSymbols are the elements that may be written without brackets.
var organicSymbols = map[int]string{0: "*", 5: "B", 6: "C", 7: "N", 8: "O", 9: "F", 15: "P", 16: "S", 17: "Cl", 35: "Br", 53: "I"}

// atomSymbol writes atom a bare when Parse would give it the same hydrogens,
// else in brackets.
func (w *writer) atomSymbol(i int) string {
	a := w.m.Atoms[i]
	sym := symbolOf(a.Z)
	if a.Aromatic {
		sym = strings.ToLower(sym)
	}
	if bare, ok := organicSymbols[a.Z]; ok && a.Isotope == 0 && a.Charge == 0 && a.Class == 0 {
		if a.Z == 0 && a.Hs == 0 {
			return bare
		}
		_, aromOK := aromaticBracket[sym]
		if a.Z != 0 && (!a.Aromatic || aromOK && len(sym) == 1) {
			t := a
			t.Bracket, t.explicitHs = false, 0
			if implicit, _, _ := hydrogenRule(&t, w.m.bondValence2(i)); implicit == a.Hs {
				return sym
			}
		}
	}
	var b strings.Builder
	b.WriteByte('[')
	if a.Isotope > 0 {
		b.WriteString(strconv.Itoa(a.Isotope))
	}
	b.WriteString(sym)
	if a.Hs > 0 {
		b.WriteByte('H')
		if a.Hs > 1 {
			b.WriteString(strconv.Itoa(a.Hs))
		}
	}
	switch {
	case a.Charge == 1:
		b.WriteByte('+')
	case a.Charge == -1:
		b.WriteByte('-')
	case a.Charge > 1:
		b.WriteString("+" + strconv.Itoa(a.Charge))
	case a.Charge < -1:
		b.WriteString(strconv.Itoa(a.Charge))
	}
	if a.Class > 0 {
		b.WriteString(":" + strconv.Itoa(a.Class))
	}
	b.WriteByte(']')
	return b.String()
}
