package mol

import (
	"encoding/binary"
	"fmt"
	"sort"
)

// Default Morgan settings: ECFP4-like (radius 2) folded to 2048 bits.
const (
	DefaultRadius = 2
	DefaultBits   = 2048
)

// Environment is one atom environment of a Morgan fingerprint: the circular
// neighbourhood of Atom out to Radius bonds, identified by Code.
type Environment struct {
	Code   uint32 // RDKit's environment identifier (unfolded bit id)
	Atom   int    // centre atom
	Radius int    // 0 … the fingerprint radius
}

// BitCount is one non-zero element of a folded count fingerprint.
type BitCount struct {
	Bit, Count int
}

// hashCombine is boost's hash_combine on 32-bit words, the mixing step of RDKit's
// portable hash (RDGeneral/hash): seed ^ (v + 0x9e3779b9 + (seed<<6) + (seed>>2)).
func hashCombine(seed, v uint32) uint32 {
	return seed ^ (v + 0x9e3779b9 + (seed << 6) + (seed >> 2))
}

// atomInvariants returns RDKit's connectivity invariants (getConnectivityInvariants
// with ring membership, RDKit 2022.09): the hash of [atomic number, degree +
// hydrogen count, hydrogen count + hydrogen atoms bonded to it, formal charge,
// isotope mass delta, and 1 if the atom is in a ring].
func (m *Mol) atomInvariants() []uint32 {
	out := make([]uint32, len(m.Atoms))
	for i := range m.Atoms {
		a := &m.Atoms[i]
		h := uint32(0)
		h = hashCombine(h, uint32(a.Z))
		hs := a.Hs + m.hydrogenNeighbours(i)
		h = hashCombine(h, uint32(len(m.adj[i])+a.Hs))
		h = hashCombine(h, uint32(hs))
		h = hashCombine(h, uint32(int32(a.Charge)))
		h = hashCombine(h, uint32(int32(massDelta(a))))
		if m.ringAtom[i] {
			h = hashCombine(h, 1)
		}
		out[i] = h
	}
	return out
}

// bitset is a fixed-size set of bond indices.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int) { b[i/64] |= 1 << (i % 64) }
func (b bitset) or(o bitset) {
	for i := range b {
		b[i] |= o[i]
	}
}
func (b bitset) clone() bitset { return append(bitset(nil), b...) }

// key returns the set's words as a string, for use as a map key.
func (b bitset) key() string {
	buf := make([]byte, 0, 8*len(b))
	for _, w := range b {
		buf = binary.LittleEndian.AppendUint64(buf, w)
	}
	return string(buf)
}
func (b bitset) less(o bitset) bool {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] != o[i] {
			return b[i] < o[i]
		}
	}
	return false
}

// Morgan returns the environments of the Morgan fingerprint of radius r (Rogers &
// Hahn, J. Chem. Inf. Model. 50, 742 (2010)) exactly as RDKit's
// GetMorganFingerprint computes them with its defaults (connectivity invariants,
// bond types, no chirality): radius-0 codes are the atom invariants; the code of
// atom i at radius k+1 hashes k, i's code at radius k, and its neighbours' (bond
// type, code) pairs in sorted order. An environment that covers the same set of
// bonds as one already kept (at this or a smaller radius) is dropped, the one with
// the smaller code kept, and its atom grows no further. Atoms without bonds stop
// at radius 0. It panics if r < 0.
func (m *Mol) Morgan(r int) []Environment {
	if r < 0 {
		panic(fmt.Sprintf("mol: Morgan radius %d < 0", r))
	}
	n := len(m.Atoms)
	inv := m.atomInvariants()
	envs := make([]Environment, 0, n*(r+1))
	for i := range n {
		envs = append(envs, Environment{Code: inv[i], Atom: i})
	}
	seen := map[string]bool{}
	nbhd := make([]bitset, n)
	for i := range nbhd {
		nbhd[i] = newBitset(len(m.Bonds))
	}
	dead := make([]bool, n)
	type acc struct {
		nb   bitset
		code uint32
		atom int
	}
	for layer := 0; layer < r; layer++ {
		next := make([]uint32, n)
		round := make([]bitset, n)
		copy(round, nbhd)
		var this []acc
		for i := range n {
			if dead[i] {
				continue
			}
			if len(m.adj[i]) == 0 {
				dead[i] = true
				continue
			}
			var h uint32
			round[i], h = m.grow(i, layer, inv, nbhd)
			next[i] = h
			this = append(this, acc{round[i], h, i})
			if seen[round[i].key()] {
				dead[i] = true
			}
		}
		sort.Slice(this, func(a, b int) bool {
			x, y := this[a], this[b]
			if x.nb.less(y.nb) != y.nb.less(x.nb) {
				return x.nb.less(y.nb)
			}
			if x.code != y.code {
				return x.code < y.code
			}
			return x.atom < y.atom
		})
		for _, e := range this {
			k := e.nb.key()
			if seen[k] {
				dead[e.atom] = true
				continue
			}
			seen[k] = true
			envs = append(envs, Environment{Code: e.code, Atom: e.atom, Radius: layer + 1})
		}
		inv = next
		nbhd = round
	}
	return envs
}

