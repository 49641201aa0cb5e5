package bio

import (
	"fmt"
	"math"
	"math/rand/v2"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/bio/mol"
	"github.com/sciadapt/sciadapt/nn"
)

// DrugEncoderGIN is the Config.DrugEncoder value of the graph encoder;
// DrugEncoderCNN (or "") is the character CNN over SMILES tokens.
const (
	DrugEncoderCNN = "cnn"
	DrugEncoderGIN = "gin"
)

// GraphConfig configures the graph drug encoder (GraphEncoder). Zero fields take
// the defaults of WithDefaults.
type GraphConfig struct {
	// Hidden is the width of the atom representations (default 64).
	Hidden int `json:"hidden"`
	// Layers is the number of GIN layers (default 3).
	Layers int `json:"layers"`
	// Out is the width of the molecule representation (default 64).
	Out int `json:"out"`
	// MorganBits, if > 0, adds the molecule's Morgan count fingerprint (radius 2,
	// folded to MorganBits bits, as log(1 + count)) through a linear map to the
	// pooled atoms before the output activation. 0 leaves it out.
	MorganBits int `json:"morgan_bits,omitempty"`
}

// WithDefaults returns c with zero fields set to their defaults.
func (c GraphConfig) WithDefaults() GraphConfig {
	if c.Hidden == 0 {
		c.Hidden = 64
	}
	if c.Layers == 0 {
		c.Layers = 3
	}
	if c.Out == 0 {
		c.Out = 64
	}
	return c
}

// Validate returns an error naming the first problem of c (after defaults).
func (c GraphConfig) Validate() error {
	c = c.WithDefaults()
	if c.Hidden < 1 || c.Layers < 1 || c.Out < 1 || c.MorganBits < 0 {
		return fmt.Errorf("graph encoder: hidden %d, layers %d, out %d, Morgan bits %d (want all ≥ 1, Morgan bits ≥ 0)", c.Hidden, c.Layers, c.Out, c.MorganBits)
	}
	return nil
}

// Atom features: each atom is described by one category of each feature below;
// its first representation is the sum of one embedding row per feature, which is
// a linear map of the concatenated one-hot vectors.
var (
	featureElements = []int{6, 7, 8, 16, 9, 17, 35, 53, 15, 5, 14, 34, 1} // C N O S F Cl Br I P B Si Se H; others share a last row
	featureSizes    = []int{len(featureElements) + 1, 7, 5, 5, 2, 2}      // element, degree 0–6, H 0–4, charge −2…+2, aromatic, in ring
)

// featureRows is the number of rows of the atom embedding table.
func featureRows() int {
	n := 0
	for _, s := range featureSizes {
		n += s
	}
	return n
}

// atomFeatureRows returns the embedding rows (one per feature) of atom i of m.
func atomFeatureRows(m *mol.Mol, i int) []int {
	a := m.Atoms[i]
	el := len(featureElements)
	for k, z := range featureElements {
		if a.Z == z {
			el = k
			break
		}
	}
	b2i := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	cats := []int{el, min(m.Degree(i), 6), min(a.Hs, 4), min(max(a.Charge, -2), 2) + 2, b2i(a.Aromatic), b2i(m.InRing(i))}
	off := 0
	for k, c := range cats {
		cats[k] = off + c
		off += featureSizes[k]
	}
	return cats
}

