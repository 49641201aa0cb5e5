package potentials

import (
	"fmt"
	"math"
	"math/rand/v2"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// painnNormEps is ε in the smooth norm ‖u‖_ε = √(Σ_α u_α² + ε) of vector features
// (dimensionless, as the features are). It keeps the norm differentiable to every
// order at u = 0 and bounds its curvature there by 1/√ε. Vector features are near
// zero at the start and on atoms whose surroundings are symmetric (a relaxed
// crystal, the centre of a symmetric molecule). schnetpack's PaiNN uses ε = 1e-8;
// with that curvature (10⁴) the velocity-Verlet energy fluctuation of small random
// models at 300 K shrank by factors from 1.6 to 5.4 when dt was halved from 0.5 to
// 0.25 fs (8 relaxed 5-atom molecules), against 3.96 to 4.35, the dt² of a smooth
// surface, with ε = 1e-3 (see TestPaiNNNVEConservesEnergy).
const painnNormEps = 1e-3

// PaiNN is the polarizable atom interaction neural network (Schütt, Unke & Gastegger,
// "Equivariant message passing for the prediction of tensorial properties and
// molecular spectra", ICML 2021, arXiv:2102.03150): every atom carries F scalar
// features s_i (invariant) and F vector features v_i (3 × F, rotating with the
// structure), exchanged along pairs by message blocks and mixed within an atom by
// update blocks; an atomwise network on the scalars gives each atom's output. See
// the package documentation for the equations.
//
// Its layers, all with hook sites (T interaction blocks t = 0 … T−1, F features,
// K radial functions; SiLU between the layers of every MLP):
//
//	interaction.t.message.phi      MLP F → F → 3F on s (atom rows): φ(s_j)
//	interaction.t.message.filter   Linear K → 3F on the radial basis (pair rows): W(d_ij)
//	interaction.t.update.U         Linear F → F, no bias, on v (atoms, 3, F) (atom rows)
//	interaction.t.update.V         Linear F → F, no bias, on v (atoms, 3, F) (atom rows)
//	interaction.t.update.a         MLP 2F → F → 3F on [s_i, ‖V v_i‖] (atom rows)
//	output                         MLP F → F/2 → 1 on s (atom rows)
//
// MLPs name their layers name.0, name.1, and a Linear's parameters are name.weight
// (in, out) and name.bias (out). U and V act on the feature axis only, the same
// matrix for the x, y and z rows of v, so they (and a low-rank change of them)
// commute with rotations.
type PaiNN struct {
	RBF    int // number K of radial basis functions sin(nπd/r_c)/d
	Blocks []*PaiNNBlock
	Out    *nn.MLP // F → F/2 → 1 with SiLU
}

// PaiNNBlock is one PaiNN interaction: a message block (Phi, Filter) and an update
// block (U, V, A).
type PaiNNBlock struct {
	Phi    *nn.MLP    // F → F → 3F, SiLU: what atom j sends, φ(s_j)
	Filter *nn.Linear // K → 3F with bias: the radial filter W(e(d_ij)) (e in Å⁻¹), times f_c(d_ij)
	U, V   *nn.Linear // F → F without bias: channel mixing of vector features
	A      *nn.MLP    // 2F → F → 3F, SiLU: a(s_i, ‖V v_i‖)
}

// newPaiNN draws the output network, then the blocks, from rng.
func newPaiNN(cfg Config, rng *rand.Rand) *PaiNN {
	F := cfg.Features
	n := &PaiNN{RBF: cfg.RBF, Out: nn.NewMLP("output", []int{F, max(F/2, 1), 1}, nn.ActSiLU, rng)}
	setRows(n.Out.Sites(), "atom")
	for t := 0; t < cfg.Interactions; t++ {
		name := fmt.Sprintf("interaction.%d", t)
		blk := &PaiNNBlock{
			Phi:    nn.NewMLP(name+".message.phi", []int{F, F, 3 * F}, nn.ActSiLU, rng),
			Filter: nn.NewLinear(name+".message.filter", cfg.RBF, 3*F, true, rng),
			U:      nn.NewLinear(name+".update.U", F, F, false, rng),
			V:      nn.NewLinear(name+".update.V", F, F, false, rng),
			A:      nn.NewMLP(name+".update.a", []int{2 * F, F, 3 * F}, nn.ActSiLU, rng),
		}
		setRows(blk.Phi.Sites(), "atom")
		blk.Filter.Site.Rows = "pair"
		setRows([]*nn.Site{blk.U.Site, blk.V.Site}, "atom")
		setRows(blk.A.Sites(), "atom")
		n.Blocks = append(n.Blocks, blk)
	}
	return n
}

func setRows(ss []*nn.Site, rows string) {
	for _, s := range ss {
		s.Rows = rows
	}
}

// modules lists the block's layers in parameter order.
func (b *PaiNNBlock) modules() []nn.Module { return []nn.Module{b.Phi, b.Filter, b.U, b.V, b.A} }

// Params lists the blocks' parameters (φ, filter, U, V, a of each), then the output
// network's.
func (n *PaiNN) Params() []*nn.Param {
	var ps []*nn.Param
	for _, b := range n.Blocks {
		for _, m := range b.modules() {
			ps = append(ps, m.Params()...)
		}
	}
	return append(ps, n.Out.Params()...)
}

// Sites lists the blocks' sites, then the output network's, in parameter order.
func (n *PaiNN) Sites() []*nn.Site {
	var ss []*nn.Site
	for _, b := range n.Blocks {
		for _, m := range b.modules() {
			ss = append(ss, m.Sites()...)
		}
	}
	return append(ss, n.Out.Sites()...)
}

// AtomOutputs implements Network: the interaction blocks from s_i = x_i, v_i = 0,
// then O(s_i).
func (n *PaiNN) AtomOutputs(ctx *nn.Context, g *Geometry, x *ad.Var) *ad.Var {
	st := n.features(ctx, g, x)
	return ad.ToFloat64(n.Out.Forward(ctx, st[len(st)-1].s))
}

// painnState holds the features after one message or update block: s (atoms, F)
// and v (atoms, 3, F); v is nil (zero) only before the first message block.
type painnState struct{ s, v *ad.Var }

// features returns the state after each message block and each update block, in
// order (2T states), or the input state alone for T = 0.
func (n *PaiNN) features(ctx *nn.Context, g *Geometry, x *ad.Var) []painnState {
	st := painnState{s: x}
	if len(n.Blocks) == 0 {
		return []painnState{st}
	}
	// The network computes in the precision of x (its parameters'): pair vectors
	// and distances are rounded to it.
	dt := x.Value().DType()
	d := ad.ConvertTo(g.Distances, dt)
	rbf := sineBasis(d, n.RBF, g.Cutoff)           // (pairs, K)
	fc := cosineCutoff(d, g.Cutoff)                // (pairs, 1)
	rhat := ad.Div(ad.ConvertTo(g.Vectors, dt), d) // (pairs, 3)
	var out []painnState
	for _, b := range n.Blocks {
		st = b.message(ctx, g, rbf, fc, rhat, st)
		out = append(out, st)
		st = b.update(ctx, st)
		out = append(out, st)
	}
	return out
}

// message returns s_i + Δs_i and v_i + Δv_i with
//
//	[φ^s, φ^vv, φ^vs]_j = φ(s_j),  [W^s, W^vv, W^vs]_ij = W(e(d_ij))·f_c(d_ij)   (F-wide parts)
//	Δs_i = Σ_j φ^s_j ∘ W^s_ij
//	Δv_i = Σ_j v_j ∘ φ^vv_j ∘ W^vv_ij + Σ_j r̂_ij ⊗ (φ^vs_j ∘ W^vs_ij)
//
// for the radial basis rbf = e(d) (pairs, K), the cutoff function fc = f_c(d)
// (pairs, 1) and the unit vectors r̂ (pairs, 3). (v ∘ x)_αf = v_αf·x_f and
// (r̂ ⊗ x)_αf = r̂_α·x_f. The v_j term is left out while v is zero.
func (b *PaiNNBlock) message(ctx *nn.Context, g *Geometry, rbf, fc, rhat *ad.Var, st painnState) painnState {
	F := st.s.Shape()[1]
	phi := b.Phi.Forward(ctx, st.s)             // (atoms, 3F)
	w := ad.Mul(b.Filter.Forward(ctx, rbf), fc) // (pairs, 3F)
	part := func(x *ad.Var, k int) *ad.Var { return ad.Slice(x, 1, k*F, (k+1)*F) }
	s := ad.Add(st.s, scalarMessage(g, part(phi, 0), part(w, 0)))
	v := directionalMessage(g, part(phi, 2), part(w, 2), rhat)
	if st.v != nil {
		v = ad.Add(ad.Add(st.v, gatedMessage(g, st.v, part(phi, 1), part(w, 1))), v)
	}
	return painnState{s: s, v: v}
}

// convolve returns Σ_j h_j ∘ w_ij (atoms, …): h (atoms, …) gathered at the sending
// atoms, times w (pairs, …) with broadcasting, summed onto the receiving atoms. It
// is the one gather–multiply–scatter of PaiNN's messages: both sides are broadcast
// to a common row shape (atoms- and pairs-sized, no gathered copy) and passed to
// the fused autodiff.MessagePass.
func convolve(g *Geometry, h, w *ad.Var) *ad.Var {
	hs, ws := h.Shape(), w.Shape()
	row := rowShape(hs[1:], ws[1:])
	pairs := g.Pairs
	if pairs == nil {
		pairs = ad.NewPairs(g.I, g.J, g.Atoms, g.Atoms)
	}
	flat := func(x *ad.Var, n int) *ad.Var {
		return ad.Reshape(ad.BroadcastTo(x, append([]int{n}, row...)...), n, -1)
	}
	out := ad.MessagePass(flat(h, g.Atoms), flat(w, len(g.I)), pairs)
	return ad.Reshape(out, append([]int{g.Atoms}, row...)...)
}

// rowShape returns the broadcast of two row shapes of equal rank (each axis equal,
// or 1 on one side).
func rowShape(a, b []int) []int {
	out := make([]int, len(a))
	for i := range a {
		out[i] = max(a[i], b[i])
	}
	return out
}

// scalarMessage returns Σ_j φ_j ∘ W_ij (atoms, F) for φ (atoms, F) and W (pairs, F).
func scalarMessage(g *Geometry, phi, w *ad.Var) *ad.Var { return convolve(g, phi, w) }

// gatedMessage returns Σ_j v_j ∘ φ_j ∘ W_ij (atoms, 3, F) for v (atoms, 3, F),
// φ (atoms, F) and W (pairs, F): neighbours' vector features, gated per feature.
func gatedMessage(g *Geometry, v, phi, w *ad.Var) *ad.Var {
	N, P, F := g.Atoms, len(g.I), phi.Shape()[1]
	return convolve(g, ad.Mul(v, ad.Reshape(phi, N, 1, F)), ad.Reshape(w, P, 1, F))
}

// directionalMessage returns Σ_j r̂_ij ⊗ (φ_j ∘ W_ij) (atoms, 3, F) for φ (atoms, F),
// W (pairs, F) and r̂ (pairs, 3): new vector features along the pair directions.
func directionalMessage(g *Geometry, phi, w, rhat *ad.Var) *ad.Var {
	N, P, F := g.Atoms, len(g.I), phi.Shape()[1]
	return convolve(g, ad.Reshape(phi, N, 1, F), ad.Mul(ad.Reshape(rhat, P, 3, 1), ad.Reshape(w, P, 1, F)))
}

// update returns s_i + Δs_i and v_i + Δv_i with
//
//	[a^vv, a^sv, a^ss]_i = a(s_i, ‖V v_i‖_ε)                        (three F-wide parts)
//	Δs_i = a^ss_i + a^sv_i ∘ ⟨U v_i, V v_i⟩
//	Δv_i = a^vv_i ∘ U v_i
//
// where ⟨·,·⟩ and ‖·‖_ε = √(‖·‖² + ε) act on the Cartesian axis, feature by feature.
func (b *PaiNNBlock) update(ctx *nn.Context, st painnState) painnState {
	N, F := st.s.Shape()[0], st.s.Shape()[1]
	v := st.v                                                                        // never nil after a message block
	uv, vv := b.U.Forward(ctx, v), b.V.Forward(ctx, v)                               // (atoms, 3, F)
	norm := ad.Sqrt(ad.AddScalar(ad.SumAxis(ad.Square(vv), 1, false), painnNormEps)) // (atoms, F)
	a := b.A.Forward(ctx, ad.Concat(1, st.s, norm))                                  // (atoms, 3F)
	dot := ad.SumAxis(ad.Mul(uv, vv), 1, false)                                      // (atoms, F)
	ds := ad.Add(ad.Slice(a, 1, 2*F, 3*F), ad.Mul(ad.Slice(a, 1, F, 2*F), dot))      // a^ss + a^sv∘⟨Uv,Vv⟩
	dv := ad.Mul(ad.Reshape(ad.Slice(a, 1, 0, F), N, 1, F), uv)                      // a^vv∘Uv
	return painnState{s: ad.Add(st.s, ds), v: ad.Add(v, dv)}
}

// sineBasis returns the K radial functions e_n(d) = sin(nπd/r_c)/d, n = 1 … K, of
// the distances d (pairs, 1) in Å⁻¹, as (pairs, K).
func sineBasis(d *ad.Var, k int, cutoff float64) *ad.Var {
	freq := ad.Zeros(k)
	for n := range freq.Data {
		freq.Data[n] = float64(n+1) * math.Pi / cutoff
	}
	return ad.Div(ad.Sin(ad.Mul(d, ad.Constant(freq.Convert(d.Value().DType())))), d)
}

var _ Network = (*PaiNN)(nil)

// DefaultLoRATargets names the layers an add-element LoRA adapts by default: every
// layer of the message and update blocks — the scalar networks φ and a, the radial
// filter, and the channel mixing U and V of the vector features (no bias, the same
// matrix for x, y and z, so their low-rank change keeps the model equivariant).
func (n *PaiNN) DefaultLoRATargets() []string {
	return []string{"interaction.*.message.*", "interaction.*.update.*"}
}
