package nn

import (
	"fmt"
	"math/rand/v2"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// Linear is the affine map y = x·W + b from (…, In) to (…, Out), W of shape
// (In, Out) and b of shape (Out), with a hook site of the same name.
type Linear struct {
	W, B *Param // B is nil for a layer without bias
	Site *Site
}

// NewLinear returns a Linear named name with Glorot-uniform weights and zero bias.
func NewLinear(name string, in, out int, bias bool, rng *rand.Rand) *Linear {
	l := &Linear{
		W:    NewParam(join(name, "weight"), GlorotUniform(rng, in, out)),
		Site: &Site{Name: name, Kind: "linear", In: in, Out: out},
	}
	if bias {
		l.B = NewParam(join(name, "bias"), ad.Zeros(out))
	}
	return l
}

// Forward applies the layer to x of shape (…, In), then the hooks at its site.
// It panics if the last dimension of x is not In.
func (l *Linear) Forward(ctx *Context, x *ad.Var) *ad.Var {
	return l.Site.apply(ctx, x, l.Base(x))
}

// Base applies x·W + b without hooks.
func (l *Linear) Base(x *ad.Var) *ad.Var {
	shape := x.Shape()
	in := l.W.Value().Shape[0]
	if len(shape) == 0 || shape[len(shape)-1] != in {
		panic(fmt.Sprintf("nn: Linear %s expects (…, %d), got %v", l.Site.Name, in, shape))
	}
	x2 := x
	if len(shape) != 2 {
		x2 = ad.Reshape(x, -1, in)
	}
	var y *ad.Var
	if l.B != nil {
		y = ad.Affine(x2, l.W.V, l.B.V) // x·W + b in one op
	} else {
		y = ad.MatMul(x2, l.W.V)
	}
	if len(shape) != 2 {
		out := append(append([]int(nil), shape[:len(shape)-1]...), l.W.Value().Shape[1])
		y = ad.Reshape(y, out...)
	}
	return y
}

// Params lists W then b.
func (l *Linear) Params() []*Param {
	if l.B == nil {
		return []*Param{l.W}
	}
	return []*Param{l.W, l.B}
}

// Sites lists the layer's site.
func (l *Linear) Sites() []*Site { return []*Site{l.Site} }

// MLP is a stack of Linear layers with an activation between them (none after the
// last): sizes [in, h₁, …, out] give len(sizes)−1 layers named name.0, name.1, ….
type MLP struct {
	Layers []*Linear
	Act    Activation
}

// NewMLP returns an MLP with the given layer sizes. It panics if fewer than two sizes
// are given.
func NewMLP(name string, sizes []int, act Activation, rng *rand.Rand) *MLP {
	if len(sizes) < 2 {
		panic(fmt.Sprintf("nn: MLP %s needs at least two sizes, got %v", name, sizes))
	}
	m := &MLP{Act: act}
	for i := 0; i+1 < len(sizes); i++ {
		m.Layers = append(m.Layers, NewLinear(fmt.Sprintf("%s.%d", name, i), sizes[i], sizes[i+1], true, rng))
	}
	return m
}

// Forward applies the layers to x (…, in).
func (m *MLP) Forward(ctx *Context, x *ad.Var) *ad.Var {
	for i, l := range m.Layers {
		x = l.Forward(ctx, x)
		if i+1 < len(m.Layers) {
			x = m.Act.Apply(x)
		}
	}
	return x
}

// Params lists the layers' parameters in order.
func (m *MLP) Params() []*Param {
	var ps []*Param
	for _, l := range m.Layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// Sites lists the layers' sites in order.
func (m *MLP) Sites() []*Site {
	var ss []*Site
	for _, l := range m.Layers {
		ss = append(ss, l.Site)
	}
	return ss
}
