package potentials_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/potentials"
)

// TestPredictFramesAgreesWithEvaluate checks that per-frame predictions give the
// MAEs of Evaluate, and the model's own energies and forces, across batches.
func TestPredictFramesAgreesWithEvaluate(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	m := smallModel(t, []int{1, 6, 7})
	var fs []datasets.Frame
	for i := 0; i < 7; i++ {
		nums := []int{6, 1, 1, 1, 1}
		if i%2 == 1 {
			nums = []int{7, 1, 1, 1}
		}
		s := molecule(rng, nums)
		f := datasets.Frame{System: "s", Index: i, Numbers: s.Numbers, Positions: s.Positions, Energy: -1000 + rng.NormFloat64()}
		if i != 3 { // one frame without forces
			for k := 0; k < 3*len(nums); k++ {
				f.Forces = append(f.Forces, rng.NormFloat64())
			}
		}
		fs = append(fs, f)
	}
	p, err := potentials.PredictFrames(m, fs, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Energy) != 7 || len(p.ForceRef) != 3*(4*5+2*4) || len(p.Force) != len(p.ForceRef) {
		t.Fatalf("%d energies, %d/%d force components; want 7 and %d", len(p.Energy), len(p.ForceRef), len(p.Force), 3*(4*5+2*4))
	}
	ev, err := potentials.Evaluate(m, fs, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	var eMAE, fMAE float64
	for i := range p.Energy {
		eMAE += math.Abs(p.Energy[i] - p.EnergyRef[i])
	}
	for i := range p.Force {
		fMAE += math.Abs(p.Force[i] - p.ForceRef[i])
	}
	eMAE /= float64(len(p.Energy))
	fMAE /= float64(len(p.Force))
	if math.Abs(eMAE-ev.EnergyMAE) > 1e-9*ev.EnergyMAE || math.Abs(fMAE-ev.ForceMAE) > 1e-9*ev.ForceMAE {
		t.Errorf("MAEs from predictions (%.12g eV, %.12g eV/Å) differ from Evaluate (%.12g, %.12g)", eMAE, fMAE, ev.EnergyMAE, ev.ForceMAE)
	}
	// Frame 4's energy and forces are the model's own (Compute).
	r, err := m.Compute(potentials.StructureOf(&fs[4]))
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.Energy-p.Energy[4]) > 1e-9 {
		t.Errorf("frame 4: energy %v, Compute gives %v", p.Energy[4], r.Energy)
	}
	// Frame 4's forces follow frames 0–2 (5, 4, 5 atoms) in ForceRef; frame 3 has none.
	off := 3 * (5 + 4 + 5)
	for k, f := range r.Forces {
		if math.Abs(f-p.Force[off+k]) > 1e-9 {
			t.Fatalf("frame 4 force %d: %v, Compute gives %v", k, p.Force[off+k], f)
		}
	}
}

// TestEvaluateBySystem checks the per-system errors: their totals are Evaluate's,
// each system's are Evaluate's on its own frames, and systems keep the order of
// their first frames.
func TestEvaluateBySystem(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	m := smallModel(t, []int{1, 6, 7})
	var fs []datasets.Frame
	names := []string{"methane", "ammonia", "methane", "methane", "ammonia"}
	for i, name := range names {
		nums := []int{6, 1, 1, 1, 1}
		if name == "ammonia" {
			nums = []int{7, 1, 1, 1}
		}
		s := molecule(rng, nums)
		f := datasets.Frame{System: name, Index: i, Numbers: s.Numbers, Positions: s.Positions, Energy: -1000 + rng.NormFloat64()}
		for k := 0; k < 3*len(nums); k++ {
			f.Forces = append(f.Forces, rng.NormFloat64())
		}
		fs = append(fs, f)
	}
	total, systems, err := potentials.EvaluateBySystem(m, fs, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	all, err := potentials.Evaluate(m, fs, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Abs(b) }
	if total.Frames != 5 || !close(total.EnergyMAE, all.EnergyMAE) || !close(total.ForceMAE, all.ForceMAE) ||
		!close(total.EnergyMAEPerAtom, all.EnergyMAEPerAtom) {
		t.Errorf("totals %+v, Evaluate %+v", total, all)
	}
	if len(systems) != 2 || systems[0].System != "methane" || systems[1].System != "ammonia" {
		t.Fatalf("systems %+v, want methane then ammonia", systems)
	}
	for _, s := range systems {
		var own []datasets.Frame
		for _, f := range fs {
			if f.System == s.System {
				own = append(own, f)
			}
		}
		want, err := potentials.Evaluate(m, own, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		if s.Frames != len(own) || !close(s.ForceMAE, want.ForceMAE) || !close(s.EnergyMAE, want.EnergyMAE) {
			t.Errorf("%s: %+v, want %+v", s.System, s.Errors, want)
		}
	}
	if systems[0].ForceMAE == systems[1].ForceMAE {
		t.Errorf("both systems have force MAE %v: not separated", systems[0].ForceMAE)
	}
}
