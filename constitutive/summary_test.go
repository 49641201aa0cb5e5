package constitutive

import (
	"bytes"
	"strings"
	"testing"
)

func TestReportSummaries(t *testing.T) {
	var b bytes.Buffer
	base := &BaseReport{Points: 120, RMSE: 4.25, NRMSE: 0.0123, ModulusMPa: 68900, YieldMPa: 276.4, Iterations: 300}
	base.WriteSummary(&b, "al.model")
	want := "wrote al.model: E 68.9 GPa, σ_y0 276.4 MPa; training stress RMSE 4.25 MPa (NRMSE 0.0123) on 120 points\n" +
		"note: L-BFGS stopped after 300 iterations before its gradient tolerance; the best point found was kept\n"
	if b.String() != want {
		t.Errorf("base summary\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	base.Converged, base.Scatter = true, &Errors{RMSE: 3.5, NRMSE: 0.01}
	base.WriteSummary(&b, "al.model")
	if strings.Contains(b.String(), "note:") || !strings.HasSuffix(b.String(), "scatter (each against the mean of the others): RMSE 3.50 MPa, NRMSE 0.0100\n") {
		t.Errorf("converged base with scatter:\n%s", b.String())
	}
	tune := &SpecimenTuneReport{TemperatureK: 473.15, Specimen: "S1", TrainIndices: []int{0, 4, 9}, TrainableParameters: 40,
		ModulusMPa: 60000, YieldMPa: 200}
	b.Reset()
	tune.WriteSummary(&b, "t.adapter")
	if want := "wrote t.adapter (40 trained parameters, tuned on 3 points of S1): E 60.0 GPa, σ_y0 200.0 MPa at 200 °C\nnote: no other specimen at 200 °C to test on\n"; b.String() != want {
		t.Errorf("tune summary without others\n%s\nwant\n%s", b.String(), want)
	}
	rmse, nrmse := 5.0, 0.02
	tune.RMSE, tune.NRMSE, tune.Points, tune.TestSpecimens, tune.Base = &rmse, &nrmse, 300, 2, &Errors{RMSE: 20, NRMSE: 0.08}
	b.Reset()
	tune.WriteSummary(&b, "t.adapter")
	if !strings.Contains(b.String(), "on the 2 other specimens (300 points): stress RMSE 5.00 MPa, NRMSE 0.0200 (base model unchanged: 20.00 MPa, 0.0800)") {
		t.Errorf("tune summary with others:\n%s", b.String())
	}
}
