package nn

import (
	"fmt"
	"math/rand/v2"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// Embedding maps integer indices to rows of a table of shape (N, Dim).
type Embedding struct {
	Table *Param
	Site  *Site
}

// NewEmbedding returns an Embedding with N rows of width dim drawn from N(0, std²).
func NewEmbedding(name string, n, dim int, std float64, rng *rand.Rand) *Embedding {
	return &Embedding{
		Table: NewParam(join(name, "weight"), Normal(rng, std, n, dim)),
		Site:  &Site{Name: name, Kind: "embedding", In: n, Out: dim},
	}
}

// Forward returns the rows for idx as (len(idx), Dim), then applies the hooks (whose
// input is the table). Rows added by RowSource hooks at the site follow the
// table's own: see RowSource. It panics if an index is out of range.
func (e *Embedding) Forward(ctx *Context, idx []int) *ad.Var {
	table := e.Table.V
	if extra := e.Site.extraRows(); len(extra) > 0 {
		table = ad.Concat(0, append([]*ad.Var{table}, extra...)...)
	}
	return e.Site.apply(ctx, table, ad.GatherRows(table, idx))
}

// Rows returns the number of rows Forward can look up: the table's and those added
// by enabled RowSource hooks.
func (e *Embedding) Rows() int {
	n := e.Table.Value().Shape[0]
	for _, r := range e.Site.extraRows() {
		n += r.Shape()[0]
	}
	return n
}

// Params lists the table.
func (e *Embedding) Params() []*Param { return []*Param{e.Table} }

// Sites lists the embedding's site.
func (e *Embedding) Sites() []*Site { return []*Site{e.Site} }

// LayerNorm normalises the last axis to zero mean and unit variance, then scales by
// γ and shifts by β (per feature): y = γ∘(x − μ)/√(σ² + ε) + β (Ba et al. 2016).
type LayerNorm struct {
	Gamma, Beta *Param
	Eps         float64
	Site        *Site
}

// NewLayerNorm returns a LayerNorm over dim features with γ = 1, β = 0, ε = 1e-5.
func NewLayerNorm(name string, dim int) *LayerNorm {
	return &LayerNorm{
		Gamma: NewParam(join(name, "gamma"), ad.Full(1, dim)),
		Beta:  NewParam(join(name, "beta"), ad.Zeros(dim)),
		Eps:   1e-5,
		Site:  &Site{Name: name, Kind: "layernorm", In: dim, Out: dim},
	}
}

// Forward normalises x (…, dim).
func (n *LayerNorm) Forward(ctx *Context, x *ad.Var) *ad.Var {
	y := ad.Add(ad.Mul(ad.Normalize(x, n.Eps), n.Gamma.V), n.Beta.V)
	return n.Site.apply(ctx, x, y)
}

// Params lists γ then β.
func (n *LayerNorm) Params() []*Param { return []*Param{n.Gamma, n.Beta} }

// Sites lists the layer's site.
func (n *LayerNorm) Sites() []*Site { return []*Site{n.Site} }

// Conv1D is a valid (unpadded, stride 1) 1-D convolution over channel-last sequences
// (batch, length, In) → (batch, length−Width+1, Out), plus a bias per output channel.
// W has shape (Width·In, Out); see autodiff.Conv1D for its layout.
type Conv1D struct {
	W, B  *Param
	Width int
	Site  *Site
}

// NewConv1D returns a Conv1D with He-normal weights and zero bias.
func NewConv1D(name string, in, out, width int, rng *rand.Rand) *Conv1D {
	return &Conv1D{
		W:     NewParam(join(name, "weight"), HeNormal(rng, in*width, in*width, out)),
		B:     NewParam(join(name, "bias"), ad.Zeros(out)),
		Width: width,
		Site:  &Site{Name: name, Kind: "conv1d", In: in, Out: out},
	}
}

// Forward convolves x (batch, length, In). It panics if the length is shorter than
// the kernel width.
func (c *Conv1D) Forward(ctx *Context, x *ad.Var) *ad.Var {
	if s := x.Shape(); len(s) != 3 || s[2] != c.Site.In {
		panic(fmt.Sprintf("nn: Conv1D %s expects (batch, length, %d), got %v", c.Site.Name, c.Site.In, s))
	}
	return c.Site.apply(ctx, x, ad.Add(ad.Conv1D(x, c.W.V), c.B.V))
}

// Params lists W then b.
func (c *Conv1D) Params() []*Param { return []*Param{c.W, c.B} }

// Sites lists the layer's site.
func (c *Conv1D) Sites() []*Site { return []*Site{c.Site} }
