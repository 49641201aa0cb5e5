package autodiff

// Precision conversion. Ops never mix precisions (they panic); a computation moves
// between float64 and float32 only through these two ops, whose derivatives are the
// conversions back: the cotangent of ToFloat32(x) is converted to float64 for x, and
// so on, so derivatives of any order cross them.

// ToFloat32 returns x rounded to float32 (x itself if it is float32).
func ToFloat32(x *Var) *Var { return convertTo(x, Float32) }

// ToFloat64 returns x widened to float64, exactly (x itself if it is float64).
func ToFloat64(x *Var) *Var { return convertTo(x, Float64) }

// ConvertTo returns x in precision dt (x itself if it has it).
func ConvertTo(x *Var, dt DType) *Var { return convertTo(x, dt) }

func convertTo(x *Var, dt DType) *Var {
	if x.value.DType() == dt {
		return x
	}
	out := newTensor(x.arena, dt, false, x.value.Shape)
	if dt == Float32 {
		convert(out.Data32, x.value.Data)
	} else {
		convert(out.Data, x.value.Data32)
	}
	return record(convertOp{dt}, out, x)
}

type convertOp struct{ to DType }

func (o convertOp) name() string { return "To" + o.to.String() }
func (o convertOp) vjp(g, out *Var, in []*Var, need []bool) []*Var {
	return []*Var{convertTo(g, in[0].value.DType())}
}
func (o convertOp) jvp(t []*Var, out *Var, in []*Var) *Var {
	if t[0] == nil {
		return nil
	}
	return convertTo(t[0], o.to)
}