// grow returns atom i's environment one bond further out than layer (its bonds
// and its neighbours' environments) and its code: layer, then i's code, then each
// neighbour's (bond type, code) pair in sorted order, hash-combined.
func (m *Mol) grow(i, layer int, inv []uint32, nbhd []bitset) (bitset, uint32) {
	nb := nbhd[i].clone()
	nbrs := make([][2]uint32, 0, len(m.adj[i]))
	for _, k := range m.adj[i] {
		o := m.Bonds[k].Other(i)
		nb.set(k)
		nb.or(nbhd[o])
		nbrs = append(nbrs, [2]uint32{uint32(m.Bonds[k].Order), inv[o]})
	}
	sort.Slice(nbrs, func(a, b int) bool {
		if nbrs[a][0] != nbrs[b][0] {
			return int32(nbrs[a][0]) < int32(nbrs[b][0])
		}
		return nbrs[a][1] < nbrs[b][1]
	})
	h := hashCombine(uint32(layer), inv[i])
	for _, p := range nbrs {
		h = hashCombine(h, hashCombine(hashCombine(0, p[0]), p[1]))
	}
	return nb, h
}

// MorganBits returns the set bits, ascending, of the Morgan fingerprint of radius
// r folded to nBits bits (bit = code mod nBits): RDKit's
// GetMorganFingerprintAsBitVect(mol, r, nBits). It panics if nBits < 1.
func (m *Mol) MorganBits(r, nBits int) []int {
	counts := m.MorganCounts(r, nBits)
	out := make([]int, len(counts))
	for i, c := range counts {
		out[i] = c.Bit
	}
	return out
}

// MorganCounts returns the non-zero elements, by ascending bit, of the Morgan
// count fingerprint of radius r folded to nBits bits: how many environments fall
// on each bit, RDKit's GetHashedMorganFingerprint(mol, r, nBits). It panics if
// nBits < 1.
func (m *Mol) MorganCounts(r, nBits int) []BitCount {
	if nBits < 1 {
		panic(fmt.Sprintf("mol: Morgan fingerprint of %d bits", nBits))
	}
	count := map[int]int{}
	for _, e := range m.Morgan(r) {
		count[int(e.Code%uint32(nBits))]++
	}
	out := make([]BitCount, 0, len(count))
	for b, c := range count {
		out = append(out, BitCount{b, c})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Bit < out[j].Bit })
	return out
}

func sortBitCounts(v []BitCount) {
	sort.Slice(v, func(i, j int) bool { return v[i].Bit < v[j].Bit })
}

// hydrogenNeighbours counts the hydrogen atoms (those Parse keeps, like [2H])
// bonded to atom i.
func (m *Mol) hydrogenNeighbours(i int) int {
	n := 0
	for _, k := range m.adj[i] {
		if m.Atoms[m.Bonds[k].Other(i)].Z == 1 {
			n++
		}
	}
	return n
}
