package bio

import (
	"errors"
	"fmt"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/bio/seq"
	"github.com/sciadapt/sciadapt/nn"
)

// Kind is the model kind stored in model files of this package.
const Kind = "dti/deepdta"

// Config describes a drug–target model. Zero fields take the defaults of
// DefaultConfig when passed through WithDefaults.
type Config struct {
	// Task is "binary" (the output is a logit) or "affinity" (the output is an
	// affinity in the unit of the training data, pKd for Davis).
	Task dtidata.Task `json:"task"`
	// Embed is the width of the residue and SMILES-token embeddings.
	Embed int `json:"embed"`
	// ProteinFilters and ProteinWidths give the output channels and window widths
	// (residues) of the protein CNN layers; DrugFilters and DrugWidths those of the
	// SMILES CNN (tokens).
	ProteinFilters []int `json:"protein_filters"`
	ProteinWidths  []int `json:"protein_widths"`
	DrugFilters    []int `json:"drug_filters"`
	DrugWidths     []int `json:"drug_widths"`
	// Hidden are the widths of the hidden layers of the interaction head.
	Hidden []int `json:"hidden"`
	// MaxProteinLength and MaxDrugLength truncate sequences (residues, SMILES tokens).
	MaxProteinLength int `json:"max_protein_length"`
	MaxDrugLength    int `json:"max_drug_length"`
	// DrugOnly leaves out the protein branch: the head sees the drug only. This is
	// the drug-only control.
	DrugOnly bool `json:"drug_only,omitempty"`
	// DrugEncoder chooses the drug branch: "" or DrugEncoderCNN, the CNN over
	// SMILES tokens (DrugFilters, DrugWidths, DrugVocabulary, MaxDrugLength), or
	// DrugEncoderGIN, the graph encoder over the molecular graph (Graph; the CNN
	// fields must then be empty).
	DrugEncoder string `json:"drug_encoder,omitempty"`
	// Graph configures the graph encoder (nil: its defaults).
	Graph *GraphConfig `json:"graph,omitempty"`
	// DrugVocabulary lists the SMILES tokens by id (ids 0 and 1 are padding and
	// unknown, see package seq). Built from the training drugs by NewFromData.
	DrugVocabulary *seq.Vocabulary `json:"drug_vocabulary"`
	// Seed seeds the initial weights.
	Seed uint64 `json:"seed"`
}

// DefaultConfig returns a small DeepDTA-like configuration for task: embeddings 32,
// protein filters 32, 64 of widths 8, 8, drug filters 32, 64 of widths 4, 6, one
// hidden layer of 64, proteins truncated at 1000 residues and SMILES at 100 tokens.
// (DeepDTA itself uses 32, 64, 96 filters of widths 8, 8, 8 / 4, 6, 8 and a head of
// 1024, 1024, 512.)
func DefaultConfig(task dtidata.Task) Config {
	return Config{Task: task, Embed: 32,
		ProteinFilters: []int{32, 64}, ProteinWidths: []int{8, 8},
		DrugFilters: []int{32, 64}, DrugWidths: []int{4, 6},
		Hidden: []int{64}, MaxProteinLength: 1000, MaxDrugLength: 100, Seed: 1}
}

