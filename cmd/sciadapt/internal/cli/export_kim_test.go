package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportKIM(t *testing.T) {
	model, adapter, _ := serveFixture(t)
	dir := t.TempDir()
	out, report := filepath.Join(dir, "kim"), filepath.Join(dir, "kim.json")
	code, stdout, stderr := run(t, "export", "kim", "--model", model, "--adapter", adapter, "--name", "Sciadapt_HCO_test", "--out", out, "--report", report)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"wrote " + out + ": KIM portable model Sciadapt_HCO_test for H C O (driver Sciadapt; cutoff 4 Å, influence distance 4 Å)",
		"KIM energies are the model's minus E_0 = 0 eV", "kim-api-collections-management install user " + out, "kim init Sciadapt_HCO_test metal"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	for _, f := range []string{"CMakeLists.txt", "sciadapt.params", "sciadapt.model", "sciadapt.adapter", "kimspec.edn", "README.md"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	var r map[string]any
	b, _ := os.ReadFile(report)
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"trainable_parameters", "total_parameters", "seconds", "name", "species", "influence_distance_angstrom", "energy_shift_ev"} {
		if _, ok := r[k]; !ok {
			t.Errorf("report lacks %q: %s", k, b)
		}
	}
	if r["total_parameters"].(float64) <= 0 {
		t.Errorf("total_parameters %v", r["total_parameters"])
	}
}

func TestExportKIMBadInput(t *testing.T) {
	model, adapter, _ := serveFixture(t)
	dir := t.TempDir()
	used := filepath.Join(dir, "used")
	os.Mkdir(used, 0o755)
	os.WriteFile(filepath.Join(used, "keep"), nil, 0o644)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--model", model}, ExitUsage, `required flag(s) "out" not set`},
		{[]string{"--model", model, "--out", filepath.Join(dir, "a"), "--name", "no-dashes"}, ExitUsage, "--name: KIM name \"no-dashes\""},
		{[]string{"--model", filepath.Join(dir, "none.model"), "--out", filepath.Join(dir, "b")}, ExitBadInput, "none.model"},
		{[]string{"--model", adapter, "--out", filepath.Join(dir, "c")}, ExitBadInput, "O.adapter"},
		{[]string{"--model", model, "--out", used}, ExitBadInput, used + " is not empty"},
		{[]string{"--model", model, "--out", filepath.Join(dir, "d"), "--report", filepath.Join(dir, "no", "r.json")}, ExitUsage, "does not exist"},
	} {
		code, _, stderr := run(t, append([]string{"export", "kim"}, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
	for _, d := range []string{"a", "b", "c", "d"} {
		if _, err := os.Stat(filepath.Join(dir, d)); err == nil {
			t.Errorf("%s was written", d)
		}
	}
}
