package train_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/train"
	"github.com/sciadapt/sciadapt/train/checkpoint"
)

// regression is a linear least-squares task: y = x·w_true on n items, batches of
// size bs in a shuffled order, loss = mean squared error.
type regression struct {
	x     [][]float64
	y     []float64
	w     *nn.Param
	bs    int
	owned func(i int) bool // items this process holds; nil means all
	nanAt int              // step (from 0) whose loss is NaN; -1 for none
}

func newRegression(n, bs int, seed uint64) *regression {
	rng := rand.New(rand.NewPCG(seed, 1))
	wTrue := []float64{1.5, -2, 0.5}
	r := &regression{bs: bs, nanAt: -1, w: nn.NewParam("w", ad.Zeros(3, 1))}
	for i := 0; i < n; i++ {
		x := []float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
		y := 0.0
		for k := range x {
			y += x[k] * wTrue[k]
		}
		r.x, r.y = append(r.x, x), append(r.y, y)
	}
	return r
}

func (r *regression) task() train.Task {
	return train.Task{
		Kind:   "test/regression",
		Params: []*nn.Param{r.w},
		Batches: func(ep int, rng *rand.Rand) [][]int {
			order := rng.Perm(len(r.x))
			var bs [][]int
			for s := 0; s < len(order); s += r.bs {
				bs = append(bs, order[s:min(s+r.bs, len(order))])
			}
			return bs
		},
		Loss: r.loss,
		Fingerprint: func(h *checkpoint.Hash) {
			for i := range r.x {
				h.Floats(r.x[i]...)
				h.Floats(r.y[i])
			}
		},
	}
}

// loss is the batch's summed squared error over the global batch size, so that the
// losses of processes holding parts of a batch add up to the batch's mean.
func (r *regression) loss(batch []int, step int) (train.Loss, error) {
	var xs, ys []float64
	for _, i := range batch {
		if r.owned == nil || r.owned(i) {
			xs = append(xs, r.x[i]...)
			ys = append(ys, r.y[i])
		}
	}
	if len(ys) == 0 {
		return train.Loss{Parts: []float64{0}}, nil
	}
	pred := ad.MatMul(ad.Constant(ad.New(xs, len(ys), 3)), r.w.V)
	d := ad.Sub(pred, ad.Constant(ad.New(ys, len(ys), 1)))
	l := ad.Scale(ad.Sum(ad.Square(d)), 1/float64(len(batch)))
	if step == r.nanAt {
		l = ad.Scale(l, math.NaN())
	}
	return train.Loss{Value: l, Parts: []float64{float64(len(ys))}}, nil
}

