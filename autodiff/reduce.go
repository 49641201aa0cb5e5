package autodiff

import "fmt"

// Sum returns the sum of all elements as a rank-0 tensor. A float32 sum is
// accumulated in float64 and rounded once.
func Sum(x *Var) *Var {
	out := result(nil, x)
	if x.value.Data32 != nil {
		out.Data32[0] = float32(sum64(x.value.Data32))
	} else {
		out.Data[0] = sum64(x.value.Data)
	}
	return record(sumAllOp{}, out, x)
}

func sum64[T float](xs []T) float64 {
	s := 0.0
	for _, v := range xs {
		s += float64(v)
	}
	return s
}

type sumAllOp struct{}

func (sumAllOp) name() string { return "Sum" }
func (sumAllOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	return []*Var{BroadcastTo(g, in[0].value.Shape...)}
}
func (sumAllOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	if t[0] == nil {
		return nil
	}
	return Sum(t[0])
}

// Mean returns the mean of all elements as a rank-0 tensor.
func Mean(x *Var) *Var { return Scale(Sum(x), 1/float64(x.value.Size())) }

// SumAxis sums over one axis (negative counts from the end). With keepDims the axis
// stays with length 1.
func SumAxis(x *Var, axis int, keepDims bool) *Var {
	shape := x.value.Shape
	axis = normAxis(axis, len(shape))
	outer, n, inner := splitAt(shape, axis)
	kept := append([]int(nil), shape...)
	kept[axis] = 1
	res := zeroResult(kept, x)
	if x.value.Data32 != nil {
		sumAxisKernel(res.Data32, x.value.Data32, outer, n, inner)
	} else {
		sumAxisKernel(res.Data, x.value.Data, outer, n, inner)
	}
	if !keepDims {
		res.Shape = append(append([]int(nil), shape[:axis]...), shape[axis+1:]...)
	}
	return record(sumAxisOp{axis}, res, x)
}

// sumAxisKernel adds x (outer, n, inner) over its middle axis into out (outer, inner).
func sumAxisKernel[T float](out, x []T, outer, n, inner int) {
	for o := 0; o < outer; o++ {
		dst := out[o*inner : (o+1)*inner]
		for k := 0; k < n; k++ {
			src := x[(o*n+k)*inner : (o*n+k+1)*inner]
			for i, v := range src {
				dst[i] += v
			}
		}
	}
}

type sumAxisOp struct{ axis int }

func (sumAxisOp) name() string { return "SumAxis" }
func (o sumAxisOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	shape := in[0].value.Shape
	return []*Var{BroadcastTo(Reshape(g, keepShape(shape, o.axis)...), shape...)}
}
func (o sumAxisOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	if t[0] == nil {
		return nil
	}
	return SumAxis(t[0], o.axis, len(out.value.Shape) == len(in[0].value.Shape))
}

// keepShape returns shape with the given axis set to 1.
func keepShape(shape []int, axis int) []int {
	k := append([]int(nil), shape...)
	k[axis] = 1
	return k
}

// MeanAxis averages over one axis (negative counts from the end).
func MeanAxis(x *Var, axis int, keepDims bool) *Var {
	n := x.value.Shape[normAxis(axis, x.value.Rank())]
	return Scale(SumAxis(x, axis, keepDims), 1/float64(n))
}

// BroadcastTo stretches x to shape by numpy broadcasting rules. It panics if x's
// shape does not broadcast to shape.
func BroadcastTo(x *Var, shape ...int) *Var {
	if sameShape(x.value.Shape, shape) {
		return x
	}
	if !sameShape(broadcastShape(x.value.Shape, shape), shape) {
		panic(fmt.Sprintf("autodiff: cannot broadcast %v to %v", x.value.Shape, shape))
	}
	return record(broadcastOp{}, broadcastCopy(x.arena, x.value, shape), x)
}

type broadcastOp struct{}

func (broadcastOp) name() string { return "BroadcastTo" }
func (broadcastOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	return []*Var{SumTo(g, in[0].value.Shape...)}
}
func (broadcastOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	if t[0] == nil {
		return nil
	}
	return BroadcastTo(t[0], out.value.Shape...)
}