// Validate returns an error naming the first problem of c.
func (c Config) Validate() error {
	if c.Task != dtidata.Binary && c.Task != dtidata.Affinity {
		return fmt.Errorf("task %q: want %q or %q", c.Task, dtidata.Binary, dtidata.Affinity)
	}
	if c.Embed < 1 {
		return fmt.Errorf("embed %d: want at least 1", c.Embed)
	}
	check := func(what string, f, w []int) error {
		if len(f) == 0 || len(f) != len(w) {
			return fmt.Errorf("%s: %d filter counts and %d widths (want as many, at least one)", what, len(f), len(w))
		}
		for i := range f {
			if f[i] < 1 || w[i] < 1 {
				return fmt.Errorf("%s layer %d: %d filters of width %d (want both ≥ 1)", what, i, f[i], w[i])
			}
		}
		return nil
	}
	if !c.DrugOnly {
		if err := check("protein CNN", c.ProteinFilters, c.ProteinWidths); err != nil {
			return err
		}
	}
	switch c.DrugEncoder {
	case "", DrugEncoderCNN:
		if err := check("drug CNN", c.DrugFilters, c.DrugWidths); err != nil {
			return err
		}
		if c.DrugVocabulary == nil {
			return errors.New("no drug vocabulary")
		}
	case DrugEncoderGIN:
		if len(c.DrugFilters) > 0 || len(c.DrugWidths) > 0 || c.DrugVocabulary != nil {
			return errors.New("drug CNN layers or a SMILES vocabulary given for the graph drug encoder")
		}
		if c.Graph != nil {
			if err := c.Graph.Validate(); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("drug encoder %q: want %q or %q", c.DrugEncoder, DrugEncoderCNN, DrugEncoderGIN)
	}
	for i, h := range c.Hidden {
		if h < 1 {
			return fmt.Errorf("hidden layer %d has width %d", i, h)
		}
	}
	if c.MaxProteinLength < 1 || c.MaxDrugLength < 1 {
		return fmt.Errorf("maximum lengths %d (protein) and %d (drug) must be ≥ 1", c.MaxProteinLength, c.MaxDrugLength)
	}
	return nil
}

// Model is a DeepDTA-like drug–target model: a CNN over embedded residues and a CNN
// over embedded SMILES tokens, each max-pooled over its length, and an MLP head on
// the concatenated representations (see the package documentation).
type Model struct {
	Config Config
	// Protein branch (nil when Config.DrugOnly).
	ProteinEmbed *nn.Embedding
	ProteinConv  []*nn.Conv1D
	// Drug is the drug branch; for the character CNN, DrugEmbed and DrugConv are
	// its layers (nil for the graph encoder).
	Drug      DrugEncoder
	DrugEmbed *nn.Embedding
	DrugConv  []*nn.Conv1D
	// Head maps [protein, drug] representations to one output.
	Head *nn.MLP

	proteinVocab *seq.Vocabulary
}

var _ nn.Module = (*Model)(nil)

// New returns a model with freshly initialised weights. It returns an error for an
// invalid configuration.
func New(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rng := nn.NewRand(cfg.Seed)
	m := &Model{Config: cfg, proteinVocab: seq.ProteinVocabulary()}
	in := 0
	if !cfg.DrugOnly {
		m.ProteinEmbed = nn.NewEmbedding("protein.embed", m.proteinVocab.Len(), cfg.Embed, 1, rng)
		c := cfg.Embed
		for i, f := range cfg.ProteinFilters {
			conv := nn.NewConv1D(fmt.Sprintf("protein.conv%d", i), c, f, cfg.ProteinWidths[i], rng)
			conv.Site.Rows = "residue"
			m.ProteinConv = append(m.ProteinConv, conv)
			c = f
		}
		m.ProteinEmbed.Site.Rows = "residue"
		in += c
	}
	if cfg.DrugEncoder == DrugEncoderGIN {
		gc := GraphConfig{}
		if cfg.Graph != nil {
			gc = *cfg.Graph
		}
		m.Drug = NewGraphEncoder("drug", gc, rng)
	} else {
		m.DrugEmbed = nn.NewEmbedding("drug.embed", cfg.DrugVocabulary.Len(), cfg.Embed, 1, rng)
		m.DrugEmbed.Site.Rows = "token"
		c := cfg.Embed
		for i, f := range cfg.DrugFilters {
			conv := nn.NewConv1D(fmt.Sprintf("drug.conv%d", i), c, f, cfg.DrugWidths[i], rng)
			conv.Site.Rows = "token"
			m.DrugConv = append(m.DrugConv, conv)
			c = f
		}
		m.Drug = &charCNN{embed: m.DrugEmbed, convs: m.DrugConv, vocab: cfg.DrugVocabulary, maxLen: cfg.MaxDrugLength}
	}
	in += m.Drug.Width()
	sizes := append(append([]int{in}, cfg.Hidden...), 1)
	m.Head = nn.NewMLP("head", sizes, nn.ActReLU, rng)
	for _, l := range m.Head.Layers {
		l.Site.Rows = "pair"
	}
	return m, nil
}

// Params lists the protein branch, the drug branch and the head, in that order.
func (m *Model) Params() []*nn.Param {
	var ps []*nn.Param
	for _, mod := range m.parts() {
		ps = append(ps, mod.Params()...)
	}
	return ps
}

// Sites lists the sites in the order of Params.
func (m *Model) Sites() []*nn.Site {
	var ss []*nn.Site
	for _, mod := range m.parts() {
		ss = append(ss, mod.Sites()...)
	}
	return ss
}

func (m *Model) parts() []nn.Module {
	var mods []nn.Module
	if !m.Config.DrugOnly {
		mods = append(mods, m.ProteinEmbed)
		for _, c := range m.ProteinConv {
			mods = append(mods, c)
		}
	}
	return append(mods, m.Drug, m.Head)
}

// ProteinWidth is the width of the protein representation (0 for a drug-only model).
func (m *Model) ProteinWidth() int {
	if m.Config.DrugOnly {
		return 0
	}
	return m.Config.ProteinFilters[len(m.Config.ProteinFilters)-1]
}

// DrugWidth is the width of the drug representation.
func (m *Model) DrugWidth() int { return m.Drug.Width() }

// ProteinTokens returns the residue ids of a protein sequence, truncated to
// MaxProteinLength.
func (m *Model) ProteinTokens(sequence string) []int {
	if len(sequence) > m.Config.MaxProteinLength {
		sequence = sequence[:m.Config.MaxProteinLength]
	}
	return m.proteinVocab.EncodeResidues(nil, sequence)
}

// DrugTokens returns the integer sequence the drug branch reads for smiles: the
// SMILES token ids truncated to MaxDrugLength (character CNN) or the molecular
// graph (GraphEncoder.Tokens). It returns the tokeniser's or parser's error for
// a SMILES that does not read.
func (m *Model) DrugTokens(smiles string) ([]int, error) { return m.Drug.Tokens(smiles) }

// EncodeProteins returns the protein representations (len(seqs), ProteinWidth) of
// token sequences (from ProteinTokens). It panics for a drug-only model.
func (m *Model) EncodeProteins(ctx *nn.Context, seqs [][]int) *ad.Var {
	if m.Config.DrugOnly {
		panic("bio: EncodeProteins of a drug-only model")
	}
	return encodeCNN(ctx, m.ProteinEmbed, m.ProteinConv, seqs)
}

// EncodeDrugs returns the drug representations (len(seqs), DrugWidth) of token
// sequences (from DrugTokens).
func (m *Model) EncodeDrugs(ctx *nn.Context, seqs [][]int) *ad.Var { return m.Drug.Encode(ctx, seqs) }

// DrugEncoder is a model's drug branch: it reads a SMILES into the integer
// sequence it consumes and maps a batch of those to representations. The
// character CNN and GraphEncoder implement it.
type DrugEncoder interface {
	nn.Module
	// Tokens returns the sequence for one SMILES, or an error naming the problem.
	Tokens(smiles string) ([]int, error)
	// Encode returns the representations (len(seqs), Width()) of sequences from
	// Tokens, each independent of the others in the batch (to rounding).
	Encode(ctx *nn.Context, seqs [][]int) *ad.Var
	// Width returns the width of a representation.
	Width() int
}

// charCNN is the DeepDTA drug branch: SMILES tokens, embedded, convolved and
// max-pooled (see the package documentation).
type charCNN struct {
	embed  *nn.Embedding
	convs  []*nn.Conv1D
	vocab  *seq.Vocabulary
	maxLen int
}

var _ DrugEncoder = (*charCNN)(nil)

func (c *charCNN) Params() []*nn.Param { return nn.Join(c.modules()...).Params() }
func (c *charCNN) Sites() []*nn.Site   { return nn.Join(c.modules()...).Sites() }
func (c *charCNN) Width() int          { return c.convs[len(c.convs)-1].Site.Out }

func (c *charCNN) modules() []nn.Module {
	mods := []nn.Module{c.embed}
	for _, cv := range c.convs {
		mods = append(mods, cv)
	}
	return mods
}

// Tokens returns the SMILES token ids of smiles, truncated to the maximum length.
func (c *charCNN) Tokens(smiles string) ([]int, error) {
	toks, err := seq.TokenizeSMILES(smiles)
	if err != nil {
		return nil, err
	}
	if len(toks) > c.maxLen {
		toks = toks[:c.maxLen]
	}
	return c.vocab.Encode(nil, toks), nil
}

func (c *charCNN) Encode(ctx *nn.Context, seqs [][]int) *ad.Var {
	return encodeCNN(ctx, c.embed, c.convs, seqs)
}

// HeadForward returns the outputs (n) of the head for protein representations
// prot (P, ProteinWidth) and drug representations drug (D, DrugWidth), pair k
// taking row protIdx[k] of prot and row drugIdx[k] of drug. For a drug-only model
// prot and protIdx are ignored. Outputs are logits (binary) or affinities.
func (m *Model) HeadForward(ctx *nn.Context, prot, drug *ad.Var, protIdx, drugIdx []int) *ad.Var {
	x := ad.GatherRows(drug, drugIdx)
	if !m.Config.DrugOnly {
		x = ad.Concat(1, ad.GatherRows(prot, protIdx), x)
	}
	y := m.Head.Forward(ctx, x)
	return ad.Reshape(y, len(drugIdx))
}

// receptive returns the receptive field of a CNN: Σ(wᵢ − 1) + 1.
func receptive(convs []*nn.Conv1D) int {
	r := 1
	for _, c := range convs {
		r += c.Width - 1
	}
	return r
}

// encodeCNN embeds every sequence (one Embedding call per sequence, so that a
// prompt hook prepends its vectors to each), pads them with zero vectors to a
// common length, runs the convolutions with ReLU, zeroes every output position
// whose window reaches into the padding, and max-pools over the length.
func encodeCNN(ctx *nn.Context, emb *nn.Embedding, convs []*nn.Conv1D, seqs [][]int) *ad.Var {
	n := len(seqs)
	if n == 0 {
		panic("bio: no sequences to encode")
	}
	r := receptive(convs)
	rows := make([]*ad.Var, n)
	valid := make([]int, n) // valid length of each sequence at the current layer
	lmax := 0
	for i, s := range seqs {
		if len(s) == 0 {
			panic(fmt.Sprintf("bio: sequence %d is empty", i))
		}
		rows[i] = emb.Forward(ctx, s)
		valid[i] = max(rows[i].Shape()[0], r)
		lmax = max(lmax, valid[i])
	}
	d := rows[0].Shape()[1]
	for i, e := range rows {
		if l := e.Shape()[0]; l < lmax {
			e = ad.Concat(0, e, ad.Constant(ad.Zeros(lmax-l, d)))
		}
		rows[i] = ad.Reshape(e, 1, lmax, d)
	}
	h := rows[0]
	if n > 1 {
		h = ad.Concat(0, rows...)
	}
	l := lmax
	for _, c := range convs {
		h = ad.ReLU(c.Forward(ctx, h))
		l -= c.Width - 1
		ragged := false
		for i := range valid {
			valid[i] -= c.Width - 1
			ragged = ragged || valid[i] != l
		}
		if ragged {
			// After ReLU every output is ≥ 0, so zeroed positions never raise the
			// maximum: the result is that of each sequence alone.
			mask := ad.Zeros(n, l, 1)
			for i, v := range valid {
				for p := 0; p < v; p++ {
					mask.Data[i*l+p] = 1
				}
			}
			h = ad.Mul(h, ad.Constant(mask))
		}
	}
	return ad.MaxOverLength(h)
}
