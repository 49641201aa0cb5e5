package bio

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/optim"
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
	// Cosine, if true, decays the step size over the epochs along a cosine from LR
	// to LR/100 (epoch e of E runs at optim.Cosine{LR, LR/100, 0, E}.LR(e−1));
	// otherwise it stays LR.
	Cosine bool
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
	Epoch   int
	Loss    float64 // mean data loss of the epoch's steps (BCE in nats, or MSE in unit²)
	Extra   float64 // mean extra term (before it is added), 0 without one
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

// Train fits m to the given pairs of data with Adam; see TrainOptions. It returns
// the statistics of every epoch (from the epoch resumed, with opt.Checkpoint), or
// an error, before the update, if the loss or a gradient becomes NaN or infinite.
func Train(m *Model, data *Data, pairs []int, opt TrainOptions) ([]EpochStats, error) {
	opt.defaults()
	params := opt.Params
	if params == nil {
		params = nn.Trainable(m)
	}
	vars := nn.Vars(params)
	adam := optim.NewAdam(&optim.AdamOptions{LR: opt.LR, WeightDecay: opt.WeightDecay, Decoupled: opt.WeightDecay > 0})
	ck := opt.Checkpoint
	fp := "" // hashing the data is only needed when checkpointing
	if ck != nil {
		fp = trainFingerprint(data, pairs, params, opt)
	}
	pos, err := ck.Resume("bio/train", fp, params, adam)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	var stats []EpochStats
	step := pos.Step
	for ep := pos.Epoch + 1; ep <= opt.Epochs; ep++ {
		if opt.Cosine {
			adam.SetLR(optim.Cosine{Base: opt.LR, Min: opt.LR / 100, Total: opt.Epochs}.LR(ep - 1))
		}
		// Each epoch's batches depend on (seed, epoch) only, so a resumed run
		// regenerates them.
		rng := checkpoint.EpochRand(opt.Seed, 0x6269_6f74_7261_696e, ep)
		bs := batches(data.Set, pairs, opt.BatchProteins, opt.PairsPerProtein, rng)
		for len(bs) < opt.MinSteps {
			bs = append(bs, nil)
		}
		var sumLoss, sumExtra float64
		b0 := 0
		if ep == pos.Epoch+1 && pos.Batch > 0 && len(pos.Sums) == 2 {
			b0, sumLoss, sumExtra = pos.Batch, pos.Sums[0], pos.Sums[1]
		}
		for bi := b0; bi < len(bs); bi++ {
			b := bs[bi]
			var loss *ad.Var
			if len(b) > 0 {
				t := make([]float64, len(b))
				for i, k := range b {
					t[i] = data.Set.Pairs[k].Value
				}
				loss = m.Loss(m.Outputs(opt.Context, data, b), t)
				sumLoss += loss.Item()
			}
			if opt.Extra != nil {
				e := opt.Extra(step)
				sumExtra += e.Item()
				if loss == nil {
					loss = e
				} else {
					loss = ad.Add(loss, e)
				}
			}
			step++
			if loss != nil {
				gs := ad.Grad(loss, vars...)
				grads := make([]*ad.Tensor, len(gs))
				for i, g := range gs {
					if g != nil {
						grads[i] = g.Value()
					}
				}
				if err := ck.Check(ep, step, loss.Item(), grads); err != nil {
					return stats, err
				}
				adam.Step(vars, grads)
			}
			next := checkpoint.Position{Epoch: ep - 1, Batch: bi + 1, Step: step, Sums: []float64{sumLoss, sumExtra}}
			if bi+1 == len(bs) {
				next = checkpoint.Position{Epoch: ep, Step: step}
			}
			if err := ck.After(next, params, adam); err != nil {
				return stats, err
			}
		}
		s := EpochStats{Epoch: ep, Loss: sumLoss / float64(len(bs)), Extra: sumExtra / float64(len(bs)),
			Seconds: time.Since(start).Seconds()}
		stats = append(stats, s)
		if opt.Progress != nil {
			opt.Progress(s)
		}
	}
	return stats, nil
}

// trainFingerprint identifies the pairs, their tokens, the trained parameters and
// the settings of opt that change the course of training, for checkpoints.
func trainFingerprint(data *Data, pairs []int, params []*nn.Param, opt TrainOptions) string {
	h := checkpoint.NewHash()
	h.Ints(opt.Epochs, opt.BatchProteins, opt.PairsPerProtein, opt.MinSteps, int(opt.Seed))
	h.Floats(opt.LR, opt.WeightDecay)
	if opt.Cosine {
		h.String("cosine")
	}
	if opt.Extra != nil {
		h.String("extra")
	}
	h.Params(params)
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
	return h.Sum()
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
