// Package potentialtest is the conformance suite every interatomic potential in
// sciadapt runs (in the spirit of nequip's model_tests_basic): forces are −∂E/∂R by
// central finite differences, stress is (1/V)·∂E/∂ε by finite differences of a
// homogeneous strain, and energy and forces are invariant (covariant) under rigid
// rotation, translation and permutation of atoms.
package potentialtest

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sciadapt/sciadapt/potentials"
)

// Tolerances for the checks: finite differences with step 1e-4 Å are accurate to about
// 1e-8 eV/Å for smooth potentials of these sizes.
const (
	fdStep = 1e-4
	fdTol  = 1e-6
	symTol = 1e-9
)

// Run checks calc on each structure.
func Run(t *testing.T, calc potentials.Calculator, structures []*potentials.Structure) {
	t.Helper()
	for k, s := range structures {
		ref, err := calc.Compute(s)
		if err != nil {
			t.Fatalf("structure %d: %v", k, err)
		}
		checkForces(t, k, calc, s, ref)
		if s.Cell != nil {
			checkStress(t, k, calc, s, ref)
		}
		checkTranslation(t, k, calc, s, ref)
		checkRotation(t, k, calc, s, ref)
		checkPermutation(t, k, calc, s, ref)
	}
}

func energy(t *testing.T, calc potentials.Calculator, s *potentials.Structure) float64 {
	r, err := calc.Compute(s)
	if err != nil {
		t.Fatal(err)
	}
	return r.Energy
}

func clone(s *potentials.Structure) *potentials.Structure {
	c := &potentials.Structure{Numbers: append([]int(nil), s.Numbers...), Positions: append([]float64(nil), s.Positions...), PBC: s.PBC}
	if s.Cell != nil {
		cell := *s.Cell
		c.Cell = &cell
	}
	return c
}

func close(a, b, tol float64) bool { return math.Abs(a-b) <= tol*(1+math.Abs(a)+math.Abs(b)) }

func checkForces(t *testing.T, k int, calc potentials.Calculator, s *potentials.Structure, ref potentials.Result) {
	for i := range s.Positions {
		c := clone(s)
		c.Positions[i] += fdStep
		ep := energy(t, calc, c)
		c.Positions[i] -= 2 * fdStep
		em := energy(t, calc, c)
		fd := -(ep - em) / (2 * fdStep)
		if !close(ref.Forces[i], fd, fdTol) {
			t.Errorf("structure %d: force component %d: model %.10g, −dE/dR by finite differences %.10g", k, i, ref.Forces[i], fd)
			return
		}
	}
}

