package autodiff

import "fmt"

// Reshape returns x with a new shape of the same size; one dimension may be −1 and
// is then inferred. The data are shared, not copied.
func Reshape(x *Var, shape ...int) *Var {
	shape = inferShape(shape, x.value.Size())
	if sameShape(shape, x.value.Shape) {
		return x
	}
	return record(reshapeOp{}, &Tensor{Shape: shape, Data: x.value.Data, Data32: x.value.Data32}, x)
}

func inferShape(shape []int, n int) []int {
	shape = append([]int(nil), shape...)
	free, known := -1, 1
	for i, s := range shape {
		if s == -1 {
			if free >= 0 {
				panic("autodiff: Reshape with two −1 dimensions")
			}
			free = i
		} else {
			known *= s
		}
	}
	if free >= 0 && known > 0 {
		shape[free] = n / known
	}
	if size(shape) != n {
		panic(fmt.Sprintf("autodiff: cannot reshape %d elements to %v", n, shape))
	}
	return shape
}

type reshapeOp struct{}

func (reshapeOp) name() string { return "Reshape" }
func (reshapeOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	return []*Var{Reshape(g, in[0].value.Shape...)}
}
func (reshapeOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	if t[0] == nil {
		return nil
	}
	return Reshape(t[0], out.value.Shape...)
}

// Transpose returns the transpose of a rank-2 x.
func Transpose(x *Var) *Var {
	if x.value.Rank() != 2 {
		panic(fmt.Sprintf("autodiff: Transpose of shape %v (needs rank 2)", x.value.Shape))
	}
	return Permute(x, 1, 0)
}

// Permute reorders the axes of x: axis i of the result is axis perm[i] of x.
func Permute(x *Var, perm ...int) *Var {
	xs := x.value.Shape
	if len(perm) != len(xs) {
		panic(fmt.Sprintf("autodiff: permutation %v for shape %v", perm, xs))
	}
	shape := make([]int, len(xs))
	inv := make([]int, len(xs))
	seen := make([]bool, len(xs))
	for i, p := range perm {
		if p < 0 || p >= len(xs) || seen[p] {
			panic(fmt.Sprintf("autodiff: invalid permutation %v", perm))
		}
		seen[p] = true
		shape[i] = xs[p]
		inv[p] = i
	}
	// Strides of x, read in the order of the result's axes.
	xst := make([]int, len(xs))
	acc := 1
	for i := len(xs) - 1; i >= 0; i-- {
		xst[i] = acc
		acc *= xs[i]
	}
	st := make([]int, len(xs))
	for i, p := range perm {
		st[i] = xst[p]
	}
	out := result(shape, x)
	from := make([]int, size(shape)) // element o of out is element from[o] of x
	idx := make([]int, len(shape))
	src := 0
	for o := range from {
		from[o] = src
		for ax := len(shape) - 1; ax >= 0; ax-- {
			idx[ax]++
			src += st[ax]
			if idx[ax] < shape[ax] {
				break
			}
			src -= st[ax] * shape[ax]
			idx[ax] = 0
		}
	}
	if x.value.Data32 != nil {
		take(out.Data32, x.value.Data32, from)
	} else {
		take(out.Data, x.value.Data, from)
	}
	return record(permuteOp{perm: append([]int(nil), perm...), inv: inv}, out, x)
}

type permuteOp struct{ perm, inv []int }

func (permuteOp) name() string { return "Permute" }
func (o permuteOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	return []*Var{Permute(g, o.inv...)}
}
func (o permuteOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	if t[0] == nil {
		return nil
	}
	return Permute(t[0], o.perm...)
}

