package constitutive

import (
	"fmt"

	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/constitutive/curves"
	"github.com/sciadapt/sciadapt/nn"
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

// Evaluation is a constitutive model evaluated on the curves of a file (the
// "eval" command's protocol, EvaluateFile).
type Evaluation struct {
	Model  *Model
	Curves []curves.Curve
	Report EvalReport // without the command's seconds
}

// EvaluateFile reads the model file at model, attaches the temperature adapter
// file at adapter if it is not "", and evaluates them on every curve of the
// curves file at data at the curve's own temperature (Evaluate). The report
// counts the adapter's values as trainable and adds them to the model's.
// Errors name the file.
func EvaluateFile(model, adapter, data string) (*Evaluation, error) {
	m, err := Load(model)
	if err != nil {
		return nil, err
	}
	trainable := 0
	if adapter != "" {
		a, err := adapters.Load(adapter, m)
		if err != nil {
			return nil, err
		}
		for _, p := range a.Params() {
			trainable += p.Size()
		}
	}
	cs, err := curves.Read(data)
	if err != nil {
		return nil, err
	}
	errs, err := m.Evaluate(cs)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", data, err)
	}
	total, _ := nn.Counts(m)
	return &Evaluation{Model: m, Curves: cs, Report: EvalReport{TrainableParameters: trainable,
		TotalParameters: total + trainable, Errors: errs}}, nil
}

// WritePredictions writes the curves again with the model's stress in place of
// the measured one (PredictCurves) to the curves file at path, atomically.
// Errors of the prediction name data, the curves' file.
func (e *Evaluation) WritePredictions(path, data string) error {
	pred, err := e.Model.PredictCurves(e.Curves)
	if err != nil {
		return fmt.Errorf("%s: %v", data, err)
	}
	return curves.Write(path, pred)
}
