package potentials_test

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/sciadapt/sciadapt/potentials"
)

// TestPredictedFrames checks that the predicted frames carry the model's
// energies and forces (those of a fresh Compute), forces only where the
// reference had them, and no stress.
func TestPredictedFrames(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	m := smallModel(t, []int{1, 6})
	fs := frames(rng, 3, []int{6, 1, 1}, func(*potentials.Structure) float64 { return 1 })
	fs[1].Forces = make([]float64, 9)
	fs[2].Forces = make([]float64, 9)
	fs[2].Stress = &[9]float64{1}
	got, err := potentials.PredictedFrames(m, fs, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range got {
		r, _ := m.Compute(potentials.StructureOf(&fs[i]))
		if d := f.Energy - r.Energy; d > 1e-9 || d < -1e-9 {
			t.Errorf("frame %d: energy %v, Compute gives %v", i, f.Energy, r.Energy)
		}
		if (f.Forces == nil) != (fs[i].Forces == nil) || f.Stress != nil || !slices.Equal(f.Positions, fs[i].Positions) {
			t.Fatalf("frame %d: forces %v (reference %v), stress %v", i, f.Forces, fs[i].Forces, f.Stress)
		}
		for k := range f.Forces {
			if d := f.Forces[k] - r.Forces[k]; d > 1e-9 || d < -1e-9 {
				t.Fatalf("frame %d: force %d is %v, Compute gives %v", i, k, f.Forces[k], r.Forces[k])
			}
		}
	}
	if fs[1].Energy != 1 || fs[1].Forces[0] != 0 {
		t.Error("PredictedFrames changed its input frames")
	}
}

// TestEvalReportKeys checks the report keys of DESIGN.md: stress always, systems
// only with more than one.
func TestEvalReportKeys(t *testing.T) {
	one := []potentials.SystemErrors{{System: "a"}}
	for _, c := range []struct {
		systems []potentials.SystemErrors
		want    bool
	}{{nil, false}, {one, false}, {append(one, potentials.SystemErrors{System: "b"}), true}} {
		b, _ := json.Marshal(potentials.NewEvalReport(potentials.Parameters{Trainable: 1, Total: 2}, potentials.Errors{Frames: 3}, c.systems))
		var keys map[string]any
		json.Unmarshal(b, &keys)
		for _, k := range []string{"trainable_parameters", "total_parameters", "seconds", "n_frames", "energy_mae_ev",
			"energy_mae_ev_per_atom", "force_mae_ev_per_angstrom", "stress_mae_ev_per_angstrom3"} {
			if _, ok := keys[k]; !ok {
				t.Errorf("no key %s in %s", k, b)
			}
		}
		if _, ok := keys["systems"]; ok != c.want || len(keys) != 8+map[bool]int{true: 1}[c.want] {
			t.Errorf("%d systems: %s", len(c.systems), b)
		}
	}
}
