package mol

// donor is the number of π electrons an atom can give to a ring, as a range.
type donor uint8

const (
	donorNone   donor = iota // not a candidate
	donorVacant              // 0 (empty p orbital: C=O carbon, C⁺)
	donorOne                 // 1 (C=C carbon, pyridine N)
	donorTwo                 // 2 (pyrrole N, furan O, thiophene S)
	donorAny                 // 1–2 (the wildcard *; at most one per ring set)
)

// electrons returns the smallest and largest π-electron counts of d.
func (d donor) electrons() (lo, hi int) {
	switch d {
	case donorOne:
		return 1, 1
	case donorTwo:
		return 2, 2
	case donorAny:
		return 1, 2
	}
	return 0, 0
}

// maxFusedRingSize is the largest ring that can join a fused system (RDKit's
// maxFusedAromaticRingSize, a bit more than a porphyrin's outer ring).
const maxFusedRingSize = 24

// maxFusedRings is the largest number of rings tested together.
const maxFusedRings = 6

// perceiveAromaticity marks aromatic atoms and bonds on a kekulised molecule with
// RDKit's default model: a ring, or a set of up to six fused rings (rings that
// share a bond), whose atoms can all take part and whose π electrons can number
// 4N + 2 (or exactly 2 in a three-ring) is aromatic. Its atoms become aromatic,
// and so do the bonds that lie in exactly one ring of the set (so the bonds
// joining two aromatic rings of a non-aromatic ring stay as they are). Single
// rings are tested first, then pairs and so on, until every candidate atom of the
// molecule is aromatic.
func (m *Mol) perceiveAromaticity() {
	n := len(m.Atoms)
	don := make([]donor, n)
	cand := make([]bool, n)
	seen := make([]bool, n)
	var rings [][]int // candidate rings (atoms)
	for _, r := range m.rings {
		all, allDummy := true, true
		for _, a := range r {
			if m.Atoms[a].Z != 0 {
				allDummy = false
			}
			if !seen[a] {
				seen[a] = true
				don[a] = m.donorType(a)
				cand[a] = m.aromaticCandidate(a, don[a])
			}
			if !cand[a] {
				all = false
			}
		}
		if all && !allDummy {
			rings = append(rings, r)
		}
	}
	if len(rings) == 0 {
		return
	}
	bondRings := make([][]int, len(rings))
	for i, r := range rings {
		for j, a := range r {
			bondRings[i] = append(bondRings[i], m.BondBetween(a, r[(j+1)%len(r)]))
		}
	}
	neigh := ringNeighbours(bondRings)
	done := make([]bool, len(rings))
	for start := range rings {
		if done[start] {
			continue
		}
		var fused []int
		pickFused(start, neigh, done, &fused)
		m.huckelFused(rings, bondRings, fused, neigh, don)
	}
}

// ringNeighbours lists, per ring, the rings fused to it: rings that share
// exactly one bond (rings larger than maxFusedRingSize have none). Rings that
// share two or more bonds, like a porphyrin's pyrroles and its 16-membered inner
// ring, are not combined; this reproduces RDKit 2022.09 on porphyrins and
// chlorins (its ring-overlap limit for aromaticity).
func ringNeighbours(bondRings [][]int) [][]int {
	out := make([][]int, len(bondRings))
	for i := range bondRings {
		if len(bondRings[i]) > maxFusedRingSize {
			continue
		}
		for j := i + 1; j < len(bondRings); j++ {
			if len(bondRings[j]) > maxFusedRingSize || shared(bondRings[i], bondRings[j]) != 1 {
				continue
			}
			out[i] = append(out[i], j)
			out[j] = append(out[j], i)
		}
	}
	return out
}

// shared counts the elements common to a and b.
func shared(a, b []int) int {
	n := 0
	for _, x := range a {
		for _, y := range b {
			if x == y {
				n++
			}
		}
	}
	return n
}

// pickFused collects, depth first, the rings reachable from cur.
func pickFused(cur int, neigh [][]int, done []bool, out *[]int) {
	done[cur] = true
	*out = append(*out, cur)
	for _, o := range neigh[cur] {
		if !done[o] {
			pickFused(o, neigh, done, out)
		}
	}
}