// strained returns s under the homogeneous deformation r ← r·(I + ε).
func strained(s *potentials.Structure, eps [9]float64) *potentials.Structure {
	c := clone(s)
	apply := func(v []float64) {
		x, y, z := v[0], v[1], v[2]
		for col := 0; col < 3; col++ {
			v[col] = x*(boolf(col == 0)+eps[col]) + y*(boolf(col == 1)+eps[3+col]) + z*(boolf(col == 2)+eps[6+col])
		}
	}
	for i := 0; i < len(c.Positions); i += 3 {
		apply(c.Positions[i : i+3])
	}
	for r := 0; r < 3; r++ {
		apply(c.Cell[3*r : 3*r+3])
	}
	return c
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func checkStress(t *testing.T, k int, calc potentials.Calculator, s *potentials.Structure, ref potentials.Result) {
	if ref.Stress == nil {
		t.Errorf("structure %d: periodic structure without stress", k)
		return
	}
	v := math.Abs(potentials.Volume(s.Cell))
	for a := 0; a < 9; a++ {
		var e [9]float64
		e[a] = fdStep
		ep := energy(t, calc, strained(s, e))
		e[a] = -fdStep
		em := energy(t, calc, strained(s, e))
		fd := (ep - em) / (2 * fdStep) / v
		if !close(ref.Stress[a], fd, fdTol) {
			t.Errorf("structure %d: stress component %d: model %.10g, (1/V)dE/dε by finite differences %.10g", k, a, ref.Stress[a], fd)
			return
		}
	}
}

func checkTranslation(t *testing.T, k int, calc potentials.Calculator, s *potentials.Structure, ref potentials.Result) {
	c := clone(s)
	shift := [3]float64{0.37, -1.21, 2.5}
	for i := range c.Positions {
		c.Positions[i] += shift[i%3]
	}
	r, err := calc.Compute(c)
	if err != nil {
		t.Fatal(err)
	}
	if !close(r.Energy, ref.Energy, symTol) {
		t.Errorf("structure %d: energy changed under translation: %.12g → %.12g", k, ref.Energy, r.Energy)
	}
	for i := range r.Forces {
		if !close(r.Forces[i], ref.Forces[i], symTol) {
			t.Errorf("structure %d: forces changed under translation", k)
			return
		}
	}
}

// checkRotation rotates a free structure (or a periodic one together with its cell) and
// checks E is invariant and F rotates with it.
func checkRotation(t *testing.T, k int, calc potentials.Calculator, s *potentials.Structure, ref potentials.Result) {
	rng := rand.New(rand.NewPCG(uint64(k), 99))
	q := randomRotation(rng)
	rot := func(v []float64) []float64 {
		out := make([]float64, len(v))
		for i := 0; i < len(v); i += 3 {
			for r := 0; r < 3; r++ {
				out[i+r] = q[3*r]*v[i] + q[3*r+1]*v[i+1] + q[3*r+2]*v[i+2]
			}
		}
		return out
	}
	c := clone(s)
	c.Positions = rot(s.Positions)
	if s.Cell != nil {
		cell := rot(s.Cell[:])
		copy(c.Cell[:], cell)
	}
	r, err := calc.Compute(c)
	if err != nil {
		t.Fatal(err)
	}
	if !close(r.Energy, ref.Energy, symTol) {
		t.Errorf("structure %d: energy changed under rotation: %.12g → %.12g", k, ref.Energy, r.Energy)
	}
	want := rot(ref.Forces)
	for i := range want {
		if !close(r.Forces[i], want[i], symTol) {
			t.Errorf("structure %d: forces do not rotate with the structure (component %d: %.12g, want %.12g)", k, i, r.Forces[i], want[i])
			return
		}
	}
}

func checkPermutation(t *testing.T, k int, calc potentials.Calculator, s *potentials.Structure, ref potentials.Result) {
	n := s.Len()
	rng := rand.New(rand.NewPCG(uint64(k), 7))
	perm := rng.Perm(n)
	c := clone(s)
	for i, p := range perm {
		c.Numbers[i] = s.Numbers[p]
		copy(c.Positions[3*i:3*i+3], s.Positions[3*p:3*p+3])
	}
	r, err := calc.Compute(c)
	if err != nil {
		t.Fatal(err)
	}
	if !close(r.Energy, ref.Energy, symTol) {
		t.Errorf("structure %d: energy changed under permutation: %.12g → %.12g", k, ref.Energy, r.Energy)
	}
	for i, p := range perm {
		for a := 0; a < 3; a++ {
			if !close(r.Forces[3*i+a], ref.Forces[3*p+a], symTol) {
				t.Errorf("structure %d: forces do not follow the permutation", k)
				return
			}
		}
	}
}

// randomRotation returns a uniformly random proper rotation matrix (row-major) from a
// random unit quaternion.
func randomRotation(rng *rand.Rand) [9]float64 {
	var q [4]float64
	n := 0.0
	for i := range q {
		q[i] = rng.NormFloat64()
		n += q[i] * q[i]
	}
	n = math.Sqrt(n)
	w, x, y, z := q[0]/n, q[1]/n, q[2]/n, q[3]/n
	return [9]float64{
		1 - 2*(y*y+z*z), 2 * (x*y - z*w), 2 * (x*z + y*w),
		2 * (x*y + z*w), 1 - 2*(x*x+z*z), 2 * (y*z - x*w),
		2 * (x*z - y*w), 2 * (y*z + x*w), 1 - 2*(x*x+y*y),
	}
}
