package potentials

import (
	"fmt"
	"math/rand/v2"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// SchNet is a SchNet-like network (Schütt et al., J. Chem. Phys. 148, 241722 (2018)):
// interaction blocks with continuous radial filters under a cosine cutoff, then an
// atomwise output network. See the package documentation.
type SchNet struct {
	RBF    int // number K of Gaussian radial basis functions
	Blocks []*Interaction
	Out    *nn.MLP // F → F/2 → 1 with shifted softplus
}

// Interaction is one SchNet interaction block: continuous-filter convolution over
// neighbours, then an atomwise update added to the features.
type Interaction struct {
	Filter *nn.MLP    // rbf → F → F with shifted softplus, times the cutoff function
	In     *nn.Linear // F → F, no bias: features sent along pairs
	Update *nn.MLP    // F → F → F with shifted softplus
}

// newSchNet draws the output network, then the blocks, from rng.
func newSchNet(cfg Config, rng *rand.Rand) *SchNet {
	F := cfg.Features
	n := &SchNet{RBF: cfg.RBF, Out: nn.NewMLP("output", []int{F, F / 2, 1}, nn.ActShiftedSoftplus, rng)}
	for _, s := range n.Out.Sites() {
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
		n.Blocks = append(n.Blocks, blk)
	}
	return n
}

// Params lists the blocks' parameters, then the output network's.
func (n *SchNet) Params() []*nn.Param {
	var ps []*nn.Param
	for _, b := range n.Blocks {
		ps = append(ps, b.Filter.Params()...)
		ps = append(ps, b.In.Params()...)
		ps = append(ps, b.Update.Params()...)
	}
	return append(ps, n.Out.Params()...)
}

// Sites lists the blocks' sites, then the output network's.
func (n *SchNet) Sites() []*nn.Site {
	var ss []*nn.Site
	for _, b := range n.Blocks {
		ss = append(ss, b.Filter.Sites()...)
		ss = append(ss, b.In.Sites()...)
		ss = append(ss, b.Update.Sites()...)
	}
	return append(ss, n.Out.Sites()...)
}

// AtomOutputs implements Network: x_i ← x_i + U_t(Σ_j (W_t x_j) ∘ Φ_t(e(d_ij))·f_c(d_ij))
// for each block t, then O(x_i).
//
// The network computes in the precision of x (the embedding rows: that of the
// model's parameters, see Model.SetPrecision): the float64 distances are rounded to
// it, and the outputs are widened to float64, so that the model adds reference
// energies and sums structures in float64. The sum over neighbours is one fused op
// (autodiff.MessagePass): no (pairs, F) gather of x_j is made.
func (n *SchNet) AtomOutputs(ctx *nn.Context, g *Geometry, x *ad.Var) *ad.Var {
	d := ad.ConvertTo(g.Distances, x.Value().DType())
	rbf := gaussianBasis(d, n.RBF, g.Cutoff) // (pairs, K)
	fc := cosineCutoff(d, g.Cutoff)          // (pairs, 1)
	pairs := g.Pairs
	if pairs == nil {
		pairs = ad.NewPairs(g.I, g.J, g.Atoms, g.Atoms)
	}
	for _, blk := range n.Blocks {
		w := ad.Mul(blk.Filter.Forward(ctx, rbf), fc) // (pairs, F)
		agg := ad.MessagePass(blk.In.Forward(ctx, x), w, pairs)
		x = ad.Add(x, blk.Update.Forward(ctx, agg))
	}
	return ad.ToFloat64(n.Out.Forward(ctx, x))
}

var _ Network = (*SchNet)(nil)