// huckelFused tests the connected subsets of 1, 2, … rings of one fused system
// and marks those that pass the Hückel rule. It stops enlarging the subsets once
// every bond of the system is aromatic.
func (m *Mol) huckelFused(rings, bondRings [][]int, fused []int, neigh [][]int, don []donor) {
	systemBonds := map[int]bool{}
	for _, r := range fused {
		for _, b := range bondRings[r] {
			systemBonds[b] = true
		}
	}
	doneBonds := map[int]bool{}
	for size := 1; size <= min(len(fused), maxFusedRings); size++ {
		if len(doneBonds) >= len(systemBonds) {
			return
		}
		comb := make([]int, size)
		for i := range comb {
			comb[i] = i
		}
		for {
			sub := make([]int, size)
			for i, c := range comb {
				sub[i] = fused[c]
			}
			if connectedRings(sub, neigh) && m.huckel(rings, sub, don) {
				m.markAromatic(rings, bondRings, sub, doneBonds)
			}
			if !nextCombination(comb, len(fused)) {
				break
			}
		}
	}
}

// nextCombination advances comb (increasing indices < n) to the next
// combination in lexicographic order; false when there is none.
func nextCombination(comb []int, n int) bool {
	k := len(comb)
	i := k - 1
	for i >= 0 && comb[i] == n-k+i {
		i--
	}
	if i < 0 {
		return false
	}
	comb[i]++
	for j := i + 1; j < k; j++ {
		comb[j] = comb[j-1] + 1
	}
	return true
}

// connectedRings reports whether the rings of sub form one connected set under
// the bond-sharing relation.
func connectedRings(sub []int, neigh [][]int) bool {
	in := map[int]bool{}
	for _, r := range sub {
		in[r] = true
	}
	seen := map[int]bool{sub[0]: true}
	stack := []int{sub[0]}
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, o := range neigh[r] {
			if in[o] && !seen[o] {
				seen[o] = true
				stack = append(stack, o)
			}
		}
	}
	return len(seen) == len(sub)
}

// huckel applies the 4N + 2 rule to the atoms that lie in one or two of the
// rings in sub (an atom shared by three rings, like the centre of acepentalene,
// is left out, RDKit issue #2895): with π-electron ranges [lo, hi] summed over
// those atoms, aromatic if hi ≥ 6 and some count in [lo, hi] is 4N + 2, or if hi
// is exactly 2. More than one wildcard atom makes the set non-aromatic.
func (m *Mol) huckel(rings [][]int, sub []int, don []donor) bool {
	atoms := map[int]int{}
	for _, r := range sub {
		for _, a := range rings[r] {
			atoms[a]++
		}
	}
	lo, hi, wild := 0, 0, 0
	for a, n := range atoms {
		if n > 2 {
			continue
		}
		if don[a] == donorAny {
			if wild++; wild > 1 {
				return false
			}
		}
		l, h := don[a].electrons()
		lo += l
		hi += h
	}
	if hi >= 6 {
		for e := lo; e <= hi; e++ {
			if (e-2)%4 == 0 {
				return true
			}
		}
		return false
	}
	return hi == 2
}

// markAromatic marks the atoms of the rings in sub aromatic, and the bonds that
// occur in exactly one of them (recorded in doneBonds).
func (m *Mol) markAromatic(rings, bondRings [][]int, sub []int, doneBonds map[int]bool) {
	count := map[int]int{}
	for _, r := range sub {
		for _, a := range rings[r] {
			m.Atoms[a].Aromatic = true
		}
		for _, b := range bondRings[r] {
			count[b]++
		}
	}
	for b, c := range count {
		if c != 1 {
			continue
		}
		doneBonds[b] = true
		if m.Bonds[b].Order == Single || m.Bonds[b].Order == Double {
			m.Bonds[b].Order = Aromatic
		}
	}
}

