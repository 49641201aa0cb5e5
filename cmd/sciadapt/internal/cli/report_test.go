package cli

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/bio"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/demo"
	"github.com/sciadapt/sciadapt/constitutive"
)

// TestReportBytes checks that writeReport (go-json) writes exactly the bytes that
// encoding/json writes, for a value of every report type of the commands: so
// the choice of encoder changes no report.
func TestReportBytes(t *testing.T) {
	m := bio.Metrics{Task: dtidata.Binary, Pairs: 12, Positives: 3, AUROC: 0.75, AUPRC: 0.5, MacroAUROC: math.NaN(),
		MSE: math.NaN(), CI: math.NaN(), Pearson: math.NaN()}
	x, pl, yes := 0.125, 8, true
	rmse := 6.5
	errs := constitutive.Errors{Points: 10, RMSE: 1.0 / 3, NRMSE: 1e-7}
	h := reportHeader{TrainableParameters: 32, TotalParameters: 1 << 20, Seconds: 12.345678901234567}
	reports := []any{
		trainDTIReport{TrainableParameters: 1, Species: []string{"human", "unknown"}, Train: m, Test: m},
		&bio.TransferReport{Method: "prompt", Species: "rat", Targets: []bio.TargetReport{{Protein: "P<1>&", Adapt: 2}},
			Test: m, FrozenTest: m, ControlReceptorRateTest: m, HumanTestBefore: &m, HumanPredictionsUnchanged: &yes,
			AlignWeight: &x, PromptLength: &pl, PromptLengthSearch: &adapters.LengthChoice{Length: 2, Plateau: 0.1,
				Tried: []adapters.LengthScore{{Length: 1, Score: 0.2}}}},
		constitutive.SpecimenTuneReport{TemperatureK: 473.15, Specimen: "S", TrainIndices: []int{0, 5}, RMSE: &rmse, Base: &errs},
		constitutive.SpecimenTuneReport{}, // null errors
		constitutive.BaseReport{Scatter: &errs, Loss: 1e-300},
		evalBinaryReport{h, 12, &x, nil, &x},
		evalAffinityReport{h, 12, nil, nil, nil},
		evalConstitutiveReport{h, errs},
		mdReport{reportHeader: h, FinalTotalEnergy: -1234.5678},
		relaxReport{reportHeader: h, Converged: true},
		serveReport{reportHeader: h, EndedBy: "exit"},
		planReport{Plan: &adapters.Plan{}, Candidates: "c.json"},
		exportKIMReport{reportHeader: h, Species: []string{"H", "C"}, CutoffAngstrom: 5},
		demo.Report{DTI: &demo.DTIReport{Rows: []demo.DTIRow{{Method: "frozen", Test: m}}}, Constitutive: &demo.ConstitutiveReport{}},
	}
	dir := t.TempDir()
	for i, r := range reports {
		path := filepath.Join(dir, "r.json")
		if err := writeReport(path, r); err != nil {
			t.Fatalf("report %d (%T): %v", i, r, err)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("report %d (%T): writeReport wrote\n%s\nencoding/json writes\n%s", i, r, got, want.Bytes())
		}
	}
	if err := writeReport(filepath.Join(dir, "nan.json"), mdReport{FinalTotalEnergy: math.NaN()}); err == nil {
		t.Error("a NaN outside a metric was written; want an error")
	}
	if _, err := os.Stat(filepath.Join(dir, "nan.json")); err == nil {
		t.Error("a failed report left a file behind")
	}
}
