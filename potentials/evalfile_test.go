package potentials_test

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
)

// TestEvaluateFile evaluates a model file on the rMD17 fixture and checks the
// errors against EvaluateBySystem on the frames, the report's parameters, the
// predictions file and the errors for bad files.
func TestEvaluateFile(t *testing.T) {
	const data = "../testdata/atoms/rmd17_o_subset.h5"
	dir := t.TempDir()
	m := smallModel(t, []int{1, 6, 8})
	model := filepath.Join(dir, "hco.model")
	if err := m.Save(model); err != nil {
		t.Fatal(err)
	}
	e, err := potentials.EvaluateFile(model, "", data)
	if err != nil {
		t.Fatal(err)
	}
	want, systems, _ := potentials.EvaluateBySystem(m, e.Frames, 64, nil)
	if e.Errors != want || len(e.Systems) != len(systems) || len(systems) < 2 || e.Context != nil {
		t.Fatalf("errors %+v over %d systems, EvaluateBySystem %+v over %d", e.Errors, len(e.Systems), want, len(systems))
	}
	if r := e.Report; r.Trainable != 0 || r.Total == 0 || r.Frames != want.Frames || r.ForceMAE != want.ForceMAE || len(r.Systems) != len(systems) {
		t.Fatalf("report %+v", r)
	}
	pred := filepath.Join(dir, "pred.h5")
	if err := e.WritePredictions(pred, model, data); err != nil {
		t.Fatal(err)
	}
	f, err := datasets.Open(pred)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	back, _ := f.Frames(f.Refs())
	p, _ := potentials.PredictedFrames(m, e.Frames, 64, nil)
	if len(back) != len(p) || f.Meta().LevelOfTheory != "predicted by "+model {
		t.Fatalf("%d frames read back of %d; level of theory %q", len(back), len(p), f.Meta().LevelOfTheory)
	}
	for i := range back {
		if d := back[i].Energy - p[i].Energy; d > 1e-9 || d < -1e-9 {
			t.Fatalf("frame %d: energy %v in the file, %v predicted", i, back[i].Energy, p[i].Energy)
		}
	}
	// With an add-element adapter (oxygen) on a base of H and C.
	base := smallModel(t, []int{1, 6})
	baseFile, adapterFile := filepath.Join(dir, "hc.model"), filepath.Join(dir, "O.adapter")
	if err := base.Save(baseFile); err != nil {
		t.Fatal(err)
	}
	a, err := potentials.NewElementAdapter(base, potentials.DefaultElementConfig(8))
	if err != nil {
		t.Fatal(err)
	}
	values := 0
	for _, p := range a.Params() {
		values += p.Size()
	}
	if err := a.Save(adapterFile); err != nil {
		t.Fatal(err)
	}
	ea, err := potentials.EvaluateFile(baseFile, adapterFile, data)
	if err != nil {
		t.Fatal(err)
	}
	withAdapter, _ := nn.Counts(base)
	// The adapter file holds float32 values: compare to the in-memory adapter
	// within float32 rounding. (The base alone does not know oxygen.)
	want, _, _ = potentials.EvaluateBySystem(base, ea.Frames, 64, base.ElementContext)
	if ea.Context == nil || math.Abs(ea.Errors.EnergyMAE-want.EnergyMAE) > 1e-6*want.EnergyMAE || math.Abs(ea.Errors.ForceMAE-want.ForceMAE) > 1e-6*want.ForceMAE || ea.Report.Trainable != values || ea.Report.Total != withAdapter+values {
		t.Fatalf("with the adapter: errors %+v (want %+v), %d of %d parameters trainable (want %d of %d)",
			ea.Errors, want, ea.Report.Trainable, ea.Report.Total, values, withAdapter+values)
	}
	for _, c := range [][3]string{
		{filepath.Join(dir, "none.model"), "", "none.model"},
		{model, filepath.Join(dir, "none.adapter"), "none.adapter"},
		{model, "", "../testdata/atoms/emt_subset.h5: "},
	} {
		d := data
		if strings.HasSuffix(c[2], ": ") {
			d = strings.TrimSuffix(c[2], ": ")
		}
		if _, err := potentials.EvaluateFile(c[0], c[1], d); err == nil || !strings.Contains(err.Error(), c[2]) {
			t.Errorf("%v: error %v", c, err)
		}
	}
}
