package bio

import (
	"fmt"
	"math/rand/v2"

	"github.com/sciadapt/sciadapt/adapters"
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/train/checkpoint"
)

// Transfer methods: what trains when a human model moves to another species.
const (
	MethodFrozen  = "frozen"  // nothing trains: the human model as it is
	MethodHead    = "head"    // only the interaction head trains (select head.**)
	MethodFull    = "full"    // every parameter trains (full fine-tuning, the reference)
	MethodAdapter = "adapter" // bottleneck adapters after every protein convolution
	MethodLoRA    = "lora"    // LoRA on every protein convolution
	MethodPrompt  = "prompt"  // soft residues prepended to every protein sequence
)

// Methods lists the transfer methods in a fixed order.
var Methods = []string{MethodFrozen, MethodHead, MethodFull, MethodAdapter, MethodLoRA, MethodPrompt}

// AdapterOptions size the adapters of AdapterConfig. Zero fields take the defaults.
type AdapterOptions struct {
	PromptLength int // soft residues of a prompt; default 8
	Rank         int // LoRA rank; default 4
	Reduction    int // bottleneck reduction factor; default 4 (hidden 8 and 16 for 32 and 64 channels)
	Seed         uint64
}

// AdapterConfig returns the adapters.Config of a transfer method (all but
// MethodFrozen, which has no adapter). Adapters act on the protein branch only:
// the drug branch and the head stay as the human model has them, except for
// MethodHead and MethodFull.
func AdapterConfig(method string, o AdapterOptions) (adapters.Config, error) {
	if o.PromptLength == 0 {
		o.PromptLength = 8
	}
	if o.Rank == 0 {
		o.Rank = 4
	}
	if o.Reduction == 0 {
		o.Reduction = 4
	}
	var c adapters.Config
	switch method {
	case MethodHead:
		c = adapters.Config{Method: adapters.MethodSelect, Patterns: []string{"head.**"}}
	case MethodFull:
		c = adapters.Config{Method: adapters.MethodFull}
	case MethodAdapter:
		c = adapters.Config{Method: adapters.MethodBottleneck, Targets: []string{"protein.conv*"}, Reduction: o.Reduction}
	case MethodLoRA:
		c = adapters.Config{Method: adapters.MethodLoRA, Targets: []string{"protein.conv*"}, Rank: o.Rank}
	case MethodPrompt:
		c = adapters.Config{Method: adapters.MethodPrompt, Targets: []string{"protein.embed"}, PromptLength: o.PromptLength}
	default:
		return c, fmt.Errorf("transfer method %q: want one of head, full, adapter, lora, prompt (or frozen)", method)
	}
	c.Seed = o.Seed
	return c, c.Validate()
}

// Alignment pulls the adapted representation of a protein of the new species
// towards the frozen human representation of its ortholog:
//
//	L_align = λ · (1/B) Σᵢ (1 − cos(f_θ(ratᵢ), f₀(humanᵢ)))
//
// over B ortholog pairs drawn per step, f_θ the adapted protein encoder and f₀ the
// human model's (the adapter disabled).
type Alignment struct {
	Other, Human [][]int // residue ids (Model.ProteinTokens); Other[i] is an ortholog of Human[i]
	Weight       float64 // λ, dimensionless (the cosine term is in [0, 2])
	Batch        int     // pairs per step; default 8, at most len(Other)
	Seed         uint64  // seeds the pairs drawn per step
}

// Shuffled returns a copy of al whose human partners are permuted so that no
// protein keeps its true ortholog (a derangement drawn with seed): the
// shuffled-ortholog control. It returns al unchanged for fewer than two pairs.
func (al *Alignment) Shuffled(seed uint64) *Alignment {
	n := len(al.Other)
	out := *al
	if n < 2 {
		return &out
	}
	perm := rand.New(rand.NewPCG(seed, 0x73687566)).Perm(n)
	out.Human = make([][]int, n)
	for i := range perm {
		out.Human[perm[i]] = al.Human[perm[(i+1)%n]]
	}
	out.Other = al.Other
	return &out
}

// fingerprint adds the alignment's settings and sequences to h.
func (al *Alignment) fingerprint(h *checkpoint.Hash) {
	h.Floats(al.Weight)
	h.Ints(al.Batch, int(al.Seed), len(al.Other))
	for i := range al.Other {
		h.Ints(al.Other[i]...)
		h.Ints(al.Human[i]...)
	}
}