// GraphEncoder is a graph isomorphism network over the molecular graph (Xu et
// al., ICLR 2019; as the drug branch of GraphDTA, Nguyen et al., Bioinformatics
// 37, 1140 (2021)):
//
//	h⁰ᵥ = Σ_f E[f(v)]                                   atom features f (element, degree, H, charge, aromatic, ring)
//	hˡᵥ = LNˡ(ReLU(MLPˡ(hˡ⁻¹ᵥ + Σ_{u ∈ N(v)} hˡ⁻¹ᵤ)))    MLPˡ = Linear, ReLU, Linear (GIN-0)
//	z   = ReLU(W·(1/16)Σᵥ hᴸᵥ + b [+ F·log(1 + c)])     sum pooling; c the Morgan counts (optional)
//
// LNˡ is a layer normalisation over each atom's features, where GraphDTA has a
// batch normalisation: it keeps the scale of the atom features fixed through the
// sum aggregations, and unlike batch normalisation leaves each molecule's
// representation independent of its batch.
//
// A batch of molecules is one disconnected graph: each layer is one GatherRows
// (messages along the 2·bonds directed edges), one ScatterAddRows (their sum at
// each atom) and the MLP on all atoms at once; pooling is one ScatterAddRows from
// atoms to molecules. Sum aggregation and sum pooling make z invariant under any
// renumbering of the atoms (to rounding).
type GraphEncoder struct {
	Config GraphConfig
	Embed  *nn.Embedding   // (featureRows, Hidden)
	MLPs   []*nn.MLP       // per layer: Hidden → Hidden → Hidden
	Norms  []*nn.LayerNorm // per layer, over Hidden
	Out    *nn.Linear      // Hidden → Out
	FP     *nn.Linear      // MorganBits → Out, without bias; nil if MorganBits = 0
}

var _ DrugEncoder = (*GraphEncoder)(nil)

// NewGraphEncoder returns a graph encoder named name (parameter prefix) with
// weights drawn from rng. It panics for an invalid configuration (check it with
// GraphConfig.Validate).
func NewGraphEncoder(name string, cfg GraphConfig, rng *rand.Rand) *GraphEncoder {
	if err := cfg.Validate(); err != nil {
		panic("bio: " + err.Error())
	}
	cfg = cfg.WithDefaults()
	g := &GraphEncoder{Config: cfg}
	g.Embed = nn.NewEmbedding(name+".atom_embed", featureRows(), cfg.Hidden, 1/math.Sqrt(float64(len(featureSizes))), rng)
	g.Embed.Site.Rows = "atom"
	for l := range cfg.Layers {
		mlp := nn.NewMLP(fmt.Sprintf("%s.gin%d", name, l), []int{cfg.Hidden, cfg.Hidden, cfg.Hidden}, nn.ActReLU, rng)
		for _, lin := range mlp.Layers {
			lin.Site.Rows = "atom"
		}
		g.MLPs = append(g.MLPs, mlp)
		norm := nn.NewLayerNorm(fmt.Sprintf("%s.norm%d", name, l), cfg.Hidden)
		norm.Site.Rows = "atom"
		g.Norms = append(g.Norms, norm)
	}
	g.Out = nn.NewLinear(name+".out", cfg.Hidden, cfg.Out, true, rng)
	g.Out.Site.Rows = "drug"
	if cfg.MorganBits > 0 {
		g.FP = nn.NewLinear(name+".morgan", cfg.MorganBits, cfg.Out, false, rng)
		g.FP.Site.Rows = "drug"
	}
	return g
}

// poolScale multiplies the sum over a molecule's atoms: 1/16, about the heavy-atom
// count of a small drug, so that pooled features start near unit scale whatever
// the size (the sum keeps the size information that a mean would lose).
const poolScale = 1.0 / 16

// Params lists the embedding, each GIN layer's MLP and normalisation, the output
// layer and the fingerprint layer, in that order.
func (g *GraphEncoder) Params() []*nn.Param {
	var ps []*nn.Param
	for _, mod := range g.parts() {
		ps = append(ps, mod.Params()...)
	}
	return ps
}

// Sites lists the sites in the order of Params.
func (g *GraphEncoder) Sites() []*nn.Site {
	var ss []*nn.Site
	for _, mod := range g.parts() {
		ss = append(ss, mod.Sites()...)
	}
	return ss
}

func (g *GraphEncoder) parts() []nn.Module {
	mods := []nn.Module{g.Embed}
	for l, m := range g.MLPs {
		mods = append(mods, m, g.Norms[l])
	}
	mods = append(mods, g.Out)
	if g.FP != nil {
		mods = append(mods, g.FP)
	}
	return mods
}

// Width returns the width of the molecule representation (Config.Out).
func (g *GraphEncoder) Width() int { return g.Config.Out }

