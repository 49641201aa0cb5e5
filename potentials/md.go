package potentials

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/sciadapt/sciadapt/elements"
)

// Unit conversions for molecular dynamics in eV, Å, fs and atomic mass units.
const (
	// AccelerationUnit converts a force over a mass, eV/(Å·u), to Å/fs²:
	// 1 eV/u = 1.602176634e-19 J / 1.66053906660e-27 kg = 9.64853321e7 m²/s² (CODATA 2018).
	AccelerationUnit = 9.64853321233e-3
	// Boltzmann is k_B in eV/K (CODATA 2018, exact).
	Boltzmann = 8.617333262e-5
)

// Masses returns the standard atomic masses (u) of the atoms of s.
func Masses(s *Structure) ([]float64, error) {
	m := make([]float64, s.Len())
	for i, z := range s.Numbers {
		e, err := elements.ByZ(z)
		if err != nil {
			return nil, err
		}
		m[i] = e.Mass
	}
	return m, nil
}

// KineticEnergy returns ½Σ m v² in eV for velocities in Å/fs and masses in u.
func KineticEnergy(v, masses []float64) float64 {
	k := 0.0
	for i, m := range masses {
		for a := 0; a < 3; a++ {
			k += 0.5 * m * v[3*i+a] * v[3*i+a]
		}
	}
	return k / AccelerationUnit
}

// MaxwellBoltzmann returns velocities (Å/fs) drawn at temperature T (K), with the
// centre-of-mass motion removed.
func MaxwellBoltzmann(masses []float64, T float64, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 0x3d))
	v := make([]float64, 3*len(masses))
	var p [3]float64
	M := 0.0
	for i, m := range masses {
		sd := math.Sqrt(Boltzmann * T * AccelerationUnit / m)
		for a := 0; a < 3; a++ {
			v[3*i+a] = sd * rng.NormFloat64()
			p[a] += m * v[3*i+a]
		}
		M += m
	}
	for i := range masses {
		for a := 0; a < 3; a++ {
			v[3*i+a] -= p[a] / M
		}
	}
	return v
}

// Step is the state after one step of molecular dynamics.
type Step struct {
	Step      int
	TimeFS    float64
	Potential float64   // eV
	Kinetic   float64   // eV
	Forces    []float64 // eV/Å, N×3, at this step's positions (read-only)
}

// Total returns the total energy in eV.
func (s Step) Total() float64 { return s.Potential + s.Kinetic }

// VelocityVerlet integrates Newton's equations for s (modified in place) with the
// given velocities (Å/fs, modified in place), time step dt (fs) and number of steps
// (NVE), calling observe after the start and after every step. It returns an error if
// the calculator fails or the energy becomes NaN.
func VelocityVerlet(calc Calculator, s *Structure, v []float64, dt float64, steps int, observe func(Step)) error {
	masses, err := Masses(s)
	if err != nil {
		return err
	}
	if len(v) != len(s.Positions) {
		return fmt.Errorf("%d velocity values for %d atoms", len(v), s.Len())
	}
	r, err := calc.Compute(s)
	if err != nil {
		return err
	}
	report := func(n int, r Result) error {
		st := Step{Step: n, TimeFS: float64(n) * dt, Potential: r.Energy, Kinetic: KineticEnergy(v, masses), Forces: r.Forces}
		if math.IsNaN(st.Total()) || math.IsInf(st.Total(), 0) {
			return fmt.Errorf("molecular dynamics diverged at step %d (energy %v)", n, st.Total())
		}
		if observe != nil {
			observe(st)
		}
		return nil
	}
	if err := report(0, r); err != nil {
		return err
	}
	for n := 1; n <= steps; n++ {
		for i, m := range masses {
			for a := 0; a < 3; a++ {
				k := 3*i + a
				v[k] += 0.5 * dt * r.Forces[k] / m * AccelerationUnit
				s.Positions[k] += dt * v[k]
			}
		}
		if r, err = calc.Compute(s); err != nil {
			return fmt.Errorf("step %d: %v", n, err)
		}
		for i, m := range masses {
			for a := 0; a < 3; a++ {
				k := 3*i + a
				v[k] += 0.5 * dt * r.Forces[k] / m * AccelerationUnit
			}
		}
		if err := report(n, r); err != nil {
			return err
		}
	}
	return nil
}

// Langevin integrates Langevin dynamics at temperature T (K) with friction γ (1/fs) by
// the BAOAB splitting (Leimkuhler & Matthews, Appl. Math. Res. Express 2013, 34):
// half kick, half drift, an exact Ornstein–Uhlenbeck update of the velocities
// v ← c₁v + √((1−c₁²)k_BT/m)·ξ with c₁ = e^{−γ·dt}, half drift, half kick. s and v
// (Å/fs) are modified in place; observe is called as in VelocityVerlet. The same
// seed gives the same trajectory.
func Langevin(calc Calculator, s *Structure, v []float64, dt, T, gamma float64, steps int, seed uint64, observe func(Step)) error {
	if T < 0 || gamma < 0 || math.IsNaN(T+gamma) {
		return fmt.Errorf("Langevin needs a temperature ≥ 0 K and a friction ≥ 0 (got %g K, %g /fs)", T, gamma)
	}
	masses, err := Masses(s)
	if err != nil {
		return err
	}
	if len(v) != len(s.Positions) {
		return fmt.Errorf("%d velocity values for %d atoms", len(v), s.Len())
	}
	rng := rand.New(rand.NewPCG(seed, 0x1a9e))
	c1 := math.Exp(-gamma * dt)
	r, err := calc.Compute(s)
	if err != nil {
		return err
	}
	emit := func(n int) error {
		st := Step{Step: n, TimeFS: float64(n) * dt, Potential: r.Energy, Kinetic: KineticEnergy(v, masses), Forces: r.Forces}
		if math.IsNaN(st.Total()) || math.IsInf(st.Total(), 0) {
			return fmt.Errorf("molecular dynamics diverged at step %d (energy %v)", n, st.Total())
		}
		if observe != nil {
			observe(st)
		}
		return nil
	}
	if err := emit(0); err != nil {
		return err
	}
	for n := 1; n <= steps; n++ {
		for i, m := range masses {
			sd := math.Sqrt((1 - c1*c1) * Boltzmann * T * AccelerationUnit / m)
			for a := 0; a < 3; a++ {
				k := 3*i + a
				v[k] += 0.5 * dt * r.Forces[k] / m * AccelerationUnit // B
				s.Positions[k] += 0.5 * dt * v[k]                     // A
				v[k] = c1*v[k] + sd*rng.NormFloat64()                 // O
				s.Positions[k] += 0.5 * dt * v[k]                     // A
			}
		}
		if r, err = calc.Compute(s); err != nil {
			return fmt.Errorf("step %d: %v", n, err)
		}
		for i, m := range masses {
			for a := 0; a < 3; a++ {
				v[3*i+a] += 0.5 * dt * r.Forces[3*i+a] / m * AccelerationUnit // B
			}
		}
		if err := emit(n); err != nil {
			return err
		}
	}
	return nil
}

// Temperature returns the kinetic temperature 2K/(n_f·k_B) in K for n_f degrees of
// freedom.
func Temperature(kinetic float64, dof int) float64 {
	return 2 * kinetic / (float64(dof) * Boltzmann)
}
