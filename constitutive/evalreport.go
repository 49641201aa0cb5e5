package constitutive

import (
	"fmt"

	"github.com/sciadapt/sciadapt/constitutive/curves"
)

// EvalReport is the report of "eval" for a constitutive model: the parameters,
// the command's seconds and the stress errors n_points, stress_rmse_mpa and
// stress_nrmse (DESIGN.md).
type EvalReport struct {
	TrainableParameters int     `json:"trainable_parameters"`
	TotalParameters     int     `json:"total_parameters"`
	Seconds             float64 `json:"seconds"`
	Errors
}

// PredictCurves returns the curves cs with the model's uniaxial stress (MPa) at
// each curve's strains and temperature in place of the measured stress.
func (m *Model) PredictCurves(cs []curves.Curve) ([]curves.Curve, error) {
	out := make([]curves.Curve, len(cs))
	for i, c := range cs {
		s, err := m.UniaxialStress(c.Strain, c.TemperatureK)
		if err != nil {
			return nil, fmt.Errorf("curve %s: %v", c.Specimen, err)
		}
		out[i] = c
		out[i].Stress = s
	}
	return out, nil
}
