package potentials

import (
	"fmt"

	"github.com/sciadapt/sciadapt/datasets"
)

// Parallel makes Train one process of a data-parallel run. The processes agree on
// one global order of Total frames (for a file: its frames in file order); each
// holds a contiguous share of them, and the frames passed to Train are the global
// frames [Offset, Offset+len(frames)).
//
// Every process shuffles the same global order with the seed and cuts it into the
// same global batches of BatchSize frames. Each process builds the loss of the
// frames of a batch that it holds, normalised by the counts of the whole global
// batch (frames, force components), and Reduce sums the gradients and losses of all
// processes before the optimizer step, so every process takes the same step. The
// parameters after training therefore equal, to rounding, those of one process
// training on all Total frames with the same BatchSize and seed, whatever the
// number of processes. A process that holds no frame of a batch contributes zeros.
//
// Reduce must be collective: every process calls it the same number of times with
// slices of the same lengths, and it replaces each slice by the element-wise sum
// over processes (an MPI all-reduce, internal/mpi.Comm.AllReduceSum).
type Parallel struct {
	Total  int               // frames across all processes
	Offset int               // global index of this process's first frame
	Reduce func(x []float64) // sums x over processes, in place, on every process
}

// validate checks that the local frames fit the global order.
func (p *Parallel) validate(local int) error {
	if p.Reduce == nil {
		return fmt.Errorf("potentials: Parallel.Reduce is nil")
	}
	if p.Offset < 0 || local < 0 || p.Offset+local > p.Total {
		return fmt.Errorf("potentials: Parallel: frames [%d, %d) do not fit in %d global frames", p.Offset, p.Offset+local, p.Total)
	}
	return nil
}

// FitReferencesParallel is FitReferences for one process of a data-parallel run
// (see Parallel): frames are this process's share, comps lists the atomic numbers
// of every composition that any process may hold (the same list on every process,
// e.g. one entry per system of the file), and reduce sums over processes. The sums
// that the least-squares fit needs (energy sum and count per composition, sum of
// squared force components) are reduced, so every process gets the same references
// and output scale, equal to rounding to FitReferences on all the frames. It panics
// if a frame's composition is not in comps or reduce is nil.
func (m *Model) FitReferencesParallel(frames []datasets.Frame, comps [][]int, reduce func([]float64)) error {
	if reduce == nil {
		panic("potentials: FitReferencesParallel with nil reduce")
	}
	return m.fitReferences(frames, comps, reduce)
}

// RefitReferencesParallel is RefitReferences for one process of a data-parallel run,
// with frames, comps and reduce as in FitReferencesParallel. The returned RMS
// residuals are over the frames of all processes. It panics if reduce is nil.
func (m *Model) RefitReferencesParallel(frames []datasets.Frame, comps [][]int, reduce func([]float64)) (before, after float64, err error) {
	if reduce == nil {
		panic("potentials: RefitReferencesParallel with nil reduce")
	}
	return m.refitReferences(frames, comps, reduce)
}
