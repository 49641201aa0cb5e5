package potentials

import (
	"fmt"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/train"
)

// FitOptions configure Fit.
type FitOptions struct {
	// Train configures the training; with Train.Parallel, Fit is one process of a
	// data-parallel run (frames are this process's share).
	Train TrainOptions
	// Continue keeps m's reference energies and output scale (a model trained
	// before): no least-squares fit before training.
	Continue bool
	// Compositions lists the atomic numbers of every composition that any process
	// may hold, the same on every process (data-parallel runs only; see
	// FitReferencesParallel).
	Compositions [][]int
}

// FitReport says what Fit did.
type FitReport struct {
	History []train.EpochStats
	// RefitBefore and RefitAfter are the RMS energy residuals per structure (eV)
	// before and after the reference energies were refitted to the trained model.
	RefitBefore, RefitAfter float64
	// Train holds the errors on the training frames (of all processes).
	Train Errors
}

// Fit is the protocol of "train potential": fit the reference energies and the
// output scale by least squares on composition (unless Continue), train by Train,
// refit the reference energies to the trained model's residuals (training on forces
// leaves a constant per atom of each element free), and evaluate on the training
// frames. In a data-parallel run every sum is reduced over processes, so every
// process ends with the same model, equal to one process's to rounding.
func Fit(m *Model, frames []datasets.Frame, opt FitOptions) (FitReport, error) {
	var r FitReport
	reduce := func([]float64) {}
	evalFrames := frames
	// Sharded: each process holds a share, and the fits reduce their sums.
	// Balanced: each holds all frames, so the fits run alone (the same on each)
	// and only the evaluation is split.
	p := opt.Train.Parallel
	parallel := p != nil && !p.Balanced
	switch {
	case parallel && opt.Compositions == nil:
		return r, fmt.Errorf("potentials: Fit in parallel needs the compositions of every process")
	case parallel:
		reduce = p.Reduce
	case p != nil:
		reduce, evalFrames = p.Reduce, nil
		for i := p.Rank; i < len(frames); i += p.Ranks {
			evalFrames = append(evalFrames, frames[i])
		}
	}
	if !opt.Continue {
		var err error
		if parallel {
			err = m.FitReferencesParallel(frames, opt.Compositions, reduce)
		} else {
			err = m.FitReferences(frames)
		}
		if err != nil {
			return r, err
		}
	}
	var err error
	if r.History, err = Train(m, frames, opt.Train); err != nil {
		return r, err
	}
	if parallel {
		r.RefitBefore, r.RefitAfter, err = m.RefitReferencesParallel(frames, opt.Compositions, reduce)
	} else {
		r.RefitBefore, r.RefitAfter, err = m.RefitReferences(frames)
	}
	if err != nil {
		return r, err
	}
	r.Train, err = EvaluateParallel(m, evalFrames, 64, nil, reduce)
	return r, err
}

// EvaluateParallel is Evaluate over the frames of every process of a data-parallel
// run: each process evaluates its own frames and reduce sums the error sums and
// counts over processes (as Parallel.Reduce), so every process gets the errors over
// all frames. A process's failure is returned to it alone; callers make failures
// collective.
func EvaluateParallel(m *Model, frames []datasets.Frame, batchSize int, ctx func(*Batch) *nn.Context, reduce func([]float64)) (Errors, error) {
	var a errorSums
	err := a.add(m, frames, batchSize, ctx)
	v := []float64{a.e, a.ePerAtom, a.f, a.st, float64(a.frames), float64(a.nF), float64(a.nS)}
	reduce(v)
	a = errorSums{e: v[0], ePerAtom: v[1], f: v[2], st: v[3], frames: int(v[4]), nF: int(v[5]), nS: int(v[6])}
	return a.errors(), err
}
