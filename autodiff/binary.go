package autodiff

// Elementwise arithmetic with numpy broadcasting: shapes are aligned at their last
// axes and axes of length 1 are stretched. The gradient for a broadcast input is
// summed back to its shape (SumTo).

// Add returns a + b, broadcasting.
func Add(a, b *Var) *Var { return binary(addOp{}, a, b) }

// Sub returns a − b, broadcasting.
func Sub(a, b *Var) *Var { return binary(subOp{}, a, b) }

// Mul returns a·b elementwise, broadcasting.
func Mul(a, b *Var) *Var { return binary(mulOp{}, a, b) }

// Div returns a/b elementwise, broadcasting.
func Div(a, b *Var) *Var { return binary(divOp{}, a, b) }

type binaryKernel interface {
	op
	kind() byte
}

func binary(k binaryKernel, a, b *Var) *Var {
	dt := sameDType(k.name(), a, b)
	out := broadcastOut(arenaOf(a, b), dt, a.value, b.value)
	if dt == Float32 {
		broadcastApply(k.kind(), out.Data32, a.value.Data32, b.value.Data32, out.Shape, a.value.Shape, b.value.Shape)
	} else {
		broadcastApply(k.kind(), out.Data, a.value.Data, b.value.Data, out.Shape, a.value.Shape, b.value.Shape)
	}
	return record(k, out, a, b)
}

// broadcastOut returns the uninitialised result of an elementwise op on a and b.
func broadcastOut(ar *Arena, dt DType, a, b *Tensor) *Tensor {
	if sameShape(a.Shape, b.Shape) {
		return newTensor(ar, dt, false, a.Shape)
	}
	return newTensor(ar, dt, false, broadcastShape(a.Shape, b.Shape))
}

// Kinds of elementwise binary kernels.
const (
	kAdd byte = iota
	kSub
	kMul
	kDiv
	kFirst // a (used to broadcast)
)

// kernel sets dst[i] = a[i] ∘ b[i]; the loops are written out per operation so that
// the compiler keeps them free of calls.
func kernel[T float](k byte, dst, a, b []T) {
	a, b = a[:len(dst)], b[:len(dst)]
	switch k {
	case kAdd:
		for i := range dst {
			dst[i] = a[i] + b[i]
		}
	case kSub:
		for i := range dst {
			dst[i] = a[i] - b[i]
		}
	case kMul:
		for i := range dst {
			dst[i] = a[i] * b[i]
		}
	case kDiv:
		for i := range dst {
			dst[i] = a[i] / b[i]
		}
	default:
		copy(dst, a)
	}
}

// kernelScalarB sets dst[i] = a[i] ∘ y.
func kernelScalarB[T float](k byte, dst, a []T, y T) {
	a = a[:len(dst)]
	switch k {
	case kAdd:
		for i := range dst {
			dst[i] = a[i] + y
		}
	case kSub:
		for i := range dst {
			dst[i] = a[i] - y
		}
	case kMul:
		for i := range dst {
			dst[i] = a[i] * y
		}
	case kDiv:
		for i := range dst {
			dst[i] = a[i] / y
		}
	default:
		copy(dst, a)
	}
}

// kernelScalarA sets dst[i] = x ∘ b[i].
func kernelScalarA[T float](k byte, dst []T, x T, b []T) {
	b = b[:len(dst)]
	switch k {
	case kAdd:
		for i := range dst {
			dst[i] = x + b[i]
		}
	case kSub:
		for i := range dst {
			dst[i] = x - b[i]
		}
	case kMul:
		for i := range dst {
			dst[i] = x * b[i]
		}
	case kDiv:
		for i := range dst {
			dst[i] = x / b[i]
		}
	default:
		for i := range dst {
			dst[i] = x
		}
	}
}

func scalarOp[T float](k byte, x, y T) T {
	switch k {
	case kAdd:
		return x + y
	case kSub:
		return x - y
	case kMul:
		return x * y
	case kDiv:
		return x / y
	}
	return x
}

