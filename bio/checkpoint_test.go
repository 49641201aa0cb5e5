package bio

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/train/checkpoint"
)

// TestTransferInterruptResumeExact interrupts a transfer with ortholog alignment
// (a cancelled context, as on SIGINT) after its first epoch, resumes it from the
// checkpoint with a freshly initialised adapter, and checks that the adapter ends
// bit-identical to an uninterrupted transfer; with checkpoints every epoch and
// every 3 steps.
func TestTransferInterruptResumeExact(t *testing.T) {
	run := func(adapterSeed uint64, s *checkpoint.Saver, progress func(EpochStats)) (*adapters.Adapter, error) {
		d, m, data, al := trained(t)
		cfg, err := AdapterConfig(MethodLoRA, AdapterOptions{Seed: adapterSeed})
		if err != nil {
			t.Fatal(err)
		}
		a, err := adapters.New("rat", cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Attach(m); err != nil {
			t.Fatal(err)
		}
		_, err = Transfer(m, a, data, pairsOf(d, "rat"), al, TrainOptions{Epochs: 3, LR: 1e-2, Seed: 1,
			Checkpoint: s, Progress: progress})
		return a, err
	}
	want, err := run(1, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, every := range []int{0, 3} {
		path := filepath.Join(t.TempDir(), "rat.ckpt")
		ctx, cancel := context.WithCancel(context.Background())
		_, err := run(1, &checkpoint.Saver{Path: path, Every: every, Context: ctx}, func(EpochStats) { cancel() })
		var intr *checkpoint.Interrupted
		if !errors.As(err, &intr) || intr.Path != path {
			t.Fatalf("every %d: got %v, want an interruption with a checkpoint", every, err)
		}
		got, err := run(2, &checkpoint.Saver{Path: path, Every: every, ResumeFrom: path}, nil)
		if err != nil {
			t.Fatal(err)
		}
		wp, gp := want.Params(), got.Params()
		for i := range wp {
			for j, v := range wp[i].Value().Data {
				if g := gp[i].Value().Data[j]; g != v {
					t.Fatalf("every %d: %s[%d] resumed %.17g, uninterrupted %.17g", every, wp[i].Name, j, g, v)
				}
			}
		}
	}
}
