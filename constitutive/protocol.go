package constitutive

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/constitutive/curves"
	"github.com/sciadapt/sciadapt/nn"
)

// SpecimenTuneOptions configure TuneToSpecimen.
type SpecimenTuneOptions struct {
	TuneOptions
	Points   int    // K, the measured points to tune on (SelectPoints)
	Specimen string // the specimen that supplies them; "" draws one with Seed among those with ≥ K points
	Name     string // the adapter's name; default "T<tK>K"
}

// SpecimenTune is the temperature-tune protocol: K points of ONE specimen at the
// new temperature tune the model; the errors are measured on the OTHER specimens
// at that temperature, beside those of the untuned model and the
// specimen-to-specimen scatter (Scatter) of the other specimens.
type SpecimenTune struct {
	Train   curves.Curve       // the specimen tuned on
	Indices []int              // its points used
	Others  []curves.Curve     // the test specimens
	Adapter *adapters.Adapter  // the trained FiLM adapter, attached
	Report  SpecimenTuneReport // the numbers
}

// SpecimenTuneReport is the report of SpecimenTune, with the JSON keys of the
// temperature-tune report (DESIGN.md). Without other specimens the errors are null.
type SpecimenTuneReport struct {
	TemperatureK        float64  `json:"temperature_K"`
	Specimen            string   `json:"specimen"`
	TrainIndices        []int    `json:"train_indices"`
	TrainableParameters int      `json:"trainable_parameters"` // FiLM values trained
	TotalParameters     int      `json:"total_parameters"`     // of the base and the adapter
	ModulusMPa          float64  `json:"modulus_mpa"`          // E at the new temperature, tuned
	YieldMPa            float64  `json:"yield_mpa"`            // σ_y0 at the new temperature, tuned
	TrainLoss           float64  `json:"train_loss"`
	Iterations          int      `json:"iterations"`
	Converged           bool     `json:"converged"`
	Points              int      `json:"n_points"`        // of the other specimens
	RMSE                *float64 `json:"stress_rmse_mpa"` // MPa, on the other specimens
	NRMSE               *float64 `json:"stress_nrmse"`
	TestSpecimens       int      `json:"test_specimens,omitempty"`
	Base                *Errors  `json:"base,omitempty"`    // the untuned model on the other specimens
	Scatter             *Errors  `json:"scatter,omitempty"` // of the other specimens (at least two)
	Seconds             float64  `json:"seconds"`           // set by the caller
}

// PickSpecimen returns the index in cs (curves at one temperature) of the
// specimen named name, or, for name "", one drawn with seed among the curves with
// at least k points. It returns an
// error naming the specimens when there is no such curve.
func PickSpecimen(cs []curves.Curve, name string, k int, seed uint64) (int, error) {
	at := ""
	if len(cs) > 0 {
		at = fmt.Sprintf(" at %g °C", math.Round(curves.KelvinToCelsius(cs[0].TemperatureK)*10)/10)
	}
	if name != "" {
		names := make([]string, len(cs))
		for i, c := range cs {
			names[i] = c.Specimen
			if c.Specimen != name {
				continue
			}
			if c.Len() < k {
				return 0, fmt.Errorf("specimen %s has %d points, fewer than %d", name, c.Len(), k)
			}
			return i, nil
		}
		return 0, fmt.Errorf("no specimen %q%s; there are %s", name, at, strings.Join(names, ", "))
	}
	var ok []int
	for i, c := range cs {
		if c.Len() >= k {
			ok = append(ok, i)
		}
	}
	if len(ok) == 0 {
		return 0, fmt.Errorf("no curve%s has %d points", at, k)
	}
	return ok[rand.New(rand.NewPCG(seed, 0x7e3a)).IntN(len(ok))], nil
}

