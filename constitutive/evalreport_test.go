package constitutive

import (
	"math"
	"testing"
)

// TestPredictCurves checks that the predicted curves are the model's uniaxial
// stress on each curve's own strains, and that scoring them against themselves
// gives no error while the measured curves give Evaluate's.
func TestPredictCurves(t *testing.T) {
	m, room := fittedBase(t)
	pred, err := m.PredictCurves(room)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range pred {
		s, _ := m.UniaxialStress(room[i].Strain, room[i].TemperatureK)
		if p.Specimen != room[i].Specimen || p.Len() != room[i].Len() || &p.Stress[0] == &room[i].Stress[0] {
			t.Fatalf("curve %d: %s with %d points (measured %s, %d)", i, p.Specimen, p.Len(), room[i].Specimen, room[i].Len())
		}
		for k := range s {
			if p.Stress[k] != s[k] {
				t.Fatalf("curve %d point %d: %v MPa, UniaxialStress gives %v", i, k, p.Stress[k], s[k])
			}
		}
	}
	self, _ := m.Evaluate(pred)
	measured, _ := m.Evaluate(room)
	if self.RMSE > 1e-9 || !(measured.RMSE > 1) || math.IsNaN(measured.RMSE) {
		t.Fatalf("RMSE against its own predictions %v MPa, against the measurements %v MPa", self.RMSE, measured.RMSE)
	}
}
