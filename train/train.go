package train

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/optim"
	"github.com/sciadapt/sciadapt/train/checkpoint"
)

// Schedule names how the step size changes over the epochs.
type Schedule int

// Step-size schedules; see the package documentation for the formulas.
const (
	Cosine   Schedule = iota // from LR down to LR/100 along half a cosine over the epochs (the default)
	Constant                 // LR throughout
)

// String returns "constant" or "cosine".
func (s Schedule) String() string {
	switch s {
	case Constant:
		return "constant"
	case Cosine:
		return "cosine"
	}
	return fmt.Sprintf("Schedule(%d)", int(s))
}

// ParseSchedule returns the schedule named "constant" or "cosine".
func ParseSchedule(name string) (Schedule, error) {
	switch name {
	case "constant":
		return Constant, nil
	case "cosine":
		return Cosine, nil
	}
	return 0, fmt.Errorf("unknown step-size schedule %q (constant, cosine)", name)
}

// Task is what a domain supplies to Run.
type Task struct {
	// Kind names the loop in checkpoints ("potential/train", "bio/train"); a
	// checkpoint of another kind is refused.
	Kind string
	// Params are the parameters to train, in a fixed order.
	Params []*nn.Param
	// Batches returns the batches of epoch ep (from 0), each a list of item indices
	// (frames, pairs …), drawn with rng, which depends on (seed, stream, ep) only.
	// A batch may be empty (a step with no data: an extra term alone, or a process
	// of a data-parallel run that holds none of the batch's items).
	Batches func(ep int, rng *rand.Rand) [][]int
	// Loss returns the loss of one batch as a graph value of Params and the values
	// to average beside it (Loss.Parts; every batch gives the same number). step
	// counts from 0 over the whole run. A nil Loss.Value means this process
	// contributes nothing to the step: no update when it runs alone, a zero
	// gradient in a data-parallel run.
	Loss func(batch []int, step int) (Loss, error)
	// Fingerprint, if set, identifies the data (and any setting Options cannot see)
	// for checkpoints; it is called only when checkpointing.
	Fingerprint func(h *checkpoint.Hash)
	// Arena, if set, is the arena the batch losses compute in: Run differentiates
	// with GradOptions.FreeGraph, so the first pass's intermediates are reclaimed
	// during the second, and releases the arena after every step, so the next
	// step reuses the memory. Results do not change.
	Arena *ad.Arena
}

// Loss is the loss of one batch and the values reported beside it.
type Loss struct {
	Value *ad.Var   // scalar graph value of the parameters, or nil
	Parts []float64 // summed over the epoch's steps and averaged in EpochStats.Parts
}

// Options configure Run. Zero fields take the defaults in brackets.
type Options struct {
	Epochs      int      // passes over the data [1]
	LR          float64  // Adam's step size, in the parameters' units [1e-3]
	Schedule    Schedule // step size by epoch [Cosine]
	WeightDecay float64  // AdamW's decoupled weight decay λ [0: plain Adam]
	Seed        uint64   // seeds the batches of every epoch
	// Stream separates this loop's random stream from other uses of the seed.
	Stream uint64
	// Checkpoint, if set, writes checkpoints, resumes from one and stops with a
	// checkpoint when its context is cancelled.
	Checkpoint *checkpoint.Saver
	// Reduce, if set, makes Run one process of a data-parallel run: it must replace
	// a slice by its element-wise sum over processes, on every process (an MPI
	// all-reduce). Losses, parts and gradients are summed before each step.
	Reduce func(x []float64)
	// Progress, if set, is called after every epoch.
	Progress func(EpochStats)
	// Now gives the time for EpochStats.Seconds [time.Now].
	Now func() time.Time
}

// EpochStats summarise one epoch.
type EpochStats struct {
	Epoch   int       // from 1
	Loss    float64   // mean batch loss
	Parts   []float64 // means of the batches' Loss.Parts
	LR      float64   // step size of the epoch
	Steps   int       // steps taken in the epoch
	Seconds float64   // since Run started
}

func (o Options) withDefaults() Options {
	if o.Epochs == 0 {
		o.Epochs = 1
	}
	if o.LR == 0 {
		o.LR = 1e-3
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// validate returns an error for options a user could have set wrongly.
func (o Options) validate() error {
	switch {
	case o.Epochs < 0:
		return fmt.Errorf("epochs %d must be positive", o.Epochs)
	case !(o.LR > 0) || math.IsInf(o.LR, 0):
		return fmt.Errorf("learning rate %g must be positive and finite", o.LR)
	case o.WeightDecay < 0 || math.IsNaN(o.WeightDecay):
		return fmt.Errorf("weight decay %g must not be negative", o.WeightDecay)
	case o.Schedule != Constant && o.Schedule != Cosine:
		return fmt.Errorf("unknown schedule %v", o.Schedule)
	}
	return nil
}

// StepSize returns the step size of epoch ep (from 0) of the run.
func (o Options) StepSize(ep int) float64 {
	o = o.withDefaults()
	if o.Schedule == Cosine {
		return optim.Cosine{Base: o.LR, Min: o.LR / 100, Total: o.Epochs}.LR(ep)
	}
	return o.LR
}
