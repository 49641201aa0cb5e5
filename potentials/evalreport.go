package potentials

import (
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
)

// EvalReport is the report of "eval" for a potential, with the keys of
// DESIGN.md: the parameters, the command's seconds, the errors over all frames
// (stress_mae_ev_per_angstrom3 always, 0 without periodic frames) and, for a
// file of several systems, the errors per system.
type EvalReport struct {
	Parameters
	Seconds          float64        `json:"seconds"`
	Frames           int            `json:"n_frames"`
	EnergyMAE        float64        `json:"energy_mae_ev"`
	EnergyMAEPerAtom float64        `json:"energy_mae_ev_per_atom"`
	ForceMAE         float64        `json:"force_mae_ev_per_angstrom"`
	StressMAE        float64        `json:"stress_mae_ev_per_angstrom3"`
	Systems          []SystemErrors `json:"systems,omitempty"` // with more than one system
}

// NewEvalReport returns the report of the errors ev over all frames and systems
// per system (EvaluateBySystem), without the command's seconds.
func NewEvalReport(p Parameters, ev Errors, systems []SystemErrors) EvalReport {
	r := EvalReport{Parameters: p, Frames: ev.Frames, EnergyMAE: ev.EnergyMAE, EnergyMAEPerAtom: ev.EnergyMAEPerAtom,
		ForceMAE: ev.ForceMAE, StressMAE: ev.StressMAE}
	if len(systems) > 1 {
		r.Systems = systems
	}
	return r
}

// PredictedFrames returns frames with the model's energies and forces (forces
// only for frames that have reference forces) in place of the references and no
// stress, in batches of batchSize structures; ctx as in PredictFrames.
func PredictedFrames(m *Model, frames []datasets.Frame, batchSize int, ctx func(*Batch) *nn.Context) ([]datasets.Frame, error) {
	p, err := PredictFrames(m, frames, batchSize, ctx)
	if err != nil {
		return nil, err
	}
	out := make([]datasets.Frame, len(frames))
	off := 0
	for i, f := range frames {
		g := f
		g.Energy, g.Stress, g.Forces = p.Energy[i], nil, nil
		if f.Forces != nil {
			g.Forces = p.Force[off : off+len(f.Forces)]
			off += len(f.Forces)
		}
		out[i] = g
	}
	return out, nil
}
