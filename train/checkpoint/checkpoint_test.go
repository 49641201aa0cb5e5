package checkpoint_test

import (
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/optim"
	"github.com/sciadapt/sciadapt/train/checkpoint"
)

func params() []*nn.Param {
	return []*nn.Param{
		nn.NewParam("w", ad.New([]float64{0.1, -0.2, 0.3, 1e-300, -0, 5e300}, 2, 3)),
		nn.NewParam("b", ad.New([]float64{math.Pi}, 1)),
		nn.NewParam("frozen", ad.New([]float64{7, 8}, 2)),
	}
}

// step applies one Adam step with gradients that vary with k.
func step(opt *optim.Adam, ps []*nn.Param, k int) {
	grads := make([]*ad.Tensor, len(ps))
	for i, p := range ps {
		g := ad.Zeros(p.Value().Shape...)
		for j := range g.Data {
			g.Data[j] = math.Sin(float64(1+k*7+i*3+j)) / 3
		}
		grads[i] = g
	}
	opt.Step(nn.Vars(ps), grads)
}

// TestRoundTripResumesExactly saves after 3 Adam steps, restores into fresh
// parameters and a fresh optimizer, and checks that 4 more steps give bit-identical
// values to 7 uninterrupted steps; and that position and sums round-trip.
func TestRoundTripResumesExactly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.ckpt")
	want := params()
	want[2].SetTrainable(false)
	wantOpt := optim.NewAdam(&optim.AdamOptions{LR: 0.01})
	for k := 0; k < 7; k++ {
		step(wantOpt, want, k)
	}

	ps := params()
	ps[2].SetTrainable(false)
	opt := optim.NewAdam(&optim.AdamOptions{LR: 0.01})
	s := &checkpoint.Saver{Path: path, Every: 3}
	if _, err := s.Resume("test", "sha256:abc", ps, opt); err != nil {
		t.Fatal(err)
	}
	sums := []float64{0.1 + 0.2, math.SmallestNonzeroFloat64, -1e308}
	for k := 0; k < 3; k++ {
		step(opt, ps, k)
		if err := s.After(checkpoint.Position{Epoch: 1, Batch: 2, Step: k + 1, Sums: sums}, ps, opt); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(s.Writes()); n != 1 {
		t.Fatalf("%d checkpoints written in 3 steps with Every 3, want 1", n)
	}
	step(opt, ps, 99) // moves on after the checkpoint; resuming must undo it

	got := params()
	got[0].Value().Data[0] = 42
	got[2].SetTrainable(false)
	gotOpt := optim.NewAdam(&optim.AdamOptions{LR: 0.5})
	r := &checkpoint.Saver{ResumeFrom: path}
	pos, err := r.Resume("test", "sha256:abc", got, gotOpt)
	if err != nil {
		t.Fatal(err)
	}
	if pos.Epoch != 1 || pos.Batch != 2 || pos.Step != 3 || !reflect.DeepEqual(pos.Sums, sums) {
		t.Fatalf("position %+v, want epoch 1, batch 2, step 3, sums %v", pos, sums)
	}
	if gotOpt.LR() != 0.01 {
		t.Fatalf("learning rate %v after resume, want 0.01", gotOpt.LR())
	}
	if r.Last() != path {
		t.Fatalf("Last() = %q, want %q", r.Last(), path)
	}
	for k := 3; k < 7; k++ {
		step(gotOpt, got, k)
	}
	for i := range want {
		a, b := want[i].Value().Data, got[i].Value().Data
		for j := range a {
			if math.Float64bits(a[j]) != math.Float64bits(b[j]) {
				t.Fatalf("%s[%d]: resumed %.17g, uninterrupted %.17g", want[i].Name, j, b[j], a[j])
			}
		}
	}
}

