package constitutive

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/constitutive/curves"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/train/checkpoint"
)

// TestFitInterruptResumeExact interrupts an L-BFGS fit at its first evaluation (a
// context cancelled before the start, as on SIGINT) and, separately, resumes from
// the last checkpoint of a complete fit (written every 7 evaluations); both resumed
// fits, started from fresh models, must end bit-identical to an uninterrupted fit.
// Resuming with other data is refused.
func TestFitInterruptResumeExact(t *testing.T) {
	room := []curves.Curve{fixture(t, "cleaned_CA-LT-01.csv"), fixture(t, "cleaned_NM-LT-03.csv")}
	fit := func(s *checkpoint.Saver, cs []curves.Curve) (*Model, FitResult, error) {
		m, err := New(Config{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		r, err := m.Fit(cs, &FitOptions{MaxIterations: 40, MaxPointsPerCurve: 20, Checkpoint: s})
		return m, r, err
	}
	want, wantRes, err := fit(nil, room)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()

	// Interrupted at the first evaluation.
	path := filepath.Join(dir, "fit.ckpt")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m, _, err := fit(&checkpoint.Saver{Path: path, Context: ctx}, room)
	var intr *checkpoint.Interrupted
	if !errors.As(err, &intr) || intr.Path != path || intr.Position.Step != 1 {
		t.Fatalf("got %v, want an interruption after 1 evaluation with checkpoint %s", err, path)
	}
	if fresh, _ := New(Config{Seed: 1}); nn.Fingerprint(m) != nn.Fingerprint(fresh) {
		t.Error("an interrupted fit left the model changed")
	}

	// Resumed from a checkpoint mid-way through a complete fit.
	mid := filepath.Join(dir, "mid.ckpt")
	s := &checkpoint.Saver{Path: mid, Every: 7}
	if _, _, err := fit(s, room); err != nil {
		t.Fatal(err)
	}
	if len(s.Writes()) < 2 {
		t.Fatalf("%d checkpoints written", len(s.Writes()))
	}
	// With a checkpoint after every evaluation, the writes count the evaluations
	// computed: all of them afresh, only those after the log when resuming.
	every1 := &checkpoint.Saver{Path: filepath.Join(dir, "all.ckpt"), Every: 1}
	if _, _, err := fit(every1, room); err != nil {
		t.Fatal(err)
	}
	total := len(every1.Writes())
	for _, from := range []string{path, mid} {
		ck, err := checkpoint.Read(from)
		if err != nil {
			t.Fatal(err)
		}
		s := &checkpoint.Saver{ResumeFrom: from, Path: filepath.Join(dir, "resumed.ckpt"), Every: 1}
		got, res, err := fit(s, room)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(s.Writes()); n != total-ck.Position.Step {
			t.Errorf("resumed from %s (%d evaluations logged): %d evaluations computed, want %d − %d", from, ck.Position.Step, n, total, ck.Position.Step)
		}
		if a, b := nn.Fingerprint(want), nn.Fingerprint(got); a != b || res.Loss != wantRes.Loss || res.Iterations != wantRes.Iterations {
			t.Errorf("resumed from %s: loss %.17g after %d iterations, uninterrupted %.17g after %d; same model %v",
				from, res.Loss, res.Iterations, wantRes.Loss, wantRes.Iterations, a == b)
		}
	}

	other := append([]curves.Curve{}, room...)
	other[0].Stress = append([]float64{}, other[0].Stress...)
	other[0].Stress[0] = math.Nextafter(other[0].Stress[0], 1e9)
	if _, _, err := fit(&checkpoint.Saver{ResumeFrom: mid}, other); err == nil || !strings.Contains(err.Error(), "other data or settings") {
		t.Errorf("resume with other data: %v", err)
	}
}
