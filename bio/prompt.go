package bio

import (
	"math/rand/v2"

	"github.com/sciadapt/sciadapt/adapters"
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/train"
)

// PromptLengthTol is the tolerance of the saturation rule, in nats of validation
// binary cross-entropy (or unit² of validation MSE for affinities): the shortest
// prompt whose validation loss is within it of the best length's is chosen.
const PromptLengthTol = 0.01

// PromptLengths are the prompt lengths the saturation rule tries, in order.
var PromptLengths = []int{1, 2, 4, 8, 16, 32}

// PromptSearchOptions configure ChoosePromptLength: each prompt trains as
// Transfer would (Epochs, LR, Schedule, Seed), named for Species.
type PromptSearchOptions struct {
	Species  string
	Epochs   int
	LR       float64
	Schedule train.Schedule
	Seed     uint64 // also draws the validation pairs
}

// ValidationSplit holds out, for every protein with at least two of the given
// pairs, a quarter of them (at least one, rounded up) for validation, drawn with
// seed. Proteins with one pair keep it for fitting.
func ValidationSplit(d *dtidata.Dataset, pairs []int, seed uint64) (fit, val []int) {
	prots, byProt := d.PairsByProtein(pairs)
	for _, p := range prots {
		ks := byProt[p]
		if len(ks) < 2 {
			fit = append(fit, ks...)
			continue
		}
		rng := rand.New(rand.NewPCG(seed, 0x76616c^uint64(p)))
		perm := rng.Perm(len(ks))
		nv := (len(ks) + 3) / 4
		for i, j := range perm {
			if i < nv {
				val = append(val, ks[j])
			} else {
				fit = append(fit, ks[j])
			}
		}
	}
	return fit, val
}

// ChoosePromptLength applies the saturation rule (adapters.ChoosePromptLength) to
// prompts on the protein branch of m: for each length of PromptLengths it trains
// a prompt on three quarters of every protein's adaptation pairs (ValidationSplit,
// with the alignment term al if not nil), scores the loss on the other quarter,
// and detaches the prompt; the search stops after two lengths in a row that
// improve the best loss by no more than PromptLengthTol. m is unchanged on
// return. It returns ErrNoValidationPairs when no protein has two adaptation pairs.
func ChoosePromptLength(m *Model, data *Data, adapt []int, al *Alignment, o PromptSearchOptions) (*adapters.LengthChoice, error) {
	fit, val := ValidationSplit(data.Set, adapt, o.Seed)
	if len(val) == 0 {
		return nil, ErrNoValidationPairs
	}
	t := make([]float64, len(val))
	for i, k := range val {
		t[i] = data.Set.Pairs[k].Value
	}
	score := func(length int) (float64, error) {
		cfg, err := AdapterConfig(MethodPrompt, AdapterOptions{PromptLength: length, Seed: o.Seed})
		if err != nil {
			return 0, err
		}
		a, err := adapters.New(o.Species, cfg)
		if err != nil {
			return 0, err
		}
		if err := a.Attach(m); err != nil {
			return 0, err
		}
		defer a.Detach()
		if _, err := Transfer(m, a, data, fit, al, TrainOptions{Epochs: o.Epochs, LR: o.LR, Schedule: o.Schedule, Seed: o.Seed}); err != nil {
			return 0, err
		}
		y := Predict(m, nil, data, val)
		return m.Loss(ad.Constant(ad.New(y, len(y))), t).Item(), nil
	}
	return adapters.ChoosePromptLength(score, adapters.LengthOptions{Lengths: PromptLengths, Tol: PromptLengthTol})
}
