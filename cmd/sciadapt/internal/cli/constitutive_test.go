package cli

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/constitutive/curves"
)

// writeAlCurves prepares the Al 6061 fixture curves (two at 23 °C, one at 200 °C)
// and writes them to a curves file.
func writeAlCurves(t *testing.T, dir string) string {
	t.Helper()
	var cs []curves.Curve
	for _, name := range []string{"cleaned_CA-LT-01.csv", "cleaned_NM-LT-03.csv", "cleaned_6061-02-06-200C-LT_first120.csv"} {
		c, err := curves.ReadMatCalCSV(filepath.Join("..", "..", "..", "..", "testdata", "constitutive", name))
		if err != nil {
			t.Fatal(err)
		}
		if c, err = curves.Prepare(c, nil); err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	path := filepath.Join(dir, "al.h5")
	if err := curves.Write(path, cs); err != nil {
		t.Fatal(err)
	}
	return path
}

func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r map[string]any
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"trainable_parameters", "total_parameters", "seconds", "n_points", "stress_rmse_mpa", "stress_nrmse"} {
		if _, ok := r[k]; !ok {
			t.Errorf("%s lacks %q: %s", path, k, b)
		}
	}
	return r
}

func TestTrainConstitutiveAndTemperatureTune(t *testing.T) {
	dir := t.TempDir()
	data := writeAlCurves(t, dir)
	base := filepath.Join(dir, "al.model")
	rep := filepath.Join(dir, "base.json")
	code, _, stderr := run(t, "train", "constitutive", "--data", data, "--out", base, "--report", rep,
		"--points-per-curve", "40", "--max-iterations", "150")
	if code != 0 {
		t.Fatalf("train constitutive: exit %d: %s", code, stderr)
	}
	// The note goes to stderr (progress), not to stdout (results).
	if !strings.Contains(stderr, "training on 2 curves") {
		t.Errorf("train constitutive stderr: %s", stderr)
	}
	r := readJSON(t, rep)
	if r["trainable_parameters"] != r["total_parameters"] || r["n_points"].(float64) < 200 {
		t.Errorf("base report: %v", r)
	}
	if _, ok := r["scatter"]; !ok {
		t.Errorf("base report lacks the specimen scatter: %v", r)
	}
	if rmse := r["stress_rmse_mpa"].(float64); rmse > 4 {
		t.Errorf("base fit RMSE %.2f MPa on the 23 °C fixtures, want ≤ 4", rmse)
	}

	// Tune at 23 °C on one specimen, test on the other: the adapter starts as the
	// identity there, so it can only help the fit of the training points.
	ad := filepath.Join(dir, "t23.adapter")
	rep = filepath.Join(dir, "t23.json")
	code, out, stderr := run(t, "temperature-tune", "--base", base, "--temperature", "296.15K", "--data", data,
		"--specimen", "CA-LT-01", "--points", "5", "--out", ad, "--report", rep)
	if code != 0 {
		t.Fatalf("temperature-tune: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(ad); err != nil {
		t.Fatal(err)
	}
	r = readJSON(t, rep)
	if r["specimen"] != "CA-LT-01" || r["trainable_parameters"].(float64) != 32 || r["test_specimens"].(float64) != 1 {
		t.Errorf("tune report: %v", r)
	}
	if n := r["n_points"].(float64); n < 100 {
		t.Errorf("tested on %g points of NM-LT-03, want all of them", n)
	}
	if math.IsNaN(r["stress_nrmse"].(float64)) || r["stress_nrmse"].(float64) > 0.05 {
		t.Errorf("NRMSE on the other specimen %v", r["stress_nrmse"])
	}
	if !strings.Contains(out, "other specimens") {
		t.Errorf("temperature-tune output: %s", out)
	}

	// 200 °C: one specimen only, so nothing to test on; it says so.
	code, out, stderr = run(t, "temperature-tune", "--base", base, "--temperature", "200C", "--data", data,
		"--points", "10", "--out", filepath.Join(dir, "t200.adapter"))
	if code != 0 {
		t.Fatalf("temperature-tune 200C: exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "no other specimen") {
		t.Errorf("temperature-tune 200C output: %s", out)
	}

	// eval reads constitutive models and their temperature adapters.
	evRep := filepath.Join(dir, "eval.json")
	code, out, stderr = run(t, "eval", "--model", base, "--adapter", filepath.Join(dir, "t200.adapter"), "--data", data, "--report", evRep)
	if code != 0 || !strings.Contains(out, "stress RMSE") {
		t.Fatalf("eval: exit %d: %s %s", code, out, stderr)
	}
	if b, _ := os.ReadFile(evRep); !strings.Contains(string(b), "stress_nrmse") || !strings.Contains(string(b), "n_points") {
		t.Errorf("eval report lacks the constitutive fields: %s", b)
	}

	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"bad temperature", []string{"--temperature", "hot", "--points", "5"}, ExitUsage, "--temperature"},
		{"zero points", []string{"--temperature", "200C", "--points", "0"}, ExitUsage, "--points"},
		{"absent temperature", []string{"--temperature", "300C", "--points", "5"}, ExitBadInput, "there are curves at 23C, 200C"},
		{"unknown specimen", []string{"--temperature", "23C", "--specimen", "XX-1"}, ExitBadInput, "no specimen \"XX-1\""},
		{"too many points", []string{"--temperature", "200C", "--points", "5000"}, ExitBadInput, "5000 points"},
	} {
		args := append([]string{"temperature-tune", "--base", base, "--data", data, "--out", filepath.Join(dir, "x.adapter")}, tc.args...)
		code, _, stderr := run(t, args...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d mentioning %q", tc.name, code, stderr, tc.code, tc.msg)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.adapter")); !os.IsNotExist(err) {
		t.Error("a failed run left an adapter file behind")
	}
	code, _, stderr = run(t, "temperature-tune", "--base", data, "--data", data, "--temperature", "200C", "--out", filepath.Join(dir, "y.adapter"))
	if code != ExitBadInput || !strings.Contains(stderr, data) {
		t.Errorf("curves file as base: exit %d, %q", code, stderr)
	}
}
