package adapters_test

import (
	"math/rand/v2"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// toy is a small regression network with every kind of layer a tabular model
// has: enc (4→8), a layer norm, tanh, head (8→3).
type toy struct {
	Enc  *nn.Linear
	Norm *nn.LayerNorm
	Head *nn.Linear
}

func newToy(seed uint64) *toy {
	rng := nn.NewRand(seed)
	m := &toy{
		Enc:  nn.NewLinear("enc", 4, 8, true, rng),
		Norm: nn.NewLayerNorm("norm", 8),
		Head: nn.NewLinear("head", 8, 3, true, rng),
	}
	// Non-trivial biases, γ and β, so that selection methods start from real values.
	for _, p := range []*nn.Param{m.Enc.B, m.Norm.Gamma, m.Norm.Beta, m.Head.B} {
		for i := range p.Value().Data {
			p.Value().Data[i] += 0.1 * rng.NormFloat64()
		}
	}
	m.Enc.Site.Rows, m.Norm.Site.Rows, m.Head.Site.Rows = "sample", "sample", "sample"
	return m
}

func (m *toy) Forward(ctx *nn.Context, x *ad.Var) *ad.Var {
	return m.Head.Forward(ctx, ad.Tanh(m.Norm.Forward(ctx, m.Enc.Forward(ctx, x))))
}

func (m *toy) Params() []*nn.Param { return nn.Join(m.Enc, m.Norm, m.Head).Params() }
func (m *toy) Sites() []*nn.Site   { return nn.Join(m.Enc, m.Norm, m.Head).Sites() }

// seqToy is a small sequence model in the DeepDTA style: token embedding,
// projection, 1-D convolution, global max-pooling, linear read-out. Each sequence
// is embedded on its own (so prompt hooks on the embedding see (length, dim)),
// then the batch is stacked to (batch, length, dim).
type seqToy struct {
	Tok  *nn.Embedding
	Proj *nn.Linear
	Conv *nn.Conv1D
	Out  *nn.Linear
}

func newSeqToy(seed uint64) *seqToy {
	rng := nn.NewRand(seed)
	return &seqToy{
		Tok:  nn.NewEmbedding("tok", 10, 6, 0.5, rng),
		Proj: nn.NewLinear("proj", 6, 6, true, rng),
		Conv: nn.NewConv1D("conv", 6, 5, 3, rng),
		Out:  nn.NewLinear("out", 5, 2, true, rng),
	}
}

// Sequence returns the convolved sequence (batch, length', 5).
func (m *seqToy) Sequence(ctx *nn.Context, seqs [][]int) *ad.Var {
	var rows []*ad.Var
	for _, s := range seqs {
		e := m.Tok.Forward(ctx, s)
		rows = append(rows, ad.Reshape(e, append([]int{1}, e.Shape()...)...))
	}
	x := m.Proj.Forward(ctx, ad.Concat(0, rows...))
	return ad.Tanh(m.Conv.Forward(ctx, x))
}

// Forward returns the pooled prediction (batch, 2).
func (m *seqToy) Forward(ctx *nn.Context, seqs [][]int) *ad.Var {
	return m.Out.Forward(ctx, ad.MaxOverLength(m.Sequence(ctx, seqs)))
}

func (m *seqToy) Params() []*nn.Param { return nn.Join(m.Tok, m.Proj, m.Conv, m.Out).Params() }
func (m *seqToy) Sites() []*nn.Site   { return nn.Join(m.Tok, m.Proj, m.Conv, m.Out).Sites() }

// randn returns a (rows, cols) tensor of N(0, 1) values.
func randn(rng *rand.Rand, rows, cols int) *ad.Tensor { return nn.Normal(rng, 1, rows, cols) }

var seqBatch = [][]int{{1, 2, 3, 4, 5, 6, 7}, {9, 8, 7, 1, 0, 2, 2}}
