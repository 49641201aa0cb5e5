package sweep

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/usage"
)

// TestOptionsRun runs a local sweep with one failing job through Options.Run,
// and checks the usage errors and the flag check.
func TestOptionsRun(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "spec.json")
	os.WriteFile(spec, []byte(`{"command": "add-element", "grid": {"frames": [10, 13]}}`), 0o644)
	f := &fakeRunner{calls: map[string]int{}}
	var log, errs bytes.Buffer
	o := &Options{Spec: spec, Out: filepath.Join(dir, "out"), Executor: "local", Jobs: 1, PerTask: 1, Log: &log, Err: &errs, Runner: f.run}
	err := o.Run(context.Background())
	if err == nil || !strings.HasPrefix(err.Error(), "1 of 2 jobs failed: add-element_frames=13") {
		t.Fatalf("error %v", err)
	}
	if !strings.Contains(log.String(), "2 jobs, 1 finished, 1 failed") || !strings.Contains(errs.String(), "13 frames is unlucky") {
		t.Fatalf("log\n%s\nfailures\n%s", log.String(), errs.String())
	}
	for _, bad := range []Options{{Executor: "pbs", PerTask: 1}, {Executor: "local", Jobs: -1, PerTask: 1},
		{Executor: "slurm", PerTask: 0}, {Executor: "slurm", PerTask: 1, MaxRunning: -1}} {
		var u usage.Error
		if err := bad.Run(context.Background()); !errors.As(err, &u) {
			t.Errorf("%+v: %v, want a usage error", bad, err)
		}
	}
	o.CheckFlags = func(path string, s *Spec) error { return errors.New(path + ": no flag --frames") }
	if err := o.Run(context.Background()); err == nil || err.Error() != spec+": no flag --frames" {
		t.Errorf("flag check: %v", err)
	}
}
