package potentials_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/potentials"
)

// padded returns s as a simulation code that splits space would hand it to a
// model: the atoms of s (contributing where owned(i) is true) and, for a periodic
// s, their images within reach Å of some atom of the cell as padding, each
// particle with the list of all particles closer than listCut (longer than the
// model's cutoff, as codes with a skin give). origin[p] is the atom of s that
// particle p copies.
func padded(s *potentials.Structure, reach, listCut float64, owned func(i int) bool) (l *potentials.Local, origin []int) {
	l = &potentials.Local{}
	add := func(i int, x [3]float64, contributing bool) {
		l.Numbers = append(l.Numbers, s.Numbers[i])
		l.Positions = append(l.Positions, x[:]...)
		l.Contributing = append(l.Contributing, contributing)
		origin = append(origin, i)
	}
	n := s.Len()
	for i := 0; i < n; i++ {
		add(i, [3]float64{s.Positions[3*i], s.Positions[3*i+1], s.Positions[3*i+2]}, owned(i))
	}
	if s.Cell != nil {
		c := s.Cell
		const K = 4
		for a := -K; a <= K; a++ {
			for b := -K; b <= K; b++ {
				for d := -K; d <= K; d++ {
					if a == 0 && b == 0 && d == 0 {
						continue
					}
					for i := 0; i < n; i++ {
						var x [3]float64
						for k := 0; k < 3; k++ {
							x[k] = s.Positions[3*i+k] + float64(a)*c[k] + float64(b)*c[3+k] + float64(d)*c[6+k]
						}
						if nearest(s.Positions, x) < reach {
							add(i, x, false)
						}
					}
				}
			}
		}
	}
	m := len(l.Numbers)
	l.NeighborStart = make([]int, m+1)
	for p := 0; p < m; p++ {
		for q := 0; q < m; q++ {
			if q != p && dist3(l.Positions[3*p:3*p+3], l.Positions[3*q:3*q+3]) < listCut {
				l.Neighbors = append(l.Neighbors, q)
			}
		}
		l.NeighborStart[p+1] = len(l.Neighbors)
	}
	return l, origin
}

func nearest(pos []float64, x [3]float64) float64 {
	d := math.Inf(1)
	for i := 0; i < len(pos); i += 3 {
		d = math.Min(d, dist3(pos[i:i+3], x[:]))
	}
	return d
}

func dist3(a, b []float64) float64 {
	return math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2]))
}

// folded adds each particle's forces to the atom it copies.
func folded(f []float64, origin []int, n int) []float64 {
	out := make([]float64, 3*n)
	for p, i := range origin {
		for k := 0; k < 3; k++ {
			out[3*i+k] += f[3*p+k]
		}
	}
	return out
}

// agree fails unless got and want agree to tol relative to the largest |want|.
func agree(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	scale := 0.0
	for _, w := range want {
		scale = math.Max(scale, math.Abs(w))
	}
	for i := range want {
		if !(math.Abs(got[i]-want[i]) <= tol*scale) {
			t.Fatalf("%s[%d] = %.17g, want %.17g (tolerance %g × %g)", what, i, got[i], want[i], tol, scale)
		}
	}
}

func all(int) bool { return true }

