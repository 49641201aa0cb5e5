package constitutive

import (
	"math"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/constitutive/curves"
)

// TestFitBase checks the train-constitutive protocol's report against its parts:
// the fit error is Evaluate's on the training curves, the scatter is Scatter's,
// and E and σ_y0 are the model's properties at the base temperature.
func TestFitBase(t *testing.T) {
	room := []curves.Curve{fixture(t, "cleaned_CA-LT-01.csv"), fixture(t, "cleaned_NM-LT-03.csv")}
	m, err := New(Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.FitBase(room, &FitOptions{MaxIterations: 60, MaxPointsPerCurve: 40})
	if err != nil {
		t.Fatal(err)
	}
	ev, _ := m.Evaluate(room)
	sc, _ := Scatter(room)
	p := m.Properties(m.Config().BaseTemperatureK)
	if r.RMSE != ev.RMSE || r.Points != ev.Points || r.Curves != 2 || r.Scatter == nil || *r.Scatter != sc ||
		r.ModulusMPa != p.ModulusMPa || r.YieldMPa != p.YieldMPa || r.TrainableParameters != 67 || r.Iterations == 0 {
		t.Errorf("report %+v; want the fit %+v, scatter %+v, properties %+v and 67 trained values", r, ev, sc, p)
	}
}

// TestTuneToSpecimen runs the temperature-tune protocol on the fixture's 200 °C
// curves: the drawn specimen has at least K points, the others are the test set,
// the untuned and tuned errors are Evaluate's on them, and only the 32 FiLM values
// train. A named specimen that is absent, or has too few points, is refused with
// the temperature in the message.
func TestTuneToSpecimen(t *testing.T) {
	m, _ := fittedBase(t)
	// The fixture holds one 200 °C curve; two more specimens are made from it
	// with 3 % lower and 2 % higher stresses (the scatter between specimens).
	c := fixture(t, "cleaned_6061-02-06-200C-LT_first120.csv")
	hot := []curves.Curve{c}
	for i, f := range []float64{0.97, 1.02} {
		sig := make([]float64, c.Len())
		for j, v := range c.Stress {
			sig[j] = f * v
		}
		hot = append(hot, curves.NewCurve(c.Specimen+"-"+string(rune('a'+i)), c.TemperatureK, c.Strain, sig))
	}
	base, err := m.Evaluate(hot[1:])
	if err != nil {
		t.Fatal(err)
	}
	s, err := m.TuneToSpecimen(hot, 473.15, SpecimenTuneOptions{Points: 5, Specimen: hot[0].Specimen,
		TuneOptions: TuneOptions{FitOptions: FitOptions{MaxIterations: 40}, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	r := s.Report
	tuned, _ := m.Evaluate(s.Others)
	if r.Specimen != hot[0].Specimen || len(s.Others) != len(hot)-1 || len(r.TrainIndices) != 5 || r.TrainableParameters != 32 ||
		r.Base == nil || r.Base.RMSE != base.RMSE || r.RMSE == nil || *r.RMSE != tuned.RMSE || !(tuned.RMSE < base.RMSE) {
		t.Errorf("report %+v: want specimen %s, 5 points, 32 values, base %.2f → tuned %.2f MPa below it", r, hot[0].Specimen, base.RMSE, tuned.RMSE)
	}
	s.Adapter.Detach()
	for _, c := range []struct {
		name string
		k    int
		want string
	}{{"nope", 5, `no specimen "nope" at 200 °C`}, {hot[0].Specimen, 100000, "fewer than 100000"}, {"", 100000, "no curve at 200 °C has 100000 points"}} {
		_, err := m.TuneToSpecimen(hot, 473.15, SpecimenTuneOptions{Points: c.k, Specimen: c.name})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("specimen %q, K = %d: %v, want %q", c.name, c.k, err, c.want)
		}
	}
	if math.IsNaN(r.ModulusMPa) {
		t.Error("modulus NaN")
	}
}
