package potentials

import (
	"fmt"
	"math/rand/v2"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/train"
	"github.com/sciadapt/sciadapt/train/checkpoint"
)

// TrainOptions configure Train; zero fields take the defaults in brackets.
type TrainOptions struct {
	Epochs       int            // passes over the data [100]
	BatchSize    int            // structures per step [32]
	LR           float64        // initial Adam step size [1e-3]
	Schedule     train.Schedule // step size over the epochs [train.Cosine: to LR/100]
	EnergyWeight float64        // weight of the squared energy error per atom, (eV/atom)² [1]
	ForceWeight  float64        // weight of the squared force error, (eV/Å)² [10]
	StressWeight float64        // weight of the squared stress error, (eV/Å³)², when frames have stress [0]
	Seed         uint64         // shuffling seed
	// FrameWeights, if set, multiply each frame's squared errors (one weight per
	// frame, ≥ 0): training on several files with a weight per file. The
	// normalisers (frames, force components) stay counts.
	FrameWeights []float64
	// Params are the parameters to train; nil means every trainable parameter of the
	// model.
	Params []*nn.Param
	// Context, if set, gives the nn.Context for a batch (adapters use it for masks).
	Context func(b *Batch) *nn.Context
	// Progress, if set, is called after each epoch.
	Progress func(train.EpochStats)
	// Parallel, if set, makes Train one process of a data-parallel run: frames are
	// this process's share and gradients are summed over processes (see Parallel).
	Parallel *Parallel
	// Checkpoint, if set, writes checkpoints, resumes from one, and stops with a
	// checkpoint when its context is cancelled (see train/checkpoint).
	Checkpoint *checkpoint.Saver
}

func (o TrainOptions) withDefaults() TrainOptions {
	if o.Epochs == 0 {
		o.Epochs = 100
	}
	if o.BatchSize == 0 {
		o.BatchSize = 32
	}
	if o.LR == 0 {
		o.LR = 1e-3
	}
	if o.EnergyWeight == 0 && o.ForceWeight == 0 {
		o.EnergyWeight, o.ForceWeight = 1, 10
	}
	return o
}

// trainStream separates the potentials' epoch orders from other uses of a seed.
const trainStream = 0xbadc0de

// Train fits the chosen parameters to the frames by Adam (train.Run) on the
// weighted energy, force and stress loss of the package documentation. Forces (and
// stress) in the loss are differentiated again with respect to the parameters
// (create-graph). Each epoch's order of the frames depends only on (Seed, epoch).
// It stops with an error, before the update, if the loss or a gradient becomes NaN
// or Inf. With opt.Checkpoint resuming, the returned statistics start at the epoch
// resumed.
func Train(m *Model, frames []datasets.Frame, opt TrainOptions) ([]train.EpochStats, error) {
	o := opt.withDefaults()
	if o.BatchSize < 1 {
		return nil, fmt.Errorf("batch size %d must be positive", o.BatchSize)
	}
	if o.FrameWeights != nil && len(o.FrameWeights) != len(frames) {
		return nil, fmt.Errorf("potentials: %d frame weights for %d frames", len(o.FrameWeights), len(frames))
	}
	params := o.Params
	if params == nil {
		params = nn.Trainable(m)
	}
	n, offset := len(frames), 0
	var reduce func([]float64)
	if p := o.Parallel; p != nil {
		if err := p.validate(len(frames)); err != nil {
			return nil, err
		}
		n, offset, reduce = p.Total, p.Offset, p.Reduce
	}
	t := &trainer{m: m, frames: frames, o: o, offset: offset, arena: ad.NewArena()}
	if p := o.Parallel; p != nil && p.Balanced {
		t.costs = frameCosts(frames, m.Config.Cutoff)
	}
	task := train.Task{
		Kind:        "potential/train",
		Params:      params,
		Batches:     func(ep int, rng *rand.Rand) [][]int { return cut(rng.Perm(n), o.BatchSize) },
		Loss:        t.loss,
		Fingerprint: t.fingerprint,
		Arena:       t.arena,
	}
	return train.Run(task, train.Options{Epochs: o.Epochs, LR: o.LR, Schedule: o.Schedule, Seed: o.Seed,
		Stream: trainStream, Checkpoint: o.Checkpoint, Reduce: reduce, Progress: o.Progress})
}

