package cli

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/sciadapt/sciadapt/adapters"
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/bio"
	"github.com/sciadapt/sciadapt/bio/dtidata"
)

// promptAutoTol is the tolerance of "--prompt-length auto", in nats of validation
// binary cross-entropy (or unit² of validation MSE for affinities): the smallest
// prompt length whose validation loss is within it of the best length's is chosen.
const promptAutoTol = 0.01

// promptLengthValue is the pflag.Value of --prompt-length: a positive integer, or
// "auto" (stored as 0).
type promptLengthValue struct{ n *int }

func (v promptLengthValue) String() string {
	if v.n == nil || *v.n == 0 {
		return "auto"
	}
	return strconv.Itoa(*v.n)
}

func (v promptLengthValue) Set(s string) error {
	if s == "auto" {
		*v.n = 0
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return fmt.Errorf("want a positive number of soft residues or auto")
	}
	*v.n = n
	return nil
}

func (v promptLengthValue) Type() string { return "int|auto" }

// validationSplit holds out, for every protein with at least two of the given
// pairs, a quarter of them (at least one, rounded up) for validation, drawn with
// seed. Proteins with one pair keep it for fitting.
func validationSplit(d *dtidata.Dataset, pairs []int, seed uint64) (fit, val []int) {
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

// choosePromptLength applies the saturation rule (adapters.ChoosePromptLength) to
// prompts on the protein branch of m: for each length it trains a prompt on
// three quarters of every protein's adaptation pairs (with the alignment term al
// if not nil), scores the loss on the other quarter, and detaches the prompt. m is
// unchanged on return.
func choosePromptLength(o *TransferOptions, m *bio.Model, data *bio.Data, adapt []int, al *bio.Alignment, species string) (*adapters.LengthChoice, error) {
	fit, val := validationSplit(data.Set, adapt, o.Seed)
	if len(val) == 0 {
		return nil, usagef("--prompt-length auto needs at least two labelled pairs per protein (--per-target %d gives no validation pairs)", o.PerTarget)
	}
	t := make([]float64, len(val))
	for i, k := range val {
		t[i] = data.Set.Pairs[k].Value
	}
	score := func(length int) (float64, error) {
		cfg, err := bio.AdapterConfig(bio.MethodPrompt, bio.AdapterOptions{PromptLength: length, Seed: o.Seed})
		if err != nil {
			return 0, err
		}
		a, err := adapters.New(species, cfg)
		if err != nil {
			return 0, err
		}
		if err := a.Attach(m); err != nil {
			return 0, err
		}
		defer a.Detach()
		if _, err := bio.Transfer(m, a, data, fit, al, bio.TrainOptions{Epochs: o.Epochs, LR: o.LR, Seed: o.Seed}); err != nil {
			return 0, err
		}
		y := bio.Predict(m, nil, data, val)
		return m.Loss(ad.Constant(ad.New(y, len(y))), t).Item(), nil
	}
	return adapters.ChoosePromptLength(score, adapters.LengthOptions{Lengths: []int{1, 2, 4, 8, 16, 32}, Tol: promptAutoTol})
}
