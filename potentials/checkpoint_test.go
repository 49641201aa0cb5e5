package potentials_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
	"github.com/sciadapt/sciadapt/train"
	"github.com/sciadapt/sciadapt/train/checkpoint"
)

// ch4Frames returns n methane-like frames labelled by a random model, with forces.
func ch4Frames(t *testing.T, n int) []datasets.Frame {
	rng := rand.New(rand.NewPCG(9, 9))
	target := smallModel(t, []int{1, 6})
	var fs []datasets.Frame
	for i := 0; i < n; i++ {
		s := molecule(rng, []int{6, 1, 1, 1, 1})
		r, _ := target.Compute(s)
		fs = append(fs, datasets.Frame{System: "ch4", Index: i, Numbers: s.Numbers, Positions: s.Positions, Energy: r.Energy, Forces: r.Forces})
	}
	return fs
}

func freshModel(t *testing.T, seed uint64) *potentials.Model {
	m, err := potentials.New(potentials.Config{Species: []int{1, 6}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 1, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTrainInterruptResumeExact interrupts training (a cancelled context, as on
// SIGINT) after the first epoch, resumes a model with other initial weights from the
// checkpoint, and checks that it ends bit-identical to an uninterrupted run, for
// checkpoints every epoch and every 3 steps (mid-epoch, 5 batches per epoch).
func TestTrainInterruptResumeExact(t *testing.T) {
	fs := ch4Frames(t, 10)
	opt := potentials.TrainOptions{Epochs: 3, BatchSize: 2, LR: 5e-3, Seed: 7}
	want := freshModel(t, 1)
	if _, err := potentials.Train(want, fs, opt); err != nil {
		t.Fatal(err)
	}
	for _, every := range []int{0, 3} {
		path := filepath.Join(t.TempDir(), "train.ckpt")
		ctx, cancel := context.WithCancel(context.Background())
		o := opt
		o.Checkpoint = &checkpoint.Saver{Path: path, Every: every, Context: ctx}
		o.Progress = func(train.EpochStats) { cancel() }
		_, err := potentials.Train(freshModel(t, 1), fs, o)
		var intr *checkpoint.Interrupted
		if !errors.As(err, &intr) || intr.Path != path || !strings.Contains(err.Error(), "--resume "+path) {
			t.Fatalf("every %d: got error %v, want an interruption naming %s", every, err, path)
		}
		if intr.Position.Step != 6 {
			t.Errorf("every %d: interrupted after step %d, want 6 (the first step of epoch 2)", every, intr.Position.Step)
		}
		got := freshModel(t, 2) // other weights: the checkpoint must overwrite them
		o = opt
		o.Checkpoint = &checkpoint.Saver{Path: path, Every: every, ResumeFrom: path}
		hist, err := potentials.Train(got, fs, o)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 2 || hist[0].Epoch != 2 {
			t.Errorf("every %d: resumed statistics %+v, want epochs 2 and 3", every, hist)
		}
		if a, b := nn.Fingerprint(want), nn.Fingerprint(got); a != b {
			t.Errorf("every %d: resumed model %s differs from uninterrupted %s", every, b, a)
		}
	}
}

// TestTrainResumeRefusesOtherData resumes a checkpoint with one energy changed, and
// with another seed, and checks that both are refused with a clear message.
func TestTrainResumeRefusesOtherData(t *testing.T) {
	fs := ch4Frames(t, 4)
	path := filepath.Join(t.TempDir(), "train.ckpt")
	opt := potentials.TrainOptions{Epochs: 1, BatchSize: 2, Seed: 7, Checkpoint: &checkpoint.Saver{Path: path}}
	if _, err := potentials.Train(freshModel(t, 1), fs, opt); err != nil {
		t.Fatal(err)
	}
	other := append([]datasets.Frame{}, fs...)
	other[3].Energy = math.Nextafter(other[3].Energy, 0)
	for name, c := range map[string]struct {
		fs   []datasets.Frame
		seed uint64
	}{"energy": {other, 7}, "seed": {fs, 8}} {
		o := opt
		o.Seed = c.seed
		o.Checkpoint = &checkpoint.Saver{ResumeFrom: path}
		_, err := potentials.Train(freshModel(t, 1), c.fs, o)
		if err == nil || !strings.Contains(err.Error(), path+": checkpoint was made with other data or settings") {
			t.Errorf("other %s: got %v", name, err)
		}
	}
}

// TestTrainStopsOnNonFinite checks that an infinite energy in the data, or a
// learning rate that makes training blow up, stops training with an error naming
// the epoch, the step and the last good checkpoint, and leaves no NaN in the model.
func TestTrainStopsOnNonFinite(t *testing.T) {
	for _, c := range []struct {
		name       string
		energy     float64 // of frame 0, if not 0
		lr         float64
		checkpoint bool
		want       string
	}{
		{"energy +Inf", math.Inf(1), 1e-3, false, "training diverged at epoch 1, step 1: loss is +Inf ("},
		{"energy NaN", math.NaN(), 1e-3, false, "training diverged at epoch 1, step 1: loss is NaN"},
		{"learning rate 1e200", 0, 1e200, true, "last good checkpoint "},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs := ch4Frames(t, 4)
			if c.energy != 0 {
				fs[0].Energy = c.energy
			}
			m := freshModel(t, 1)
			opt := potentials.TrainOptions{Epochs: 50, BatchSize: 4, LR: c.lr, Seed: 7}
			path := filepath.Join(t.TempDir(), "train.ckpt")
			if c.checkpoint {
				opt.Checkpoint = &checkpoint.Saver{Path: path, Every: 1}
			}
			_, err := potentials.Train(m, fs, opt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got error %v, want one containing %q", err, c.want)
			}
			t.Log(err)
			for _, p := range m.Params() {
				for _, v := range p.Value().Data {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("parameter %s holds %v after the error", p.Name, v)
					}
				}
			}
			if c.checkpoint {
				if !strings.Contains(err.Error(), path) {
					t.Fatalf("error %v does not name the checkpoint %s", err, path)
				}
				// The named checkpoint holds finite values and resumes.
				ck, rerr := checkpoint.Read(path)
				if rerr != nil {
					t.Fatal(rerr)
				}
				if ck.Position.Step < 1 {
					t.Fatalf("checkpoint at step %d", ck.Position.Step)
				}
			} else if _, serr := os.Stat(path); serr == nil {
				t.Fatalf("%s written without a checkpoint file set", path)
			}
		})
	}
}
