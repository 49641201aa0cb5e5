package cli

import (
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/demodata"
	"github.com/sciadapt/sciadapt/internal/mpi"
	"github.com/sciadapt/sciadapt/potentials"
)

func TestTrainPotentialDistributedWithoutMPI(t *testing.T) {
	if mpi.Enabled {
		t.Skip("this binary has MPI")
	}
	code, _, stderr := run(t, "train", "potential", "--data", "hcn_train.h5", "--out", "x.model", "--distributed")
	if code != ExitUsage || !strings.Contains(stderr, "built without MPI") || !strings.Contains(stderr, "make build-mpi") {
		t.Fatalf("exit %d, stderr %q; want exit 2 saying the binary has no MPI and how to build one", code, stderr)
	}
}

func modelParams(t *testing.T, path string) []float64 {
	t.Helper()
	m, err := potentials.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var v []float64
	for _, p := range m.Params() {
		v = append(v, p.Value().Data...)
	}
	return v
}

// TestTrainPotentialOnLocalRanks runs the --distributed code path on 2 and 3
// in-process ranks (goroutines), with batches split by cost and with --sharded
// blocks of frames, on a --frames subsample of 4 systems, and checks
// that rank 0 writes the model a single process writes (to rounding), a report with
// the ranks and the errors over all frames, and that no other rank writes.
func TestTrainPotentialOnLocalRanks(t *testing.T) {
	dir := t.TempDir()
	paths, err := demodata.WriteTo(dir)
	if err != nil {
		t.Fatal(err)
	}
	opts := func(out string) *TrainPotentialOptions {
		return &TrainPotentialOptions{Data: []string{paths[demodata.HCNTrain]}, Out: filepath.Join(dir, out), Report: filepath.Join(dir, out+".json"),
			Epochs: 3, BatchSize: 4, Frames: 3, Features: 8, Interactions: 1, RBF: 8, Cutoff: 4, LR: 1e-2,
			ForceWeight: 10, EnergyWeight: 1, Seed: 7, Log: io.Discard}
	}
	serial := opts("one.model")
	if err := runTrainPotential(serial); err != nil {
		t.Fatal(err)
	}
	want := modelParams(t, serial.Out)
	var wantReport map[string]any
	b, _ := os.ReadFile(serial.Report)
	json.Unmarshal(b, &wantReport)
	for _, c := range []struct {
		size    int
		sharded bool
	}{{2, false}, {3, false}, {2, true}, {3, true}} {
		size := c.size
		comms := mpi.NewLocal(size)
		errs := make([]error, size)
		var wg sync.WaitGroup
		var log strings.Builder
		sharded := c.sharded
		for _, c := range comms {
			wg.Add(1)
			go func() {
				defer wg.Done()
				o := opts("par.model")
				o.Sharded = sharded
				if c.Rank() == 0 {
					o.Log = &log
				}
				errs[c.Rank()] = trainPotentialOn(c, o)
			}()
		}
		wg.Wait()
		for r, err := range errs {
			if err != nil {
				t.Fatalf("%d ranks: rank %d: %v", size, r, err)
			}
		}
		got := modelParams(t, filepath.Join(dir, "par.model"))
		d := 0.0
		for i := range want {
			d = math.Max(d, math.Abs(got[i]-want[i]))
		}
		if d > 1e-9 {
			t.Fatalf("%d ranks: max |Δθ| = %.3g against one process, want ≤ 1e-9", size, d)
		}
		if !strings.Contains(log.String(), "training on 12 frames") {
			t.Fatalf("%d ranks: log %q", size, log.String())
		}
		var r map[string]any
		b, _ := os.ReadFile(filepath.Join(dir, "par.model.json"))
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		tr, wtr := r["train"].(map[string]any), wantReport["train"].(map[string]any)
		if r["mpi_ranks"] != float64(size) || tr["n_frames"] != wtr["n_frames"] {
			t.Fatalf("%d ranks: report %s", size, b)
		}
		for _, k := range []string{"energy_mae_ev", "force_mae_ev_per_angstrom"} {
			if g, w := tr[k].(float64), wtr[k].(float64); math.Abs(g-w) > 1e-9*w {
				t.Errorf("%d ranks: %s %v, one process %v", size, k, g, w)
			}
		}
	}
}

// TestAgree checks that a failure on one rank reaches every rank.
func TestAgree(t *testing.T) {
	comms := mpi.NewLocal(3)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for _, c := range comms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if c.Rank() == 1 {
				err = os.ErrNotExist
			}
			errs[c.Rank()] = agree(c, err)
		}()
	}
	wg.Wait()
	if errs[1] != os.ErrNotExist || errs[0] == nil || !strings.Contains(errs[2].Error(), "1 other rank(s) failed") {
		t.Fatalf("errors %v", errs)
	}
}
