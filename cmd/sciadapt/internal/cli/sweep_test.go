package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSweepRefusesBadSpecs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.json", `{"command": "temperature-tune", "args": {"base": "al.model"}, "grid": {"seed": [1, 2]}}`)
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown flag", []string{"--spec", write("frames.json", `{"command": "temperature-tune", "grid": {"frames": [10, 50]}}`)},
			ExitBadInput, "frames.json: temperature-tune has no flag --frames"},
		{"reserved flag", []string{"--spec", write("out.json", `{"command": "transfer", "args": {"out": "rat.adapter"}, "grid": {"seed": [1]}}`)},
			ExitBadInput, "out.json: args: --out is set by the sweep"},
		{"bad JSON", []string{"--spec", write("bad.json", `{"command": "transfer", "grid": {"seed": [1,]}}`)},
			ExitBadInput, "bad.json: "},
		{"no spec file", []string{"--spec", filepath.Join(dir, "none.json")}, ExitBadInput, "none.json: no such file"},
		{"bad executor", []string{"--spec", good, "--executor", "pbs"}, ExitUsage, "--executor must be local or slurm, not \"pbs\""},
		{"negative jobs", []string{"--spec", good, "--jobs", "-1"}, ExitUsage, "--jobs must be 0 (half the cores) or more"},
		{"zero per task", []string{"--spec", good, "--per-task", "0"}, ExitUsage, "--per-task must be at least 1"},
		{"missing binary", []string{"--spec", good, "--executor", "slurm", "--binary", filepath.Join(dir, "nope")}, ExitBadInput, "nope is not a file the tasks can run"},
	} {
		args := append([]string{"sweep", "--out", filepath.Join(dir, "out")}, tc.args...)
		code, _, stderr := run(t, args...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d mentioning %q", tc.name, code, stderr, tc.code, tc.msg)
		}
	}
}
