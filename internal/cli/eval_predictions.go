package cli

import (
	"fmt"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
)

// writePredictions writes frames again with the model's energies and forces in
// place of the references (atoms HDF5, eV and Å, atomically), so that predictions
// can be compared with the data by any HDF5 reader. Stress is not written.
func writePredictions(path string, m *potentials.Model, frames []datasets.Frame, ctx func(*potentials.Batch) *nn.Context, model, data string) error {
	p, err := potentials.PredictFrames(m, frames, 64, ctx)
	if err != nil {
		return fmt.Errorf("%s: %v", data, err)
	}
	out := make([]datasets.Frame, len(frames))
	off := 0
	for i, f := range frames {
		g := f
		g.Energy = p.Energy[i]
		g.Stress = nil
		if f.Forces != nil {
			g.Forces = p.Force[off : off+len(f.Forces)]
			off += len(f.Forces)
		} else {
			g.Forces = nil
		}
		out[i] = g
	}
	meta := datasets.Meta{LevelOfTheory: "predicted by " + model, Source: "sciadapt eval --predictions on " + data}
	return datasets.Write(path, meta, out)
}
