package potentials

import (
	"fmt"

	ad "github.com/sciadapt/sciadapt/autodiff"
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

// lossCounts are what a batch loss is normalised by.
type lossCounts struct {
	frames     float64 // structures
	forceComps float64 // force components 3·atoms of the frames with forces
	noForces   float64 // frames without forces (no force loss unless 0)
	noStress   float64 // frames without stress (no stress loss unless 0)
}

// lossTerms are the sums of squared errors of a batch, graph values of the
// parameters; force and stress are nil where the batch lacks them.
type lossTerms struct {
	energy, force, stress *ad.Var
	count                 lossCounts
}

// loss weights and normalises the terms by the counts c (of this batch, or of the
// global batch in a data-parallel run): the energy term is the mean over frames of
// the squared energy error per atom, the force term the mean over force components,
// the stress term the mean over the 9 components of every frame.
func (t lossTerms) loss(o TrainOptions, c lossCounts) *ad.Var {
	loss := ad.Scale(ad.Scale(t.energy, 1/c.frames), o.EnergyWeight)
	if c.noForces == 0 && o.ForceWeight > 0 {
		loss = ad.Add(loss, ad.Scale(ad.Scale(t.force, 1/c.forceComps), o.ForceWeight))
	}
	if o.StressWeight > 0 && c.noStress == 0 {
		loss = ad.Add(loss, ad.Scale(ad.Scale(t.stress, 1/(9*c.frames)), o.StressWeight))
	}
	return loss
}

// batchGradients returns the loss of the global batch idx (indices into the global
// order) and its gradient with respect to vars. Without o.Parallel, frames are all
// the frames; with it, this process computes its part and the parts are summed.
func batchGradients(m *Model, frames []datasets.Frame, idx []int, vars []*ad.Var, o TrainOptions) (float64, []*ad.Tensor, error) {
	p := o.Parallel
	if p == nil {
		batch := make([]datasets.Frame, len(idx))
		for k, i := range idx {
			batch[k] = frames[i]
		}
		loss, err := batchLoss(m, batch, o)
		if err != nil {
			return 0, nil, err
		}
		grads := ad.Gradients([]*ad.Var{loss}, vars, nil)
		gt := make([]*ad.Tensor, len(grads))
		for i, g := range grads {
			gt[i] = g.Value()
		}
		return loss.Item(), gt, nil
	}
	var local []datasets.Frame
	for _, i := range idx {
		if i >= p.Offset && i < p.Offset+len(frames) {
			local = append(local, frames[i-p.Offset])
		}
	}
	var t lossTerms
	var err error
	failed := 0.0
	if len(local) > 0 {
		if t, err = batchTerms(m, local, o); err != nil {
			failed = 1
		}
	}
	c := []float64{t.count.frames, t.count.forceComps, t.count.noForces, t.count.noStress, failed}
	p.Reduce(c)
	if err != nil {
		return 0, nil, err
	}
	if c[4] > 0 {
		return 0, nil, fmt.Errorf("%d other process(es) of the parallel run failed to build a batch", int(c[4]))
	}
	size := 0
	for _, v := range vars {
		size += v.Value().Size()
	}
	buf := make([]float64, size+1)
	if len(local) > 0 {
		loss := t.loss(o, lossCounts{frames: c[0], forceComps: c[1], noForces: c[2], noStress: c[3]})
		off := 0
		for _, g := range ad.Gradients([]*ad.Var{loss}, vars, nil) {
			off += copy(buf[off:], g.Value().Data)
		}
		buf[size] = loss.Item()
	}
	p.Reduce(buf)
	gt := make([]*ad.Tensor, len(vars))
	off := 0
	for i, v := range vars {
		n := v.Value().Size()
		gt[i] = ad.New(buf[off:off+n:off+n], v.Value().Shape...)
		off += n
	}
	return buf[size], gt, nil
}
