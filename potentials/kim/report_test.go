package kim

import (
	"bytes"
	"strings"
	"testing"
)

func TestExportedReportAndSummary(t *testing.T) {
	e := &Exported{Name: "Sciadapt_HC_0123abcd", Dir: "kim/hc", Species: []string{"H", "C"}, Cutoff: 5, Interactions: 2,
		InfluenceDistance: 10, Shift: -12.5, Parameters: 1234}
	r := e.Report()
	if r.Name != e.Name || r.Directory != e.Dir || r.Driver != DriverName || r.CutoffAngstrom != 5 || r.InfluenceDistanceAngstrom != 10 ||
		r.EnergyShiftEV != -12.5 || r.Total != 1234 || r.Trainable != 0 || strings.Join(r.Species, " ") != "H C" {
		t.Fatalf("report %+v of %+v", r, e)
	}
	var b bytes.Buffer
	e.WriteSummary(&b)
	for _, want := range []string{"wrote kim/hc: KIM portable model Sciadapt_HC_0123abcd for H C (driver Sciadapt; cutoff 5 Å, influence distance 10 Å)",
		"E_0 = -12.5 eV", "install user kim/hc", "kim init Sciadapt_HC_0123abcd metal"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, b.String())
		}
	}
}
