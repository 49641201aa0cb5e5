package datasets

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// npyHeader is the parsed header of a NumPy .npy file (format versions 1–3, see
// numpy.lib.format): the element type, the memory order and the shape.
type npyHeader struct {
	descr   string // e.g. "<f8"
	fortran bool
	shape   []int
	offset  int // byte offset of the data
}

// npyMagic starts every .npy file.
const npyMagic = "\x93NUMPY"

// elements returns the number of elements of the array (1 for shape ()).
func (h *npyHeader) elements() int {
	n := 1
	for _, d := range h.shape {
		n *= d
	}
	return n
}

// parseNPYHeader parses the header at the start of b. It accepts versions 1.0, 2.0
// and 3.0: magic, two version bytes, the header length (2 bytes little-endian in
// version 1, 4 bytes after), then a Python dict literal with the keys 'descr',
// 'fortran_order' and 'shape'.
func parseNPYHeader(b []byte) (npyHeader, error) {
	var h npyHeader
	if len(b) < 10 || string(b[:6]) != npyMagic {
		return h, fmt.Errorf("not a .npy file (no \\x93NUMPY magic)")
	}
	major := b[6]
	var hlen, start int
	switch major {
	case 1:
		hlen, start = int(binary.LittleEndian.Uint16(b[8:10])), 10
	case 2, 3:
		if len(b) < 12 {
			return h, fmt.Errorf("truncated .npy header")
		}
		v := binary.LittleEndian.Uint32(b[8:12])
		if v > 1<<20 {
			return h, fmt.Errorf(".npy header claims %d bytes, too long", v)
		}
		hlen, start = int(v), 12
	default:
		return h, fmt.Errorf(".npy format version %d.%d is not supported (1.0, 2.0 and 3.0 are)", major, b[7])
	}
	if len(b) < start+hlen {
		return h, fmt.Errorf("truncated .npy header: it claims %d bytes, the file has %d after the preamble", hlen, len(b)-start)
	}
	p := &pyParser{s: string(b[start : start+hlen])}
	dict, err := p.dict()
	if err != nil {
		return h, fmt.Errorf(".npy header %q: %v", clip(strings.TrimSpace(p.s)), err)
	}
	descr, ok := dict["descr"].(string)
	if !ok {
		return h, fmt.Errorf(".npy header has no 'descr' string")
	}
	fortran, ok := dict["fortran_order"].(bool)
	if !ok {
		return h, fmt.Errorf(".npy header has no 'fortran_order' True/False")
	}
	shape, ok := dict["shape"].([]int)
	if !ok {
		return h, fmt.Errorf(".npy header has no 'shape' tuple")
	}
	total := 1
	for _, d := range shape {
		if d < 0 || (d > 0 && total > math.MaxInt32/d) {
			return h, fmt.Errorf(".npy shape %v is too large", shape)
		}
		total *= d
	}
	h.descr, h.fortran, h.shape, h.offset = descr, fortran, shape, start+hlen
	return h, nil
}

// pyParser reads the small subset of Python literals that .npy headers use:
// a dict of quoted-string keys to strings, True/False and tuples of integers.
type pyParser struct {
	s string
	i int
}

func (p *pyParser) skip() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *pyParser) expect(c byte) error {
	p.skip()
	if p.i >= len(p.s) || p.s[p.i] != c {
		return fmt.Errorf("want %q at offset %d", c, p.i)
	}
	p.i++
	return nil
}

func (p *pyParser) dict() (map[string]any, error) {
	if err := p.expect('{'); err != nil {
		return nil, err
	}
	d := map[string]any{}
	for {
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return d, nil
		}
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		if err := p.expect(':'); err != nil {
			return nil, err
		}
		val, err := p.value()
		if err != nil {
			return nil, fmt.Errorf("key %q: %v", key, err)
		}
		if _, dup := d[key]; dup {
			return nil, fmt.Errorf("key %q given twice", key)
		}
		d[key] = val
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if err := p.expect('}'); err != nil {
			return nil, err
		}
		return d, nil
	}
}

