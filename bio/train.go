package bio

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/train"
	"github.com/sciadapt/sciadapt/train/checkpoint"
)

// Data is a Dataset tokenised for a model: Proteins[i] are the residue ids of
// Set.Proteins[i] (nil for a drug-only model), Drugs[j] the SMILES token ids of
// Set.Drugs[j].
type Data struct {
	Set      *dtidata.Dataset
	Proteins [][]int
	Drugs    [][]int
}

// Tokenize tokenises every protein and drug of d for m. It returns an error naming
// the drug whose SMILES does not tokenise, or an empty sequence.
func (m *Model) Tokenize(d *dtidata.Dataset) (*Data, error) {
	out := &Data{Set: d, Drugs: make([][]int, len(d.Drugs))}
	for j, dr := range d.Drugs {
		ids, err := m.DrugTokens(dr.SMILES)
		if err != nil {
			return nil, fmt.Errorf("drug %d (%s): %v", j, dr.ID, err)
		}
		if len(ids) == 0 {
			return nil, fmt.Errorf("drug %d (%s): empty SMILES", j, dr.ID)
		}
		out.Drugs[j] = ids
	}
	if !m.Config.DrugOnly {
		out.Proteins = make([][]int, len(d.Proteins))
		for i, p := range d.Proteins {
			if p.Sequence == "" {
				return nil, fmt.Errorf("protein %d (%s): empty sequence", i, p.ID)
			}
			out.Proteins[i] = m.ProteinTokens(p.Sequence)
		}
	}
	return out, nil
}

// SetOutputBias sets the bias of the head's last layer to v: the mean affinity of
// the training data, or the log-odds of its positive rate, so that training starts
// from the right level.
func (m *Model) SetOutputBias(v float64) {
	m.Head.Layers[len(m.Head.Layers)-1].B.Value().Data[0] = v
}

// BaseRate returns the output that predicts the average of the given pairs:
// the mean affinity, or the log-odds of the fraction of positives (clamped to
// [1e-3, 1 − 1e-3]). It returns 0 for no pairs.
func BaseRate(d *dtidata.Dataset, pairs []int) float64 {
	if len(pairs) == 0 {
		return 0
	}
	s := 0.0
	for _, k := range pairs {
		s += d.Pairs[k].Value
	}
	s /= float64(len(pairs))
	if d.Task == dtidata.Binary {
		s = min(max(s, 1e-3), 1-1e-3)
		return math.Log(s / (1 - s))
	}
	return s
}

// TrainOptions configure Train. Zero fields take the defaults stated.
type TrainOptions struct {
	// Epochs is the number of passes over the pairs. Default 10.
	Epochs int
	// A batch holds BatchProteins proteins (default 8) with up to PairsPerProtein of
	// their pairs each (default 8): see the package documentation.
	BatchProteins, PairsPerProtein int
	// LR is Adam's step size. Default 1e-3.
	LR float64
	// WeightDecay is AdamW's decoupled weight decay λ. Default 0.
	WeightDecay float64
	// Schedule is the step size over the epochs: train.Cosine (the zero value,
	// from LR down to LR/100 along half a cosine) or train.Constant.
	Schedule train.Schedule
	// Seed seeds the order of the pairs.
	Seed uint64
	// Context is passed to every layer (nil is fine).
	Context *nn.Context
	// Params are the parameters to train; nil means every trainable parameter of
	// the model.
	Params []*nn.Param
	// Extra, if not nil, is added to the loss of every step (an alignment term);
	// it gets the step number (from 0) and returns a scalar.
	Extra func(step int) *ad.Var
	// Fingerprint, if set, adds to the fingerprint of checkpoints what the loss
	// depends on beyond the pairs and the trained parameters (a frozen base, the data
	// of Extra), so that resuming with another is refused.
	Fingerprint func(h *checkpoint.Hash)
	// MinSteps is the least number of steps per epoch (so that a loss made of
	// Extra alone trains when there are no pairs). Default 1.
	MinSteps int
	// Progress, if not nil, is called after every epoch.
	Progress func(EpochStats)
	// Checkpoint, if set, writes checkpoints, resumes from one, and stops with a
	// checkpoint when its context is cancelled (see train/checkpoint).
	Checkpoint *checkpoint.Saver
}

