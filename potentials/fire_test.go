package potentials_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/potentials"
)

// lennardJones is the pair potential E = Σ_{i<j} 4ε[(σ/r)¹² − (σ/r)⁶] of a free
// cluster, a Calculator with a known minimum.
type lennardJones struct{ eps, sigma float64 }

func (lj lennardJones) Compute(s *potentials.Structure) (potentials.Result, error) {
	n := s.Len()
	r := potentials.Result{Forces: make([]float64, 3*n)}
	x := s.Positions
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			d := [3]float64{x[3*j] - x[3*i], x[3*j+1] - x[3*i+1], x[3*j+2] - x[3*i+2]}
			r2 := d[0]*d[0] + d[1]*d[1] + d[2]*d[2]
			s6 := math.Pow(lj.sigma*lj.sigma/r2, 3)
			r.Energy += 4 * lj.eps * (s6*s6 - s6)
			// dE/dr · 1/r = −24ε(2s¹² − s⁶)/r²; force on j is −dE/dr · d/r.
			g := 24 * lj.eps * (2*s6*s6 - s6) / r2
			for a := 0; a < 3; a++ {
				r.Forces[3*j+a] += g * d[a]
				r.Forces[3*i+a] -= g * d[a]
			}
		}
	}
	return r, nil
}

// Argon (Rahman, Phys. Rev. 136, A405 (1964)): ε/k_B = 120 K, σ = 3.4 Å.
var argon = lennardJones{eps: 120 * potentials.Boltzmann, sigma: 3.4}

func TestFIRELennardJonesDimer(t *testing.T) {
	for _, r0 := range []float64{3.3, 3.6, 4.5} {
		s := &potentials.Structure{Numbers: []int{18, 18}, Positions: []float64{0, 0, 0, r0, 0.2, -0.1}}
		res, err := potentials.FIRE(argon, s, 1e-6, 1000, nil)
		if err != nil {
			t.Fatalf("r0 = %g Å: %v", r0, err)
		}
		x := s.Positions
		d := math.Sqrt((x[3]-x[0])*(x[3]-x[0]) + (x[4]-x[1])*(x[4]-x[1]) + (x[5]-x[2])*(x[5]-x[2]))
		want := math.Pow(2, 1.0/6) * argon.sigma // the minimum of the pair potential
		if math.Abs(d-want) > 1e-4 || math.Abs(res.Energy+argon.eps) > 1e-9 {
			t.Errorf("r0 = %g Å: relaxed to %.6f Å, E = %.9f eV; want %.6f Å, −ε = %.9f eV", r0, d, res.Energy, want, -argon.eps)
		}
		t.Logf("dimer from %.1f Å: %d steps to %.6f Å", r0, res.Steps, d)
	}
}

// TestFIRELennardJones13 relaxes a rattled 13-atom icosahedron to the global
// minimum of LJ₁₃, E = −44.326801 ε (Wales & Doye, J. Phys. Chem. A 101, 5111
// (1997); Cambridge Cluster Database).
func TestFIRELennardJones13(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 1))
	phi := (1 + math.Sqrt(5)) / 2
	pos := []float64{0, 0, 0}
	for _, v := range [][3]float64{{0, 1, phi}, {0, -1, phi}, {0, 1, -phi}, {0, -1, -phi}} {
		for c := 0; c < 3; c++ { // cyclic permutations give the 12 vertices
			p := [3]float64{v[c%3], v[(c+1)%3], v[(c+2)%3]}
			norm := math.Sqrt(1 + phi*phi)
			for a := 0; a < 3; a++ {
				pos = append(pos, p[a]/norm*1.1*argon.sigma+0.15*rng.NormFloat64())
			}
		}
	}
	s := &potentials.Structure{Numbers: make([]int, 13), Positions: pos}
	for i := range s.Numbers {
		s.Numbers[i] = 18
	}
	e0, _ := argon.Compute(s)
	res, err := potentials.FIRE(argon, s, 1e-5, 5000, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Energy / argon.eps; math.Abs(got+44.326801) > 1e-5 {
		t.Fatalf("relaxed LJ13 to %.6f ε (from %.3f ε), want −44.326801 ε", got, e0.Energy/argon.eps)
	}
	t.Logf("LJ13 from %.3f ε to %.6f ε in %d steps", e0.Energy/argon.eps, res.Energy/argon.eps, res.Steps)
}

// TestFIREModel relaxes a rattled periodic Cu₄ cell with the model through an
// MDCalculator and checks that the result is a minimum: forces below the
// tolerance by a fresh evaluation, energy lower than at the start and lower than
// at small displacements of any atom.
func TestFIREModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	m := smallModel(t, []int{29})
	m.Scale.Value().Data[0] = 30
	s := crystal(rng, []int{29, 29, 29, 29})
	e0, _ := m.Compute(s)
	calc, err := potentials.NewMDCalculator(m, 1)
	if err != nil {
		t.Fatal(err)
	}
	steps := 0
	res, err := potentials.FIRE(calc, s, 1e-3, 2000, &potentials.FIREOptions{Observe: func(int, float64, float64) { steps++ }})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := m.Compute(s)
	fmax := 0.0
	for i := 0; i < s.Len(); i++ {
		f := r.Forces[3*i : 3*i+3]
		fmax = math.Max(fmax, math.Sqrt(f[0]*f[0]+f[1]*f[1]+f[2]*f[2]))
	}
	if fmax >= 1e-3 || r.Energy != res.Energy || steps != res.Steps+1 {
		t.Fatalf("fresh evaluation: fmax %.3g eV/Å, energy %.9f eV (FIRE says %.9f eV); %d observations for %d steps", fmax, r.Energy, res.Energy, steps, res.Steps)
	}
	if !(res.Energy < e0.Energy-1e-3) {
		t.Fatalf("energy %.6f eV after relaxation, %.6f eV before", res.Energy, e0.Energy)
	}
	for k := range s.Positions {
		for _, h := range []float64{-0.02, 0.02} {
			moved := &potentials.Structure{Numbers: s.Numbers, Positions: append([]float64(nil), s.Positions...), Cell: s.Cell, PBC: s.PBC}
			moved.Positions[k] += h
			rm, _ := m.Compute(moved)
			if rm.Energy <= res.Energy {
				t.Fatalf("moving coordinate %d by %g Å lowers the energy from %.9f to %.9f eV: not a minimum", k, h, res.Energy, rm.Energy)
			}
		}
	}
	t.Logf("Cu4: %.4f → %.4f eV in %d steps, %d neighbour-list builds", e0.Energy, res.Energy, res.Steps, calc.Builds())
}

func TestFIREErrors(t *testing.T) {
	s := &potentials.Structure{Numbers: []int{18, 18}, Positions: []float64{0, 0, 0, 3, 0, 0}}
	tests := []struct {
		name  string
		fmax  float64
		steps int
		opt   *potentials.FIREOptions
		want  string
	}{
		{"zero fmax", 0, 10, nil, "fmax must be a positive"},
		{"NaN fmax", math.NaN(), 10, nil, "fmax must be a positive"},
		{"negative steps", 0.01, -1, nil, "is negative"},
		{"bad FDec", 0.01, 10, &potentials.FIREOptions{FDec: 2}, "options out of range"},
		{"not converged", 1e-9, 3, nil, "did not converge in 3 steps"},
	}
	for _, tc := range tests {
		_, err := potentials.FIRE(argon, s, tc.fmax, tc.steps, tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
