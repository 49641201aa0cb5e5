package train

import (
	"fmt"
	"time"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/optim"
	"github.com/sciadapt/sciadapt/train/checkpoint"
)

// Run trains the trainable parameters of task.Params by Adam over the task's batches (see the package
// documentation). It returns the statistics of every epoch run (from the epoch
// resumed, with a resuming checkpoint), or an error: bad options, no trainable
// parameter, a failed batch, a non-finite loss or gradient (before the update), or an
// interruption (*checkpoint.Interrupted). It panics if task lacks Batches or Loss.
func Run(task Task, opt Options) ([]EpochStats, error) {
	if task.Batches == nil || task.Loss == nil {
		panic("train: Task without Batches or Loss")
	}
	o := opt.withDefaults()
	if err := o.validate(); err != nil {
		return nil, err
	}
	task.Params = trainable(task.Params)
	vars := nn.Vars(task.Params)
	if len(vars) == 0 {
		return nil, fmt.Errorf("nothing to train: every parameter is frozen")
	}
	adam := optim.NewAdam(&optim.AdamOptions{LR: o.LR, WeightDecay: o.WeightDecay, Decoupled: o.WeightDecay > 0})
	ck := o.Checkpoint
	fp := ""
	if ck != nil {
		fp = fingerprint(task, o)
	}
	pos, err := ck.Resume(task.Kind, fp, task.Params, adam)
	if err != nil {
		return nil, err
	}
	l := &loop{task: task, o: o, vars: vars, adam: adam, start: o.Now()}
	var stats []EpochStats
	for ep := pos.Epoch; ep < o.Epochs; ep++ {
		st, err := l.epoch(ep, &pos)
		if err != nil {
			return stats, err
		}
		stats = append(stats, st)
		if o.Progress != nil {
			o.Progress(st)
		}
	}
	return stats, nil
}

// loop is the state of one Run.
type loop struct {
	task  Task
	o     Options
	vars  []*ad.Var
	adam  *optim.Adam
	start time.Time
}

// epoch runs epoch ep (from 0) from pos, which it advances step by step.
func (l *loop) epoch(ep int, pos *checkpoint.Position) (EpochStats, error) {
	o, ck := l.o, l.o.Checkpoint
	lr := o.StepSize(ep)
	l.adam.SetLR(lr)
	batches := l.task.Batches(ep, checkpoint.EpochRand(o.Seed, o.Stream, ep))
	if len(batches) == 0 {
		return EpochStats{}, fmt.Errorf("epoch %d has no batches", ep+1)
	}
	var sums []float64 // the loss, then the parts
	b0 := 0
	if pos.Epoch == ep && pos.Batch > 0 {
		b0, sums = pos.Batch, append([]float64(nil), pos.Sums...)
	}
	for b := b0; b < len(batches); b++ {
		loss, parts, grads, err := l.gradients(batches[b], pos.Step)
		if err != nil {
			return EpochStats{}, fmt.Errorf("epoch %d, step %d: %w", ep+1, pos.Step+1, err)
		}
		if err := ck.Check(ep+1, pos.Step+1, loss, grads); err != nil {
			return EpochStats{}, err
		}
		if grads != nil {
			l.adam.Step(l.vars, grads)
		}
		if l.task.Arena != nil {
			l.task.Arena.Release() // the step's graph and gradients are spent
		}
		sums = addSums(sums, loss, parts)
		pos.Step++
		next := checkpoint.Position{Epoch: ep, Batch: b + 1, Step: pos.Step, Sums: sums}
		if b+1 == len(batches) {
			next = checkpoint.Position{Epoch: ep + 1, Step: pos.Step}
		}
		*pos = next
		if err := ck.After(next, l.task.Params, l.adam); err != nil {
			return EpochStats{}, err
		}
	}
	n := float64(len(batches))
	st := EpochStats{Epoch: ep + 1, Loss: sums[0] / n, LR: lr, Steps: len(batches) - b0,
		Seconds: l.o.Now().Sub(l.start).Seconds()}
	for _, s := range sums[1:] {
		st.Parts = append(st.Parts, s/n)
	}
	return st, nil
}

// addSums adds a step's loss and parts to the running sums.
func addSums(sums []float64, loss float64, parts []float64) []float64 {
	if sums == nil {
		sums = make([]float64, 1+len(parts))
	}
	if len(sums) != 1+len(parts) {
		panic(fmt.Sprintf("train: a batch reported %d parts, an earlier one %d", len(parts), len(sums)-1))
	}
	sums[0] += loss
	for i, p := range parts {
		sums[1+i] += p
	}
	return sums
}

// trainable returns the parameters of ps that are trainable, in order.
func trainable(ps []*nn.Param) []*nn.Param {
	var out []*nn.Param
	for _, p := range ps {
		if p.Trainable() {
			out = append(out, p)
		}
	}
	return out
}
