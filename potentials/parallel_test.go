package potentials_test

import (
	"math"
	"sync"
	"testing"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/internal/mpi"
	"github.com/sciadapt/sciadapt/potentials"
)

// readAll reads every frame of a fixture in file order, with the atomic numbers of
// each system (the compositions every process knows from the file's metadata).
func readAll(t *testing.T, path string) ([]datasets.Frame, [][]int) {
	t.Helper()
	f, err := datasets.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	frames, err := f.Frames(f.Refs())
	if err != nil {
		t.Fatal(err)
	}
	var comps [][]int
	for _, s := range f.Systems() {
		comps = append(comps, s.Numbers)
	}
	return frames, comps
}

// flatParams returns every parameter value of m in order.
func flatParams(m *potentials.Model) []float64 {
	var v []float64
	for _, p := range m.Params() {
		v = append(v, p.Value().Data...)
	}
	return v
}

// trainSerial is the one-process reference: fit references, train, refit.
func trainSerial(t *testing.T, cfg potentials.Config, frames []datasets.Frame, o potentials.TrainOptions) []float64 {
	t.Helper()
	m, err := potentials.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.FitReferences(frames); err != nil {
		t.Fatal(err)
	}
	if _, err := potentials.Train(m, frames, o); err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.RefitReferences(frames); err != nil {
		t.Fatal(err)
	}
	return flatParams(m)
}

// trainSharded runs the same on size goroutines, each holding its block of frames
// and reducing through an in-process communicator; it returns each rank's
// parameters and final epoch loss.
func trainSharded(t *testing.T, size int, cfg potentials.Config, frames []datasets.Frame, comps [][]int, o potentials.TrainOptions) ([][]float64, []float64) {
	t.Helper()
	comms := mpi.NewLocal(size)
	params := make([][]float64, size)
	losses := make([]float64, size)
	errs := make([]error, size)
	var wg sync.WaitGroup
	for r := range comms {
		wg.Add(1)
		go func(c mpi.Comm) {
			defer wg.Done()
			lo, hi := mpi.Block(len(frames), c.Rank(), c.Size())
			local := frames[lo:hi]
			m, err := potentials.New(cfg)
			if err != nil {
				errs[c.Rank()] = err
				return
			}
			if err := m.FitReferencesParallel(local, comps, c.AllReduceSum); err != nil {
				errs[c.Rank()] = err
				return
			}
			ro := o
			ro.Parallel = &potentials.Parallel{Total: len(frames), Offset: lo, Reduce: c.AllReduceSum}
			hist, err := potentials.Train(m, local, ro)
			if err != nil {
				errs[c.Rank()] = err
				return
			}
			if _, _, err := m.RefitReferencesParallel(local, comps, c.AllReduceSum); err != nil {
				errs[c.Rank()] = err
				return
			}
			params[c.Rank()] = flatParams(m)
			losses[c.Rank()] = hist[len(hist)-1].Loss
		}(comms[r])
	}
	wg.Wait()
	for r, err := range errs {
		if err != nil {
			t.Fatalf("rank %d: %v", r, err)
		}
	}
	return params, losses
}

func maxAbsDiff(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

// TestParallelTrainMatchesSerial checks the data-parallel maths without MPI: 2 and 3
// ranks (goroutines with an in-process all-reduce), each holding only its block of
// the frames, end with the parameters of one process training on all frames with
// the same global batch, to rounding; every rank holds the same parameters bit for
// bit; and the parameters moved far more than the tolerance, so equality is not
// trivial. Batch sizes leave some ranks without frames in some batches.
func TestParallelTrainMatchesSerial(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		cfg        potentials.Config
		opt        potentials.TrainOptions
	}{
		// 7 rMD17 frames of ethanol and malonaldehyde, energies and forces.
		{"rmd17", "../testdata/atoms/rmd17_o_subset.h5",
			potentials.Config{Species: []int{1, 6, 8}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 2, Seed: 5},
			potentials.TrainOptions{Epochs: 4, BatchSize: 3, LR: 1e-2, Seed: 9}},
		// 4 periodic EMT alloy frames with stress, two compositions.
		{"emt-stress", "../testdata/atoms/emt_subset.h5",
			potentials.Config{Species: []int{29, 47, 79}, Cutoff: 3.5, Features: 8, RBF: 8, Interactions: 1, Seed: 5},
			potentials.TrainOptions{Epochs: 3, BatchSize: 3, LR: 1e-2, StressWeight: 100, Seed: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			frames, comps := readAll(t, tc.file)
			m0, _ := potentials.New(tc.cfg)
			init := flatParams(m0)
			serial := trainSerial(t, tc.cfg, frames, tc.opt)
			if moved := maxAbsDiff(serial, init); moved < 1e-3 {
				t.Fatalf("parameters moved only %.3g in training; the comparison would be vacuous", moved)
			}
			for _, size := range []int{2, 3} {
				ranks, losses := trainSharded(t, size, tc.cfg, frames, comps, tc.opt)
				for r := 1; r < size; r++ {
					if d := maxAbsDiff(ranks[r], ranks[0]); d != 0 || losses[r] != losses[0] {
						t.Fatalf("%d ranks: rank %d differs from rank 0 by %.3g (loss %v vs %v); want identical", size, r, d, losses[r], losses[0])
					}
				}
				d := maxAbsDiff(ranks[0], serial)
				t.Logf("%d ranks vs 1: max |Δθ| = %.3g", size, d)
				// Rounding: sums over ranks are added in another order than one
				// process's sums, a few ulps per step, amplified mildly by Adam over
				// the steps.
				if d > 1e-9 {
					t.Fatalf("%d ranks vs 1 process: max |Δθ| = %.3g, want ≤ 1e-9", size, d)
				}
			}
		})
	}
}