// cut splits order into batches of at most size items.
func cut(order []int, size int) [][]int {
	var bs [][]int
	for s := 0; s < len(order); s += size {
		bs = append(bs, order[s:min(s+size, len(order))])
	}
	return bs
}

// trainer builds the loss of a batch for Train.
type trainer struct {
	m      *Model
	frames []datasets.Frame // this process's frames: global indices [offset, offset+len)
	o      TrainOptions
	offset int
	costs  []float64 // per frame, for a balanced data-parallel split
	arena  *ad.Arena // every step computes in it (train.Task.Arena)
}

// loss returns the loss of the global batch idx: on one process the batch's own
// loss; in a data-parallel run this process's part of it, normalised by the counts
// of the whole batch (nil when it holds none of the batch).
func (t *trainer) loss(idx []int, step int) (train.Loss, error) {
	if p := t.o.Parallel; p != nil && p.Balanced {
		idx = share(idx, t.costs, p.Rank, p.Ranks)
	}
	var local []datasets.Frame
	var weights []float64
	for _, i := range idx {
		if k := i - t.offset; k >= 0 && k < len(t.frames) {
			local = append(local, t.frames[k])
			if t.o.FrameWeights != nil {
				weights = append(weights, t.o.FrameWeights[k])
			}
		}
	}
	p := t.o.Parallel
	if p == nil {
		terms, err := batchTerms(t.m, local, weights, t.o, t.arena)
		if err != nil {
			return train.Loss{}, err
		}
		return train.Loss{Value: terms.loss(t.o, terms.count)}, nil
	}
	var terms lossTerms
	var err error
	failed := 0.0
	if len(local) > 0 {
		if terms, err = batchTerms(t.m, local, weights, t.o, t.arena); err != nil {
			failed = 1
		}
	}
	c := []float64{terms.count.frames, terms.count.forceComps, terms.count.noForces, terms.count.noStress, failed}
	p.Reduce(c)
	switch {
	case err != nil:
		return train.Loss{}, err
	case c[4] > 0:
		return train.Loss{}, fmt.Errorf("%d other process(es) of the parallel run failed to build a batch", int(c[4]))
	case len(local) == 0:
		return train.Loss{}, nil
	}
	return train.Loss{Value: terms.loss(t.o, lossCounts{frames: c[0], forceComps: c[1], noForces: c[2], noStress: c[3]})}, nil
}

// fingerprint adds the settings Train's options hold beyond train.Options, and
// this process's frames, to a checkpoint fingerprint.
func (t *trainer) fingerprint(h *checkpoint.Hash) {
	o := t.o
	h.Ints(o.BatchSize, t.offset)
	if p := o.Parallel; p != nil {
		h.Ints(p.Total, p.Rank, p.Ranks)
		if p.Balanced {
			h.String("balanced")
		}
	}
	h.Floats(o.EnergyWeight, o.ForceWeight, o.StressWeight)
	h.Floats(o.FrameWeights...)
	h.Int(len(t.frames))
	for i := range t.frames {
		hashFrame(h, &t.frames[i])
	}
}

// hashFrame adds a frame's numbers, positions, labels, cell and periodicity.
func hashFrame(h *checkpoint.Hash, f *datasets.Frame) {
	h.Ints(f.Numbers...)
	h.Floats(f.Positions...)
	h.Floats(f.Energy)
	h.Floats(f.Forces...)
	var cell, stress []float64 // nil adds a length 0
	if f.Cell != nil {
		cell = f.Cell[:]
	}
	if f.Stress != nil {
		stress = f.Stress[:]
	}
	h.Floats(cell...)
	h.Floats(stress...)
	for _, p := range f.PBC {
		if p {
			h.Int(1)
		} else {
			h.Int(0)
		}
	}
}
