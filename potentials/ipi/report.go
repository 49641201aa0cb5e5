package ipi

import "github.com/sciadapt/sciadapt/potentials"

// MsPerStep returns the wall time per force evaluation and the part of it spent
// in the calculator, in ms; both 0 when no step was served.
func (s Stats) MsPerStep() (wall, model float64) {
	if s.Steps == 0 {
		return 0, 0
	}
	return 1e3 * s.Wall.Seconds() / float64(s.Steps), 1e3 * s.Compute.Seconds() / float64(s.Steps)
}

// Report is the report of "serve ipi".
type Report struct {
	potentials.Parameters
	Seconds        float64 `json:"seconds"`           // of the whole command
	Steps          int     `json:"steps"`             // force evaluations served
	EndedBy        string  `json:"ended_by"`          // Stats.Exit: "EXIT" or "closed"
	MsPerStep      float64 `json:"ms_per_step"`       // wall time per step, ms
	ModelMsPerStep float64 `json:"model_ms_per_step"` // of it in the model, ms
}

// Report returns the report of s for a model of total values, without the
// command's seconds.
func (s Stats) Report(total int) Report {
	r := Report{Steps: s.Steps, EndedBy: s.Exit}
	r.Total = total
	r.MsPerStep, r.ModelMsPerStep = s.MsPerStep()
	return r
}