// EpochStats summarise one epoch of training.
type EpochStats struct {
	Epoch   int     // from 1
	Loss    float64 // mean data loss of the epoch's steps (BCE in nats, or MSE in unit²)
	Extra   float64 // mean extra term (before it is added), 0 without one
	LR      float64 // Adam's step size in the epoch
	Seconds float64 // since the start of training
}

func (o *TrainOptions) defaults() {
	if o.Epochs == 0 {
		o.Epochs = 10
	}
	if o.BatchProteins == 0 {
		o.BatchProteins = 8
	}
	if o.PairsPerProtein == 0 {
		o.PairsPerProtein = 8
	}
	if o.LR == 0 {
		o.LR = 1e-3
	}
	if o.MinSteps == 0 {
		o.MinSteps = 1
	}
}

// batches returns one epoch of batches: each protein's pairs are shuffled and cut
// into chunks of at most per pairs, the chunks are shuffled, and every nprot chunks
// form a batch. Every pair appears exactly once.
func batches(d *dtidata.Dataset, pairs []int, nprot, per int, rng *rand.Rand) [][]int {
	prots, byProt := d.PairsByProtein(pairs)
	sort.Ints(prots)
	var chunks [][]int
	for _, p := range prots {
		ks := byProt[p]
		rng.Shuffle(len(ks), func(i, j int) { ks[i], ks[j] = ks[j], ks[i] })
		for s := 0; s < len(ks); s += per {
			chunks = append(chunks, ks[s:min(s+per, len(ks))])
		}
	}
	rng.Shuffle(len(chunks), func(i, j int) { chunks[i], chunks[j] = chunks[j], chunks[i] })
	var out [][]int
	for s := 0; s < len(chunks); s += nprot {
		var b []int
		for _, c := range chunks[s:min(s+nprot, len(chunks))] {
			b = append(b, c...)
		}
		out = append(out, b)
	}
	return out
}

// Outputs returns the model's outputs (n) for the given pairs of data as a graph
// value: logits for a binary model, affinities otherwise. Each distinct protein
// and drug is encoded once.
func (m *Model) Outputs(ctx *nn.Context, data *Data, pairs []int) *ad.Var {
	d := data.Set
	protIdx := make([]int, len(pairs))
	drugIdx := make([]int, len(pairs))
	pslot, dslot := map[int]int{}, map[int]int{}
	var pseqs, dseqs [][]int
	for i, k := range pairs {
		pr := d.Pairs[k]
		if !m.Config.DrugOnly {
			s, ok := pslot[pr.Protein]
			if !ok {
				s = len(pseqs)
				pslot[pr.Protein] = s
				pseqs = append(pseqs, data.Proteins[pr.Protein])
			}
			protIdx[i] = s
		}
		s, ok := dslot[pr.Drug]
		if !ok {
			s = len(dseqs)
			dslot[pr.Drug] = s
			dseqs = append(dseqs, data.Drugs[pr.Drug])
		}
		drugIdx[i] = s
	}
	var prot *ad.Var
	if !m.Config.DrugOnly {
		prot = m.EncodeProteins(ctx, pseqs)
	}
	return m.HeadForward(ctx, prot, m.EncodeDrugs(ctx, dseqs), protIdx, drugIdx)
}

// Loss returns the mean loss of outputs y (n) against targets t: binary
// cross-entropy on logits, mean(softplus(y) − t·y), in nats, or the mean squared
// error in the affinity unit squared.
func (m *Model) Loss(y *ad.Var, t []float64) *ad.Var {
	tv := ad.Constant(ad.New(slices.Clone(t), len(t)))
	if m.Config.Task == dtidata.Binary {
		return ad.Mean(ad.Sub(ad.Softplus(y), ad.Mul(tv, y)))
	}
	return ad.Mean(ad.Square(ad.Sub(y, tv)))
}

// trainStream separates the epoch order of Train from other uses of the seed.
const trainStream = 0x6269_6f74_7261_696e

