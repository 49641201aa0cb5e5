package autodiff

import "fmt"

// Message passing over a pair list, fused: gather → per-pair product → scatter-add in
// one op, without materialising the (pairs, C) gathered rows or products.
//
//	MessagePass(x, w, P)[i] = Σ_{p: I_p = i} x[J_p] ∘ w[p]      (nI, C)
//	PairProduct(a, b, P)[p] = a[I_p] ∘ b[J_p]                   (pairs, C)
//
// Both are bilinear, and each one's adjoint is the other: for MessagePass with
// cotangent g (nI, C),
//
//	∂/∂w:  ḡw[p] = g[I_p] ∘ x[J_p]              = PairProduct(g, x, P)
//	∂/∂x:  ḡx[j] = Σ_{p: J_p = j} g[I_p] ∘ w[p] = MessagePass(g, w, Pᵀ)
//
// and for PairProduct with cotangent g (pairs, C),
//
//	∂/∂a:  ḡa[i] = Σ_{p: I_p = i} g[p] ∘ b[J_p] = MessagePass(b, g, P)
//	∂/∂b:  ḡb[j] = Σ_{p: J_p = j} g[p] ∘ a[I_p] = MessagePass(a, g, Pᵀ)
//
// where Pᵀ exchanges I and J. The forward (tangent) rules follow from bilinearity:
// MessagePass(ẋ, w) + MessagePass(x, ẇ), PairProduct(ȧ, b) + PairProduct(a, ḃ). All
// rules are written with these two ops, so derivatives of any order exist.
//
// Every output row is computed by one goroutine from its own segment of pairs, in
// increasing pair order, so results are bit-identical for any GOMAXPROCS, and equal
// to ScatterAddRows(Mul(GatherRows(x, J), w), I, nI) to the last bit.

// MessagePass returns out (nI, C) with out[i] = Σ_{p: I_p = i} x[J_p] ∘ w[p], for x
// (nJ, C) and w (pairs, C): the messages w[p] of the pairs, modulated by the features
// of their sending rows, summed at their receiving rows. It panics if the shapes do
// not match the pairs.
func MessagePass(x, w *Var, P *Pairs) *Var {
	xs, ws := x.value.Shape, w.value.Shape
	if len(xs) != 2 || len(ws) != 2 || xs[0] != P.nJ || ws[0] != P.Len() || xs[1] != ws[1] {
		panic(fmt.Sprintf("autodiff: MessagePass of x %v and w %v over %d pairs from %d to %d rows", xs, ws, P.Len(), P.nJ, P.nI))
	}
	c := xs[1]
	out := result([]int{P.nI, c}, x, w)
	if sameDType("MessagePass", x, w) == Float32 {
		messagePass(out.Data32, x.value.Data32, w.value.Data32, P, c)
	} else {
		messagePass(out.Data, x.value.Data, w.value.Data, P, c)
	}
	return record(&messagePassOp{P}, out, x, w)
}

func messagePass[T float](dst, x, w []T, P *Pairs, c int) {
	seg := &P.byI
	parallelRows(P.nI, c+seg.start[P.nI]/max(P.nI, 1)*c, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			d := dst[i*c : (i+1)*c]
			clear(d)
			for k := seg.start[i]; k < seg.start[i+1]; k++ {
				p := seg.pair(k)
				j := P.j[p]
				xr, wr := x[j*c:(j+1)*c], w[p*c:(p+1)*c]
				for ch := range d {
					d[ch] += xr[ch] * wr[ch]
				}
			}
		}
	})
}

type messagePassOp struct{ P *Pairs }

func (*messagePassOp) name() string { return "MessagePass" }
func (o *messagePassOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	r := make([]*Var, 2)
	if need[0] {
		r[0] = MessagePass(g, in[1], o.P.t)
	}
	if need[1] {
		r[1] = PairProduct(g, in[0], o.P)
	}
	return r
}
func (o *messagePassOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	var a, b *Var
	if t[0] != nil {
		a = MessagePass(t[0], in[1], o.P)
	}
	if t[1] != nil {
		b = MessagePass(in[0], t[1], o.P)
	}
	return sumTangents(out.value.Shape, a, b)
}

// PairProduct returns out (pairs, C) with out[p] = a[I_p] ∘ b[J_p], for a (nI, C) and
// b (nJ, C). It panics if the shapes do not match the pairs.
func PairProduct(a, b *Var, P *Pairs) *Var {
	as, bs := a.value.Shape, b.value.Shape
	if len(as) != 2 || len(bs) != 2 || as[0] != P.nI || bs[0] != P.nJ || as[1] != bs[1] {
		panic(fmt.Sprintf("autodiff: PairProduct of a %v and b %v over %d pairs from %d to %d rows", as, bs, P.Len(), P.nJ, P.nI))
	}
	c := as[1]
	out := result([]int{P.Len(), c}, a, b)
	if sameDType("PairProduct", a, b) == Float32 {
		pairProduct(out.Data32, a.value.Data32, b.value.Data32, P, c)
	} else {
		pairProduct(out.Data, a.value.Data, b.value.Data, P, c)
	}
	return record(&pairProductOp{P}, out, a, b)
}

func pairProduct[T float](dst, a, b []T, P *Pairs, c int) {
	parallelRows(P.Len(), c, func(lo, hi int) {
		for p := lo; p < hi; p++ {
			i, j := P.i[p], P.j[p]
			d := dst[p*c : (p+1)*c]
			ar, br := a[i*c:(i+1)*c], b[j*c:(j+1)*c]
			for ch := range d {
				d[ch] = ar[ch] * br[ch]
			}
		}
	})
}

type pairProductOp struct{ P *Pairs }

func (*pairProductOp) name() string { return "PairProduct" }
func (o *pairProductOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	r := make([]*Var, 2)
	if need[0] {
		r[0] = MessagePass(in[1], g, o.P)
	}
	if need[1] {
		r[1] = MessagePass(in[0], g, o.P.t)
	}
	return r
}
func (o *pairProductOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	var a, b *Var
	if t[0] != nil {
		a = PairProduct(t[0], in[1], o.P)
	}
	if t[1] != nil {
		b = PairProduct(in[0], t[1], o.P)
	}
	return sumTangents(out.value.Shape, a, b)
}
