package potentials

import (
	"fmt"
	"math"
	"slices"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// Local is the part of a larger system that one process of a domain-decomposing
// simulation code holds, in the form the KIM API hands it to a model: particles it
// owns (contributing: their energies count here) and copies of particles owned by
// other processes or periodic images (padding, also called ghosts), with a
// neighbour list for each particle. There is no cell: periodicity is carried by the
// padding particles.
type Local struct {
	Numbers      []int     // atomic number of each particle, length n
	Positions    []float64 // Cartesian positions, n×3 row-major, Å
	Contributing []bool    // per particle: true if its energy counts here, false for padding
	// The neighbours of particle i are Neighbors[NeighborStart[i]:NeighborStart[i+1]]
	// (NeighborStart has n+1 entries): indices of particles, in any order, that must
	// include every particle closer than the model's cutoff (farther ones are
	// ignored). Padding particles need their lists too, up to (Interactions−1)
	// cutoffs from the contributing ones (see InfluenceDistance).
	NeighborStart []int
	Neighbors     []int
}

// LocalOptions are the optional inputs of ComputeLocal; nil means none.
type LocalOptions struct {
	// Virial asks for LocalResult.Virial and LocalResult.AtomVirials.
	Virial bool
}

// LocalResult is what ComputeLocal returns for a Local of n particles.
type LocalResult struct {
	// Energy is E_loc = Σ_{i contributing} E_i, eV: the sum of the contributing
	// particles' energies (Model.AtomEnergies). The per-structure shift E_0
	// (Model.Shift) is not included: it belongs to no atom, so a code that sums
	// E_loc over its processes gets the model's energy minus E_0.
	Energy float64
	// AtomEnergies holds E_i for contributing particles and 0 for padding, n, eV.
	AtomEnergies []float64
	// Forces holds −∂E_loc/∂R_p for every particle, padding included, n×3, eV/Å.
	// The simulation code adds the forces on padding particles to the particles
	// they copy.
	Forces []float64
	// Virial is KIM's partial virial V = Σ_p ∂E_loc/∂R_p ⊗ R_p over all particles,
	// in Voigt order xx, yy, zz, yz, xz, xy, eV. For a whole periodic cell it is
	// V·σ, σ the stress of Model.Compute and V the cell volume. Zero unless
	// LocalOptions.Virial.
	Virial [6]float64
	// AtomVirials splits the virial over particles, n×6 in the same order, eV: the
	// virial r_ij ⊗ ∂E_loc/∂r_ij of each pair of the message-passing graph goes half
	// to each end (KIM's first definition of the particle virial). nil unless
	// LocalOptions.Virial.
	AtomVirials []float64
}

// InfluenceDistance returns the distance in Å beyond which particles do not
// change the energy of an atom: T·r_c for T interaction blocks (Config.Interactions)
// and cutoff r_c (r_c when T = 0). Each block of the package's networks passes
// messages along the pairs within the cutoff, so an atom's features after block t
// depend on the atoms up to t cutoffs away: a Local must hold every particle within
// this distance of a contributing one, and the neighbour lists of padding particles
// up to (T−1)·r_c away.
func InfluenceDistance(m *Model) float64 {
	return float64(max(m.Config.Interactions, 1)) * m.Config.Cutoff
}

// ComputeLocal returns the energy of the contributing particles of s, each
// contributing particle's energy, the forces on all particles and, if asked, the
// virial, with model m and its attached add-element adapter (as Model.Compute).
// It evaluates the model on the particles within
// Interactions hops of a contributing one along pairs closer than the cutoff
// (hop ≤ T), with the pairs received by particles at hop ≤ T−1: exactly what the
// contributing particles' energies depend on. The energies of the other particles
// in that graph are wrong (their neighbourhoods are cut off) and are never summed.
// It returns an error naming the particle for bad input.
func ComputeLocal(m *Model, s *Local, opt *LocalOptions) (LocalResult, error) {
	if opt == nil {
		opt = &LocalOptions{}
	}
	n := len(s.Numbers)
	species, err := s.check(m.Species())
	if err != nil {
		return LocalResult{}, err
	}
	res := LocalResult{AtomEnergies: make([]float64, n), Forces: make([]float64, 3*n)}
	if opt.Virial {
		res.AtomVirials = make([]float64, 6*n)
	}
	g := s.graph(m.Config.Cutoff, m.Config.Interactions)
	if len(g.atoms) == 0 {
		return res, nil
	}
	b := g.batch(s, species, opt.Virial)
	ctx := m.ElementContext(b)
	R := ad.Variable(b.Positions)
	xs := []*ad.Var{R}
	var eps *ad.Var
	if opt.Virial && len(b.I) > 0 {
		eps = ad.Variable(ad.Zeros(len(b.I), 9)) // one strain per pair (PairMol[p] = p)
		xs = append(xs, eps)
	}
	atomE := m.AtomEnergies(ctx, b, R, eps)
	mask := ad.Zeros(len(g.atoms), 1)
	for k, i := range g.atoms {
		if s.Contributing[i] {
			mask.Data[k] = 1
		}
	}
	gs := ad.Gradients([]*ad.Var{ad.Sum(ad.Mul(atomE, ad.Constant(mask)))}, xs, nil)
	e, dR := atomE.Value().Data, gs[0].Value().Data
	for k, i := range g.atoms {
		if s.Contributing[i] {
			res.AtomEnergies[i] = e[k]
			res.Energy += e[k]
		}
		for c := 0; c < 3; c++ {
			res.Forces[3*i+c] = -dR[3*k+c]
		}
	}
	if eps != nil {
		res.addVirials(gs[1].Value().Data, b, g.atoms)
	}
	return res, nil
}

// check validates s and returns each particle's index in the model's species.
func (s *Local) check(known []int) ([]int, error) {
	n := len(s.Numbers)
	switch {
	case len(s.Positions) != 3*n:
		return nil, fmt.Errorf("%d particles but %d position values (need 3 per particle)", n, len(s.Positions))
	case len(s.Contributing) != n:
		return nil, fmt.Errorf("%d particles but %d contributing flags", n, len(s.Contributing))
	case len(s.NeighborStart) != n+1 || s.NeighborStart[0] != 0 || s.NeighborStart[n] != len(s.Neighbors):
		return nil, fmt.Errorf("neighbour offsets: want %d offsets from 0 to the %d neighbours", n+1, len(s.Neighbors))
	}
	index := map[int]int{}
	for k, z := range known {
		index[z] = k
	}
	species := make([]int, n)
	for i, z := range s.Numbers {
		k, ok := index[z]
		if !ok {
			return nil, fmt.Errorf("particle %d: the model does not know element Z=%d (known: %v)", i, z, known)
		}
		species[i] = k
		for _, x := range s.Positions[3*i : 3*i+3] {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("particle %d: position is %v", i, x)
			}
		}
		if s.NeighborStart[i+1] < s.NeighborStart[i] {
			return nil, fmt.Errorf("particle %d: neighbour offsets decrease (%d, %d)", i, s.NeighborStart[i], s.NeighborStart[i+1])
		}
	}
	for k, j := range s.Neighbors {
		if j < 0 || j >= n {
			return nil, fmt.Errorf("neighbour entry %d is particle %d; want 0 ≤ j < %d", k, j, n)
		}
	}
	return species, nil
}