// Tokens reads smiles (mol.Parse) and returns the molecule as integers, the
// sequence Encode takes:
//
//	[atoms, bonds, F embedding rows per atom …, (a, b) per bond …, n, (bit, count) × n]
//
// with F = 6 features per atom and the Morgan counts (n pairs) present only when
// Config.MorganBits > 0. It returns mol.Parse's error for a SMILES that does not
// read.
func (g *GraphEncoder) Tokens(smiles string) ([]int, error) {
	m, err := mol.Parse(smiles)
	if err != nil {
		return nil, err
	}
	out := []int{m.NumAtoms(), len(m.Bonds)}
	for i := range m.Atoms {
		out = append(out, atomFeatureRows(m, i)...)
	}
	for _, b := range m.Bonds {
		out = append(out, b.A, b.B)
	}
	if g.Config.MorganBits > 0 {
		counts := m.MorganCounts(mol.DefaultRadius, g.Config.MorganBits)
		out = append(out, len(counts))
		for _, c := range counts {
			out = append(out, c.Bit, c.Count)
		}
	}
	return out, nil
}

// batch is a set of molecules decoded from Tokens as one graph.
type batch struct {
	rows     []int // embedding rows, F per atom
	src, dst []int // directed edges (both directions of every bond)
	molOf    []int // molecule of each atom
	fp       *ad.Tensor
}

// decode unpacks token sequences into one graph. It panics on a sequence that
// Tokens did not write (a programmer error).
func (g *GraphEncoder) decode(seqs [][]int) *batch {
	b := &batch{}
	nf := len(featureSizes)
	if g.Config.MorganBits > 0 {
		b.fp = ad.Zeros(len(seqs), g.Config.MorganBits)
	}
	for k, s := range seqs {
		bad := func() { panic(fmt.Sprintf("bio: drug %d is not a graph token sequence (from GraphEncoder.Tokens)", k)) }
		if len(s) < 2 || s[0] < 1 || s[1] < 0 {
			bad()
		}
		na, nb := s[0], s[1]
		if len(s) < 2+na*nf+2*nb {
			bad()
		}
		base := len(b.molOf)
		b.rows = append(b.rows, s[2:2+na*nf]...)
		for range na {
			b.molOf = append(b.molOf, k)
		}
		e := s[2+na*nf:]
		for j := range nb {
			x, y := e[2*j], e[2*j+1]
			if x < 0 || x >= na || y < 0 || y >= na {
				bad()
			}
			b.src = append(b.src, base+x, base+y)
			b.dst = append(b.dst, base+y, base+x)
		}
		if b.fp != nil {
			f := e[2*nb:]
			if len(f) < 1 || len(f) != 1+2*f[0] {
				bad()
			}
			for j := range f[0] {
				bit, c := f[1+2*j], f[2+2*j]
				if bit < 0 || bit >= g.Config.MorganBits {
					bad()
				}
				b.fp.Data[k*g.Config.MorganBits+bit] = math.Log1p(float64(c))
			}
		}
	}
	return b
}

// Encode returns the representations (len(seqs), Width) of molecules given as
// token sequences from Tokens. It panics on sequences Tokens did not write.
func (g *GraphEncoder) Encode(ctx *nn.Context, seqs [][]int) *ad.Var {
	if len(seqs) == 0 {
		panic("bio: no molecules to encode")
	}
	b := g.decode(seqs)
	nAtoms := len(b.molOf)
	nf := len(featureSizes)
	e := g.Embed.Forward(ctx, b.rows)                                     // (atoms·F, Hidden)
	h := ad.SumAxis(ad.Reshape(e, nAtoms, nf, g.Config.Hidden), 1, false) // (atoms, Hidden)
	for l, mlp := range g.MLPs {
		agg := ad.ScatterAddRows(ad.GatherRows(h, b.src), b.dst, nAtoms)
		h = g.Norms[l].Forward(ctx, ad.ReLU(mlp.Forward(ctx, ad.Add(h, agg))))
	}
	pooled := ad.Scale(ad.ScatterAddRows(h, b.molOf, len(seqs)), poolScale)
	z := g.Out.Forward(ctx, pooled)
	if g.FP != nil {
		z = ad.Add(z, g.FP.Forward(ctx, ad.Constant(b.fp)))
	}
	return ad.ReLU(z)
}