// Train fits m to the given pairs of data with Adam through train.Run; see
// TrainOptions. It returns the statistics of every epoch (from the epoch resumed,
// with opt.Checkpoint), or an error: no trainable parameter, a loss or gradient
// that becomes NaN or infinite (before the update), or an interruption.
func Train(m *Model, data *Data, pairs []int, opt TrainOptions) ([]EpochStats, error) {
	opt.defaults()
	params := opt.Params
	if params == nil {
		params = nn.Trainable(m)
	}
	task := train.Task{
		Kind:   "bio/train",
		Params: params,
		Batches: func(_ int, rng *rand.Rand) [][]int {
			bs := batches(data.Set, pairs, opt.BatchProteins, opt.PairsPerProtein, rng)
			for len(bs) < opt.MinSteps {
				bs = append(bs, nil)
			}
			return bs
		},
		Loss:        func(b []int, step int) (train.Loss, error) { return batchLoss(m, data, b, step, opt), nil },
		Fingerprint: func(h *checkpoint.Hash) { trainFingerprint(h, data, pairs, opt) },
	}
	var stats []EpochStats
	_, err := train.Run(task, train.Options{Epochs: opt.Epochs, LR: opt.LR, Schedule: opt.Schedule,
		WeightDecay: opt.WeightDecay, Seed: opt.Seed, Stream: trainStream, Checkpoint: opt.Checkpoint,
		Progress: func(s train.EpochStats) {
			st := EpochStats{Epoch: s.Epoch, Loss: s.Parts[0], Extra: s.Parts[1], LR: s.LR, Seconds: s.Seconds}
			stats = append(stats, st)
			if opt.Progress != nil {
				opt.Progress(st)
			}
		}})
	return stats, err
}

// batchLoss is the loss of one batch: the data loss of its pairs (none for an
// empty batch) plus opt.Extra, with the two terms as the loss's parts.
func batchLoss(m *Model, data *Data, b []int, step int, opt TrainOptions) train.Loss {
	var loss *ad.Var
	parts := []float64{0, 0}
	if len(b) > 0 {
		t := make([]float64, len(b))
		for i, k := range b {
			t[i] = data.Set.Pairs[k].Value
		}
		loss = m.Loss(m.Outputs(opt.Context, data, b), t)
		parts[0] = loss.Item()
	}
	if opt.Extra != nil {
		e := opt.Extra(step)
		parts[1] = e.Item()
		if loss == nil {
			loss = e
		} else {
			loss = ad.Add(loss, e)
		}
	}
	return train.Loss{Value: loss, Parts: parts}
}

// trainFingerprint adds to h what train.Run cannot see: the batch shape, the
// pairs and their tokens, and what opt.Fingerprint adds.
func trainFingerprint(h *checkpoint.Hash, data *Data, pairs []int, opt TrainOptions) {
	h.Ints(opt.BatchProteins, opt.PairsPerProtein, opt.MinSteps)
	if opt.Extra != nil {
		h.String("extra")
	}
	if opt.Fingerprint != nil {
		opt.Fingerprint(h)
	}
	h.Ints(pairs...)
	for _, k := range pairs {
		p := data.Set.Pairs[k]
		h.Ints(p.Protein, p.Drug)
		h.Floats(p.Value)
	}
	for _, t := range data.Proteins {
		h.Ints(t...)
	}
	for _, t := range data.Drugs {
		h.Ints(t...)
	}
}

// Predict returns the model's outputs for the given pairs: logits (binary) or
// affinities. Pairs are scored in blocks, proteins and drugs encoded once per block.
func Predict(m *Model, ctx *nn.Context, data *Data, pairs []int) []float64 {
	// Score in blocks of pairs that share few proteins: sort by protein.
	order := slices.Clone(pairs)
	sort.SliceStable(order, func(i, j int) bool {
		return data.Set.Pairs[order[i]].Protein < data.Set.Pairs[order[j]].Protein
	})
	pos := map[int][]int{}
	for i, k := range pairs {
		pos[k] = append(pos[k], i)
	}
	out := make([]float64, len(pairs))
	// At most 16 proteins and 512 pairs per block bound the memory of the graph.
	const maxProteins, maxPairs = 16, 512
	for s := 0; s < len(order); {
		e, nprot := s, 0
		for e < len(order) && e-s < maxPairs {
			if e == s || data.Set.Pairs[order[e]].Protein != data.Set.Pairs[order[e-1]].Protein {
				if nprot == maxProteins {
					break
				}
				nprot++
			}
			e++
		}
		b := order[s:e]
		s = e
		y := m.Outputs(ctx, data, b).Value().Data
		for i, k := range b {
			for _, p := range pos[k] {
				out[p] = y[i]
			}
		}
	}
	return out
}
