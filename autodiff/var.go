package autodiff

import "fmt"

// Var is a value in a computation graph: a tensor, the op that produced it and that
// op's inputs. Vars are made by Variable (a leaf to differentiate with respect to),
// Constant (never differentiated) and by the ops of this package.
//
// A Var requires a gradient when it is a leaf made with Variable or when any input of
// its op does; only such Vars keep their op and inputs, so computations on constants
// build no graph.
type Var struct {
	value        *Tensor
	op           op
	inputs       []*Var
	requiresGrad bool
	arena        *Arena // where ops on v allocate their results; nil: the heap
	freed        bool   // the graph behind v was cut by Gradients with FreeGraph
}

// op is one differentiable operation. Both rules are written with the ops of this
// package, so their results are graph values that can be differentiated again.
type op interface {
	// name is a short identifier used in error messages.
	name() string
	// vjp returns the vector–Jacobian products g·∂out/∂inputs[i] for the inputs with
	// need[i] set (others may be nil). g has the shape of out. A result is either
	// computed afresh or shares memory with g, out or an input (a view); an op never
	// returns a tensor it keeps, because Gradients recycles cotangents.
	vjp(g, out *Var, inputs []*Var, need []bool) []*Var
	// jvp returns the Jacobian–vector product Σ ∂out/∂inputs[i]·tangents[i]; a nil
	// tangent means zero. It returns nil if every contributing tangent is nil.
	jvp(tangents []*Var, out *Var, inputs []*Var) *Var
}

// Variable returns a leaf that gradients can be taken with respect to (a parameter,
// positions). The tensor is not copied.
func Variable(t *Tensor) *Var { return &Var{value: t, requiresGrad: true} }

// Constant returns a leaf that is never differentiated. The tensor is not copied.
func Constant(t *Tensor) *Var { return &Var{value: t} }

// Value returns the tensor held by v. Callers must not modify it unless they own v.
func (v *Var) Value() *Tensor { return v.value }

// Shape returns the shape of v's value.
func (v *Var) Shape() []int { return v.value.Shape }

// Item returns the only element of a one-element Var.
func (v *Var) Item() float64 { return v.value.Item() }

// RequiresGrad reports whether gradients flow through v.
func (v *Var) RequiresGrad() bool { return v.requiresGrad }

// SetRequiresGrad turns gradient tracking of a leaf on or off (freezing). It panics if
// v is not a leaf.
func (v *Var) SetRequiresGrad(on bool) {
	if v.op != nil {
		panic("autodiff: SetRequiresGrad on a non-leaf Var (op " + v.op.name() + ")")
	}
	v.requiresGrad = on
}

// IsLeaf reports whether v was made by Variable or Constant rather than by an op.
func (v *Var) IsLeaf() bool { return v.op == nil }

// Detach returns a constant holding the same tensor as v, cut from the graph.
func Detach(v *Var) *Var { return &Var{value: v.value, arena: v.arena} }

// String describes v by its op and shape.
func (v *Var) String() string {
	if v.op == nil {
		return fmt.Sprintf("leaf%v", v.value.Shape)
	}
	return fmt.Sprintf("%s%v", v.op.name(), v.value.Shape)
}

// record wraps the result of op applied to inputs, linking the graph only when some
// input requires a gradient.
func record(o op, value *Tensor, inputs ...*Var) *Var {
	a := arenaOf(inputs...)
	for _, in := range inputs {
		if in.requiresGrad {
			return &Var{value: value, op: o, inputs: inputs, requiresGrad: true, arena: a}
		}
	}
	return &Var{value: value, arena: a}
}

// arenaOf returns the arena of the first input that has one, or nil.
func arenaOf(inputs ...*Var) *Arena {
	for _, in := range inputs {
		if in.arena != nil {
			return in.arena
		}
	}
	return nil
}

// result returns an uninitialised tensor for the result of an op on inputs, in the
// precision of the first input, from their arena or the heap; the op must write
// every element.
func result(shape []int, inputs ...*Var) *Tensor {
	return newTensor(arenaOf(inputs...), inputs[0].value.DType(), false, shape)
}

// zeroResult returns a zeroed tensor for the result of an op on inputs that
// accumulates into it.
func zeroResult(shape []int, inputs ...*Var) *Tensor {
	return newTensor(arenaOf(inputs...), inputs[0].value.DType(), true, shape)
}

// sameDType returns the precision of the inputs of an op, or panics if they differ:
// mixing precisions in one op is a programmer error.
func sameDType(op string, inputs ...*Var) DType {
	dt := inputs[0].value.DType()
	for _, in := range inputs[1:] {
		if d := in.value.DType(); d != dt {
			panic(fmt.Sprintf("autodiff: %s of a %v %v and a %v %v tensor (convert one with ToFloat32 or ToFloat64)",
				op, dt, inputs[0].value.Shape, d, in.value.Shape))
		}
	}
	return dt
}
