package adapters

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadCandidates reads fuzzed bytes as a candidates file and solves a small
// budget with what it accepts: no panic, errors name the file, and a plan never
// exceeds its budget.
func FuzzReadCandidates(f *testing.F) {
	f.Add(`{"candidates": [{"name": "a", "method": "lora", "site": "x", "rank": 2, "param_cost": 10, "flop_cost": 5, "gain": 1}]}`)
	f.Add(`[{"name": "a", "method": "lora", "site": "x", "rank": 2, "param_cost": 10, "gain": 1}, {"name": "b", "method": "lora", "site": "x", "rank": 4, "param_cost": 20, "gain": 1.5}]`)
	f.Add(`{"candidates": [{"name": "a", "method": "lora", "param_cost": 10`)
	f.Add(`[{"name": "a", "method": "lora", "param_cost": -5, "gain": 1}]`)
	f.Add(`{"candidates": [], "base_parameters": -1}`)
	f.Add(`[{"name": "a", "method": "prompt", "param_cost": 9223372036854775807, "gain": 1e308}]`)
	f.Fuzz(func(t *testing.T, s string) {
		path := filepath.Join(t.TempDir(), "c.json")
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		cf, err := ReadCandidates(path)
		if err != nil {
			if !strings.Contains(err.Error(), "c.json") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		b := Budget{Params: 100, FLOPs: 1000}
		p, err := Solve(cf.Candidates, b, &SolveOptions{MaxCells: 1 << 12})
		if err != nil {
			return
		}
		if p.ParamCost > b.Params || p.FLOPCost > b.FLOPs {
			t.Fatalf("plan costs %d params, %d flops over budget %+v", p.ParamCost, p.FLOPCost, b)
		}
	})
}

// FuzzReadPlan reads fuzzed bytes as a plan file: no panic, errors name the file.
func FuzzReadPlan(f *testing.F) {
	f.Add(`{"format": "sciadapt-plan", "version": 1, "budget": {"params": 100}, "chosen": [{"name": "a", "method": "lora", "site": "x", "rank": 2, "param_cost": 10, "gain": 1}], "param_cost": 10, "gain": 1}`)
	f.Add(`{"format": "sciadapt-candidates", "version": 1, "chosen": []}`)
	f.Add(`{"format": "sciadapt-plan", "version": 2}`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, s string) {
		path := filepath.Join(t.TempDir(), "p.json")
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadPlan(path); err != nil && !strings.Contains(err.Error(), "p.json") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}
