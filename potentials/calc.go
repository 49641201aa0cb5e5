package potentials

import (
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// Prediction holds energies, forces and stresses for a batch as graph values.
type Prediction struct {
	Energy *ad.Var // (structures, 1), eV
	Forces *ad.Var // (atoms, 3), eV/Å
	Stress *ad.Var // (structures, 9), eV/Å³; nil unless requested
}

// Predict computes energies and forces (and stress when withStress) for a batch.
// With createGraph the forces and stress are graph values that depend on the model
// parameters, so a loss on them can be differentiated for training.
func (m *Model) Predict(ctx *nn.Context, b *Batch, withStress, createGraph bool) Prediction {
	R := ad.Variable(b.Positions)
	var eps *ad.Var
	xs := []*ad.Var{R}
	if withStress {
		eps = ad.Variable(ad.Zeros(b.Len(), 9))
		xs = append(xs, eps)
	}
	e := m.Energies(ctx, b, R, eps)
	gs := ad.Gradients([]*ad.Var{ad.Sum(e)}, xs, &ad.GradOptions{CreateGraph: createGraph})
	p := Prediction{Energy: e, Forces: ad.Neg(gs[0])}
	if withStress {
		inv := ad.Zeros(b.Len(), 1)
		for k, v := range b.Volumes {
			if v > 0 {
				inv.Data[k] = 1 / v
			}
		}
		p.Stress = ad.Mul(gs[1], ad.Constant(inv))
	}
	if !createGraph {
		p.Energy = ad.Detach(e)
	}
	return p
}

// Compute returns the energy, forces and (for periodic structures) stress of one
// structure, with the attached add-element adapter applied if there is one. It
// implements Calculator.
func (m *Model) Compute(s *Structure) (Result, error) {
	b, err := NewBatch([]*Structure{s}, m.Species(), m.Config.Cutoff)
	if err != nil {
		return Result{}, err
	}
	return m.computeBatch(s, b), nil
}

// context returns the nn.Context of the attached adapter for b, or nil.
func (m *Model) context(b *Batch) *nn.Context { return m.ElementContext(b) }

// computeBatch evaluates the one-structure batch b of s.
func (m *Model) computeBatch(s *Structure, b *Batch) Result {
	periodic := s.Cell != nil && (s.PBC[0] || s.PBC[1] || s.PBC[2])
	p := m.Predict(m.context(b), b, periodic, false)
	r := Result{Energy: p.Energy.Item(), Forces: append([]float64(nil), p.Forces.Value().Data...)}
	if periodic {
		var st [9]float64
		copy(st[:], p.Stress.Value().Data)
		r.Stress = &st
	}
	return r
}

var _ Calculator = (*Model)(nil)