// TestResumeRefuses checks the messages for a checkpoint of another kind, another
// fingerprint, other parameters, and a file that is not a checkpoint.
func TestResumeRefuses(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.ckpt")
	ps := params()
	opt := optim.NewAdam(nil)
	s := &checkpoint.Saver{Path: path}
	s.Resume("potential/train", "sha256:0123456789abcdef", ps, opt)
	step(opt, ps, 0)
	if err := s.After(checkpoint.Position{Epoch: 1, Step: 1}, ps, opt); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "m.model")
	if err := nn.WriteTensors(model, nn.TensorsOf(ps), map[string]string{"format": "sciadapt-model"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, file, kind, fp string
		ps                   []*nn.Param
		want                 string
	}{
		{"kind", path, "bio/train", "sha256:0123456789abcdef", params(), path + `: a checkpoint of "potential/train" training, not "bio/train"`},
		{"fingerprint", path, "potential/train", "sha256:fedcba9876543210", params(), path + ": checkpoint was made with other data or settings (its fingerprint 0123456789ab…, this run's fedcba987654…)"},
		{"params", path, "potential/train", "sha256:0123456789abcdef", params()[:2], "checkpoint holds 3 parameters, this run trains 2"},
		{"not a checkpoint", model, "potential/train", "", params(), model + `: not a sciadapt checkpoint (format "sciadapt-model")`},
	} {
		r := &checkpoint.Saver{ResumeFrom: c.file}
		_, err := r.Resume(c.kind, c.fp, c.ps, optim.NewAdam(nil))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

// TestCheck checks that NaN and ±Inf in the loss or a gradient are reported with the
// epoch, the step and the last checkpoint, and finite values pass.
func TestCheck(t *testing.T) {
	g := func(v ...float64) []*ad.Tensor { return []*ad.Tensor{nil, ad.New(v, len(v))} }
	var none *checkpoint.Saver
	for _, c := range []struct {
		loss  float64
		grads []*ad.Tensor
		want  string
	}{
		{1, g(0, -0, 1e308), ""},
		{math.NaN(), g(1), "training diverged at epoch 2, step 9: loss is NaN"},
		{math.Inf(-1), g(1), "loss is -Inf"},
		{1, g(0, math.Inf(1)), "gradient 1 holds +Inf"},
		{1, g(math.NaN()), "gradient 1 holds NaN"},
	} {
		err := none.Check(2, 9, c.loss, c.grads)
		if c.want == "" {
			if err != nil {
				t.Errorf("loss %v: %v", c.loss, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "checkpoint") {
			t.Errorf("loss %v: got %v, want %q and no checkpoint named", c.loss, err, c.want)
		}
	}
}

func TestNilSaver(t *testing.T) {
	var s *checkpoint.Saver
	pos, err := s.Resume("k", "f", params(), optim.NewAdam(nil))
	if err != nil || !reflect.DeepEqual(pos, checkpoint.Position{}) {
		t.Fatalf("nil Resume: %+v, %v", pos, err)
	}
	if err := s.After(checkpoint.Position{Step: 1}, params(), optim.NewAdam(nil)); err != nil {
		t.Fatal(err)
	}
	if s.Last() != "" || s.Writes() != nil {
		t.Fatal("nil saver reports checkpoints")
	}
}

// TestEpochRand checks that an epoch's order depends on the seed and the epoch, not
// on what was drawn before.
func TestEpochRand(t *testing.T) {
	a := checkpoint.EpochRand(5, 1, 3).Perm(20)
	checkpoint.EpochRand(5, 1, 2).Perm(20)
	b := checkpoint.EpochRand(5, 1, 3).Perm(20)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same (seed, epoch), different orders")
	}
	for _, o := range [][]int{checkpoint.EpochRand(5, 1, 4).Perm(20), checkpoint.EpochRand(6, 1, 3).Perm(20), checkpoint.EpochRand(5, 2, 3).Perm(20)} {
		if reflect.DeepEqual(a, o) {
			t.Fatal("another epoch, seed or stream gave the same order")
		}
	}
}

// TestHashSeparates checks that the fingerprint sees the last bit of a value and
// where one list ends and the next begins.
func TestHashSeparates(t *testing.T) {
	sum := func(f func(h *checkpoint.Hash)) string { h := checkpoint.NewHash(); f(h); return h.Sum() }
	base := sum(func(h *checkpoint.Hash) { h.Floats(1, 2); h.Floats(3) })
	for name, other := range map[string]string{
		"last bit": sum(func(h *checkpoint.Hash) { h.Floats(1, math.Nextafter(2, 3)); h.Floats(3) }),
		"boundary": sum(func(h *checkpoint.Hash) { h.Floats(1); h.Floats(2, 3) }),
		"-0":       sum(func(h *checkpoint.Hash) { h.Floats(1, 2); h.Floats(3); h.Floats(math.Copysign(0, -1)) }),
	} {
		if other == base {
			t.Errorf("%s: same fingerprint", name)
		}
	}
	if again := sum(func(h *checkpoint.Hash) { h.Floats(1, 2); h.Floats(3) }); again != base {
		t.Error("fingerprint not deterministic")
	}
}
