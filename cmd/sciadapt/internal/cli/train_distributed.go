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
// one rank of an MPI job (mpirun, srun --mpi=pmix). Every rank reads all frames and
// computes its share of each global batch, split by cost (potentials.Parallel,
// Balanced); with --sharded each rank reads only its block of the file's frames
// (hyperslab reads) and the reference fit is summed over ranks. Every gradient is
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

// readAll reads every frame of path (or the --frames subsample) on this rank, for
// a balanced split of each batch.
func readAll(path string, k int, seed uint64) (shard, error) {
	frames, err := loadFrames(path, k, seed)
	if err == nil && len(frames) == 0 {
		err = fmt.Errorf("%s: no frames", path)
	}
	return shard{frames: frames, total: len(frames)}, err
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
	var (
		sh  shard
		err error
	)
	if o.Sharded {
		sh, err = readShard(comm, o.Data[0], o.Frames, o.Seed)
	} else {
		sh, err = readAll(o.Data[0], o.Frames, o.Seed)
	}
	if err := agree(comm, err); err != nil {
		return err
	}
	numbers := sh.frames // every frame, or a stand-in per system of the file (sharded)
	if o.Sharded {
		numbers = nil
		for _, z := range sh.comps {
			numbers = append(numbers, datasets.Frame{Numbers: z})
		}
	}
	m, err := potentials.New(o.config(speciesOf(numbers)))
	if err != nil {
		return usagef("%v", err)
	}
	lib, _, _ := strings.Cut(mpi.Version(), "\n")
	short, _, _ := strings.Cut(lib, ",")
	split := "each batch split by cost"
	if o.Sharded {
		split = fmt.Sprintf("%d–%d frames each", sh.total/comm.Size(), (sh.total+comm.Size()-1)/comm.Size())
	}
	fmt.Fprintf(log, "training on %d frames of %s (elements %v) on %d MPI %s, %s (%s)\n",
		sh.total, o.Data[0], symbols(m.Config.Species), comm.Size(), plural(comm.Size(), "rank", "ranks"), split, short)
	trainStart := time.Now()
	fit, err := potentials.Fit(m, sh.frames, potentials.FitOptions{Compositions: sh.comps, Train: potentials.TrainOptions{
		Epochs: o.Epochs, BatchSize: o.BatchSize, LR: o.LR, ForceWeight: o.ForceWeight, EnergyWeight: o.EnergyWeight,
		StressWeight: o.StressWeight, Seed: o.Seed,
		Parallel: &potentials.Parallel{Total: sh.total, Offset: sh.lo, Reduce: comm.AllReduceSum,
			Balanced: !o.Sharded, Rank: comm.Rank(), Ranks: comm.Size()},
		Progress: func(s train.EpochStats) {
			if s.Epoch == 1 || s.Epoch%10 == 0 || s.Epoch == o.Epochs {
				fmt.Fprintf(log, "epoch %4d  loss %.5g  lr %.2g  %.0fs\n", s.Epoch, s.Loss, s.LR, s.Seconds)
			}
		},
	}})
	if err := agree(comm, err); err != nil {
		return fmt.Errorf("%s: %w", o.Data[0], err)
	}
	fmt.Fprintf(log, "refitted reference energies: RMS energy residual %.4f → %.4f eV\n", fit.RefitBefore, fit.RefitAfter)
	if comm.Rank() != 0 {
		return nil
	}
	if err := m.Save(o.Out); err != nil {
		return err
	}
	total, trainable := nn.Counts(m)
	fmt.Fprintf(log, "wrote %s: training MAE energy %.4f eV, forces %.4f eV/Å\n", o.Out, fit.Train.EnergyMAE, fit.Train.ForceMAE)
	return writeReport(o.Report, distributedReport{
		TrainReport: potentials.TrainReport{Parameters: potentials.Parameters{Trainable: trainable, Total: total},
			Model: m.Config.Model, Seconds: time.Since(start).Seconds(), Train: fit.Train},
		Ranks: comm.Size(), Library: lib, TrainSeconds: time.Since(trainStart).Seconds(), EpochEnds: epochEnds(fit.History)})
}

// distributedReport is the report of "train potential --distributed".
type distributedReport struct {
	potentials.TrainReport
	Ranks        int       `json:"mpi_ranks"`
	Library      string    `json:"mpi_library"`
	TrainSeconds float64   `json:"train_seconds"`     // fit, training, refit and evaluation
	EpochEnds    []float64 `json:"epoch_end_seconds"` // seconds since training started, at each epoch's end
}

// epochEnds returns the seconds at the end of each epoch.
func epochEnds(hist []train.EpochStats) []float64 {
	s := make([]float64, len(hist))
	for i, h := range hist {
		s[i] = h.Seconds
	}
	return s
}

// plural returns one or many by n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
