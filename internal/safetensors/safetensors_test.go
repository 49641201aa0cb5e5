package safetensors

import (
	"bytes"
	"math"
	"testing"
)

func TestRoundTripBitExact(t *testing.T) {
	in := File{
		Tensors: []Tensor{
			{Name: "layer.0.weight", Shape: []int{2, 3}, Data: []float64{1, -2, math.Pi, math.Inf(1), -0.0, 1e-300}},
			{Name: "scalar", Shape: []int{}, Data: []float64{42}},
			{Name: "empty", Shape: []int{0, 4}, Data: []float64{}},
		},
		Metadata: map[string]string{"format": "sciadapt", "config": `{"rank":4}`},
	}
	var buf bytes.Buffer
	if err := Write(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, err := Read(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Tensors) != len(in.Tensors) || out.Metadata["config"] != `{"rank":4}` {
		t.Fatalf("round trip lost content: %+v", out)
	}
	for i, want := range in.Tensors {
		got := out.Tensors[i]
		if got.Name != want.Name || len(got.Data) != len(want.Data) {
			t.Fatalf("tensor %d: got %q (%d values), want %q", i, got.Name, len(got.Data), want.Name)
		}
		for k := range want.Data {
			if math.Float64bits(got.Data[k]) != math.Float64bits(want.Data[k]) {
				t.Fatalf("%s[%d]: %v != %v", want.Name, k, got.Data[k], want.Data[k])
			}
		}
	}
}

func TestReadRejectsDamage(t *testing.T) {
	var buf bytes.Buffer
	Write(&buf, File{Tensors: []Tensor{{Name: "w", Shape: []int{4}, Data: []float64{1, 2, 3, 4}}}})
	good := buf.Bytes()
	cases := map[string][]byte{
		"empty":         {},
		"half":          good[:len(good)/2],
		"one byte less": good[:len(good)-1],
		"huge header":   append([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}, good[8:]...),
		"not json":      append(append([]byte{}, good[:8]...), bytes.Repeat([]byte{'x'}, len(good)-8)...),
	}
	for name, b := range cases {
		if _, err := Read(b); err == nil {
			t.Errorf("%s: expected an error", name)
		}
	}
}

func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	Write(&buf, File{Tensors: []Tensor{{Name: "w", Shape: []int{2, 2}, Data: []float64{1, 2, 3, 4}}}, Metadata: map[string]string{"a": "b"}})
	f.Add(buf.Bytes())
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		Read(b) // must not panic
	})
}

// TestFloat32Tensors checks F32 storage: values come back rounded to float32 (exact
// for values that are float32 already), the data take 4 bytes per value, and F64
// tensors beside them are unaffected.
func TestFloat32Tensors(t *testing.T) {
	vals := []float64{1, -0.1, math.Pi, 1e-30, float64(float32(0.3)), 7e38}
	in := File{Tensors: []Tensor{
		{Name: "a", Shape: []int{6}, Data: vals, Float32: true},
		{Name: "b", Shape: []int{2}, Data: []float64{math.Pi, -0.1}},
	}}
	var buf bytes.Buffer
	if err := Write(&buf, in); err != nil {
		t.Fatal(err)
	}
	var f64 bytes.Buffer
	in.Tensors[0].Float32 = false
	Write(&f64, in)
	if d := f64.Len() - buf.Len(); d < 4*len(vals) || d > 4*len(vals)+8 {
		t.Errorf("F32 file is %d bytes smaller than F64, want about %d", d, 4*len(vals))
	}
	out, err := Read(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range vals {
		want := float64(float32(v))
		if got := out.Tensors[0].Data[k]; got != want {
			t.Errorf("a[%d] = %v, want float32(%v) = %v", k, got, v, want)
		}
	}
	if !math.IsInf(out.Tensors[0].Data[5], 1) {
		t.Errorf("7e38 stored as F32 reads %v, want +Inf", out.Tensors[0].Data[5])
	}
	if out.Tensors[1].Data[0] != math.Pi || out.Tensors[1].Data[1] != -0.1 {
		t.Errorf("F64 tensor changed: %v", out.Tensors[1].Data)
	}
}
