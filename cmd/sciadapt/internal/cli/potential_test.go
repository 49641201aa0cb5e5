package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/demodata"
	"github.com/sciadapt/sciadapt/nn"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestTrainAddElementEndToEnd trains a tiny base on the embedded H/C/N frames, adds O
// with the adapter, and checks the report fields DESIGN.md promises and that the
// adapter file is written.
func TestTrainAddElementEndToEnd(t *testing.T) {
	dir := t.TempDir()
	paths, err := demodata.WriteTo(dir)
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "hcn.model")
	code, _, stderr := run(t, "train", "potential", "--data", paths[demodata.HCNTrain], "--out", base,
		"--frames", "4", "--epochs", "2", "--features", "8", "--rbf", "8", "--interactions", "1")
	if code != 0 {
		t.Fatalf("train potential: exit %d: %s", code, stderr)
	}
	adapter := filepath.Join(dir, "O.adapter")
	report := filepath.Join(dir, "o.json")
	code, out, stderr := run(t, "add-element", "--base", base, "--element", "o", "--data", paths[demodata.OTrain],
		"--frames", "3", "--epochs", "2", "--test", paths[demodata.OTest], "--out", adapter, "--report", report)
	if code != 0 {
		t.Fatalf("add-element: exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "wrote "+adapter) {
		t.Fatalf("add-element output: %s", out)
	}
	var r map[string]any
	b, _ := os.ReadFile(report)
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"trainable_parameters", "total_parameters", "seconds", "test"} {
		if _, ok := r[k]; !ok {
			t.Errorf("report lacks %q: %s", k, b)
		}
	}
	test := r["test"].(map[string]any)
	for _, k := range []string{"n_frames", "energy_mae_ev", "energy_mae_ev_per_atom", "force_mae_ev_per_angstrom"} {
		if _, ok := test[k]; !ok {
			t.Errorf("test errors lack %q", k)
		}
	}
	if int(test["n_frames"].(float64)) != 60 {
		t.Errorf("n_frames = %v, want 60", test["n_frames"])
	}

	// A placement plan chooses where LoRA goes; add-element follows it.
	cands := filepath.Join(dir, "cands.json")
	os.WriteFile(cands, []byte(`{"candidates": [
	  {"name": "f0", "method": "lora", "site": "interaction.0.filter.0", "rank": 2, "param_cost": 32, "flop_cost": 1, "gain": 0.5},
	  {"name": "f1", "method": "lora", "site": "interaction.0.filter.1", "rank": 2, "param_cost": 32, "flop_cost": 1, "gain": 0.1},
	  {"name": "u1", "method": "lora", "site": "interaction.0.update.1", "rank": 4, "param_cost": 64, "flop_cost": 1, "gain": 0.9}]}`), 0o644)
	plan := filepath.Join(dir, "plan.json")
	if code, _, stderr := run(t, "plan", "--candidates", cands, "--max-params", "96", "--out", plan); code != 0 {
		t.Fatalf("plan: exit %d: %s", code, stderr)
	}
	planned := filepath.Join(dir, "planned.adapter")
	if code, _, stderr := run(t, "add-element", "--base", base, "--element", "O", "--data", paths[demodata.OTrain],
		"--frames", "2", "--epochs", "1", "--plan", plan, "--out", planned); code != 0 {
		t.Fatalf("add-element --plan: exit %d: %s", code, stderr)
	}
	pf, err := nn.ReadTensors(planned)
	if err != nil {
		t.Fatal(err)
	}
	var loras []string
	for _, ts := range pf.Tensors {
		if strings.Contains(ts.Name, "lora_A") {
			loras = append(loras, ts.Name)
		}
	}
	if strings.Join(loras, " ") != "interaction.0.filter.0.lora_A.weight interaction.0.update.1.lora_A.weight" {
		t.Fatalf("planned adapter has LoRA at %v, want filter.0 and update.1 (the best 96-parameter choice)", loras)
	}

	code, out, stderr = run(t, "eval", "--model", base, "--adapter", adapter, "--data", paths[demodata.OTest])
	if code != 0 || !strings.Contains(out, "60 frames") {
		t.Fatalf("eval: exit %d: %s %s", code, out, stderr)
	}

	// Bad input: exit codes and messages that name the problem.
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"add-element", "--base", base, "--element", "Xx", "--data", paths[demodata.OTrain], "--out", filepath.Join(dir, "x.adapter")}, ExitUsage, "unknown element symbol"},
		{[]string{"add-element", "--base", filepath.Join(dir, "missing.model"), "--element", "O", "--data", paths[demodata.OTrain], "--out", filepath.Join(dir, "y.adapter")}, ExitBadInput, "missing.model"},
		{[]string{"add-element", "--base", adapter, "--element", "O", "--data", paths[demodata.OTrain], "--out", filepath.Join(dir, "z.adapter")}, ExitBadInput, "not a sciadapt model file"},
		{[]string{"add-element", "--base", base, "--element", "C", "--data", paths[demodata.OTrain], "--out", filepath.Join(dir, "c.adapter")}, ExitBadInput, "already knows C"},
		{[]string{"add-element", "--element", "O"}, ExitUsage, "required flag"},
	}
	for _, c := range cases {
		code, _, stderr := run(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", c.args, code, stderr, c.code, c.want)
		}
		// Progress notes may come first; the error is the last line, and the only
		// one starting "sciadapt: ".
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		if n := strings.Count(stderr, "sciadapt: "); n != 1 || !strings.HasPrefix(lines[len(lines)-1], "sciadapt: ") {
			t.Errorf("%v: the error is not one last line: %q", c.args, stderr)
		}
	}
	for _, name := range []string{"x.adapter", "y.adapter", "z.adapter", "c.adapter"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s was left behind by a failed command", name)
		}
	}
}

