package autodiff

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// MatMul returns the matrix product a·b of rank-2 a (m, k) and b (k, n), computed by
// blas64.Gemm for float64 and blas32.Gemm for float32 (OpenBLAS when the program
// called openblas.Use). It panics if a and b differ in precision.
func MatMul(a, b *Var) *Var { return MatMulT(a, b, false, false) }

// MatMulT returns op(a)·op(b) where op transposes its argument when the matching flag
// is set: MatMulT(a, b, false, true) is a·bᵀ. Transposes are never materialised.
// It panics if the inner dimensions or the precisions differ.
func MatMulT(a, b *Var, transA, transB bool) *Var {
	dt := sameDType("MatMul", a, b)
	return record(matmulOp{transA, transB}, gemm(arenaOf(a, b), dt, a.value, b.value, transA, transB), a, b)
}

func dims(t *Tensor, trans bool) (rows, cols int) {
	if t.Rank() != 2 {
		panic(fmt.Sprintf("autodiff: MatMul of shape %v (needs rank 2)", t.Shape))
	}
	if trans {
		return t.Shape[1], t.Shape[0]
	}
	return t.Shape[0], t.Shape[1]
}

func gemm(ar *Arena, dt DType, a, b *Tensor, transA, transB bool) *Tensor {
	m, k := dims(a, transA)
	k2, n := dims(b, transB)
	if k != k2 {
		panic(fmt.Sprintf("autodiff: MatMul of %v and %v (transposed %v, %v)", a.Shape, b.Shape, transA, transB))
	}
	if m == 0 || n == 0 || k == 0 {
		return newTensor(ar, dt, true, []int{m, n})
	}
	out := newTensor(ar, dt, false, []int{m, n}) // Gemm with β = 0 writes every element
	ta, tb := blas.NoTrans, blas.NoTrans
	if transA {
		ta = blas.Trans
	}
	if transB {
		tb = blas.Trans
	}
	if dt == Float32 {
		blas32.Gemm(ta, tb, 1,
			blas32.General{Rows: a.Shape[0], Cols: a.Shape[1], Stride: a.Shape[1], Data: a.Data32},
			blas32.General{Rows: b.Shape[0], Cols: b.Shape[1], Stride: b.Shape[1], Data: b.Data32},
			0, blas32.General{Rows: m, Cols: n, Stride: n, Data: out.Data32})
		return out
	}
	blas64.Gemm(ta, tb, 1,
		blas64.General{Rows: a.Shape[0], Cols: a.Shape[1], Stride: a.Shape[1], Data: a.Data},
		blas64.General{Rows: b.Shape[0], Cols: b.Shape[1], Stride: b.Shape[1], Data: b.Data},
		0, blas64.General{Rows: m, Cols: n, Stride: n, Data: out.Data})
	return out
}

type matmulOp struct{ ta, tb bool }

func (matmulOp) name() string { return "MatMul" }

// vjp: for C = op(A)·op(B) with cotangent G,
//
//	A·B:   dA = G·Bᵀ,  dB = Aᵀ·G
//	A·Bᵀ:  dA = G·B,   dB = Gᵀ·A
//	Aᵀ·B:  dA = B·Gᵀ,  dB = A·G
//	Aᵀ·Bᵀ: dA = Bᵀ·Gᵀ, dB = Gᵀ·Aᵀ
func (o matmulOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	a, b := in[0], in[1]
	r := make([]*Var, 2)
	switch {
	case !o.ta && !o.tb:
		if need[0] {
			r[0] = MatMulT(g, b, false, true)
		}
		if need[1] {
			r[1] = MatMulT(a, g, true, false)
		}
	case !o.ta && o.tb:
		if need[0] {
			r[0] = MatMulT(g, b, false, false)
		}
		if need[1] {
			r[1] = MatMulT(g, a, true, false)
		}
	case o.ta && !o.tb:
		if need[0] {
			r[0] = MatMulT(b, g, false, true)
		}
		if need[1] {
			r[1] = MatMulT(a, g, false, false)
		}
	default:
		if need[0] {
			r[0] = MatMulT(b, g, true, true)
		}
		if need[1] {
			r[1] = MatMulT(g, a, true, true)
		}
	}
	return r
}

func (o matmulOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	var x, y *Var
	if t[0] != nil {
		x = MatMulT(t[0], in[1], o.ta, o.tb)
	}
	if t[1] != nil {
		y = MatMulT(in[0], t[1], o.ta, o.tb)
	}
	return sumTangents(out.value.Shape, x, y)
}

// Affine returns x·w + b for x (m, k), w (k, n) and a bias b (n) added to every row,
// in one op: the bias is copied into the result and the product added to it by Gemm
// (β = 1), so no separate (m, n) sum is made. It is MatMul then Add to rounding.
// It panics if the shapes do not match or the precisions differ.
func Affine(x, w, b *Var) *Var {
	dt := sameDType("Affine", x, w, b)
	m, k := dims(x.value, false)
	k2, n := dims(w.value, false)
	if k != k2 || b.value.Rank() != 1 || b.value.Shape[0] != n {
		panic(fmt.Sprintf("autodiff: Affine of x %v, w %v and b %v", x.value.Shape, w.value.Shape, b.value.Shape))
	}
	out := newTensor(arenaOf(x, w, b), dt, false, []int{m, n})
	if dt == Float32 {
		affine(out.Data32, x.value.Data32, w.value.Data32, b.value.Data32, m, n, k)
	} else {
		affine(out.Data, x.value.Data, w.value.Data, b.value.Data, m, n, k)
	}
	return record(affineOp{}, out, x, w, b)
}

// affine sets out = x·w + b (row-major, out (m, n), x (m, k), w (k, n), b (n)).
func affine[T float](out, x, w, b []T, m, n, k int) {
	for r := 0; r < m; r++ {
		copy(out[r*n:(r+1)*n], b)
	}
	if m == 0 || n == 0 || k == 0 {
		return
	}
	switch o := any(out).(type) {
	case []float32:
		blas32.Gemm(blas.NoTrans, blas.NoTrans, 1,
			blas32.General{Rows: m, Cols: k, Stride: k, Data: any(x).([]float32)},
			blas32.General{Rows: k, Cols: n, Stride: n, Data: any(w).([]float32)},
			1, blas32.General{Rows: m, Cols: n, Stride: n, Data: o})
	case []float64:
		blas64.Gemm(blas.NoTrans, blas.NoTrans, 1,
			blas64.General{Rows: m, Cols: k, Stride: k, Data: any(x).([]float64)},
			blas64.General{Rows: k, Cols: n, Stride: n, Data: any(w).([]float64)},
			1, blas64.General{Rows: m, Cols: n, Stride: n, Data: o})
	}
}

type affineOp struct{}

func (affineOp) name() string { return "Affine" }

// vjp: for y = x·w + b with cotangent g: ḡx = g·wᵀ, ḡw = xᵀ·g, ḡb = Σ_rows g.
func (affineOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	r := make([]*Var, 3)
	if need[0] {
		r[0] = MatMulT(g, in[1], false, true)
	}
	if need[1] {
		r[1] = MatMulT(in[0], g, true, false)
	}
	if need[2] {
		r[2] = SumTo(g, in[2].value.Shape...)
	}
	return r
}

func (affineOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	var a, b *Var
	if t[0] != nil {
		a = MatMul(t[0], in[1])
	}
	if t[1] != nil {
		b = MatMul(in[0], t[1])
	}
	return sumTangents(out.value.Shape, a, b, t[2])
}