// SumTo sums x over the axes that broadcasting would have stretched, giving shape;
// it is the adjoint of BroadcastTo. It panics if shape does not broadcast to x's shape.
func SumTo(x *Var, shape ...int) *Var {
	if sameShape(x.value.Shape, shape) {
		return x
	}
	xs := x.value.Shape
	if !sameShape(broadcastShape(shape, xs), xs) {
		panic(fmt.Sprintf("autodiff: cannot sum %v to %v", xs, shape))
	}
	out := zeroResult(shape, x)
	if x.value.Data32 != nil {
		sumToKernel(out.Data32, x.value.Data32, shape, xs)
	} else {
		sumToKernel(out.Data, x.value.Data, shape, xs)
	}
	return record(sumToOp{}, out, x)
}

// sumToKernel adds x (shape xs) into out (shape, which broadcasts to xs).
func sumToKernel[T float](out, x []T, shape, xs []int) {
	if sumToFast(out, x, shape, xs) {
		return
	}
	st := stridesFor(shape, xs)
	idx := make([]int, len(xs))
	io := 0
	for _, v := range x {
		out[io] += v
		for ax := len(xs) - 1; ax >= 0; ax-- {
			idx[ax]++
			io += st[ax]
			if idx[ax] < xs[ax] {
				break
			}
			io -= st[ax] * xs[ax]
			idx[ax] = 0
		}
	}
}

type sumToOp struct{}

func (sumToOp) name() string { return "SumTo" }
func (sumToOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	return []*Var{BroadcastTo(g, in[0].value.Shape...)}
}
func (sumToOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	if t[0] == nil {
		return nil
	}
	return SumTo(t[0], out.value.Shape...)
}

func normAxis(axis, rank int) int {
	if axis < 0 {
		axis += rank
	}
	if axis < 0 || axis >= rank {
		panic(fmt.Sprintf("autodiff: axis out of range for rank %d", rank))
	}
	return axis
}

// splitAt returns the product of the axes before axis, the axis length, and the
// product of the axes after it.
func splitAt(shape []int, axis int) (outer, n, inner int) {
	outer, inner = 1, 1
	for _, s := range shape[:axis] {
		outer *= s
	}
	for _, s := range shape[axis+1:] {
		inner *= s
	}
	return outer, shape[axis], inner
}

// sumToFast handles the two reductions that dominate backward passes with call-free
// loops: a bias-like target (the trailing axes of x, summed over the leading ones) and
// a row-like target (x with its last axis reduced to 1). It reports whether it did.
func sumToFast[T float](out, x []T, shape, xs []int) bool {
	switch {
	case len(out) > 0 && isSuffix(shape, xs):
		m := len(out)
		for off := 0; off < len(x); off += m {
			addSlice(out, x[off:off+m])
		}
		return true
	case len(shape) == len(xs) && len(xs) > 0 && shape[len(xs)-1] == 1 && sameShape(shape[:len(xs)-1], xs[:len(xs)-1]):
		m := xs[len(xs)-1]
		for r := range out {
			var s T
			for _, v := range x[r*m : (r+1)*m] {
				s += v
			}
			out[r] = s
		}
		return true
	}
	return false
}

// broadcastCopy returns x stretched to shape (which x's shape broadcasts to), in a
// tensor from arena ar (nil: the heap).
func broadcastCopy(ar *Arena, x *Tensor, shape []int) *Tensor {
	out := newTensor(ar, x.DType(), false, shape)
	if x.Data32 != nil {
		broadcastKernel(out.Data32, x.Data32, shape, x.Shape)
	} else {
		broadcastKernel(out.Data, x.Data, shape, x.Shape)
	}
	return out
}

func broadcastKernel[T float](out, x []T, shape, xshape []int) {
	switch {
	case len(out) == 0:
		return
	case len(x) == 1:
		for i := range out {
			out[i] = x[0]
		}
		return
	case isSuffix(xshape, shape):
		m := len(x)
		for off := 0; off < len(out); off += m {
			copy(out[off:off+m], x)
		}
		return
	}
	n := len(shape)
	sx := stridesFor(xshape, shape)
	last := shape[n-1]
	idx := make([]int, n)
	ix := 0
	for o := 0; o < len(out); o += last {
		dst := out[o : o+last]
		if sx[n-1] == 1 {
			copy(dst, x[ix:ix+last])
		} else {
			for i := range dst {
				dst[i] = x[ix]
			}
		}
		for ax := n - 2; ax >= 0; ax-- {
			idx[ax]++
			ix += sx[ax]
			if idx[ax] < shape[ax] {
				break
			}
			ix -= sx[ax] * shape[ax]
			idx[ax] = 0
		}
	}
}
