package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/internal/mpi"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
	"github.com/sciadapt/sciadapt/train"
)

// runTrainPotentialDistributed is "train potential --distributed": this process is
// one rank of an MPI job (mpirun, srun --mpi=pmix). Each rank reads only its block
// of the file's frames (hyperslab reads), the reference fit and every gradient are
// summed over ranks, and rank 0 writes the model, the report and the log. The model
// equals, to rounding, the one a single process trains with the same flags.
func runTrainPotentialDistributed(o *TrainPotentialOptions) error {
	comm, err := mpi.Init()
	if err != nil {
		if errors.Is(err, mpi.ErrNoMPI) {
			return usagef("--distributed: %v", err)
		}
		return err
	}
	err = trainPotentialOn(comm, o)
	if ferr := mpi.Finalize(); err == nil {
		err = ferr
	}
	return err
}

// agree makes a local failure collective: every rank learns whether any rank
// failed, so that none waits forever in a later reduction. The failing ranks get
// their own error back, the others one that names how many ranks failed.
func agree(comm mpi.Comm, err error) error {
	v := []float64{0}
	if err != nil {
		v[0] = 1
	}
	comm.AllReduceSum(v)
	if err != nil {
		return err
	}
	if v[0] > 0 {
		return fmt.Errorf("rank %d stops: %d other rank(s) failed (see their messages)", comm.Rank(), int(v[0]))
	}
	return nil
}

// shard is one rank's share of an atoms file: its frames (global indices
// [lo, hi) of total), and the atomic numbers of every system that any rank holds.
type shard struct {
	frames    []datasets.Frame
	lo, total int
	comps     [][]int
}

// readShard reads rank's block of the frames of path (all frames in file order, or
// the --frames subsample, which every rank computes the same from the metadata).
func readShard(comm mpi.Comm, path string, k int, seed uint64) (shard, error) {
	var s shard
	f, err := datasets.Open(path)
	if err != nil {
		return s, err
	}
	defer f.Close()
	refs := f.Refs()
	if k > 0 {
		refs = datasets.Subsample(refs, k, seed)
	}
	if len(refs) == 0 {
		return s, fmt.Errorf("%s: no frames", path)
	}
	seen := map[string]bool{}
	for _, r := range refs {
		if !seen[r.System] {
			seen[r.System] = true
			info, _ := f.System(r.System)
			s.comps = append(s.comps, info.Numbers)
		}
	}
	lo, hi := mpi.Block(len(refs), comm.Rank(), comm.Size())
	s.lo, s.total = lo, len(refs)
	s.frames, err = f.Frames(refs[lo:hi])
	return s, err
}

func trainPotentialOn(comm mpi.Comm, o *TrainPotentialOptions) error {
	start := time.Now()
	log := o.Log
	if comm.Rank() != 0 {
		log = io.Discard
	}
	sh, err := readShard(comm, o.Data, o.Frames, o.Seed)
	if err := agree(comm, err); err != nil {
		return err
	}
	var numbers []datasets.Frame
	for _, z := range sh.comps {
		numbers = append(numbers, datasets.Frame{Numbers: z})
	}
	cfg := potentials.Config{Species: speciesOf(numbers), Cutoff: o.Cutoff, Features: o.Features,
		RBF: o.RBF, Interactions: o.Interactions, Seed: o.Seed}
	m, err := potentials.New(cfg)
	if err != nil {
		return err
	}
	reduce := comm.AllReduceSum
	if err := m.FitReferencesParallel(sh.frames, sh.comps, reduce); err != nil {
		return fmt.Errorf("%s: %v", o.Data, err)
	}
	lib, _, _ := strings.Cut(mpi.Version(), "\n")
	short, _, _ := strings.Cut(lib, ",")
	ranks := "ranks"
	if comm.Size() == 1 {
		ranks = "rank"
	}
	fmt.Fprintf(log, "training on %d frames of %s (elements %v) on %d MPI %s, %d–%d frames each (%s)\n",
		sh.total, o.Data, symbols(cfg.Species), comm.Size(), ranks, sh.total/comm.Size(), (sh.total+comm.Size()-1)/comm.Size(), short)
	trainStart := time.Now()
	hist, err := potentials.Train(m, sh.frames, potentials.TrainOptions{
		Epochs: o.Epochs, BatchSize: o.BatchSize, LR: o.LR, ForceWeight: o.ForceWeight, EnergyWeight: o.EnergyWeight,
		StressWeight: o.StressWeight, Seed: o.Seed,
		Parallel: &potentials.Parallel{Total: sh.total, Offset: sh.lo, Reduce: reduce},
		Progress: func(s train.EpochStats) {
			if s.Epoch == 1 || s.Epoch%10 == 0 || s.Epoch == o.Epochs {
				fmt.Fprintf(log, "epoch %4d  loss %.5g  lr %.2g  %.0fs\n", s.Epoch, s.Loss, s.LR, s.Seconds)
			}
		},
	})
	if err != nil {
		return err
	}
	trainSeconds := time.Since(trainStart).Seconds()
	epochSeconds := make([]float64, len(hist))
	for i, h := range hist {
		epochSeconds[i] = h.Seconds
	}
	before, after, err := m.RefitReferencesParallel(sh.frames, sh.comps, reduce)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Data, err)
	}
	fmt.Fprintf(log, "refitted reference energies: RMS energy residual %.4f → %.4f eV\n", before, after)
	ev, err := evaluateParallel(comm, m, sh.frames)
	if err := agree(comm, err); err != nil {
		return err
	}
	if comm.Rank() != 0 {
		return nil
	}
	if err := m.Save(o.Out); err != nil {
		return err
	}
	total, trainable := nn.Counts(m)
	fmt.Fprintf(log, "wrote %s: training MAE energy %.4f eV, forces %.4f eV/Å\n", o.Out, ev.EnergyMAE, ev.ForceMAE)
	return writeReport(o.Report, map[string]any{
		"trainable_parameters": trainable, "total_parameters": total, "seconds": time.Since(start).Seconds(),
		"train": ev, "mpi_ranks": comm.Size(), "mpi_library": lib, "train_seconds": trainSeconds,
		"epoch_end_seconds": epochSeconds,
	})
}

// evaluateParallel returns the errors over the frames of all ranks: each rank
// evaluates its own and the sums are reduced.
func evaluateParallel(comm mpi.Comm, m *potentials.Model, frames []datasets.Frame) (potentials.Errors, error) {
	e, err := potentials.Evaluate(m, frames, 64, nil)
	if err != nil {
		return e, err
	}
	var nF, nS float64
	for i := range frames {
		if frames[i].Forces != nil {
			nF += float64(len(frames[i].Forces))
		}
		if frames[i].Stress != nil && e.StressMAE > 0 {
			nS += 9
		}
	}
	n := float64(len(frames))
	v := []float64{e.EnergyMAE * n, e.EnergyMAEPerAtom * n, e.ForceMAE * nF, e.StressMAE * nS, n, nF, nS}
	comm.AllReduceSum(v)
	e = potentials.Errors{Frames: int(v[4])}
	if v[4] > 0 {
		e.EnergyMAE, e.EnergyMAEPerAtom = v[0]/v[4], v[1]/v[4]
	}
	if v[5] > 0 {
		e.ForceMAE = v[2] / v[5]
	}
	if v[6] > 0 {
		e.StressMAE = v[3] / v[6]
	}
	return e, nil
}
