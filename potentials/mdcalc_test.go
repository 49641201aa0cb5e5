package potentials_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/potentials"
)

// TestMDCalculatorReuseMatchesFreshList runs 600 steps of hot Langevin dynamics of
// a periodic Cu₄ cell and of a free H/C/N molecule with an MDCalculator (skin 0.5
// Å) and compares, at every step, its energy, forces and stress with a fresh
// Model.Compute. It checks that the list was reused (far fewer builds than steps)
// and rebuilt (atoms moved beyond skin/2).
func TestMDCalculatorReuseMatchesFreshList(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	cu := smallModel(t, []int{29})
	cu.Scale.Value().Data[0] = 30
	hcn := smallModel(t, []int{1, 6, 7})
	for _, tc := range []struct {
		name string
		m    *potentials.Model
		s    *potentials.Structure
	}{
		{"Cu4 periodic", cu, crystal(rng, []int{29, 29, 29, 29})},
		{"HCN free", hcn, molecule(rng, []int{6, 7, 1, 1, 1})},
	} {
		calc, err := potentials.NewMDCalculator(tc.m, 0.5)
		if err != nil {
			t.Fatal(err)
		}
		masses, _ := potentials.Masses(tc.s)
		v := potentials.MaxwellBoltzmann(masses, 1000, 3)
		worst := 0.0
		const steps = 600
		err = potentials.Langevin(calc, tc.s, v, 0.5, 1000, 0.01, steps, 9, func(st potentials.Step) {
			fresh, err := tc.m.Compute(tc.s)
			if err != nil {
				t.Fatal(err)
			}
			worst = math.Max(worst, math.Abs(st.Potential-fresh.Energy)/math.Abs(fresh.Energy))
			for k, f := range fresh.Forces {
				worst = math.Max(worst, math.Abs(st.Forces[k]-f))
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if worst > 1e-12 {
			t.Errorf("%s: reused lists differ from fresh ones by %.3g (relative energy / eV/Å)", tc.name, worst)
		}
		if b := calc.Builds(); b < 2 || b > steps/5 || calc.Calls() != steps+1 {
			t.Errorf("%s: %d builds in %d calls, want reuse and some rebuilds", tc.name, b, calc.Calls())
		}
		t.Logf("%s: %d neighbour-list builds in %d calls, largest difference %.3g", tc.name, calc.Builds(), calc.Calls(), worst)
	}
}

// TestMDCalculatorRebuildsOnChanges checks the stress of a periodic cell against Model.Compute
// and that changing the cell or the atoms rebuilds the list.
func TestMDCalculatorRebuildsOnChanges(t *testing.T) {
	rng := rand.New(rand.NewPCG(61, 62))
	m := smallModel(t, []int{29, 1})
	s := crystal(rng, []int{29, 29, 29, 29})
	calc, _ := potentials.NewMDCalculator(m, 1)
	check := func(what string, builds int) {
		t.Helper()
		got, err := calc.Compute(s)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := m.Compute(s)
		if got.Energy != want.Energy || *got.Stress != *want.Stress {
			t.Fatalf("%s: energy %v stress %v, fresh %v %v", what, got.Energy, *got.Stress, want.Energy, *want.Stress)
		}
		if calc.Builds() != builds {
			t.Fatalf("%s: %d builds, want %d", what, calc.Builds(), builds)
		}
	}
	check("first call", 1)
	s.Positions[0] += 0.3
	check("small move", 1)
	cell := *s.Cell
	cell[0] *= 1.01
	s.Cell = &cell
	check("strained cell", 2)
	s.Numbers = []int{29, 1, 29, 29}
	check("new element", 3)
	s.Positions[4] += 0.6
	check("move beyond skin/2", 4)
	if _, err := potentials.NewMDCalculator(m, -1); err == nil || !strings.Contains(err.Error(), "skin") {
		t.Fatalf("negative skin: %v", err)
	}
	s.Numbers = []int{29, 1, 29, 8}
	if _, err := calc.Compute(s); err == nil || !strings.Contains(err.Error(), "Z=8") {
		t.Fatalf("unknown element: %v", err)
	}
}

// TestComputeAppliesAttachedAdapter: after LoadElementAdapter (or AddElement) the
// model's Compute uses the adapter's LoRA updates, exactly as Predict with the
// adapter's context does.
func TestComputeAppliesAttachedAdapter(t *testing.T) {
	rng := rand.New(rand.NewPCG(71, 72))
	m := smallModel(t, []int{1, 6, 7})
	a, err := potentials.NewElementAdapter(m, potentials.DefaultElementConfig(8))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range a.Params() { // a trained adapter has B ≠ 0
		if strings.Contains(p.Name, "lora_B") {
			for k := range p.Value().Data {
				p.Value().Data[k] = 0.3 * rng.NormFloat64()
			}
		}
	}
	s := molecule(rng, []int{6, 8, 1, 1, 1, 1})
	got, err := m.Compute(s)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := potentials.NewBatch([]*potentials.Structure{s}, m.Species(), m.Config.Cutoff)
	with := m.Predict(m.ElementContext(b), b, false, false)
	without := m.Predict(nil, b, false, false)
	if got.Energy != with.Energy.Item() || !equal(got.Forces, with.Forces.Value()) {
		t.Fatalf("Compute gives %.9f eV, Predict with the adapter's masks %.9f eV", got.Energy, with.Energy.Item())
	}
	if got.Energy == without.Energy.Item() {
		t.Fatalf("the LoRA updates do not change the energy (%.9f eV): test is void", got.Energy)
	}
	if _, err := potentials.NewElementAdapter(m, potentials.DefaultElementConfig(16)); err == nil || !strings.Contains(err.Error(), "already carries") {
		t.Fatalf("second adapter: %v", err)
	}
}

func equal(x []float64, t *ad.Tensor) bool {
	if len(x) != len(t.Data) {
		return false
	}
	for i := range x {
		if x[i] != t.Data[i] {
			return false
		}
	}
	return true
}
