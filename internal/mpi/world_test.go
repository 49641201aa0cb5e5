//go:build mpi

package mpi_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sciadapt/sciadapt/internal/mpi"
	"github.com/sciadapt/sciadapt/potentials"
)

// helperEnv makes the test binary, started by mpirun, act as one rank of
// worldHelper instead of running the tests.
const helperEnv = "SCIADAPT_MPI_TEST_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		os.Exit(worldHelper())
	}
	os.Exit(m.Run())
}

// worldHelper is one rank: it sums rank-dependent vectors over MPI_COMM_WORLD and
// prints "rank R of S ok" if every sum is right.
func worldHelper() int {
	c, err := mpi.Init()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	r, s := float64(c.Rank()), float64(c.Size())
	for it := 0; it < 100; it++ {
		x := []float64{r + 1, float64(it) * r, 0.25, math.Ldexp(1, -60) * r}
		c.AllReduceSum(x)
		want := []float64{s * (s + 1) / 2, float64(it) * s * (s - 1) / 2, 0.25 * s, math.Ldexp(1, -60) * s * (s - 1) / 2}
		for i := range x {
			if x[i] != want[i] {
				fmt.Printf("rank %d of %d: iteration %d: sum %v, want %v\n", c.Rank(), c.Size(), it, x, want)
				c.Abort(1)
			}
		}
	}
	c.Barrier()
	fmt.Printf("rank %d of %d ok\n", c.Rank(), c.Size())
	if err := mpi.Finalize(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// mpirun returns the command line prefix that starts n ranks, or skips the test if
// mpirun is missing (make test installs openmpi-bin, so CI has it).
func mpirun(t *testing.T, n int, extra ...string) []string {
	t.Helper()
	path, err := exec.LookPath("mpirun")
	if err != nil {
		t.Skip("mpirun not found: install openmpi-bin (make deps does) to run the MPI tests")
	}
	args := []string{path, "--allow-run-as-root", "--oversubscribe", "-np", fmt.Sprint(n)}
	return append(args, extra...)
}

// run runs a command with a time limit (a deadlock must fail, not hang) and returns
// its combined output.
func run(t *testing.T, env []string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	// One BLAS thread per rank: two ranks share the machine's cores.
	cmd.Env = append(append(os.Environ(), "OPENBLAS_NUM_THREADS=1"), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestWorldAllReduce starts this test binary as 2 and 3 MPI ranks, over shared
// memory and over TCP, and checks the sums each rank gets.
func TestWorldAllReduce(t *testing.T) {
	for _, tc := range []struct {
		n   int
		mca []string
	}{
		{2, nil},
		{3, nil},
		{2, []string{"--mca", "btl", "tcp,self"}},
	} {
		args := append(mpirun(t, tc.n, tc.mca...), os.Args[0], "-test.run=^$")
		out := run(t, []string{helperEnv + "=1"}, args...)
		for r := 0; r < tc.n; r++ {
			if want := fmt.Sprintf("rank %d of %d ok", r, tc.n); !strings.Contains(out, want) {
				t.Errorf("-np %d %v: no %q in the output:\n%s", tc.n, tc.mca, want, out)
			}
		}
	}
}

// TestDistributedTrainMatchesOneProcess builds sciadapt with -tags mpi, trains a
// small potential on 7 rMD17 frames with one ordinary process and with
// "mpirun -np 2 … --distributed" (shared memory, TCP only, and --sharded), with the same
// global batch of 3 frames, and compares the parameters of the written models.
func TestDistributedTrainMatchesOneProcess(t *testing.T) {
	mpirun(t, 1) // skip early without mpirun
	dir := t.TempDir()
	bin := filepath.Join(dir, "sciadapt")
	run(t, nil, "go", "build", "-tags", "mpi", "-o", bin, "../../cmd/sciadapt")
	data, err := filepath.Abs("../../testdata/atoms/rmd17_o_subset.h5")
	if err != nil {
		t.Fatal(err)
	}
	flags := []string{"train", "potential", "--data", data, "--features", "8", "--rbf", "8",
		"--interactions", "2", "--epochs", "6", "--batch-size", "3", "--lr", "0.01", "--seed", "3"}
	one := filepath.Join(dir, "one.model")
	run(t, nil, append(append([]string{bin}, flags...), "--out", one)...)
	ref := params(t, one)

	m, _ := potentials.Load(one)
	init, err := potentials.New(m.Config)
	if err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDiff(ref, flat(init)); d < 1e-3 {
		t.Fatalf("training moved the parameters only %.3g; the comparison would be vacuous", d)
	}
	for _, tc := range []struct {
		name  string
		mca   []string
		extra []string
	}{
		{"shared-memory", nil, nil},
		{"tcp", []string{"--mca", "btl", "tcp,self"}, nil},
		{"sharded", nil, []string{"--sharded"}},
	} {
		out := filepath.Join(dir, tc.name+".model")
		args := append(mpirun(t, 2, tc.mca...), bin)
		log := run(t, nil, append(append(append(args, flags...), tc.extra...), "--out", out, "--distributed")...)
		if !strings.Contains(log, "on 2 MPI ranks,") {
			t.Fatalf("%s: the log does not say it ran on 2 ranks:\n%s", tc.name, log)
		}
		d := maxAbsDiff(params(t, out), ref)
		t.Logf("%s, 2 ranks vs 1 process: max |Δθ| = %.3g over %d parameters", tc.name, d, len(ref))
		// Sums over 2 ranks are added in another order than one process's: a few
		// ulps per step, carried through 18 Adam steps.
		if d > 1e-9 {
			t.Errorf("%s: 2 ranks differ from 1 process by max |Δθ| = %.3g, want ≤ 1e-9", tc.name, d)
		}
	}
}

func params(t *testing.T, path string) []float64 {
	t.Helper()
	m, err := potentials.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return flat(m)
}

func flat(m *potentials.Model) []float64 {
	var v []float64
	for _, p := range m.Params() {
		v = append(v, p.Value().Data...)
	}
	return v
}

func maxAbsDiff(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}
