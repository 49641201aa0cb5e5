package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
)

// quickReport runs the quick demo once per test binary: every scenario, the
// command's default flags, seed 1.
func quickReport(t *testing.T) (*Report, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("the demo trains several models")
	}
	var out bytes.Buffer
	r, err := Run(Options{Scenario: All, Quick: true, BaseEpochs: 40, AdaptEpochs: 60, K: 10, Points: 10, PerTarget: 16,
		Seed: 1, Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	return r, out.String()
}

// tableRow returns the cells of the table line of method (cells are separated by
// two or more spaces), or fails the test.
func tableRow(t *testing.T, out, method string) []string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		cells := regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(line), -1)
		if cells[0] == method {
			return cells
		}
	}
	t.Fatalf("no table line for %q in:\n%s", method, out)
	return nil
}

// checkRow fails the test unless the table line of method holds exactly cells.
func checkRow(t *testing.T, out, method string, cells ...string) {
	t.Helper()
	got := tableRow(t, out, method)
	want := append([]string{method}, cells...)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("table line %q, want %q (from the report)", strings.Join(got, "|"), strings.Join(want, "|"))
	}
}

// TestDemoQuick runs the three scenarios for a few steps each and checks what the
// demo claims: every table has its rows in order with the numbers of the report,
// the adapters leave the H/C/N predictions bit-identical, the FiLM adapter beats
// the untuned base at 200 °C (the base was fitted at 23 °C and the embedded
// curves' yield stress falls by about a fifth at 200 °C, so the untuned error is
// tens of MPa), and on the rat test pairs both the receptor base rate and the
// adapter with ortholog alignment beat the frozen human model (true for seeds
// 1 to 6 of the quick run, by at least 0.10 and 0.028 in AUROC).
func TestDemoQuick(t *testing.T) {
	r, out := quickReport(t)
	if strings.Contains(out, "NaN") || strings.Contains(out, "Inf") {
		t.Errorf("demo output holds NaN or Inf:\n%s", out)
	}
	checkPotentials(t, r.Potentials, out)
	checkConstitutive(t, r.Constitutive, out)
	checkDTI(t, r.DTI, out)
	if want := r.Potentials.BaseTrainableParameters + r.Constitutive.BaseTrainableParameters + r.DTI.BaseTrainableParameters; r.TrainableParameters != want {
		t.Errorf("report trainable_parameters %d, want the bases' %d", r.TrainableParameters, want)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"trainable_parameters"`, `"total_parameters"`, `"seconds"`, `"add_oxygen"`, `"base_fit_23C"`, `"rat_test"`} {
		if !bytes.Contains(b, []byte(key)) {
			t.Errorf("report lacks %s", key)
		}
	}
}

func checkPotentials(t *testing.T, p *PotentialsReport, out string) {
	methods := []string{"zero-shot", "embedding", "adapter", "full", "from-scratch"}
	if len(p.AddOxygen) != len(methods) {
		t.Fatalf("%d potentials rows, want %d", len(p.AddOxygen), len(methods))
	}
	for i, row := range p.AddOxygen {
		if row.Method != methods[i] || row.K != 3 || row.Test.Frames != 9 {
			t.Errorf("row %d: %s, K = %d, %d O test frames; want %s, K = 3 (--quick), 9 frames", i, row.Method, row.K, row.Test.Frames, methods[i])
		}
		after := "—"
		if row.HCNAfter != nil {
			after = fmt.Sprintf("%.0f", 1000*row.HCNAfter.ForceMAE)
		}
		checkRow(t, out, row.Method, "3", fmt.Sprint(row.Trainable), dash(row.AdapterSize),
			fmt.Sprintf("%.1f", 1000*row.Test.EnergyMAEPerAtom), fmt.Sprintf("%.0f", 1000*row.Test.ForceMAE), after, fmt.Sprintf("%.0f", row.Seconds))
		adapter := row.Method != "full" && row.Method != "from-scratch"
		if adapter && (row.HCNAfter == nil || *row.HCNAfter != p.HCNTest) {
			t.Errorf("%s: H/C/N errors after adding O %+v, before %+v; an adapter must leave them bit-identical", row.Method, row.HCNAfter, p.HCNTest)
		}
		if saved := row.Method == "embedding" || row.Method == "adapter"; saved != (row.AdapterSize > 0) {
			t.Errorf("%s: adapter file of %d bytes", row.Method, row.AdapterSize)
		}
	}
	if a, f := p.AddOxygen[2].Trainable, p.AddOxygen[3].Trainable; !(0 < a && a < f) {
		t.Errorf("the adapter trains %d values and full fine-tuning %d; want 0 < adapter < full", a, f)
	}
}

func checkConstitutive(t *testing.T, c *ConstitutiveReport, out string) {
	cs, err := Curves()
	if err != nil {
		t.Fatal(err)
	}
	hot := 0
	for _, cv := range cs {
		if cv.TemperatureK == hotT {
			hot++
		}
	}
	methods := []string{"base, untuned", "FiLM temperature adapter", "from scratch on the K points"}
	if len(c.Rows) != len(methods) || c.K != 10 || c.TestSpecimens != hot-1 {
		t.Fatalf("%d rows, K = %d, %d test specimens; want 3, 10 and the %d other 200 °C specimens", len(c.Rows), c.K, c.TestSpecimens, hot-1)
	}
	for i, row := range c.Rows {
		if row.Method != methods[i] {
			t.Errorf("row %d is %q, want %q", i, row.Method, methods[i])
		}
		checkRow(t, out, row.Method, fmt.Sprint(row.Trainable), dash(row.AdapterBytes), fmt.Sprintf("%.2f", row.RMSE),
			fmt.Sprintf("%.4f", row.NRMSE), fmt.Sprintf("%.1f", row.Seconds))
	}
	base, film, scratch := c.Rows[0], c.Rows[1], c.Rows[2]
	if !(0 < film.RMSE && film.RMSE < base.RMSE) {
		t.Errorf("FiLM RMSE %.2f MPa, base %.2f MPa: want 0 < FiLM < base", film.RMSE, base.RMSE)
	}
	// The FiLM adapter trains 32 values (constitutive/doc.go); from scratch trains
	// every parameter of the base's architecture.
	if film.Trainable != 32 || scratch.Trainable != c.BaseTrainableParameters || film.AdapterBytes == 0 {
		t.Errorf("trained values: FiLM %d (file %d bytes), scratch %d; want 32, a file, and the base's %d", film.Trainable, film.AdapterBytes, scratch.Trainable, c.BaseTrainableParameters)
	}
	if !(c.Scatter.RMSE > 0) || c.Scatter.Points == 0 {
		t.Errorf("scatter %+v", c.Scatter)
	}
}

func checkDTI(t *testing.T, d *DTIReport, out string) {
	methods := []string{"frozen human model", "receptor base rate (control)", "prompt", "adapter + ortholog alignment", "from scratch on the rat pairs"}
	if len(d.Rows) != len(methods) || d.HumanPairs != 64 {
		t.Fatalf("%d rows, %d human pairs; want 5 and 64 (--quick)", len(d.Rows), d.HumanPairs)
	}
	for i, row := range d.Rows {
		m := row.Test
		if row.Method != methods[i] || m.Pairs != d.RatTestPairs || d.RatTestPairs == 0 {
			t.Errorf("row %d: %s on %d pairs; want %s on the %d rat test pairs", i, row.Method, m.Pairs, methods[i], d.RatTestPairs)
		}
		if !(m.AUROC >= 0 && m.AUROC <= 1) || math.IsNaN(m.MacroAUROC) {
			t.Errorf("%s: AUROC %v, macro %v", row.Method, m.AUROC, m.MacroAUROC)
		}
		checkRow(t, out, row.Method, fmt.Sprint(row.Trainable), dash(row.AdapterBytes), fmt.Sprintf("%.3f", m.AUROC),
			fmt.Sprintf("%.3f", m.AUPRC), fmt.Sprintf("%.3f", m.MacroAUROC), fmt.Sprintf("%.1f", row.Seconds))
	}
	frozen, rate, prompt, aligned := d.Rows[0].Test, d.Rows[1].Test, d.Rows[2], d.Rows[3].Test
	if !(rate.AUROC > frozen.AUROC) || !(aligned.AUROC > frozen.AUROC) {
		t.Errorf("rat AUROC: frozen %.3f, receptor base rate %.3f, adapter + alignment %.3f; want both above the frozen model",
			frozen.AUROC, rate.AUROC, aligned.AUROC)
	}
	// A prompt of 8 soft residues of the quick embedding width 4.
	if prompt.Trainable != 8*4 {
		t.Errorf("prompt trains %d values, want 32", prompt.Trainable)
	}
}
