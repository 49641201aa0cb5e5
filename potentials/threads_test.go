package potentials_test

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
)

// TestSameResultAnyGOMAXPROCS computes energy, forces and stress of a 500-atom
// periodic cell (the neighbour search splits it into runs of 256 atoms over
// GOMAXPROCS goroutines) and trains two steps on it, with GOMAXPROCS 1, 2 and 8,
// and checks that every number is bit-identical.
func TestSameResultAnyGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	// fcc copper, 5×5×5 conventional cells of 4 atoms (a = 3.61 Å), rattled by 0.05 Å.
	rng := rand.New(rand.NewPCG(4, 4))
	const n, a = 5, 3.61
	s := &potentials.Structure{Cell: &[9]float64{n * a, 0, 0, 0, n * a, 0, 0, 0, n * a}, PBC: [3]bool{true, true, true}}
	basis := [][3]float64{{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			for k := 0; k < n; k++ {
				for _, b := range basis {
					s.Numbers = append(s.Numbers, 29)
					s.Positions = append(s.Positions, (float64(i)+b[0])*a+0.05*rng.NormFloat64(),
						(float64(j)+b[1])*a+0.05*rng.NormFloat64(), (float64(k)+b[2])*a+0.05*rng.NormFloat64())
				}
			}
		}
	}
	var want []float64
	for _, procs := range []int{1, 2, 8} {
		runtime.GOMAXPROCS(procs)
		m, err := potentials.New(potentials.Config{Species: []int{29}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 1, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		r, err := m.Compute(s)
		if err != nil {
			t.Fatal(err)
		}
		f := []datasets.Frame{{Numbers: s.Numbers, Positions: s.Positions, Cell: s.Cell, PBC: s.PBC,
			Energy: r.Energy + 1, Forces: make([]float64, len(r.Forces))}}
		if _, err := potentials.Train(m, f, potentials.TrainOptions{Epochs: 2, BatchSize: 1, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		got := append([]float64{r.Energy}, r.Forces...)
		got = append(got, r.Stress[:]...)
		for _, p := range m.Params() {
			got = append(got, p.Value().Data...)
		}
		if want == nil {
			want = got
			t.Logf("%d atoms, energy %.6f eV, model %s", len(s.Numbers), r.Energy, nn.Fingerprint(m)[:20])
			continue
		}
		for i := range want {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("GOMAXPROCS %d: value %d is %.17g, with GOMAXPROCS 1 %.17g", procs, i, got[i], want[i])
			}
		}
	}
}
