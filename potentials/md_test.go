package potentials_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/potentials"
)

// TestNVEConservesEnergy runs 1 ps of velocity-Verlet dynamics (dt = 0.25 fs) of a
// periodic 4-atom copper cell (so the atoms cannot drift out of range) on a potential
// trained briefly on a smooth synthetic target, and bounds the drift and fluctuation
// of the total energy against the swing of the potential energy.
func TestNVEConservesEnergy(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	target := smallModel(t, []int{29})
	target.Scale.Value().Data[0] = 30 // a stiff landscape, so the atoms exchange energy with it
	var fs []datasets.Frame
	for i := 0; i < 8; i++ {
		s := crystal(rng, []int{29, 29, 29, 29})
		r, _ := target.Compute(s)
		fs = append(fs, datasets.Frame{System: "cu4", Index: i, Numbers: s.Numbers, Positions: s.Positions,
			Cell: s.Cell, PBC: s.PBC, Energy: r.Energy, Forces: r.Forces})
	}
	m, _ := potentials.New(potentials.Config{Species: []int{29}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 2, Seed: 4})
	if err := m.FitReferences(fs); err != nil {
		t.Fatal(err)
	}
	if _, err := potentials.Train(m, fs, potentials.TrainOptions{Epochs: 5, BatchSize: 4, LR: 5e-3, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	s := &potentials.Structure{Numbers: fs[0].Numbers, Positions: append([]float64(nil), fs[0].Positions...), Cell: fs[0].Cell, PBC: fs[0].PBC}
	masses, _ := potentials.Masses(s)
	v := potentials.MaxwellBoltzmann(masses, 300, 1)
	var e0, lo, hi float64
	plo, phi := math.Inf(1), math.Inf(-1)
	var last potentials.Step
	err := potentials.VelocityVerlet(m, s, v, 0.25, 4000, func(st potentials.Step) {
		if st.Step == 0 {
			e0, lo, hi = st.Total(), st.Total(), st.Total()
		}
		lo, hi = math.Min(lo, st.Total()), math.Max(hi, st.Total())
		plo, phi = math.Min(plo, st.Potential), math.Max(phi, st.Potential)
		last = st
	})
	if err != nil {
		t.Fatal(err)
	}
	drift := math.Abs(last.Total() - e0)
	// The potential energy swings by about the kinetic energy (3/2·4·k_B·300 K ≈
	// 0.16 eV); a conservative force field integrated at this step keeps the total
	// within a tiny fraction of that swing.
	if phi-plo < 1e-2 {
		t.Fatalf("potential energy swung only %.3g eV: the atoms do not interact", phi-plo)
	}
	if drift > 1e-3*(phi-plo) || hi-lo > 1e-2*(phi-plo) {
		t.Fatalf("total energy drifted %.3g eV over 1 ps (fluctuation %.3g eV, potential swing %.3g eV)", drift, hi-lo, phi-plo)
	}
	if last.TimeFS != 1000 {
		t.Fatalf("ran to %g fs", last.TimeFS)
	}
	t.Logf("1 ps NVE: drift %.2e eV, fluctuation %.2e eV, potential swing %.3f eV", drift, hi-lo, phi-plo)
}

// TestLangevinThermostat checks that BAOAB Langevin dynamics holds a periodic cell at
// the set temperature on average: the mean kinetic temperature over 2 ps with a 20 fs
// friction time is within 15 % of 600 K (about 100 independent samples of a quantity
// whose relative spread for 9 degrees of freedom is √(2/9) ≈ 0.47, so 3σ ≈ 14 %).
func TestLangevinThermostat(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	m := smallModel(t, []int{29})
	m.Scale.Value().Data[0] = 30
	s := crystal(rng, []int{29, 29, 29, 29})
	masses, _ := potentials.Masses(s)
	v := potentials.MaxwellBoltzmann(masses, 600, 2)
	sum, n := 0.0, 0
	err := potentials.Langevin(m, s, v, 1, 600, 0.05, 2000, 7, func(st potentials.Step) {
		if st.Step > 200 {
			// The thermostat acts on all 3N components, the centre of mass included.
			sum += potentials.Temperature(st.Kinetic, 3*len(masses))
			n++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	mean := sum / float64(n)
	if math.Abs(mean-600) > 0.15*600 {
		t.Fatalf("mean kinetic temperature %.0f K, want 600 K ± 15 %%", mean)
	}
	t.Logf("mean kinetic temperature %.0f K (set 600 K)", mean)
}
