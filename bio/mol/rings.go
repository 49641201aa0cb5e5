package mol

import (
	"math/big"
	"sort"
)

// perceiveRings sets ringBond and ringAtom (bonds on a cycle are exactly those
// that are not bridges) and rings (the relevant cycles, see findRings).
func (m *Mol) perceiveRings() {
	n := len(m.Atoms)
	m.ringBond = make([]bool, len(m.Bonds))
	m.ringAtom = make([]bool, n)
	bridge := m.bridges()
	for k, b := range m.Bonds {
		if !bridge[k] {
			m.ringBond[k] = true
			m.ringAtom[b.A], m.ringAtom[b.B] = true, true
		}
	}
	m.rings = m.findRings()
}

// bridges marks the bonds whose removal disconnects the graph (Tarjan's
// low-link, iterative).
func (m *Mol) bridges() []bool {
	n := len(m.Atoms)
	out := make([]bool, len(m.Bonds))
	disc := make([]int, n)
	low := make([]int, n)
	for i := range disc {
		disc[i] = -1
	}
	type frame struct{ v, viaBond, next int }
	t := 0
	for root := range n {
		if disc[root] >= 0 {
			continue
		}
		disc[root], low[root] = t, t
		t++
		st := []frame{{root, -1, 0}}
		for len(st) > 0 {
			f := &st[len(st)-1]
			if f.next < len(m.adj[f.v]) {
				k := m.adj[f.v][f.next]
				f.next++
				if k == f.viaBond {
					continue
				}
				w := m.Bonds[k].Other(f.v)
				if disc[w] < 0 {
					disc[w], low[w] = t, t
					t++
					st = append(st, frame{w, k, 0})
				} else {
					low[f.v] = min(low[f.v], disc[w])
				}
				continue
			}
			v, k := f.v, f.viaBond
			st = st[:len(st)-1]
			if k >= 0 {
				p := m.Bonds[k].Other(v)
				low[p] = min(low[p], low[v])
				if low[v] > disc[p] {
					out[k] = true
				}
			}
		}
	}
	return out
}

// cycle is a candidate ring: its atoms in order and its bonds as a bit set.
type cycle struct {
	atoms []int
	bonds *big.Int
}

// findRings returns the relevant cycles of the ring bonds: Horton's candidate
// cycles (for every atom r and ring bond (x, y), the shortest path r…x, the bond,
// and the shortest path y…r, when the two paths meet only at r; Horton, SIAM J.
// Comput. 16, 358 (1987)) taken from the smallest up, keeping each that is not a
// GF(2) sum of strictly smaller ones. For molecules without cages this is the
// unique smallest set of smallest rings; for cages (cubane) it is the symmetric
// superset, like RDKit's symmetrised SSSR.
func (m *Mol) findRings() [][]int {
	var cands []cycle
	seen := map[string]bool{}
	for r := range m.Atoms {
		if !m.ringAtom[r] {
			continue
		}
		parent, dist := m.ringBFS(r)
		for k, b := range m.Bonds {
			if !m.ringBond[k] || dist[b.A] < 0 || dist[b.B] < 0 || parent[b.A] == k || parent[b.B] == k {
				continue
			}
			c, ok := m.horton(r, b.A, b.B, k, parent)
			if !ok {
				continue
			}
			key := c.bonds.Text(16)
			if !seen[key] {
				seen[key] = true
				cands = append(cands, c)
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return len(cands[i].atoms) < len(cands[j].atoms) })
	var basis []*big.Int // reduced rows, each with a distinct leading bit
	var rings [][]int
	for i := 0; i < len(cands); {
		j := i
		for j < len(cands) && len(cands[j].atoms) == len(cands[i].atoms) {
			j++
		}
		var add []*big.Int
		for _, c := range cands[i:j] {
			if v := reduce(c.bonds, basis); v.Sign() != 0 {
				rings = append(rings, c.atoms)
				add = append(add, v)
			}
		}
		for _, v := range add { // smaller-or-equal cycles now span these
			if w := reduce(v, basis); w.Sign() != 0 {
				basis = append(basis, w)
			}
		}
		i = j
	}
	return rings
}

// reduce returns v reduced by the basis over GF(2).
func reduce(v *big.Int, basis []*big.Int) *big.Int {
	w := new(big.Int).Set(v)
	for changed := true; changed; {
		changed = false
		for _, b := range basis {
			if w.Bit(b.BitLen()-1) == 1 {
				w.Xor(w, b)
				changed = true
			}
		}
	}
	return w
}

// ringBFS returns, for a breadth-first search from r over ring bonds, the bond
// each atom was reached by (-1 for r and unreached atoms) and its distance (-1 if
// unreached). Neighbours are visited in adjacency order, so the result is
// deterministic.
func (m *Mol) ringBFS(r int) (parent, dist []int) {
	n := len(m.Atoms)
	parent = make([]int, n)
	dist = make([]int, n)
	for i := range dist {
		parent[i], dist[i] = -1, -1
	}
	dist[r] = 0
	queue := []int{r}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, k := range m.adj[v] {
			if !m.ringBond[k] {
				continue
			}
			w := m.Bonds[k].Other(v)
			if dist[w] < 0 {
				dist[w], parent[w] = dist[v]+1, k
				queue = append(queue, w)
			}
		}
	}
	return parent, dist
}

// horton builds the candidate cycle r…x–y…r from the BFS tree, or reports false
// when the two tree paths share an atom other than r.
func (m *Mol) horton(r, x, y, k int, parent []int) (cycle, bool) {
	path := func(v int) []int {
		p := []int{v}
		for v != r {
			v = m.Bonds[parent[v]].Other(v)
			p = append(p, v)
		}
		return p // v … r
	}
	px, py := path(x), path(y)
	on := map[int]bool{}
	for _, a := range px[:len(px)-1] {
		on[a] = true
	}
	for _, a := range py[:len(py)-1] {
		if on[a] {
			return cycle{}, false
		}
	}
	// ring order: r … x, y … (towards r)
	atoms := make([]int, 0, len(px)+len(py)-1)
	for i := len(px) - 1; i >= 0; i-- {
		atoms = append(atoms, px[i])
	}
	atoms = append(atoms, py[:len(py)-1]...)
	bits := new(big.Int)
	for i, a := range atoms {
		b := atoms[(i+1)%len(atoms)]
		bits.SetBit(bits, m.BondBetween(a, b), 1)
	}
	_ = k
	return cycle{atoms: atoms, bonds: bits}, true
}
