package potentials

import (
	"fmt"
	"slices"
	"sort"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/potentials/neighbor"
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
//
// Balanced splits each global batch by work instead: every process holds all the
// frames (Offset 0, Total = len(frames)), and of each global batch process Rank
// computes the frames that a greedy longest-processing-time split over Ranks
// processes gives it, the cost of a frame being its atoms plus its neighbour pairs
// (the batch's frames, costliest first, each to the least-loaded process, ties to
// the lower rank). Every process computes the same split, so the step is still the
// one-process step to rounding, and the processes wait little for each other
// however unevenly a random batch mixes small and large structures. It costs every
// process the memory of all frames.
type Parallel struct {
	Total  int               // frames across all processes
	Offset int               // global index of this process's first frame
	Reduce func(x []float64) // sums x over processes, in place, on every process

	Balanced    bool // split each batch by cost; every process holds all frames
	Rank, Ranks int  // this process and the number of processes (Balanced only)
}

// validate checks that the local frames fit the global order.
func (p *Parallel) validate(local int) error {
	if p.Reduce == nil {
		return fmt.Errorf("potentials: Parallel.Reduce is nil")
	}
	if p.Balanced && (p.Offset != 0 || p.Total != local || p.Ranks < 1 || p.Rank < 0 || p.Rank >= p.Ranks) {
		return fmt.Errorf("potentials: Parallel.Balanced needs every frame on every process (offset %d, %d of %d frames) and 0 ≤ rank %d < ranks %d",
			p.Offset, local, p.Total, p.Rank, p.Ranks)
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

// frameCosts returns the cost of each frame for a balanced split: its atoms plus
// its directed neighbour pairs within the cutoff. A frame that does not give a
// neighbour list (it fails later, in its batch) costs its atoms.
func frameCosts(frames []datasets.Frame, cutoff float64) []float64 {
	costs := make([]float64, len(frames))
	for i := range frames {
		s := StructureOf(&frames[i])
		costs[i] = float64(s.Len())
		if nl, err := neighbor.Build(s.Positions, s.Cell, s.PBC, neighbor.Options{Cutoff: cutoff}); err == nil {
			costs[i] += float64(len(nl.I))
		}
	}
	return costs
}

// share returns the items of batch that process rank computes in a greedy split of
// the batch over ranks processes by cost (see Parallel.Balanced), in batch order.
func share(batch []int, costs []float64, rank, ranks int) []int {
	order := slices.Clone(batch)
	sort.SliceStable(order, func(a, b int) bool { return costs[order[a]] > costs[order[b]] })
	load := make([]float64, ranks)
	mine := map[int]bool{}
	for _, i := range order {
		r := 0
		for k := 1; k < ranks; k++ {
			if load[k] < load[r] {
				r = k
			}
		}
		load[r] += costs[i]
		if r == rank {
			mine[i] = true
		}
	}
	var out []int
	for _, i := range batch {
		if mine[i] {
			out = append(out, i)
			delete(mine, i) // a batch holds an item once; keep it so
		}
	}
	return out
}