// localGraph is the message-passing graph of a Local: the particles the
// contributing energies depend on, in increasing original index, and the pairs
// (i receives from j) within the cutoff, sorted by receiver, then sender; both in
// positions of atoms.
type localGraph struct {
	atoms []int // original index of each graph atom
	I, J  []int // pairs, as graph atom positions
}

// graph finds the particles within T hops of a contributing one along pairs
// closer than rc, by breadth-first search, and the pairs received by those within
// T−1 hops.
func (s *Local) graph(rc float64, T int) localGraph {
	n := len(s.Numbers)
	hop := make([]int, n)
	queue := make([]int, 0, n)
	for i := range hop {
		hop[i] = -1
		if s.Contributing[i] {
			hop[i] = 0
			queue = append(queue, i)
		}
	}
	recv := make([][]int, n) // neighbours within rc of each receiver, original indices
	for q := 0; q < len(queue); q++ {
		i := queue[q]
		if hop[i] >= T {
			continue
		}
		for _, j := range s.Neighbors[s.NeighborStart[i]:s.NeighborStart[i+1]] {
			if j == i || !within(s.Positions, i, j, rc) {
				continue
			}
			recv[i] = append(recv[i], j)
			if hop[j] < 0 {
				hop[j] = hop[i] + 1
				queue = append(queue, j)
			}
		}
	}
	var g localGraph
	pos := make([]int, n)
	for i := range n {
		if hop[i] >= 0 {
			pos[i] = len(g.atoms)
			g.atoms = append(g.atoms, i)
		}
	}
	for k, i := range g.atoms {
		js := make([]int, len(recv[i]))
		for a, j := range recv[i] {
			js[a] = pos[j]
		}
		slices.Sort(js)
		js = slices.Compact(js) // a list that names a neighbour twice counts it once
		for _, j := range js {
			g.I = append(g.I, k)
			g.J = append(g.J, j)
		}
	}
	return g
}

// within reports whether particles i and j are closer than rc.
func within(x []float64, i, j int, rc float64) bool {
	dx, dy, dz := x[3*j]-x[3*i], x[3*j+1]-x[3*i+1], x[3*j+2]-x[3*i+2]
	return dx*dx+dy*dy+dz*dz < rc*rc
}

// batch lays the graph out as a one-structure batch without periodic shifts. With
// perPairStrain each pair gets its own strain row (PairMol[p] = p), so that the
// gradient with respect to the strain is each pair's virial.
func (g localGraph) batch(s *Local, species []int, perPairStrain bool) *Batch {
	na := len(g.atoms)
	b := &Batch{
		Species: make([]int, na), Numbers: make([]int, na), Mol: make([]int, na),
		Counts: []int{na}, I: g.I, J: g.J, PairMol: make([]int, len(g.I)), Volumes: []float64{0},
		Offsets: ad.Zeros(len(g.I), 3),
	}
	pos := make([]float64, 3*na)
	for k, i := range g.atoms {
		b.Species[k], b.Numbers[k] = species[i], s.Numbers[i]
		copy(pos[3*k:3*k+3], s.Positions[3*i:3*i+3])
	}
	b.Positions = ad.New(pos, na, 3)
	if perPairStrain {
		for p := range b.PairMol {
			b.PairMol[p] = p
		}
	}
	return b
}

// addVirials sums the pair virials G_p[3b+a] = r_a·∂E/∂r_b into the virial in
// KIM's order (V_ab = Σ ∂E/∂r_a·r_b) and half of each into each end's particle
// virial.
func (r *LocalResult) addVirials(G []float64, b *Batch, atoms []int) {
	// Voigt xx, yy, zz, yz, xz, xy: V_ab is G[3b+a].
	voigt := [6]int{0, 4, 8, 7, 6, 3}
	for p := range b.I {
		i, j := atoms[b.I[p]], atoms[b.J[p]]
		for v, k := range voigt {
			x := G[9*p+k]
			r.Virial[v] += x
			r.AtomVirials[6*i+v] += x / 2
			r.AtomVirials[6*j+v] += x / 2
		}
	}
}
