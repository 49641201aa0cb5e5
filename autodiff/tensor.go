package autodiff

import (
	"fmt"
	"math"
	"strings"
)

// Tensor is a dense, row-major array of float64 or float32 numbers of any rank. A
// rank-0 tensor (empty Shape) holds one number. A float64 tensor keeps its elements
// in Data (Data32 is nil); a float32 tensor in Data32 (Data is nil). Either has
// exactly Size(Shape) elements.
//
// Tensors are values that ops never modify: every op allocates its result. Code that
// owns a tensor (an optimiser updating a parameter) may change its data in place.
type Tensor struct {
	Shape  []int
	Data   []float64
	Data32 []float32
}

// DType is the precision of a tensor's elements.
type DType uint8

// The precisions. Float64 is the zero value: a Tensor literal with Data is float64.
const (
	Float64 DType = iota
	Float32
)

// String returns "float64" or "float32".
func (d DType) String() string {
	if d == Float32 {
		return "float32"
	}
	return "float64"
}

// DType returns the precision of t.
func (t *Tensor) DType() DType {
	if t.Data32 != nil {
		return Float32
	}
	return Float64
}

// New32 returns a float32 tensor of the given shape holding data (not copied).
// It panics if len(data) does not match the shape.
func New32(data []float32, shape ...int) *Tensor {
	if n := size(shape); n != len(data) {
		panic(fmt.Sprintf("autodiff: %d values for shape %v (needs %d)", len(data), shape, n))
	}
	if data == nil {
		data = []float32{}
	}
	return &Tensor{Shape: append([]int(nil), shape...), Data32: data}
}

// Zeros32 returns a float32 tensor of zeros.
func Zeros32(shape ...int) *Tensor {
	return &Tensor{Shape: append([]int(nil), shape...), Data32: make([]float32, size(shape))}
}

// ZerosOf returns a tensor of zeros of the given precision.
func ZerosOf(dt DType, shape ...int) *Tensor {
	if dt == Float32 {
		return Zeros32(shape...)
	}
	return Zeros(shape...)
}

// Convert returns t in the given precision: t itself if it has it, else a copy with
// every element rounded to nearest (to float32) or widened exactly (to float64).
func (t *Tensor) Convert(dt DType) *Tensor {
	if t.DType() == dt {
		return t
	}
	r := ZerosOf(dt, t.Shape...)
	if dt == Float32 {
		convert(r.Data32, t.Data)
	} else {
		convert(r.Data, t.Data32)
	}
	return r
}

func convert[D, S float](dst []D, src []S) {
	src = src[:len(dst)]
	for i, v := range src {
		dst[i] = D(v)
	}
}

// float is the element type of tensors.
type float interface{ ~float32 | ~float64 }

// Float64s returns the elements of t as float64: Data itself for a float64 tensor
// (not a copy), a widened copy for a float32 one.
func (t *Tensor) Float64s() []float64 {
	if t.Data32 == nil {
		return t.Data
	}
	return t.Convert(Float64).Data
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

// newTensor returns a tensor of the given precision and shape (copied) from arena a,
// or from the heap when a is nil; its elements are zero if zero is set, else
// unspecified.
func newTensor(a *Arena, dt DType, zero bool, shape []int) *Tensor {
	if a == nil {
		return ZerosOf(dt, shape...)
	}
	t := &Tensor{Shape: append([]int(nil), shape...)}
	if dt == Float32 {
		t.Data32 = a.get32(size(shape), zero)
	} else {
		t.Data = a.get64(size(shape), zero)
	}
	return t
}

// data returns the elements of t as []T, which must be t's element type.
func data[T float](t *Tensor) []T {
	var z T
	if _, ok := any(z).(float32); ok {
		return any(t.Data32).([]T)
	}
	return any(t.Data).([]T)
}

// Full returns a tensor filled with v.
func Full(v float64, shape ...int) *Tensor {
	t := Zeros(shape...)
	for i := range t.Data {
		t.Data[i] = v
	}
	return t
}

// FullOf returns a tensor of the given precision filled with v (rounded to float32
// for Float32).
func FullOf(dt DType, v float64, shape ...int) *Tensor {
	if dt == Float64 {
		return Full(v, shape...)
	}
	t := Zeros32(shape...)
	for i := range t.Data32 {
		t.Data32[i] = float32(v)
	}
	return t
}

// Scalar returns a rank-0 tensor holding v.
func Scalar(v float64) *Tensor { return &Tensor{Shape: []int{}, Data: []float64{v}} }

// Size is the number of elements.
func (t *Tensor) Size() int {
	if t.Data32 != nil {
		return len(t.Data32)
	}
	return len(t.Data)
}

// Rank is the number of axes.
func (t *Tensor) Rank() int { return len(t.Shape) }

// Item returns the only element of a one-element tensor; it panics otherwise.
func (t *Tensor) Item() float64 {
	if t.Size() != 1 {
		panic(fmt.Sprintf("autodiff: Item of a tensor of shape %v", t.Shape))
	}
	if t.Data32 != nil {
		return float64(t.Data32[0])
	}
	return t.Data[0]
}

// Clone returns a deep copy.
func (t *Tensor) Clone() *Tensor {
	c := &Tensor{Shape: append([]int(nil), t.Shape...)}
	if t.Data32 != nil {
		c.Data32 = append([]float32{}, t.Data32...)
	} else {
		c.Data = append([]float64(nil), t.Data...)
	}
	return c
}

// At returns the element at the given indices (one per axis).
func (t *Tensor) At(idx ...int) float64 {
	if t.Data32 != nil {
		return float64(t.Data32[t.offset(idx)])
	}
	return t.Data[t.offset(idx)]
}

// Set sets the element at the given indices (one per axis), rounded to float32 in a
// float32 tensor.
func (t *Tensor) Set(v float64, idx ...int) {
	if t.Data32 != nil {
		t.Data32[t.offset(idx)] = float32(v)
		return
	}
	t.Data[t.offset(idx)] = v
}

// setFlat sets the element at flat (row-major) index i.
func (t *Tensor) setFlat(i int, v float64) {
	if t.Data32 != nil {
		t.Data32[i] = float32(v)
	} else {
		t.Data[i] = v
	}
}

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
	for _, v := range t.Data32 {
		if w := float64(v); math.IsNaN(w) || math.IsInf(w, 0) {
			return false
		}
	}
	return true
}

// String formats small tensors fully and large ones by shape.
func (t *Tensor) String() string {
	if t.Size() > 64 {
		return fmt.Sprintf("Tensor%v", t.Shape)
	}
	var b strings.Builder
	if t.Data32 != nil {
		fmt.Fprintf(&b, "Tensor%v%v", t.Shape, t.Data32)
	} else {
		fmt.Fprintf(&b, "Tensor%v%v", t.Shape, t.Data)
	}
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