// TestParallelNeedsReduce shows that the reduction is what makes ranks agree: ranks
// that train on their blocks with a reduce that does nothing end elsewhere.
func TestParallelNeedsReduce(t *testing.T) {
	frames, _ := readAll(t, "../testdata/atoms/rmd17_o_subset.h5")
	cfg := potentials.Config{Species: []int{1, 6, 8}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 2, Seed: 5}
	o := potentials.TrainOptions{Epochs: 2, BatchSize: 3, LR: 1e-2, Seed: 9}
	serial := trainSerial(t, cfg, frames, o)
	lo, hi := mpi.Block(len(frames), 0, 2)
	m, _ := potentials.New(cfg)
	if err := m.FitReferences(frames); err != nil {
		t.Fatal(err)
	}
	o.Parallel = &potentials.Parallel{Total: len(frames), Offset: lo, Reduce: func([]float64) {}}
	if _, err := potentials.Train(m, frames[lo:hi], o); err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.RefitReferences(frames); err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDiff(flatParams(m), serial); d < 1e-4 {
		t.Fatalf("rank 0 alone matches the serial run to %.3g; the reduction would not matter", d)
	}
}

// TestFitReferencesParallel checks that reduced reference sums give the serial
// references and output scale, with a rank that holds no frame at all.
func TestFitReferencesParallel(t *testing.T) {
	frames, comps := readAll(t, "../testdata/atoms/rmd17_o_subset.h5")
	cfg := potentials.Config{Species: []int{1, 6, 8}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 1, Seed: 5}
	want, _ := potentials.New(cfg)
	if err := want.FitReferences(frames); err != nil {
		t.Fatal(err)
	}
	comms := mpi.NewLocal(3)
	got := make([]*potentials.Model, 3)
	var wg sync.WaitGroup
	for r, c := range comms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Rank 2 holds nothing: blocks of 5, 2 and 0 frames.
			lo, hi := []int{0, 5, 7}[r], []int{5, 7, 7}[r]
			got[r], _ = potentials.New(cfg)
			if err := got[r].FitReferencesParallel(frames[lo:hi], comps, c.AllReduceSum); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for r := range got {
		for _, p := range []struct {
			name      string
			got, want []float64
		}{
			{"ref", got[r].Ref.Value().Data, want.Ref.Value().Data},
			{"shift", got[r].Shift.Value().Data, want.Shift.Value().Data},
			{"scale", got[r].Scale.Value().Data, want.Scale.Value().Data},
		} {
			if d := maxAbsDiff(p.got, p.want); d > 1e-9*(1+math.Abs(p.want[0])) {
				t.Errorf("rank %d: %s %v, want %v", r, p.name, p.got, p.want)
			}
		}
	}
}

// TestParallelBalancedMatchesSerial: with Balanced, every rank holds all frames and
// computes its cost share of each batch; Fit (reference fit, training, refit,
// evaluation) ends with the one-process model to rounding on every rank.
func TestParallelBalancedMatchesSerial(t *testing.T) {
	frames, _ := readAll(t, "../testdata/atoms/rmd17_o_subset.h5")
	cfg := potentials.Config{Species: []int{1, 6, 8}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 2, Seed: 5}
	o := potentials.TrainOptions{Epochs: 3, BatchSize: 4, LR: 1e-2, Seed: 9}
	m0, _ := potentials.New(cfg)
	serial, err := potentials.Fit(m0, frames, potentials.FitOptions{Train: o})
	if err != nil {
		t.Fatal(err)
	}
	want := flatParams(m0)
	for _, size := range []int{2, 3} {
		comms := mpi.NewLocal(size)
		params := make([][]float64, size)
		reports := make([]potentials.FitReport, size)
		var wg sync.WaitGroup
		for r := range comms {
			wg.Add(1)
			go func(c mpi.Comm) {
				defer wg.Done()
				m, _ := potentials.New(cfg)
				ro := o
				ro.Parallel = &potentials.Parallel{Total: len(frames), Reduce: c.AllReduceSum, Balanced: true, Rank: c.Rank(), Ranks: c.Size()}
				rep, err := potentials.Fit(m, frames, potentials.FitOptions{Train: ro})
				if err != nil {
					t.Error(err)
					return
				}
				params[c.Rank()], reports[c.Rank()] = flatParams(m), rep
			}(comms[r])
		}
		wg.Wait()
		for r := 0; r < size; r++ {
			if d := maxAbsDiff(params[r], params[0]); d != 0 {
				t.Fatalf("%d ranks: rank %d differs from rank 0 by %.3g", size, r, d)
			}
		}
		if d := maxAbsDiff(params[0], want); d > 1e-9 {
			t.Fatalf("%d balanced ranks vs 1 process: max |Δθ| = %.3g, want ≤ 1e-9", size, d)
		}
		if e, s := reports[0].Train, serial.Train; e.Frames != s.Frames || math.Abs(e.ForceMAE-s.ForceMAE) > 1e-9*s.ForceMAE {
			t.Errorf("%d ranks: training errors %+v, one process %+v", size, e, s)
		}
	}
}
