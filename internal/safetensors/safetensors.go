// Package safetensors reads and writes the safetensors container used by the PEFT
// ecosystem: an 8-byte little-endian header length n, n bytes of JSON mapping each
// tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (plus an optional
// "__metadata__" object of strings), then the raw little-endian tensor bytes.
//
// sciadapt stores float64 tensors ("F64"), or float32 ("F32") for a tensor marked
// Float32; reading accepts both, returns the values as float64 (exactly) and marks
// F32 tensors Float32. Tensors are written in the order given, and read back in file
// order.
package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
)

// Tensor is one named array: row-major float64 values and their shape.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float64
	// Float32 stores the values as F32, each rounded to the nearest float32; a
	// value beyond float32's range becomes ±Inf. Read returns them as float64 and
	// sets Float32 for tensors stored as F32.
	Float32 bool
}

// File is the content of a safetensors file.
type File struct {
	Tensors  []Tensor          // in file (data offset) order
	Metadata map[string]string // the "__metadata__" entries
}

// maxHeader bounds the JSON header, so a corrupt length cannot ask for gigabytes.
const maxHeader = 100 << 20

type entry struct {
	DType   string   `json:"dtype"`
	Shape   []int    `json:"shape"`
	Offsets [2]int64 `json:"data_offsets"`
}

// Write writes f in safetensors format with F64 tensors (F32 where Float32 is set).
func Write(w io.Writer, f File) error {
	header := bytes.Buffer{}
	header.WriteByte('{')
	first := true
	if len(f.Metadata) > 0 {
		m, err := json.Marshal(f.Metadata)
		if err != nil {
			return err
		}
		header.WriteString(`"__metadata__":`)
		header.Write(m)
		first = false
	}
	var off int64
	seen := map[string]bool{}
	for _, t := range f.Tensors {
		if seen[t.Name] {
			return fmt.Errorf("safetensors: duplicate tensor name %q", t.Name)
		}
		seen[t.Name] = true
		if n := prod(t.Shape); n != len(t.Data) {
			return fmt.Errorf("safetensors: tensor %q has %d values for shape %v", t.Name, len(t.Data), t.Shape)
		}
		if !first {
			header.WriteByte(',')
		}
		first = false
		name, _ := json.Marshal(t.Name)
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		dtype, width := "F64", int64(8)
		if t.Float32 {
			dtype, width = "F32", 4
		}
		e, _ := json.Marshal(entry{DType: dtype, Shape: shape, Offsets: [2]int64{off, off + width*int64(len(t.Data))}})
		header.Write(name)
		header.WriteByte(':')
		header.Write(e)
		off += width * int64(len(t.Data))
	}
	header.WriteByte('}')
	for header.Len()%8 != 0 { // pad so the data is 8-byte aligned, as the format allows
		header.WriteByte(' ')
	}
	if err := binary.Write(w, binary.LittleEndian, uint64(header.Len())); err != nil {
		return err
	}
	if _, err := w.Write(header.Bytes()); err != nil {
		return err
	}
	buf := make([]byte, 0, 1<<16)
	for _, t := range f.Tensors {
		for _, v := range t.Data {
			if t.Float32 {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(float32(v)))
			} else {
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
			}
			if len(buf) >= cap(buf)-8 {
				if _, err := w.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
	}
	_, err := w.Write(buf)
	return err
}

// Read parses a safetensors file held in b. Errors describe what is wrong with the
// bytes; callers add the file name.
func Read(b []byte) (File, error) {
	if len(b) < 8 {
		return File{}, errors.New("too short to be a safetensors file (truncated?)")
	}
	n := binary.LittleEndian.Uint64(b[:8])
	if n > maxHeader || n > uint64(len(b)-8) {
		return File{}, fmt.Errorf("header length %d does not fit in a file of %d bytes (truncated or not a safetensors file)", n, len(b))
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b[8:8+n], &raw); err != nil {
		return File{}, fmt.Errorf("header is not valid JSON: %v", err)
	}
	data := b[8+n:]
	f := File{Metadata: map[string]string{}}
	for name, msg := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &f.Metadata); err != nil {
				return File{}, fmt.Errorf("__metadata__ is not a map of strings: %v", err)
			}
			continue
		}
		var e entry
		if err := json.Unmarshal(msg, &e); err != nil {
			return File{}, fmt.Errorf("tensor %q: bad header entry: %v", name, err)
		}
		width := map[string]int64{"F64": 8, "F32": 4}[e.DType]
		if width == 0 {
			return File{}, fmt.Errorf("tensor %q: dtype %q is not supported (F64, F32)", name, e.DType)
		}
		count := int64(1)
		for _, s := range e.Shape {
			if s < 0 || (s > 0 && count > int64(len(data))/int64(s)) {
				return File{}, fmt.Errorf("tensor %q: shape %v does not fit in %d data bytes", name, e.Shape, len(data))
			}
			count *= int64(s)
		}
		b0, b1 := e.Offsets[0], e.Offsets[1]
		if b0 < 0 || b1 < b0 || b1 > int64(len(data)) || b1-b0 != count*width {
			return File{}, fmt.Errorf("tensor %q: data offsets [%d,%d] do not match shape %v or the %d data bytes (truncated?)", name, b0, b1, e.Shape, len(data))
		}
		t := Tensor{Name: name, Shape: e.Shape, Data: make([]float64, count), Float32: width == 4}
		seg := data[b0:b1]
		for i := range t.Data {
			if width == 8 {
				t.Data[i] = math.Float64frombits(binary.LittleEndian.Uint64(seg[8*i:]))
			} else {
				t.Data[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(seg[4*i:])))
			}
		}
		f.Tensors = append(f.Tensors, t)
	}
	offsets := map[string]int64{}
	for name, msg := range raw {
		var e entry
		if name != "__metadata__" && json.Unmarshal(msg, &e) == nil {
			offsets[name] = e.Offsets[0]
		}
	}
	sort.SliceStable(f.Tensors, func(i, j int) bool {
		a, b := f.Tensors[i], f.Tensors[j]
		if offsets[a.Name] != offsets[b.Name] {
			return offsets[a.Name] < offsets[b.Name]
		}
		return a.Name < b.Name
	})
	return f, nil
}

func prod(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}