// broadcastApply evaluates the kernel elementwise on broadcast a (shape as) and b
// (shape bs) into out (shape shape). Every element of out is written.
func broadcastApply[T float](k byte, out, a, b []T, shape, as, bs []int) {
	if sameShape(as, bs) {
		kernel(k, out, a, b)
		return
	}
	switch {
	case len(b) == 1 && len(a) == len(out):
		kernelScalarB(k, out, a, b[0])
		return
	case len(a) == 1 && len(b) == len(out):
		kernelScalarA(k, out, a[0], b)
		return
	case len(a) == len(out) && isSuffix(bs, as):
		// b repeats along the leading axes of a (a bias added to every row).
		m := len(b)
		for off := 0; off < len(out); off += m {
			kernel(k, out[off:off+m], a[off:off+m], b)
		}
		return
	case len(b) == len(out) && isSuffix(as, bs):
		m := len(a)
		for off := 0; off < len(out); off += m {
			kernel(k, out[off:off+m], a, b[off:off+m])
		}
		return
	}
	n := len(shape)
	sa, sb := stridesFor(as, shape), stridesFor(bs, shape)
	// Rows of the last axis at a time: a column vector times a row, say.
	last := shape[n-1]
	idx := make([]int, n)
	ia, ib := 0, 0
	for o := 0; o < len(out); o += last {
		dst := out[o : o+last]
		switch {
		case sa[n-1] == 1 && sb[n-1] == 1:
			kernel(k, dst, a[ia:ia+last], b[ib:ib+last])
		case sa[n-1] == 1:
			kernelScalarB(k, dst, a[ia:ia+last], b[ib])
		case sb[n-1] == 1:
			kernelScalarA(k, dst, a[ia], b[ib:ib+last])
		default:
			v := scalarOp(k, a[ia], b[ib])
			for i := range dst {
				dst[i] = v
			}
		}
		for ax := n - 2; ax >= 0; ax-- {
			idx[ax]++
			ia += sa[ax]
			ib += sb[ax]
			if idx[ax] < shape[ax] {
				break
			}
			ia -= sa[ax] * shape[ax]
			ib -= sb[ax] * shape[ax]
			idx[ax] = 0
		}
	}
}

// isSuffix reports whether s equals the trailing axes of full (ignoring leading 1s of s).
func isSuffix(s, full []int) bool {
	for len(s) > 0 && s[0] == 1 {
		s = s[1:]
	}
	if len(s) > len(full) {
		return false
	}
	return sameShape(s, full[len(full)-len(s):])
}

// toShape broadcasts or sums a tangent or gradient to the given shape.
func toShape(v *Var, shape []int) *Var {
	if sameShape(v.value.Shape, shape) {
		return v
	}
	if len(v.value.Shape) >= len(shape) && sameShape(broadcastShape(shape, v.value.Shape), v.value.Shape) {
		return SumTo(v, shape...) // a gradient: shape was broadcast to v's shape
	}
	return BroadcastTo(v, shape...) // a tangent: v is broadcast to the output shape
}

// sumTangents adds non-nil tangents, broadcasting them to shape.
func sumTangents(shape []int, ts ...*Var) *Var {
	var s *Var
	for _, t := range ts {
		if t == nil {
			continue
		}
		if s == nil {
			s = t
		} else {
			s = Add(s, t)
		}
	}
	if s == nil {
		return nil
	}
	return toShape(s, shape)
}

type addOp struct{}

func (addOp) name() string { return "Add" }
func (addOp) kind() byte   { return kAdd }
func (addOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	return []*Var{toShape(g, in[0].value.Shape), toShape(g, in[1].value.Shape)}
}
func (addOp) jvp(t []*Var, out *Var, in []*Var) *Var { return sumTangents(out.value.Shape, t[0], t[1]) }

type subOp struct{}

func (subOp) name() string { return "Sub" }
func (subOp) kind() byte   { return kSub }
func (subOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	r := make([]*Var, 2)
	if need[0] {
		r[0] = toShape(g, in[0].value.Shape)
	}
	if need[1] {
		r[1] = toShape(Neg(g), in[1].value.Shape)
	}
	return r
}
func (subOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	if t[1] != nil {
		t[1] = Neg(t[1])
	}
	return sumTangents(out.value.Shape, t[0], t[1])
}

type mulOp struct{}

func (mulOp) name() string { return "Mul" }
func (mulOp) kind() byte   { return kMul }
func (mulOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	r := make([]*Var, 2)
	if need[0] {
		r[0] = toShape(Mul(g, in[1]), in[0].value.Shape)
	}
	if need[1] {
		r[1] = toShape(Mul(g, in[0]), in[1].value.Shape)
	}
	return r
}
func (mulOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	var a, b *Var
	if t[0] != nil {
		a = Mul(t[0], in[1])
	}
	if t[1] != nil {
		b = Mul(in[0], t[1])
	}
	return sumTangents(out.value.Shape, a, b)
}

type divOp struct{}

func (divOp) name() string { return "Div" }
func (divOp) kind() byte   { return kDiv }
func (divOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	r := make([]*Var, 2)
	gb := Div(g, in[1])
	if need[0] {
		r[0] = toShape(gb, in[0].value.Shape)
	}
	if need[1] {
		// ∂(a/b)/∂b = −a/b² = −out/b
		r[1] = toShape(Neg(Mul(gb, out)), in[1].value.Shape)
	}
	return r
}
func (divOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	var a, b *Var
	if t[0] != nil {
		a = Div(t[0], in[1])
	}
	if t[1] != nil {
		b = Neg(Div(Mul(out, t[1]), in[1]))
	}
	return sumTangents(out.value.Shape, a, b)
}
