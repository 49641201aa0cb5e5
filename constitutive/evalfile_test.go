package constitutive

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/constitutive/curves"
)

func TestEvaluateFile(t *testing.T) {
	m, room := fittedBase(t)
	dir := t.TempDir()
	model, data := filepath.Join(dir, "al.model"), filepath.Join(dir, "al.h5")
	if err := m.Save(model); err != nil {
		t.Fatal(err)
	}
	if err := curves.Write(data, room); err != nil {
		t.Fatal(err)
	}
	e, err := EvaluateFile(model, "", data)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := m.Evaluate(room)
	if e.Report.Errors != want || e.Report.TrainableParameters != 0 || e.Report.TotalParameters == 0 || len(e.Curves) != len(room) {
		t.Fatalf("report %+v, Evaluate %+v", e.Report, want)
	}
	pred := filepath.Join(dir, "pred.h5")
	if err := e.WritePredictions(pred, data); err != nil {
		t.Fatal(err)
	}
	back, err := curves.Read(pred)
	if err != nil {
		t.Fatal(err)
	}
	if self, _ := e.Model.Evaluate(back); self.RMSE > 1e-9 {
		t.Fatalf("the predictions file is %v MPa from the model's stress", self.RMSE)
	}
	if _, err := EvaluateFile(model, filepath.Join(dir, "none.adapter"), data); err == nil || !strings.Contains(err.Error(), "none.adapter") {
		t.Errorf("missing adapter: %v", err)
	}
}