func TestRunConverges(t *testing.T) {
	r := newRegression(64, 8, 1)
	stats, err := train.Run(r.task(), train.Options{Epochs: 60, LR: 0.05, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 60 || stats[0].Epoch != 1 || stats[59].Epoch != 60 || stats[0].Steps != 8 {
		t.Fatalf("statistics %+v … %+v", stats[0], stats[len(stats)-1])
	}
	if first, last := stats[0].Loss, stats[59].Loss; !(last < 1e-4*first) {
		t.Errorf("loss %g → %g: did not fall by 10⁴", first, last)
	}
	// Parts are averaged per step: every batch of 64 items in 8 reports 8 items.
	if stats[5].Parts[0] != 8 {
		t.Errorf("mean part %g, want 8", stats[5].Parts[0])
	}
	for k, want := range []float64{1.5, -2, 0.5} {
		if got := r.w.Value().Data[k]; math.Abs(got-want) > 1e-3 {
			t.Errorf("w[%d] = %g, want %g", k, got, want)
		}
	}
}

func TestRunDeterministic(t *testing.T) {
	run := func(seed uint64) []float64 {
		r := newRegression(50, 7, 1)
		if _, err := train.Run(r.task(), train.Options{Epochs: 3, LR: 0.01, Seed: seed}); err != nil {
			t.Fatal(err)
		}
		return r.w.Value().Data
	}
	a, b, c := run(5), run(5), run(6)
	for k := range a {
		if a[k] != b[k] {
			t.Fatalf("same seed, different parameters: %v and %v", a, b)
		}
	}
	same := true
	for k := range a {
		same = same && a[k] == c[k]
	}
	if same {
		t.Fatalf("seeds 5 and 6 gave the same parameters %v: the seed does not reach the batches", a)
	}
}

func TestScheduleStepSizes(t *testing.T) {
	o := train.Options{Epochs: 5, LR: 1, Schedule: train.Cosine}
	want := []float64{1, 0.01 + 0.99*(1+math.Cos(math.Pi/5))/2, 0, 0, 0.01 + 0.99*(1+math.Cos(4*math.Pi/5))/2}
	for _, ep := range []int{0, 1, 4} {
		if got := o.StepSize(ep); math.Abs(got-want[ep]) > 1e-15 {
			t.Errorf("cosine epoch %d: %g, want %g", ep, got, want[ep])
		}
	}
	if got := (train.Options{Epochs: 5, LR: 0.3, Schedule: train.Constant}).StepSize(4); got != 0.3 {
		t.Errorf("constant: %g", got)
	}
	// The step size Run uses is the schedule's.
	r := newRegression(16, 8, 1)
	stats, err := train.Run(r.task(), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stats {
		if s.LR != o.StepSize(s.Epoch-1) {
			t.Errorf("epoch %d ran at %g, schedule says %g", s.Epoch, s.LR, o.StepSize(s.Epoch-1))
		}
	}
}

// TestResumeBitIdentical interrupts a run after every possible step, resumes it
// from the checkpoint and requires the parameters of the uninterrupted run.
func TestResumeBitIdentical(t *testing.T) {
	opt := train.Options{Epochs: 3, LR: 0.02, Seed: 9, Schedule: train.Cosine}
	ref := newRegression(20, 6, 2)
	if _, err := train.Run(ref.task(), opt); err != nil {
		t.Fatal(err)
	}
	const steps = 3 * 4
	for stop := 1; stop < steps; stop++ {
		path := filepath.Join(t.TempDir(), "ck")
		ctx, cancel := context.WithCancel(context.Background())
		r := newRegression(20, 6, 2)
		task := r.task()
		loss := task.Loss
		task.Loss = func(b []int, step int) (train.Loss, error) {
			if step == stop-1 {
				cancel() // the step runs, then the loop writes a checkpoint and stops
			}
			return loss(b, step)
		}
		o := opt
		o.Checkpoint = &checkpoint.Saver{Path: path, Context: ctx}
		_, err := train.Run(task, o)
		var intr *checkpoint.Interrupted
		if !errors.As(err, &intr) || intr.Position.Step != stop {
			t.Fatalf("stop after step %d: %v", stop, err)
		}
		r2 := newRegression(20, 6, 2)
		o.Checkpoint = &checkpoint.Saver{ResumeFrom: path}
		stats, err := train.Run(r2.task(), o)
		if err != nil {
			t.Fatalf("resume after step %d: %v", stop, err)
		}
		if got, want := stats[len(stats)-1].Epoch, 3; got != want {
			t.Fatalf("resumed run ended at epoch %d", got)
		}
		for k, v := range ref.w.Value().Data {
			if r2.w.Value().Data[k] != v {
				t.Fatalf("resumed after step %d: w = %v, uninterrupted %v", stop, r2.w.Value().Data, ref.w.Value().Data)
			}
		}
		cancel()
	}
}

func TestResumeRefusesOtherSettings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ck")
	r := newRegression(20, 6, 2)
	o := train.Options{Epochs: 2, LR: 0.02, Seed: 9, Checkpoint: &checkpoint.Saver{Path: path}}
	if _, err := train.Run(r.task(), o); err != nil {
		t.Fatal(err)
	}
	for name, change := range map[string]func(*train.Options, *regression){
		"seed":  func(o *train.Options, _ *regression) { o.Seed = 10 },
		"lr":    func(o *train.Options, _ *regression) { o.LR = 0.03 },
		"sched": func(o *train.Options, _ *regression) { o.Schedule = train.Constant },
		"data":  func(_ *train.Options, r *regression) { r.y[3] += 1e-12 },
	} {
		r2 := newRegression(20, 6, 2)
		o2 := train.Options{Epochs: 2, LR: 0.02, Seed: 9, Checkpoint: &checkpoint.Saver{ResumeFrom: path}}
		change(&o2, r2)
		if _, err := train.Run(r2.task(), o2); err == nil || !strings.Contains(err.Error(), "fingerprint") {
			t.Errorf("resume with other %s: %v", name, err)
		}
	}
}

func TestNaNStopsBeforeUpdate(t *testing.T) {
	r := newRegression(20, 5, 2)
	r.nanAt = 5 // second step of epoch 2
	var before []float64
	task := r.task()
	loss := task.Loss
	task.Loss = func(b []int, step int) (train.Loss, error) {
		if step == r.nanAt {
			before = append([]float64(nil), r.w.Value().Data...)
		}
		return loss(b, step)
	}
	_, err := train.Run(task, train.Options{Epochs: 3, LR: 0.1})
	if err == nil || !strings.Contains(err.Error(), "epoch 2, step 6") || !strings.Contains(err.Error(), "NaN") {
		t.Fatalf("error %v, want one naming epoch 2, step 6 and NaN", err)
	}
	for k, v := range before {
		if r.w.Value().Data[k] != v {
			t.Fatalf("the parameters moved on the NaN step: %v → %v", before, r.w.Value().Data)
		}
	}
}

func TestRunErrors(t *testing.T) {
	r := newRegression(10, 5, 1)
	for _, c := range []struct {
		o    train.Options
		want string
	}{
		{train.Options{LR: -1}, "learning rate"},
		{train.Options{LR: math.NaN()}, "learning rate"},
		{train.Options{Epochs: -2}, "epochs"},
		{train.Options{WeightDecay: -1}, "weight decay"},
	} {
		if _, err := train.Run(r.task(), c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one about %s", c.o, err, c.want)
		}
	}
	r.w.SetTrainable(false)
	if _, err := train.Run(r.task(), train.Options{}); err == nil || !strings.Contains(err.Error(), "frozen") {
		t.Errorf("frozen parameters: %v", err)
	}
}

// allReduce sums slices over n goroutines, as an MPI all-reduce would.
type allReduce struct {
	mu    sync.Mutex
	cond  *sync.Cond
	n     int
	sum   []float64 // of the round under way
	done  []float64 // of the last round completed
	in    int
	round int
}

func newAllReduce(n int) *allReduce {
	a := &allReduce{n: n}
	a.cond = sync.NewCond(&a.mu)
	return a
}

func (a *allReduce) reduce(x []float64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	round := a.round
	if a.in == 0 {
		a.sum = make([]float64, len(x))
	}
	for i, v := range x {
		a.sum[i] += v
	}
	a.in++
	if a.in == a.n {
		a.in, a.done = 0, a.sum
		a.round++
		a.cond.Broadcast()
	}
	for a.round == round {
		a.cond.Wait()
	}
	copy(x, a.done) // no new round completes before every process has joined it
}

// TestReduceMatchesOneProcess trains on two "processes" that each hold half of the
// items and sum their gradients, and requires the one-process parameters.
func TestReduceMatchesOneProcess(t *testing.T) {
	opt := train.Options{Epochs: 4, LR: 0.05, Seed: 4}
	one := newRegression(30, 7, 3)
	stats1, err := train.Run(one.task(), opt)
	if err != nil {
		t.Fatal(err)
	}
	ar := newAllReduce(2)
	procs := []*regression{newRegression(30, 7, 3), newRegression(30, 7, 3)}
	procs[0].owned = func(i int) bool { return i < 15 }
	procs[1].owned = func(i int) bool { return i >= 15 }
	var wg sync.WaitGroup
	stats := make([][]train.EpochStats, 2)
	for p := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := opt
			o.Reduce = ar.reduce
			s, err := train.Run(procs[p].task(), o)
			if err != nil {
				t.Error(err)
			}
			stats[p] = s
		}()
	}
	wg.Wait()
	for p, r := range procs {
		for k, v := range one.w.Value().Data {
			if d := math.Abs(r.w.Value().Data[k] - v); d > 1e-14 {
				t.Errorf("process %d: w[%d] = %g, one process %g", p, k, r.w.Value().Data[k], v)
			}
		}
		if math.Abs(stats[p][3].Loss-stats1[3].Loss) > 1e-14 || stats[p][3].Parts[0] != stats1[3].Parts[0] {
			t.Errorf("process %d: epoch 4 %+v, one process %+v", p, stats[p][3], stats1[3])
		}
	}
}
