package autodiff

import (
	"fmt"
	"math"
	"strings"
)

// Tensor is a dense, row-major array of float64 of any rank. A rank-0 tensor (empty
// Shape) holds one number. Data has exactly Size(Shape) elements.
//
// Tensors are values that ops never modify: every op allocates its result. Code that
// owns a tensor (an optimiser updating a parameter) may change Data in place.
type Tensor struct {
	Shape []int
	Data  []float64
}

// New returns a tensor of the given shape holding data (not copied).
// It panics if len(data) does not match the shape.
func New(data []float64, shape ...int) *Tensor {
	if n := size(shape); n != len(data) {
		panic(fmt.Sprintf("autodiff: %d values for shape %v (needs %d)", len(data), shape, n))
	}
	return &Tensor{Shape: append([]int(nil), shape...), Data: data}
}

// Zeros returns a tensor of zeros.
func Zeros(shape ...int) *Tensor {
	return &Tensor{Shape: append([]int(nil), shape...), Data: make([]float64, size(shape))}
}

// newTensor returns a tensor of the given shape (copied) from arena a, or from the
// heap when a is nil; its elements are zero if zero is set, else unspecified.
func newTensor(a *Arena, zero bool, shape []int) *Tensor {
	if a == nil {
		return Zeros(shape...)
	}
	return &Tensor{Shape: append([]int(nil), shape...), Data: a.get(size(shape), zero)}
}

// Full returns a tensor filled with v.
func Full(v float64, shape ...int) *Tensor {
	t := Zeros(shape...)
	for i := range t.Data {
		t.Data[i] = v
	}
	return t
}

// Scalar returns a rank-0 tensor holding v.
func Scalar(v float64) *Tensor { return &Tensor{Shape: []int{}, Data: []float64{v}} }

// Size is the number of elements.
func (t *Tensor) Size() int { return len(t.Data) }

// Rank is the number of axes.
func (t *Tensor) Rank() int { return len(t.Shape) }

// Item returns the only element of a one-element tensor; it panics otherwise.
func (t *Tensor) Item() float64 {
	if len(t.Data) != 1 {
		panic(fmt.Sprintf("autodiff: Item of a tensor of shape %v", t.Shape))
	}
	return t.Data[0]
}

// Clone returns a deep copy.
func (t *Tensor) Clone() *Tensor {
	return &Tensor{Shape: append([]int(nil), t.Shape...), Data: append([]float64(nil), t.Data...)}
}

// At returns the element at the given indices (one per axis).
func (t *Tensor) At(idx ...int) float64 { return t.Data[t.offset(idx)] }

// Set sets the element at the given indices (one per axis).
func (t *Tensor) Set(v float64, idx ...int) { t.Data[t.offset(idx)] = v }

func (t *Tensor) offset(idx []int) int {
	if len(idx) != len(t.Shape) {
		panic(fmt.Sprintf("autodiff: %d indices for shape %v", len(idx), t.Shape))
	}
	off := 0
	for i, k := range idx {
		if k < 0 || k >= t.Shape[i] {
			panic(fmt.Sprintf("autodiff: index %v out of range for shape %v", idx, t.Shape))
		}
		off = off*t.Shape[i] + k
	}
	return off
}

// AllFinite reports whether no element is NaN or ±Inf.
func (t *Tensor) AllFinite() bool {
	for _, v := range t.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// String formats small tensors fully and large ones by shape.
func (t *Tensor) String() string {
	if len(t.Data) > 64 {
		return fmt.Sprintf("Tensor%v", t.Shape)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Tensor%v%v", t.Shape, t.Data)
	return b.String()
}

func size(shape []int) int {
	n := 1
	for _, s := range shape {
		if s < 0 {
			panic(fmt.Sprintf("autodiff: negative dimension in shape %v", shape))
		}
		n *= s
	}
	return n
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// broadcastShape returns the numpy-style broadcast of two shapes, or panics.
func broadcastShape(a, b []int) []int {
	n := max(len(a), len(b))
	out := make([]int, n)
	for i := 0; i < n; i++ {
		da, db := 1, 1
		if j := len(a) - n + i; j >= 0 {
			da = a[j]
		}
		if j := len(b) - n + i; j >= 0 {
			db = b[j]
		}
		switch {
		case da == db, db == 1:
			out[i] = da
		case da == 1:
			out[i] = db
		default:
			panic(fmt.Sprintf("autodiff: shapes %v and %v do not broadcast", a, b))
		}
	}
	return out
}

// stridesFor returns, for a tensor of shape s broadcast to shape out, the element
// stride of each axis of out (0 on broadcast axes).
func stridesFor(s, out []int) []int {
	st := make([]int, len(out))
	acc := 1
	for i := len(out) - 1; i >= 0; i-- {
		j := len(s) - len(out) + i
		if j >= 0 && s[j] != 1 {
			st[i] = acc
		}
		if j >= 0 {
			acc *= s[j]
		}
	}
	return st
}
