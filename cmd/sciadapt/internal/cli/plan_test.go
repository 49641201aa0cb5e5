package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/adapters"
)

const planCandidates = `{
  "base_parameters": 10000,
  "candidates": [
    {"name": "lora:enc:r2", "method": "lora", "site": "enc", "rank": 2, "param_cost": 24, "flop_cost": 56, "gain": 0.5},
    {"name": "lora:enc:r4", "method": "lora", "site": "enc", "rank": 4, "param_cost": 48, "flop_cost": 112, "gain": 0.6},
    {"name": "lora:head:r1", "method": "lora", "site": "head", "rank": 1, "param_cost": 11, "flop_cost": 25, "gain": 0.3},
    {"name": "film:norm", "method": "film", "site": "norm", "param_cost": 48, "flop_cost": 60, "gain": 0.4},
    {"name": "bitfit", "method": "bitfit", "param_cost": 11, "flop_cost": 0, "gain": -0.01}
  ]
}`

func writePlanCandidates(t *testing.T) (dir, path string) {
	dir = t.TempDir()
	path = filepath.Join(dir, "candidates.json")
	if err := os.WriteFile(path, []byte(planCandidates), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, path
}

func TestRunPlan(t *testing.T) {
	dir, cands := writePlanCandidates(t)
	cases := []struct {
		params, flops string
		chosen        []string
		gain          float64
	}{
		// Parameters only: enc r4 (48) + head (11) + film (48) = 107 > 100, so enc r2.
		{"100", "", []string{"lora:enc:r2", "lora:head:r1", "film:norm"}, 1.2},
		// Both budgets: 120 FLOPs leave room for enc r2 (56) + film (60) only.
		{"1e3", "120", []string{"lora:enc:r2", "film:norm"}, 0.9},
		// FLOPs only.
		{"", "200", []string{"lora:enc:r4", "lora:head:r1", "film:norm"}, 1.3},
	}
	for _, c := range cases {
		var out bytes.Buffer
		planPath := filepath.Join(dir, "plan.json")
		report := filepath.Join(dir, "report.json")
		err := runPlan(&PlanOptions{Candidates: cands, Out: planPath, MaxParams: c.params, MaxFLOPs: c.flops, MaxCells: 1 << 22, Report: report, Stdout: &out})
		if err != nil {
			t.Fatal(err)
		}
		p, err := adapters.ReadPlan(planPath)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, ch := range p.Chosen {
			names = append(names, ch.Name)
			if !strings.Contains(out.String(), ch.Name) {
				t.Errorf("table lacks %s:\n%s", ch.Name, out.String())
			}
		}
		if strings.Join(names, " ") != strings.Join(c.chosen, " ") || p.Gain-c.gain > 1e-12 || c.gain-p.Gain > 1e-12 || !p.Exact {
			t.Errorf("budgets %q/%q: chose %q (gain %v, exact %v), want %q (gain %v)", c.params, c.flops, names, p.Gain, p.Exact, c.chosen, c.gain)
		}
		if !strings.Contains(out.String(), "optimal (exact dynamic programming") || strings.Contains(out.String(), "bitfit") {
			t.Errorf("output:\n%s", out.String())
		}
		var rep map[string]any
		b, _ := os.ReadFile(report)
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatal(err)
		}
		if rep["trainable_parameters"] != float64(p.ParamCost) || rep["total_parameters"] != float64(10000+p.ParamCost) || rep["seconds"] == nil {
			t.Errorf("report %v", rep)
		}
	}
}

func TestRunPlanErrors(t *testing.T) {
	dir, cands := writePlanCandidates(t)
	out := filepath.Join(dir, "plan.json")
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"candidates": [{"name": "a", "method": "lora", "param_cost": 5, "gain": "high"}]}`), 0o644)
	cases := []struct {
		opts PlanOptions
		code int
		want string
	}{
		{PlanOptions{Candidates: cands, Out: out}, ExitUsage, "give a budget"},
		{PlanOptions{Candidates: cands, Out: out, MaxParams: "lots"}, ExitUsage, `--max-params "lots"`},
		{PlanOptions{Candidates: cands, Out: out, MaxParams: "12.5"}, ExitUsage, "whole number"},
		{PlanOptions{Candidates: filepath.Join(dir, "missing.json"), Out: out, MaxParams: "10"}, ExitBadInput, "missing.json"},
		{PlanOptions{Candidates: bad, Out: out, MaxParams: "10"}, ExitBadInput, "bad.json"},
	}
	for _, c := range cases {
		c.opts.MaxCells = 1 << 22
		err := runPlan(&c.opts)
		if err == nil || exitCode(err) != c.code || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v (exit %d), want exit %d and %q", c.opts, err, exitCode(err), c.code, c.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%+v: a failed plan left %s behind", c.opts, out)
		}
	}
}

// A table too small for exactness gives a plan within budget and the bracket of
// the optimum.
func TestRunPlanGrid(t *testing.T) {
	dir, cands := writePlanCandidates(t)
	var out bytes.Buffer
	planPath := filepath.Join(dir, "plan.json")
	if err := runPlan(&PlanOptions{Candidates: cands, Out: planPath, MaxParams: "100", MaxFLOPs: "150", MaxCells: 64, Stdout: &out}); err != nil {
		t.Fatal(err)
	}
	p, err := adapters.ReadPlan(planPath)
	if err != nil {
		t.Fatal(err)
	}
	// The exact optimum within 100 parameters and 150 FLOPs is 1.2 (enc r2, head, film).
	if p.Exact || p.ParamCost > 100 || p.FLOPCost > 150 || p.Gain > 1.2 || p.GainUpperBound < 1.2 {
		t.Errorf("grid plan %+v", p)
	}
	if !strings.Contains(out.String(), "the optimum lies in [") {
		t.Errorf("output:\n%s", out.String())
	}
}

// The command is registered and maps errors to exit codes through Main.
func TestPlanCommand(t *testing.T) {
	dir, cands := writePlanCandidates(t)
	var stdout, stderr bytes.Buffer
	code := Main([]string{"plan", "--candidates", cands, "--max-params", "2e1", "--out", filepath.Join(dir, "p.json")}, nil, &stdout, &stderr)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	// Within 20 parameters only one placement fits, the best is head (0.3 > …).
	if !strings.Contains(stdout.String(), "lora:head:r1") || strings.Contains(stdout.String(), "lora:enc") {
		t.Errorf("output:\n%s", stdout.String())
	}
	stderr.Reset()
	if code := Main([]string{"plan", "--max-params", "10"}, nil, &stdout, &stderr); code != ExitUsage {
		t.Errorf("missing --candidates: exit %d, want %d (%s)", code, ExitUsage, stderr.String())
	}
}
