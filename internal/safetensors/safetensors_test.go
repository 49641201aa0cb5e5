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