// TestTrainPotentialInit continues training a model with --init: the architecture
// comes from the model (the size flags are ignored), a step size of 1e-12 leaves
// its weights where they were, and data with an element the model lacks is refused.
func TestTrainPotentialInit(t *testing.T) {
	dir := t.TempDir()
	paths, err := demodata.WriteTo(dir)
	if err != nil {
		t.Fatal(err)
	}
	base, cont := filepath.Join(dir, "hcn.model"), filepath.Join(dir, "cont.model")
	if code, _, stderr := run(t, "train", "potential", "--data", paths[demodata.HCNTrain], "--out", base,
		"--frames", "4", "--epochs", "2", "--features", "8", "--rbf", "8", "--interactions", "1"); code != 0 {
		t.Fatalf("train potential: exit %d: %s", code, stderr)
	}
	if code, _, stderr := run(t, "train", "potential", "--data", paths[demodata.HCNTrain], "--init", base, "--out", cont,
		"--frames", "4", "--epochs", "1", "--lr", "1e-12", "--features", "16", "--quiet"); code != 0 {
		t.Fatalf("train potential --init: exit %d: %s", code, stderr)
	}
	a, err := nn.ReadModelFile(base)
	if err != nil {
		t.Fatal(err)
	}
	b, err := nn.ReadModelFile(cont)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Tensors) != len(b.Tensors) {
		t.Fatalf("%d tensors after --init, want the %d of the initial model", len(b.Tensors), len(a.Tensors))
	}
	for name, ta := range a.Tensors {
		tb := b.Tensors[name]
		if len(tb.Data) != len(ta.Data) {
			t.Fatalf("%s: %d values after --init, want %d", name, len(tb.Data), len(ta.Data))
		}
		for i := range ta.Data {
			if d := ta.Data[i] - tb.Data[i]; d > 1e-9 || d < -1e-9 {
				t.Fatalf("%s[%d] moved by %g at a step size of 1e-12", name, i, d)
			}
		}
	}
	code, _, stderr := run(t, "train", "potential", "--data", paths[demodata.OTrain], "--init", base,
		"--out", filepath.Join(dir, "o.model"), "--epochs", "1")
	if code == 0 || !strings.Contains(stderr, "element O is not among") {
		t.Errorf("--init with O frames: exit %d, %q; want a refusal naming O", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "o.model")); err == nil {
		t.Error("o.model left behind")
	}
}