// Concat joins xs along axis; all other dimensions and the precisions must agree.
func Concat(axis int, xs ...*Var) *Var {
	if len(xs) == 0 {
		panic("autodiff: Concat of nothing")
	}
	sameDType("Concat", xs...)
	ref := xs[0].value.Shape
	axis = normAxis(axis, len(ref))
	shape := append([]int(nil), ref...)
	shape[axis] = 0
	for _, x := range xs {
		s := x.value.Shape
		if len(s) != len(ref) {
			panic(fmt.Sprintf("autodiff: Concat of shapes %v and %v", ref, s))
		}
		for i := range s {
			if i != axis && s[i] != ref[i] {
				panic(fmt.Sprintf("autodiff: Concat of shapes %v and %v along axis %d", ref, s, axis))
			}
		}
		shape[axis] += s[axis]
	}
	outer, total, inner := splitAt(shape, axis)
	out := result(shape, xs...)
	starts := make([]int, len(xs))
	off := 0
	for k, x := range xs {
		starts[k] = off
		n := x.value.Shape[axis]
		for o := 0; o < outer; o++ {
			copyRange(out, (o*total+off)*inner, x.value, o*n*inner, n*inner)
		}
		off += n
	}
	return record(concatOp{axis: axis, starts: starts}, out, xs...)
}

type concatOp struct {
	axis   int
	starts []int
}

func (concatOp) name() string { return "Concat" }
func (o concatOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	r := make([]*Var, len(in))
	for k, x := range in {
		if need[k] {
			r[k] = Slice(g, o.axis, o.starts[k], o.starts[k]+x.value.Shape[o.axis])
		}
	}
	return r
}
func (o concatOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	parts := make([]*Var, len(in))
	any := false
	for k, x := range in {
		if t[k] != nil {
			parts[k], any = t[k], true
		} else {
			parts[k] = &Var{value: zeroResult(x.value.Shape, x), arena: x.arena}
		}
	}
	if !any {
		return nil
	}
	return Concat(o.axis, parts...)
}

// Slice returns the elements start ≤ i < end along axis.
func Slice(x *Var, axis, start, end int) *Var {
	xs := x.value.Shape
	axis = normAxis(axis, len(xs))
	if start < 0 || end > xs[axis] || start > end {
		panic(fmt.Sprintf("autodiff: slice [%d:%d] of axis %d of shape %v", start, end, axis, xs))
	}
	outer, n, inner := splitAt(xs, axis)
	shape := append([]int(nil), xs...)
	shape[axis] = end - start
	out := result(shape, x)
	m := end - start
	for o := 0; o < outer; o++ {
		copyRange(out, o*m*inner, x.value, (o*n+start)*inner, m*inner)
	}
	return record(sliceOp{axis: axis, start: start, n: n}, out, x)
}

type sliceOp struct{ axis, start, n int }

func (sliceOp) name() string { return "Slice" }
func (o sliceOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	return []*Var{padAxis(g, o.axis, o.start, o.n)}
}
func (o sliceOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	if t[0] == nil {
		return nil
	}
	m := out.value.Shape[o.axis]
	return Slice(t[0], o.axis, o.start, o.start+m)
}

// padAxis places x at offset start of a zero tensor whose axis has length n; it is
// the adjoint of Slice.
func padAxis(x *Var, axis, start, n int) *Var {
	xs := x.value.Shape
	shape := append([]int(nil), xs...)
	shape[axis] = n
	outer, m, inner := splitAt(xs, axis)
	out := zeroResult(shape, x)
	for o := 0; o < outer; o++ {
		copyRange(out, (o*n+start)*inner, x.value, o*m*inner, m*inner)
	}
	return record(padOp{axis: axis, start: start}, out, x)
}

type padOp struct{ axis, start int }

func (padOp) name() string { return "Pad" }
func (o padOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	return []*Var{Slice(g, o.axis, o.start, o.start+in[0].value.Shape[o.axis])}
}
func (o padOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	if t[0] == nil {
		return nil
	}
	return padAxis(t[0], o.axis, o.start, out.value.Shape[o.axis])
}

// copyRange copies n elements of src from offset so to dst at offset do (tensors of
// one precision).
func copyRange(dst *Tensor, do int, src *Tensor, so, n int) {
	if dst.Data32 != nil {
		copy(dst.Data32[do:do+n], src.Data32[so:so+n])
	} else {
		copy(dst.Data[do:do+n], src.Data[so:so+n])
	}
}
