package potentials

import (
	"fmt"
	"math"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// Config describes a SchNet-like potential; it is stored in the model file.
type Config struct {
	Species      []int   `json:"species"`      // atomic numbers the model knows, in embedding order
	Cutoff       float64 `json:"cutoff"`       // Å
	Features     int     `json:"features"`     // width F of atom features
	RBF          int     `json:"rbf"`          // number K of Gaussian radial basis functions
	Interactions int     `json:"interactions"` // number of interaction blocks
	Seed         uint64  `json:"seed"`         // initialisation seed
}

// DefaultConfig returns a small model for the given species: 64 features,
// 3 interactions, 32 radial functions, 5 Å cutoff.
func DefaultConfig(species []int) Config {
	return Config{Species: species, Cutoff: 5, Features: 64, RBF: 32, Interactions: 3, Seed: 1}
}

// Validate returns an error for an unusable configuration.
func (c Config) Validate() error {
	switch {
	case len(c.Species) == 0:
		return fmt.Errorf("model configuration: no species")
	case c.Cutoff <= 0 || math.IsNaN(c.Cutoff):
		return fmt.Errorf("model configuration: cutoff %g Å must be positive", c.Cutoff)
	case c.Features < 1 || c.RBF < 1 || c.Interactions < 0:
		return fmt.Errorf("model configuration: features %d, rbf %d, interactions %d must be positive", c.Features, c.RBF, c.Interactions)
	}
	return nil
}

// Model is a SchNet-like message-passing potential (Schütt et al., J. Chem. Phys. 148,
// 241722 (2018)): element embeddings, interaction blocks with continuous radial
// filters under a cosine cutoff, atomwise energies, summed. See the package doc.
type Model struct {
	Config Config
	Embed  *nn.Embedding
	Blocks []*Interaction
	Out    *nn.MLP
	// Scale (1) multiplies the atomwise network output (eV); Ref (species) holds
	// per-element reference energies (eV) and Shift (1) a per-structure constant,
	// all fitted by least squares on composition before training and frozen.
	Scale, Ref, Shift *nn.Param
	// Extra holds species added by adapters (add-element), after Config.Species.
	Extra []*ExtraSpecies
	// element is the attached add-element adapter, whose row masks Compute applies.
	element *ElementAdapter
}

// ExtraSpecies is an element taught to a model after its training: its embedding
// row (features) and its reference energy (1), both trainable adapter parameters.
type ExtraSpecies struct {
	Z         int
	Embedding *nn.Param
	Ref       *nn.Param
}

// Interaction is one SchNet interaction block: continuous-filter convolution over
// neighbours, then an atomwise update added to the features.
type Interaction struct {
	Filter *nn.MLP    // rbf → F → F with shifted softplus, times the cutoff function
	In     *nn.Linear // F → F, no bias: features sent along pairs
	Update *nn.MLP    // F → F → F with shifted softplus
}

// New returns an untrained model.
func New(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rng := nn.NewRand(cfg.Seed)
	F := cfg.Features
	m := &Model{
		Config: cfg,
		Embed:  nn.NewEmbedding("embedding", len(cfg.Species), F, 1/math.Sqrt(float64(F)), rng),
		Out:    nn.NewMLP("output", []int{F, F / 2, 1}, nn.ActShiftedSoftplus, rng),
		Scale:  nn.NewParam("energy.scale", ad.Full(1, 1)),
		Ref:    nn.NewParam("energy.reference", ad.Zeros(len(cfg.Species))),
		Shift:  nn.NewParam("energy.shift", ad.Zeros(1)),
	}
	for _, p := range []*nn.Param{m.Scale, m.Ref, m.Shift} {
		p.SetTrainable(false)
	}
	m.Embed.Site.Rows = "atom"
	for _, s := range m.Out.Sites() {
		s.Rows = "atom"
	}
	for t := 0; t < cfg.Interactions; t++ {
		name := fmt.Sprintf("interaction.%d", t)
		blk := &Interaction{
			Filter: nn.NewMLP(name+".filter", []int{cfg.RBF, F, F}, nn.ActShiftedSoftplus, rng),
			In:     nn.NewLinear(name+".in", F, F, false, rng),
			Update: nn.NewMLP(name+".update", []int{F, F, F}, nn.ActShiftedSoftplus, rng),
		}
		for _, s := range blk.Filter.Sites() {
			s.Rows = "pair"
		}
		blk.In.Site.Rows = "atom"
		for _, s := range blk.Update.Sites() {
			s.Rows = "atom"
		}
		m.Blocks = append(m.Blocks, blk)
	}
	return m, nil
}

// Species returns the atomic numbers the model knows, including added ones.
func (m *Model) Species() []int {
	sp := append([]int(nil), m.Config.Species...)
	for _, e := range m.Extra {
		sp = append(sp, e.Z)
	}
	return sp
}

// Params lists the base parameters in a fixed order (adapter parameters excluded).
func (m *Model) Params() []*nn.Param {
	ps := m.Embed.Params()
	for _, b := range m.Blocks {
		ps = append(ps, b.Filter.Params()...)
		ps = append(ps, b.In.Params()...)
		ps = append(ps, b.Update.Params()...)
	}
	ps = append(ps, m.Out.Params()...)
	return append(ps, m.Scale, m.Ref, m.Shift)
}

// Sites lists the hook sites in a fixed order.
func (m *Model) Sites() []*nn.Site {
	ss := m.Embed.Sites()
	for _, b := range m.Blocks {
		ss = append(ss, b.Filter.Sites()...)
		ss = append(ss, b.In.Sites()...)
		ss = append(ss, b.Update.Sites()...)
	}
	return append(ss, m.Out.Sites()...)
}

var _ nn.Module = (*Model)(nil)

// Energies returns the energy of each structure of the batch (structures, 1) in eV,
// as a function of the positions R (atoms, 3) and a per-structure strain ε
// (structures, 9) applied to every pair vector: r_ij ← r_ij·(I + ε). Pass Variables
// for R and ε to get forces and stress by differentiation; ε may be nil.
//
// R, ε and the result are float64. The network computes in the precision of the
// model (Precision): pair vectors and distances are formed in float64 and rounded,
// and the atomwise energies are widened to float64 before the scale, the reference
// energies and the per-structure sums are applied (totals of hundreds of eV would
// lose meV in float32).
func (m *Model) Energies(ctx *nn.Context, b *Batch, R, strain *ad.Var) *ad.Var {
	cfg := m.Config
	dt := m.Precision()
	// Pair vectors r_ij = R_j − R_i + S.
	// Results from here on are allocated in b.Arena, if set, through the offsets.
	r := ad.Add(ad.Sub(ad.GatherRows(R, b.J), ad.GatherRows(R, b.I)), constant(b.Arena, b.Offsets))
	if strain != nil {
		eps := ad.Reshape(ad.GatherRows(strain, b.PairMol), -1, 3, 3)
		r = ad.Add(r, ad.SumAxis(ad.Mul(ad.Reshape(r, -1, 3, 1), eps), 1, false))
	}
	d := ad.Sqrt(ad.SumAxis(ad.Square(r), 1, true)) // (pairs, 1), float64
	d = ad.ConvertTo(d, dt)
	rbf := m.radialBasis(d) // (pairs, K)
	fc := ad.Scale(ad.AddScalar(ad.Cos(ad.Scale(d, math.Pi/cfg.Cutoff)), 1), 0.5)

	pairs := b.PairIndex()
	x := m.embed(ctx, b.Species)
	for _, blk := range m.Blocks {
		w := ad.Mul(blk.Filter.Forward(ctx, rbf), fc) // (pairs, F)
		// agg_i = Σ_{j ∈ N(i)} (x·W_in)_j ∘ w_ij, fused: no (pairs, F) gather.
		agg := ad.MessagePass(blk.In.Forward(ctx, x), w, pairs)
		x = ad.Add(x, blk.Update.Forward(ctx, agg))
	}
	atomE := ad.Mul(ad.ToFloat64(m.Out.Forward(ctx, x)), ad.ToFloat64(m.Scale.V)) // (atoms, 1), eV
	atomE = ad.Add(atomE, ad.Reshape(ad.GatherRows(m.refs(), b.Species), -1, 1))
	e := ad.ScatterAddRows(atomE, b.Mol, b.Len())
	return ad.Add(e, ad.ToFloat64(m.Shift.V))
}

// Precision returns the precision the network computes in: that of its embedding
// table (float64 unless SetPrecision changed it).
func (m *Model) Precision() ad.DType { return m.Embed.Table.DType() }

// SetPrecision converts the network's parameters (embedding, interaction blocks,
// output network) to dt, so that Energies computes in dt; the energy scale, reference
// energies and shift stay float64. Call it on a new or freshly loaded model, before
// training or attaching adapters.
func (m *Model) SetPrecision(dt ad.DType) {
	net := []nn.Module{m.Embed, m.Out}
	for _, b := range m.Blocks {
		net = append(net, b.Filter, b.In, b.Update)
	}
	nn.SetPrecision(nn.Join(net...), dt)
}

// constant returns t as a constant of the graph, in arena a if it is set.
func constant(a *ad.Arena, t *ad.Tensor) *ad.Var {
	if a == nil {
		return ad.Constant(t)
	}
	return a.Constant(t)
}

func (m *Model) radialBasis(d *ad.Var) *ad.Var {
	// K Gaussians exp(−γ(d − μ_k)²), centres μ_k = k·rc/(K−1), γ = 1/(2·spacing²).
	K := m.Config.RBF
	width := m.Config.Cutoff / float64(max(K-1, 1))
	mu := ad.Zeros(K)
	for k := range mu.Data {
		mu.Data[k] = width * float64(k)
	}
	gamma := 0.5 / (width * width)
	diff := ad.Sub(d, ad.Constant(mu.Convert(d.Value().DType())))
	return ad.Exp(ad.Scale(ad.Square(diff), -gamma))
}

// embed returns the feature rows of the atoms' species, using the table of the base
// model and the rows of added species.
func (m *Model) embed(ctx *nn.Context, species []int) *ad.Var {
	if len(m.Extra) == 0 {
		return m.Embed.Forward(ctx, species)
	}
	rows := []*ad.Var{m.Embed.Table.V}
	for _, e := range m.Extra {
		rows = append(rows, ad.ConvertTo(ad.Reshape(e.Embedding.V, 1, -1), m.Precision()))
	}
	table := ad.Concat(0, rows...)
	return ad.GatherRows(table, species)
}

// refs returns the reference energies of the species, float64 (eV).
func (m *Model) refs() *ad.Var {
	if len(m.Extra) == 0 {
		return ad.ToFloat64(m.Ref.V)
	}
	parts := []*ad.Var{ad.ToFloat64(m.Ref.V)}
	for _, e := range m.Extra {
		parts = append(parts, ad.ToFloat64(e.Ref.V))
	}
	return ad.Concat(0, parts...)
}