// TestComputeLocalMatchesCompute checks that energy, forces and virial of a
// periodic cell computed from its atoms plus padding images, as LAMMPS hands them
// to a KIM model, equal Model.Compute's (energy without the shift E_0; forces on
// images folded back; virial = V·σ), and that the particle energies and virials
// add up to the totals.
func TestComputeLocalMatchesCompute(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	m := smallModel(t, []int{1, 6, 7, 29})
	m.Shift.Value().Data[0] = 3.25
	cu := crystal(rng, []int{29, 29, 29, 29})
	want, err := m.Compute(cu)
	if err != nil {
		t.Fatal(err)
	}
	reach := potentials.InfluenceDistance(m)
	if reach != 8 {
		t.Fatalf("influence distance %g Å, want 2 × 4 Å", reach)
	}
	l, origin := padded(cu, reach, 5, all)
	got, err := potentials.ComputeLocal(m, l, &potentials.LocalOptions{Virial: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d particles for 4 atoms; energy %.12g eV", len(l.Numbers), got.Energy)
	agree(t, "energy", []float64{got.Energy}, []float64{want.Energy - 3.25}, 1e-12)
	agree(t, "forces", folded(got.Forces, origin, 4), want.Forces, 1e-12)
	V := potentials.Volume(cu.Cell)
	s := want.Stress
	agree(t, "virial", got.Virial[:], []float64{V * s[0], V * s[4], V * s[8], V * s[5], V * s[2], V * s[1]}, 1e-12)

	sumE, sumV := 0.0, make([]float64, 6)
	for p := range l.Numbers {
		if !l.Contributing[p] && got.AtomEnergies[p] != 0 {
			t.Fatalf("padding particle %d has energy %g", p, got.AtomEnergies[p])
		}
		sumE += got.AtomEnergies[p]
		for k := range sumV {
			sumV[k] += got.AtomVirials[6*p+k]
		}
	}
	agree(t, "sum of particle energies", []float64{sumE}, []float64{got.Energy}, 1e-14)
	agree(t, "sum of particle virials", sumV, got.Virial[:], 1e-13)
	// KIM's definition: V = Σ_p ∂E/∂R_p ⊗ R_p over all particles.
	var fr [6]float64
	idx := [6][2]int{{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}}
	for p := range l.Numbers {
		for v, ab := range idx {
			fr[v] -= got.Forces[3*p+ab[0]] * l.Positions[3*p+ab[1]]
		}
	}
	agree(t, "−Σ F⊗R", fr[:], got.Virial[:], 1e-10)
}

// TestComputeLocalDomains splits a periodic cell between two "processes": each
// owns half of the atoms and holds the rest as padding. Their energies add up to
// the whole cell's, their forces to its forces, and each atom's energy is the
// same wherever it is computed.
func TestComputeLocalDomains(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	m := smallModel(t, []int{1, 6, 7, 29})
	cu := crystal(rng, []int{29, 29, 29, 29})
	whole, origin := padded(cu, 8, 4.5, all)
	ref, err := potentials.ComputeLocal(m, whole, nil)
	if err != nil {
		t.Fatal(err)
	}
	var e float64
	f := make([]float64, 12)
	for half := 0; half < 2; half++ {
		l, o := padded(cu, 8, 4.5, func(i int) bool { return i%2 == half })
		r, err := potentials.ComputeLocal(m, l, nil)
		if err != nil {
			t.Fatal(err)
		}
		e += r.Energy
		for k, x := range folded(r.Forces, o, 4) {
			f[k] += x
		}
		for i := half; i < 4; i += 2 {
			agree(t, fmt.Sprintf("energy of atom %d", i), []float64{r.AtomEnergies[i]}, []float64{ref.AtomEnergies[i]}, 1e-13)
		}
	}
	agree(t, "energy", []float64{e}, []float64{ref.Energy}, 1e-13)
	agree(t, "forces", f, folded(ref.Forces, origin, 4), 1e-12)
}

// TestComputeLocalNeedsFullReach checks that the padding really is needed out to
// the influence distance: cut at (T−1)·r_c the energy changes.
func TestComputeLocalNeedsFullReach(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	m := smallModel(t, []int{29})
	cu := crystal(rng, []int{29, 29, 29, 29})
	full, _ := padded(cu, 8, 4.5, all)
	short, _ := padded(cu, 4, 4.5, all)
	a, err := potentials.ComputeLocal(m, full, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := potentials.ComputeLocal(m, short, nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(a.Energy-b.Energy) < 1e-6 {
		t.Fatalf("energy %.12g with padding to 8 Å, %.12g to 4 Å: the second block does not see 2 cutoffs away", a.Energy, b.Energy)
	}
}

// TestComputeLocalMoleculeWithAdapter checks a free molecule with oxygen through
// an add-element adapter with non-zero LoRA factors, all particles contributing.
func TestComputeLocalMoleculeWithAdapter(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	m := smallModel(t, []int{1, 6, 7})
	mol := molecule(rng, []int{8, 6, 6, 1, 1, 1, 8, 1})
	l, _ := padded(mol, 0, 100, all)
	a, err := potentials.NewElementAdapter(m, potentials.DefaultElementConfig(8))
	if err != nil {
		t.Fatal(err)
	}
	a.NewRows("energy.reference").Value().Data[0] = -2041
	before, err := potentials.ComputeLocal(m, l, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range a.Params() {
		if strings.Contains(p.Name, "lora_B") {
			for k := range p.Value().Data {
				p.Value().Data[k] = 0.3 * rng.NormFloat64()
			}
		}
	}
	want, err := m.Compute(mol)
	if err != nil {
		t.Fatal(err)
	}
	got, err := potentials.ComputeLocal(m, l, &potentials.LocalOptions{Virial: true})
	if err != nil {
		t.Fatal(err)
	}
	agree(t, "energy", []float64{got.Energy}, []float64{want.Energy}, 1e-12)
	agree(t, "forces", got.Forces, want.Forces, 1e-12)
	if math.Abs(before.Energy-got.Energy) < 1e-6 {
		t.Fatal("the LoRA factors change nothing: the adapter's masks are not exercised")
	}
}

// TestComputeLocalEdgeCases: no contributing particle (an empty domain), and
// particles without neighbours.
func TestComputeLocalEdgeCases(t *testing.T) {
	m := smallModel(t, []int{1, 29})
	ghosts := &potentials.Local{Numbers: []int{29, 29}, Positions: []float64{0, 0, 0, 2, 0, 0},
		Contributing: []bool{false, false}, NeighborStart: []int{0, 1, 2}, Neighbors: []int{1, 0}}
	r, err := potentials.ComputeLocal(m, ghosts, &potentials.LocalOptions{Virial: true})
	if err != nil || r.Energy != 0 || r.Forces[0] != 0 || r.Virial != [6]float64{} {
		t.Fatalf("only padding: %+v, %v", r, err)
	}
	lone := &potentials.Local{Numbers: []int{1, 29}, Positions: []float64{0, 0, 0, 10, 0, 0},
		Contributing: []bool{true, true}, NeighborStart: []int{0, 1, 2}, Neighbors: []int{1, 0}}
	r, err = potentials.ComputeLocal(m, lone, &potentials.LocalOptions{Virial: true})
	if err != nil {
		t.Fatal(err)
	}
	want, err := m.Compute(&potentials.Structure{Numbers: lone.Numbers, Positions: lone.Positions})
	if err != nil {
		t.Fatal(err)
	}
	agree(t, "isolated atoms", []float64{r.Energy}, []float64{want.Energy}, 1e-14)
}

func TestComputeLocalBadInput(t *testing.T) {
	m := smallModel(t, []int{1, 29})
	ok := func() *potentials.Local {
		return &potentials.Local{Numbers: []int{29, 29}, Positions: []float64{0, 0, 0, 2, 0, 0},
			Contributing: []bool{true, false}, NeighborStart: []int{0, 1, 2}, Neighbors: []int{1, 0}}
	}
	for _, tc := range []struct {
		name string
		edit func(l *potentials.Local)
		want string
	}{
		{"unknown element", func(l *potentials.Local) { l.Numbers[1] = 8 }, "particle 1: the model does not know element Z=8"},
		{"NaN", func(l *potentials.Local) { l.Positions[4] = math.NaN() }, "particle 1: position is NaN"},
		{"short positions", func(l *potentials.Local) { l.Positions = l.Positions[:5] }, "2 particles but 5 position values"},
		{"flags", func(l *potentials.Local) { l.Contributing = l.Contributing[:1] }, "2 particles but 1 contributing flags"},
		{"offsets", func(l *potentials.Local) { l.NeighborStart = []int{0, 2} }, "neighbour offsets"},
		{"decreasing", func(l *potentials.Local) { l.NeighborStart = []int{0, 3, 2}; l.Neighbors = []int{1, 0} }, "neighbour offsets"},
		{"out of range", func(l *potentials.Local) { l.Neighbors[0] = 2 }, "neighbour entry 0 is particle 2"},
	} {
		l := ok()
		tc.edit(l)
		_, err := potentials.ComputeLocal(m, l, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

// BenchmarkComputeLocal: a 4×4×4 fcc Cu cell (256 atoms) with padding to the
// influence distance, as one LAMMPS rank holds it, with the default model size.
func BenchmarkComputeLocal(b *testing.B) {
	m, err := potentials.New(potentials.DefaultConfig([]int{29}))
	if err != nil {
		b.Fatal(err)
	}
	const a, k = 3.6, 4
	s := &potentials.Structure{Cell: &[9]float64{k * a, 0, 0, 0, k * a, 0, 0, 0, k * a}, PBC: [3]bool{true, true, true}}
	for x := 0; x < k; x++ {
		for y := 0; y < k; y++ {
			for z := 0; z < k; z++ {
				for _, o := range [][3]float64{{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}} {
					s.Numbers = append(s.Numbers, 29)
					s.Positions = append(s.Positions, a*(float64(x)+o[0]), a*(float64(y)+o[1]), a*(float64(z)+o[2]))
				}
			}
		}
	}
	l, _ := padded(s, potentials.InfluenceDistance(m), m.Config.Cutoff+1, all)
	b.Logf("%d atoms, %d particles", s.Len(), len(l.Numbers))
	b.ResetTimer()
	for range b.N {
		if _, err := potentials.ComputeLocal(m, l, nil); err != nil {
			b.Fatal(err)
		}
	}
}