// TuneToSpecimen runs the temperature-tune protocol on cs, the curves at the new
// temperature tK: it picks the specimen (PickSpecimen), tunes a FiLM adapter on K
// of its points (SelectPoints, TemperatureTune) and scores the untuned and the
// tuned model on the other curves. The adapter stays attached on return.
func (m *Model) TuneToSpecimen(cs []curves.Curve, tK float64, o SpecimenTuneOptions) (*SpecimenTune, error) {
	pick, err := PickSpecimen(cs, o.Specimen, o.Points, o.Seed)
	if err != nil {
		return nil, err
	}
	s := &SpecimenTune{Train: cs[pick], Others: append(append([]curves.Curve{}, cs[:pick]...), cs[pick+1:]...)}
	if s.Indices, err = SelectPoints(s.Train, o.Points); err != nil {
		return nil, err
	}
	eps, sig := make([]float64, len(s.Indices)), make([]float64, len(s.Indices))
	for j, i := range s.Indices {
		eps[j], sig[j] = s.Train.Strain[i], s.Train.Stress[i]
	}
	r := &s.Report
	r.TemperatureK, r.Specimen, r.TrainIndices = tK, s.Train.Specimen, s.Indices
	if len(s.Others) > 0 {
		base, err := m.Evaluate(s.Others)
		if err != nil {
			return nil, err
		}
		r.Base = &base
	}
	if o.Name == "" {
		o.Name = fmt.Sprintf("T%gK", tK)
	}
	a, fit, err := m.TemperatureTune(o.Name, eps, sig, tK, &o.TuneOptions)
	if err != nil {
		return nil, err
	}
	s.Adapter = a
	total, _ := nn.Counts(m)
	r.TrainableParameters, r.TotalParameters = TrainableValues(a), total
	for _, p := range a.Params() {
		r.TotalParameters += p.Size()
	}
	p := m.Properties(tK)
	r.ModulusMPa, r.YieldMPa = p.ModulusMPa, p.YieldMPa
	r.TrainLoss, r.Iterations, r.Converged = fit.Loss, fit.Iterations, fit.Converged
	return s, s.scoreOthers(m)
}

// scoreOthers fills the errors of the tuned model on the other specimens and their
// scatter.
func (s *SpecimenTune) scoreOthers(m *Model) error {
	if len(s.Others) == 0 {
		return nil
	}
	r := &s.Report
	ev, err := m.Evaluate(s.Others)
	if err != nil {
		return err
	}
	r.Points, r.RMSE, r.NRMSE, r.TestSpecimens = ev.Points, &ev.RMSE, &ev.NRMSE, len(s.Others)
	if len(s.Others) >= 2 {
		if sc, err := Scatter(s.Others); err == nil {
			r.Scatter = &sc
		}
	}
	return nil
}

// BaseReport is the report of FitBase, with the JSON keys of the train
// constitutive report (DESIGN.md).
type BaseReport struct {
	TrainableParameters int     `json:"trainable_parameters"`
	TotalParameters     int     `json:"total_parameters"`
	Points              int     `json:"n_points"`        // of the training curves
	RMSE                float64 `json:"stress_rmse_mpa"` // MPa, on the training curves
	NRMSE               float64 `json:"stress_nrmse"`
	Curves              int     `json:"n_curves"`
	BaseTemperatureK    float64 `json:"base_temperature_K"`
	ModulusMPa          float64 `json:"modulus_mpa"` // E at the base temperature
	YieldMPa            float64 `json:"yield_mpa"`   // σ_y0 at the base temperature
	Iterations          int     `json:"iterations"`
	Converged           bool    `json:"converged"` // false when L-BFGS stopped at its bound
	Loss                float64 `json:"loss"`
	Scatter             *Errors `json:"scatter,omitempty"` // of the training curves (at least two)
	Seconds             float64 `json:"seconds"`           // set by the caller
}

// FitBase is the protocol of "train constitutive": fit every parameter of m to
// the curves cs (Fit) and report the fit on them, the properties at the base
// temperature and the curves' specimen-to-specimen scatter (Scatter).
func (m *Model) FitBase(cs []curves.Curve, opt *FitOptions) (*BaseReport, error) {
	fit, err := m.Fit(cs, opt)
	if err != nil {
		return nil, err
	}
	ev, err := m.Evaluate(cs)
	if err != nil {
		return nil, err
	}
	tK := m.cfg.BaseTemperatureK
	p := m.Properties(tK)
	r := &BaseReport{Points: ev.Points, RMSE: ev.RMSE, NRMSE: ev.NRMSE, Curves: len(cs), BaseTemperatureK: tK,
		ModulusMPa: p.ModulusMPa, YieldMPa: p.YieldMPa, Iterations: fit.Iterations, Converged: fit.Converged, Loss: fit.Loss}
	r.TotalParameters, r.TrainableParameters = nn.Counts(m)
	if len(cs) >= 2 {
		if sc, err := Scatter(cs); err == nil {
			r.Scatter = &sc
		}
	}
	return r, nil
}
