package autodiff

import "fmt"

// Sequence ops use the channel-last layout (batch, length, channels), the natural
// output of an embedding lookup. They are built from Take and MatMul, so their
// derivatives of every order come from those ops.

// Unfold returns the sliding windows of x (b, l, c) of width k as a tensor of shape
// (b, l−k+1, k·c): window position p holds x[:, p:p+k, :] flattened.
func Unfold(x *Var, k int) *Var {
	b, l, c := dims3(x, "Unfold")
	lo := l - k + 1
	if k < 1 || lo < 1 {
		panic(fmt.Sprintf("autodiff: Unfold width %d of length %d", k, l))
	}
	idx := make([]int, 0, b*lo*k*c)
	for s := 0; s < b; s++ {
		for p := 0; p < lo; p++ {
			for j := 0; j < k; j++ {
				base := (s*l + p + j) * c
				for ch := 0; ch < c; ch++ {
					idx = append(idx, base+ch)
				}
			}
		}
	}
	return Take(x, idx, b, lo, k*c)
}

// Conv1D is the valid (unpadded, stride 1) 1-D convolution of x (b, l, cin) with
// weights w (k·cin, cout), where row j·cin+i of w multiplies input channel i at
// window offset j. The result has shape (b, l−k+1, cout).
func Conv1D(x, w *Var) *Var {
	b, _, c := dims3(x, "Conv1D")
	kc := w.value.Shape[0]
	if w.value.Rank() != 2 || kc%c != 0 {
		panic(fmt.Sprintf("autodiff: Conv1D weights %v for %d input channels", w.value.Shape, c))
	}
	u := Unfold(x, kc/c)
	lo := u.value.Shape[1]
	y := MatMul(Reshape(u, b*lo, kc), w)
	return Reshape(y, b, lo, w.value.Shape[1])
}

// MaxPool1D takes the maximum over windows of width k moved by stride along the
// length of x (b, l, c), giving (b, (l−k)/stride+1, c). Ties go to the first maximum.
// The gradient flows to the maximal element of each window.
func MaxPool1D(x *Var, k, stride int) *Var {
	b, l, c := dims3(x, "MaxPool1D")
	if k < 1 || stride < 1 || k > l {
		panic(fmt.Sprintf("autodiff: MaxPool1D width %d stride %d of length %d", k, stride, l))
	}
	lo := (l-k)/stride + 1
	idx := make([]int, 0, b*lo*c)
	d := x.value.Float64s() // a copy for float32: comparisons only
	for s := 0; s < b; s++ {
		for p := 0; p < lo; p++ {
			for ch := 0; ch < c; ch++ {
				best := (s*l+p*stride)*c + ch
				for j := 1; j < k; j++ {
					if i := (s*l+p*stride+j)*c + ch; d[i] > d[best] {
						best = i
					}
				}
				idx = append(idx, best)
			}
		}
	}
	return Take(x, idx, b, lo, c)
}

// MaxOverLength returns the maximum of x (b, l, c) over its length axis, shape (b, c):
// global max-pooling as in DeepDTA.
func MaxOverLength(x *Var) *Var {
	b, l, c := dims3(x, "MaxOverLength")
	return Reshape(MaxPool1D(x, l, 1), b, c)
}

func dims3(x *Var, op string) (b, l, c int) {
	s := x.value.Shape
	if len(s) != 3 {
		panic(fmt.Sprintf("autodiff: %s of shape %v (needs (batch, length, channels))", op, s))
	}
	return s[0], s[1], s[2]
}

// Normalize returns (x − mean)/√(var + eps) over the last axis (the statistics of
// layer normalisation, without its affine part).
func Normalize(x *Var, eps float64) *Var {
	mu := MeanAxis(x, -1, true)
	xc := Sub(x, mu)
	v := MeanAxis(Square(xc), -1, true)
	return Div(xc, Sqrt(AddScalar(v, eps)))
}