// donorType is RDKit's getAtomDonorTypeArom on the kekulised molecule.
func (m *Mol) donorType(i int) donor {
	a := &m.Atoms[i]
	if a.Z == 0 {
		if m.cyclicMultipleBond(i) {
			return donorOne
		}
		return donorAny
	}
	nelec := m.piElectrons(i)
	exo := m.exocyclicMultipleBond(i) // partner atom, or -1
	switch {
	case nelec < 0:
		return donorNone
	case nelec == 0:
		if exo >= 0 {
			return donorVacant
		}
		if m.cyclicMultipleBond(i) {
			return donorOne
		}
		return donorNone
	case nelec == 1:
		if exo >= 0 {
			if moreElectronegative(m.Atoms[exo].Z, a.Z) {
				return donorVacant
			}
			return donorOne
		}
		if m.hasMultipleBond(i) {
			return donorOne
		}
		if a.Charge == 1 {
			return donorVacant
		}
		return donorNone
	}
	if exo >= 0 && moreElectronegative(m.Atoms[exo].Z, a.Z) {
		nelec--
	}
	if nelec%2 == 1 {
		return donorOne
	}
	return donorTwo
}

// piElectrons is RDKit's countAtomElec: the electrons atom i can give to a π
// system, (default valence − degree − H) + lone-pair electrons (outer electrons −
// default valence − charge, at least 0) − radicals; −1 for univalent elements and
// atoms with more than three neighbours and hydrogens.
func (m *Mol) piElectrons(i int) int {
	a := &m.Atoms[i]
	dv := defaultValence(a.Z)
	if dv <= 1 {
		return -1
	}
	degree := len(m.adj[i]) + a.Hs
	if degree > 3 {
		return -1
	}
	nlp := max(outerElectrons(a.Z)-dv-a.Charge, 0)
	res := dv - degree + nlp - m.radicals(i)
	if res > 1 && m.kekuleValence(i)+a.explicitHs-len(m.adj[i]) > 1 {
		res = 1
	}
	return res
}

// kekuleValence returns the sum of the bond orders of atom i (no aromatic bonds
// remain after kekulize).
func (m *Mol) kekuleValence(i int) int {
	v := 0
	for _, k := range m.adj[i] {
		v += m.Bonds[k].Order.valence2()
	}
	return v / 2
}

// exocyclicMultipleBond returns the partner of a double or higher bond of atom i
// that lies on no ring, or -1.
func (m *Mol) exocyclicMultipleBond(i int) int {
	for _, k := range m.adj[i] {
		if !m.ringBond[k] && m.Bonds[k].Order.valence2() >= 4 {
			return m.Bonds[k].Other(i)
		}
	}
	return -1
}

// cyclicMultipleBond reports whether atom i has a double or higher ring bond.
func (m *Mol) cyclicMultipleBond(i int) bool {
	for _, k := range m.adj[i] {
		if m.ringBond[k] && m.Bonds[k].Order.valence2() >= 4 {
			return true
		}
	}
	return false
}

// hasMultipleBond reports whether atom i has a bond of order above one.
func (m *Mol) hasMultipleBond(i int) bool {
	for _, k := range m.adj[i] {
		if m.Bonds[k].Order.valence2() > 2 {
			return true
		}
	}
	return false
}

// aromaticCandidate is RDKit's isAtomCandForArom with its default options.
func (m *Mol) aromaticCandidate(i int, d donor) bool {
	a := &m.Atoms[i]
	if a.Z > 18 && a.Z != 34 && a.Z != 52 {
		return false
	}
	if d == donorNone {
		return false
	}
	if dv := defaultValence(a.Z); a.Z > 0 && dv > 0 {
		total := m.kekuleValence(i) + a.Hs
		if total > defaultValence(a.Z-a.Charge) {
			return false
		}
	}
	if (a.Z != 6 || a.Charge != 0) && m.radicals(i) > 0 {
		return false
	}
	nMult := 0
	for _, k := range m.adj[i] {
		if o := m.Bonds[k].Order; o == Double || o == Triple {
			nMult++
		}
	}
	return nMult <= 1
}
