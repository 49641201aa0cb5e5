package autodiff

import "fmt"

// Index ops move whole rows (the first axis) or single elements. They are linear in
// x, and each one's adjoint is the other of its pair: GatherRows ↔ ScatterAddRows,
// Take ↔ takeAdjoint. Indices are plain ints, constants of the graph.

// GatherRows returns the rows x[idx[0]], x[idx[1]], … of x (shape (n, …)) as a tensor
// of shape (len(idx), …): atom features for each pair of a neighbour list, say.
// It panics if an index is out of range.
func GatherRows(x *Var, idx []int) *Var {
	xs := x.value.Shape
	if len(xs) == 0 {
		panic("autodiff: GatherRows of a scalar")
	}
	n, w := xs[0], rowWidth(xs)
	shape := append([]int{len(idx)}, xs[1:]...)
	for _, i := range idx {
		if i < 0 || i >= n {
			panic(fmt.Sprintf("autodiff: GatherRows index %d out of range [0,%d)", i, n))
		}
	}
	out := result(shape, x)
	if x.value.Data32 != nil {
		gatherRows(out.Data32, x.value.Data32, idx, w)
	} else {
		gatherRows(out.Data, x.value.Data, idx, w)
	}
	return record(&gatherRowsOp{idx: idx, n: n}, out, x)
}

func gatherRows[T float](out, x []T, idx []int, w int) {
	for r, i := range idx {
		copy(out[r*w:(r+1)*w], x[i*w:(i+1)*w])
	}
}

type gatherRowsOp struct {
	idx []int
	n   int
}

func (*gatherRowsOp) name() string { return "GatherRows" }
func (o *gatherRowsOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	return []*Var{ScatterAddRows(g, o.idx, o.n)}
}
func (o *gatherRowsOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	if t[0] == nil {
		return nil
	}
	return GatherRows(t[0], o.idx)
}

// ScatterAddRows returns a tensor of shape (n, …) whose row k is the sum of the rows
// x[r] with idx[r] = k (a segment sum: pair terms to atoms, atoms to molecules).
// len(idx) must equal the first dimension of x. It panics if an index is out of range.
func ScatterAddRows(x *Var, idx []int, n int) *Var {
	xs := x.value.Shape
	if len(xs) == 0 || xs[0] != len(idx) {
		panic(fmt.Sprintf("autodiff: ScatterAddRows of shape %v with %d indices", xs, len(idx)))
	}
	w := rowWidth(xs)
	shape := append([]int{n}, xs[1:]...)
	for _, k := range idx {
		if k < 0 || k >= n {
			panic(fmt.Sprintf("autodiff: ScatterAddRows index %d out of range [0,%d)", k, n))
		}
	}
	out := zeroResult(shape, x)
	if x.value.Data32 != nil {
		scatterAddRows(out.Data32, x.value.Data32, idx, w)
	} else {
		scatterAddRows(out.Data, x.value.Data, idx, w)
	}
	return record(&scatterRowsOp{idx: idx}, out, x)
}

func scatterAddRows[T float](out, x []T, idx []int, w int) {
	for r, k := range idx {
		addSlice(out[k*w:(k+1)*w], x[r*w:(r+1)*w])
	}
}

type scatterRowsOp struct{ idx []int }

func (*scatterRowsOp) name() string { return "ScatterAddRows" }
func (o *scatterRowsOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	return []*Var{GatherRows(g, o.idx)}
}
func (o *scatterRowsOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	if t[0] == nil {
		return nil
	}
	return ScatterAddRows(t[0], o.idx, out.value.Shape[0])
}

func rowWidth(shape []int) int {
	w := 1
	for _, s := range shape[1:] {
		w *= s
	}
	return w
}

// Take returns the elements of x at flat (row-major) indices idx, arranged in the
// given shape (size len(idx)). It is the building block of unfolding and pooling.
// It panics if an index is out of range or the shape does not hold len(idx) elements.
func Take(x *Var, idx []int, shape ...int) *Var {
	if size(shape) != len(idx) {
		panic(fmt.Sprintf("autodiff: Take of %d indices into shape %v", len(idx), shape))
	}
	n := x.value.Size()
	for _, i := range idx {
		if i < 0 || i >= n {
			panic(fmt.Sprintf("autodiff: Take index %d out of range [0,%d)", i, n))
		}
	}
	out := result(shape, x)
	if x.value.Data32 != nil {
		take(out.Data32, x.value.Data32, idx)
	} else {
		take(out.Data, x.value.Data, idx)
	}
	return record(&takeOp{idx: idx, shape: x.value.Shape}, out, x)
}

type takeOp struct {
	idx   []int
	shape []int
}

func (*takeOp) name() string { return "Take" }
func (o *takeOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	return []*Var{takeAdjoint(g, o.idx, o.shape)}
}
func (o *takeOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	if t[0] == nil {
		return nil
	}
	return Take(t[0], o.idx, out.value.Shape...)
}

// takeAdjoint scatter-adds g's elements into a zero tensor of the given shape at
// flat indices idx.
func takeAdjoint(g *Var, idx []int, shape []int) *Var {
	out := zeroResult(shape, g)
	if g.value.Data32 != nil {
		takeAdd(out.Data32, g.value.Data32, idx)
	} else {
		takeAdd(out.Data, g.value.Data, idx)
	}
	return record(&takeAdjointOp{idx: idx}, out, g)
}

type takeAdjointOp struct{ idx []int }

func (*takeAdjointOp) name() string { return "TakeAdjoint" }
func (o *takeAdjointOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	return []*Var{Take(g, o.idx, in[0].value.Shape...)}
}
func (o *takeAdjointOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	if t[0] == nil {
		return nil
	}
	return takeAdjoint(t[0], o.idx, out.value.Shape)
}

func take[T float](out, x []T, idx []int) {
	for r, i := range idx {
		out[r] = x[i]
	}
}

func takeAdd[T float](out, g []T, idx []int) {
	for r, i := range idx {
		out[i] += g[r]
	}
}
