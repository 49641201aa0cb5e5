package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestGlobalProgressFlags runs a short training with --log-json, with --quiet and
// with neither, and checks what reaches stderr: JSON events, nothing, plain lines
// (the test's stderr is not a terminal, so never a bar). Results stay on stdout.
func TestGlobalProgressFlags(t *testing.T) {
	dir := t.TempDir()
	data := writeAlCurves(t, dir)
	args := []string{"train", "constitutive", "--data", data, "--out", filepath.Join(dir, "al.model"),
		"--points-per-curve", "20", "--max-iterations", "12"}

	code, out, stderr := run(t, append([]string{"--log-json"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	epochs := 0
	for i, l := range lines {
		var ev struct {
			Event, Command string
			Epoch          int
			Loss, Seconds  *float64
		}
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("stderr line %d is not JSON: %q", i+1, l)
		}
		if ev.Command != "train constitutive" {
			t.Errorf("line %q: command %q", l, ev.Command)
		}
		if ev.Event == "epoch" {
			epochs++
			if ev.Epoch != epochs || ev.Loss == nil || !(*ev.Loss >= 0) || ev.Seconds == nil {
				t.Errorf("epoch event %q: want epoch %d with a loss and seconds", l, epochs)
			}
		}
	}
	if epochs < 12 || !strings.Contains(lines[0], `"event":"note"`) || !strings.Contains(lines[len(lines)-1], `"event":"done"`) {
		t.Errorf("%d epoch events (want ≥ 12 L-BFGS evaluations), first %q, last %q", epochs, lines[0], lines[len(lines)-1])
	}
	if !strings.Contains(out, "wrote ") {
		t.Errorf("the result line is not on stdout: %q", out)
	}

	code, out, stderr = run(t, append(args, "--quiet")...)
	if code != 0 || stderr != "" || !strings.Contains(out, "wrote ") {
		t.Errorf("--quiet: exit %d, stderr %q, stdout %q", code, stderr, out)
	}

	code, _, stderr = run(t, args...)
	if code != 0 || !strings.Contains(stderr, "training on 2 curves") || !strings.Contains(stderr, "L-BFGS evaluation 1/12") {
		t.Errorf("plain progress: exit %d, stderr %q", code, stderr)
	}
	if strings.ContainsAny(stderr, "\r\x1b") {
		t.Errorf("a bar was drawn on a non-terminal: %q", stderr)
	}
}

// TestImportProgress checks that an import reports one event per file with
// --log-json and nothing on a non-terminal without it.
func TestImportProgress(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join("..", "..", "..", "..", "testdata", "constitutive")
	files := []string{filepath.Join(in, "cleaned_CA-LT-01.csv"), filepath.Join(in, "cleaned_NM-LT-03.csv")}
	code, _, stderr := run(t, append([]string{"import", "matcal", "--log-json", "--out", filepath.Join(dir, "a.h5")}, files...)...)
	if code != 0 || strings.Count(stderr, `"event":"epoch","command":"import matcal","label":"files"`) != 2 {
		t.Errorf("--log-json import: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = run(t, append([]string{"import", "matcal", "--out", filepath.Join(dir, "b.h5")}, files...)...)
	if code != 0 || stderr != "" {
		t.Errorf("plain import: exit %d, stderr %q", code, stderr)
	}
}
