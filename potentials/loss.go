package potentials

import (
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
)

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

// batchTerms predicts one batch and returns its sums of squared errors and counts.
// weights, if not nil, multiply each frame's squared errors; arena, if not nil,
// holds the computation (see train.Task.Arena).
func batchTerms(m *Model, frames []datasets.Frame, weights []float64, o TrainOptions, arena *ad.Arena) (lossTerms, error) {
	var t lossTerms
	structs := make([]*Structure, len(frames))
	withStress := o.StressWeight > 0
	for i := range frames {
		structs[i] = StructureOf(&frames[i])
		withStress = withStress && frames[i].Stress != nil
	}
	b, err := NewBatch(structs, m.Species(), m.Config.Cutoff)
	if err != nil {
		return t, err
	}
	b.Arena = arena
	var ctx *nn.Context
	if o.Context != nil {
		ctx = o.Context(b)
	}
	p := m.Predict(ctx, b, withStress, true)
	eRef := ad.Zeros(len(frames), 1)
	invN := ad.Zeros(len(frames), 1)
	var fRef []float64
	t.count.frames = float64(len(frames))
	for i := range frames {
		eRef.Data[i] = frames[i].Energy
		invN.Data[i] = 1 / float64(frames[i].Len())
		if frames[i].Forces == nil {
			t.count.noForces++
		}
		if frames[i].Stress == nil {
			t.count.noStress++
		}
		fRef = append(fRef, frames[i].Forces...)
	}
	t.count.forceComps = float64(len(fRef))
	frameW, atomW := weightsOf(frames, weights)
	de := ad.Mul(ad.Sub(p.Energy, ad.Constant(eRef)), ad.Constant(invN))
	t.energy = weightedSquares(de, frameW)
	if t.count.noForces == 0 && o.ForceWeight > 0 {
		df := ad.Sub(p.Forces, ad.Constant(ad.New(fRef, len(fRef)/3, 3)))
		t.force = weightedSquares(df, atomW)
	}
	if withStress {
		var sRef []float64
		for i := range frames {
			sRef = append(sRef, frames[i].Stress[:]...)
		}
		ds := ad.Sub(p.Stress, ad.Constant(ad.New(sRef, len(frames), 9)))
		t.stress = weightedSquares(ds, frameW)
	}
	return t, nil
}

// weightsOf returns the frame weights as a (frames, 1) and a per-atom (atoms, 1)
// tensor, or nils without weights.
func weightsOf(frames []datasets.Frame, weights []float64) (perFrame, perAtom *ad.Tensor) {
	if weights == nil {
		return nil, nil
	}
	var atoms []float64
	for i := range frames {
		for range frames[i].Numbers {
			atoms = append(atoms, weights[i])
		}
	}
	return ad.New(append([]float64(nil), weights...), len(weights), 1), ad.New(atoms, len(atoms), 1)
}

// weightedSquares returns Σ w_r·x_rc² over rows r and columns c, or Σ x² without
// weights.
func weightedSquares(x *ad.Var, w *ad.Tensor) *ad.Var {
	if w == nil {
		return ad.Sum(ad.Square(x))
	}
	return ad.Sum(ad.Mul(ad.Square(x), ad.Constant(w)))
}
