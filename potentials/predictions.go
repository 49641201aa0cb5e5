package potentials

import (
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
)

// FramePredictions are a model's energies and forces on frames beside the
// reference values of the frames, for parity plots and per-frame analysis.
type FramePredictions struct {
	// System and Atoms are the system name and number of atoms of each frame.
	System []string
	Atoms  []int
	// EnergyRef and Energy are the reference and predicted energy of each frame,
	// in eV.
	EnergyRef, Energy []float64
	// ForceRef and Force are every force component, in eV/Å, of the frames that
	// have reference forces, in frame order (x, y, z of each atom).
	ForceRef, Force []float64
}

// PredictFrames returns the model's energies and forces on frames beside their
// references, in batches of batchSize structures (64 if < 1). ctx, if set, gives
// the context for each batch. The mean absolute errors of its values are those
// of Evaluate.
func PredictFrames(m *Model, frames []datasets.Frame, batchSize int, ctx func(*Batch) *nn.Context) (FramePredictions, error) {
	var out FramePredictions
	if batchSize < 1 {
		batchSize = 64
	}
	for s := 0; s < len(frames); s += batchSize {
		fr := frames[s:min(s+batchSize, len(frames))]
		structs := make([]*Structure, len(fr))
		for i := range fr {
			structs[i] = StructureOf(&fr[i])
		}
		b, err := NewBatch(structs, m.Species(), m.Config.Cutoff)
		if err != nil {
			return out, err
		}
		var c *nn.Context
		if ctx != nil {
			c = ctx(b)
		}
		p := m.Predict(c, b, false, false)
		e, f := p.Energy.Value().Data, p.Forces.Value().Data
		off := 0
		for i := range fr {
			out.System = append(out.System, fr[i].System)
			out.Atoms = append(out.Atoms, fr[i].Len())
			out.EnergyRef = append(out.EnergyRef, fr[i].Energy)
			out.Energy = append(out.Energy, e[i])
			if fr[i].Forces != nil {
				out.ForceRef = append(out.ForceRef, fr[i].Forces...)
				out.Force = append(out.Force, f[off:off+3*fr[i].Len()]...)
			}
			off += 3 * fr[i].Len()
		}
	}
	return out, nil
}