func (p *pyParser) str() (string, error) {
	p.skip()
	if p.i >= len(p.s) || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
		return "", fmt.Errorf("want a quoted string at offset %d", p.i)
	}
	q := p.s[p.i]
	end := strings.IndexByte(p.s[p.i+1:], q)
	if end < 0 {
		return "", fmt.Errorf("string at offset %d is never closed", p.i)
	}
	v := p.s[p.i+1 : p.i+1+end]
	p.i += end + 2
	return v, nil
}

func (p *pyParser) value() (any, error) {
	p.skip()
	if p.i >= len(p.s) {
		return nil, fmt.Errorf("header ends where a value should be")
	}
	switch c := p.s[p.i]; {
	case c == '\'' || c == '"':
		return p.str()
	case strings.HasPrefix(p.s[p.i:], "True"):
		p.i += 4
		return true, nil
	case strings.HasPrefix(p.s[p.i:], "False"):
		p.i += 5
		return false, nil
	case c == '(':
		p.i++
		var dims []int
		for {
			p.skip()
			if p.i < len(p.s) && p.s[p.i] == ')' {
				p.i++
				return append([]int{}, dims...), nil
			}
			start := p.i
			for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
				p.i++
			}
			if start == p.i {
				return nil, fmt.Errorf("want an integer in the shape at offset %d", p.i)
			}
			v, err := strconv.Atoi(p.s[start:p.i])
			if err != nil {
				return nil, fmt.Errorf("shape entry %q: %v", p.s[start:p.i], err)
			}
			if p.i < len(p.s) && p.s[p.i] == 'L' { // Python 2 long
				p.i++
			}
			dims = append(dims, v)
			p.skip()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
			}
		}
	}
	return nil, fmt.Errorf("unsupported value at offset %d", p.i)
}

// decodeNPY returns the array in b (a whole .npy file) as float64 with its shape.
// Element types <f8, <f4, <i8, <i4 (and their big-endian > forms; = and | are read
// as little-endian) are accepted; Fortran-ordered arrays are not.
func decodeNPY(b []byte) ([]float64, []int, error) {
	h, err := parseNPYHeader(b)
	if err != nil {
		return nil, nil, err
	}
	if h.fortran {
		return nil, nil, fmt.Errorf("Fortran-ordered arrays are not supported (save with numpy.ascontiguousarray)")
	}
	if len(h.descr) != 3 {
		return nil, nil, fmt.Errorf("element type %q is not supported (want <f8, <f4, <i8 or <i4)", h.descr)
	}
	var order binary.ByteOrder = binary.LittleEndian
	switch h.descr[0] {
	case '<', '=', '|':
	case '>':
		order = binary.BigEndian
	default:
		return nil, nil, fmt.Errorf("element type %q is not supported", h.descr)
	}
	kind, size := h.descr[1], int(h.descr[2]-'0')
	if !((kind == 'f' || kind == 'i') && (size == 4 || size == 8)) {
		return nil, nil, fmt.Errorf("element type %q is not supported (want <f8, <f4, <i8 or <i4)", h.descr)
	}
	n := h.elements()
	data := b[h.offset:]
	if len(data) < n*size {
		return nil, nil, fmt.Errorf("truncated: shape %v needs %d bytes of data, the file has %d", h.shape, n*size, len(data))
	}
	out := make([]float64, n)
	for i := range out {
		p := data[i*size : (i+1)*size]
		switch {
		case kind == 'f' && size == 8:
			out[i] = math.Float64frombits(order.Uint64(p))
		case kind == 'f':
			out[i] = float64(math.Float32frombits(order.Uint32(p)))
		case size == 8:
			out[i] = float64(int64(order.Uint64(p)))
		default:
			out[i] = float64(int32(order.Uint32(p)))
		}
	}
	return out, h.shape, nil
}

// readNPY reads the .npy file at path (see decodeNPY); errors name the file.
func readNPY(path string) ([]float64, []int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	v, shape, err := decodeNPY(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	return v, shape, nil
}