// encodeChunks encodes sequences in chunks of 8 and returns the values (n, width).
func encodeChunks(m *Model, ctx *nn.Context, seqs [][]int) *ad.Tensor {
	w := m.ProteinWidth()
	out := ad.Zeros(len(seqs), w)
	for s := 0; s < len(seqs); s += 8 {
		z := m.EncodeProteins(ctx, seqs[s:min(s+8, len(seqs))]).Value()
		copy(out.Data[s*w:], z.Data)
	}
	return out
}

// cosineLoss returns mean(1 − cos(z_i, h_i)) over rows of z and h (n, w).
func cosineLoss(z, h *ad.Var) *ad.Var {
	dot := ad.SumAxis(ad.Mul(z, h), 1, false)
	nz := ad.Sqrt(ad.AddScalar(ad.SumAxis(ad.Square(z), 1, false), 1e-12))
	nh := ad.Sqrt(ad.AddScalar(ad.SumAxis(ad.Square(h), 1, false), 1e-12))
	return ad.Mean(ad.OneMinus(ad.Div(dot, ad.Mul(nz, nh))))
}

// humanTargets returns f₀(human) with the adapter (if any) disabled.
func humanTargets(m *Model, a *adapters.Adapter, human [][]int) *ad.Tensor {
	if a != nil && a.Enabled() {
		a.Enable(false)
		defer a.Enable(true)
	}
	return encodeChunks(m, nil, human)
}

// AlignmentCosine returns the mean cosine similarity between the current
// representations of al.Other (adapter as it is) and the human model's
// representations of al.Human (adapter disabled).
func AlignmentCosine(m *Model, a *adapters.Adapter, ctx *nn.Context, al *Alignment) float64 {
	if len(al.Other) == 0 {
		return 0
	}
	h := humanTargets(m, a, al.Human)
	z := encodeChunks(m, ctx, al.Other)
	return 1 - cosineLoss(ad.Constant(z), ad.Constant(h)).Item()
}

// Transfer trains only the parameters of the attached adapter a (a.Params) on the
// given pairs of data, plus the alignment term when al is not nil and al.Weight > 0.
// The human model's own parameters are never changed (except by the selection
// methods head and full, whose adapter.Enable(false) restores them exactly).
// opt.Params, opt.Extra and opt.Fingerprint are set by Transfer: checkpoints are
// tied to the frozen base and the alignment. It panics if a is not attached.
func Transfer(m *Model, a *adapters.Adapter, data *Data, pairs []int, al *Alignment, opt TrainOptions) ([]EpochStats, error) {
	if !a.Enabled() {
		panic("bio: Transfer with an adapter that is not attached and enabled")
	}
	opt.Params = a.Params()
	opt.Extra = nil
	base := nn.Fingerprint(m)
	opt.Fingerprint = func(h *checkpoint.Hash) {
		h.String(base)
		if opt.Extra != nil {
			al.fingerprint(h)
		}
	}
	if al != nil && al.Weight > 0 && len(al.Other) > 0 {
		if m.Config.DrugOnly {
			return nil, fmt.Errorf("ortholog alignment needs a protein branch; the model is drug-only")
		}
		if len(al.Other) != len(al.Human) {
			return nil, fmt.Errorf("alignment: %d proteins but %d human orthologs", len(al.Other), len(al.Human))
		}
		h := humanTargets(m, a, al.Human)
		bsz := al.Batch
		if bsz <= 0 {
			bsz = 8
		}
		bsz = min(bsz, len(al.Other))
		opt.Extra = func(step int) *ad.Var {
			// The proteins of a step depend on (seed, step) only, so that a resumed
			// run draws the same.
			idx := checkpoint.EpochRand(al.Seed, 0x616c69676e, step).Perm(len(al.Other))[:bsz]
			seqs := make([][]int, bsz)
			for i, j := range idx {
				seqs[i] = al.Other[j]
			}
			z := m.EncodeProteins(opt.Context, seqs)
			return ad.Scale(cosineLoss(z, ad.GatherRows(ad.Constant(h), idx)), al.Weight)
		}
		if opt.MinSteps == 0 {
			opt.MinSteps = 4
		}
	}
	return Train(m, data, pairs, opt)
}
