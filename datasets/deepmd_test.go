package datasets

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// encodeNPY returns a version-1 .npy file holding v with the given shape, as
// numpy.save writes it: descr "<f8" or "<f4", header padded to a multiple of 64.
func encodeNPY(v []float64, shape []int, f4 bool) []byte {
	descr := "<f8"
	if f4 {
		descr = "<f4"
	}
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = fmt.Sprint(d)
	}
	tuple := "(" + strings.Join(dims, ", ")
	if len(shape) == 1 {
		tuple += ","
	}
	tuple += ")"
	h := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, tuple)
	for (10+len(h)+1)%64 != 0 {
		h += " "
	}
	h += "\n"
	b := []byte(npyMagic + "\x01\x00")
	b = binary.LittleEndian.AppendUint16(b, uint16(len(h)))
	b = append(b, h...)
	for _, x := range v {
		if f4 {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(x)))
		} else {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
		}
	}
	return b
}

func TestParseNPYHeader(t *testing.T) {
	v1 := encodeNPY([]float64{1, 2, 3, 4, 5, 6}, []int{2, 3}, false)
	h, err := parseNPYHeader(v1)
	if err != nil || h.descr != "<f8" || h.fortran || !reflect.DeepEqual(h.shape, []int{2, 3}) || h.offset%64 != 0 {
		t.Errorf("v1: %+v, %v", h, err)
	}
	// Version 2 with a 4-byte length, Python-2 longs, double quotes, scalar shape.
	hdr := `{"descr": "<f4", "fortran_order": True, "shape": (80L, 9L)}` + "\n"
	v2 := append([]byte(npyMagic+"\x02\x00"), binary.LittleEndian.AppendUint32(nil, uint32(len(hdr)))...)
	v2 = append(v2, hdr...)
	h, err = parseNPYHeader(v2)
	if err != nil || h.descr != "<f4" || !h.fortran || !reflect.DeepEqual(h.shape, []int{80, 9}) || h.offset != 12+len(hdr) {
		t.Errorf("v2: %+v, %v", h, err)
	}
	h, err = parseNPYHeader(rawNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (), }\n"))
	if err != nil || len(h.shape) != 0 || h.elements() != 1 {
		t.Errorf("scalar: %+v, %v", h, err)
	}
	bad := map[string]string{
		"PK\x03\x04 zip":                                                            `not a .npy file (no \x93NUMPY magic)`,
		npyMagic + "\x04\x00\x10\x00{}":                                             `.npy format version 4.0 is not supported (1.0, 2.0 and 3.0 are)`,
		npyMagic + "\x01\x00\xff\x00{'de":                                           `truncated .npy header: it claims 255 bytes, the file has 4 after the preamble`,
		string(rawNPY("{'descr': ")):                                                `.npy header "{'descr':": key "descr": header ends where a value should be`,
		string(rawNPY("{'descr': '<f8', 'fortran_order': False}")):                  `.npy header has no 'shape' tuple`,
		string(rawNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (2, x)}")): `.npy header "{'descr': '<f8', 'fortran_order': False, 'shape': (2, x)}": key "shape": want an integer in the shape at offset 54`,
		string(rawNPY("{'descr': '<f8', 'descr': '<f4'}")):                          `.npy header "{'descr': '<f8', 'descr': '<f4'}": key "descr" given twice`,
	}
	for in, want := range bad {
		if _, err := parseNPYHeader([]byte(in)); errString(err) != want {
			t.Errorf("parseNPYHeader(%q):\n got %v\nwant %s", in, err, want)
		}
	}
}

// rawNPY returns a version-1 .npy preamble with the given header text.
func rawNPY(header string) []byte {
	b := []byte(npyMagic + "\x01\x00")
	b = binary.LittleEndian.AppendUint16(b, uint16(len(header)))
	return append(b, header...)
}

func TestDecodeNPY(t *testing.T) {
	v := []float64{1.5, -2, 3.25e6, 0} // exact in float32 too
	for _, f4 := range []bool{false, true} {
		got, shape, err := decodeNPY(encodeNPY(v, []int{2, 2}, f4))
		if err != nil || !reflect.DeepEqual(got, v) || !reflect.DeepEqual(shape, []int{2, 2}) {
			t.Errorf("f4=%v: %v %v %v", f4, got, shape, err)
		}
	}
	// Big-endian int32 and a truncated payload.
	b := encodeNPY(nil, []int{2}, false)
	b = []byte(strings.Replace(string(b), "<f8", ">i4", 1))
	b = append(b, 0, 0, 0, 7, 0xff, 0xff, 0xff, 0xfe)
	if got, _, err := decodeNPY(b); err != nil || !reflect.DeepEqual(got, []float64{7, -2}) {
		t.Errorf(">i4: %v %v", got, err)
	}
	trunc := encodeNPY(v, []int{2, 2}, false)
	if _, _, err := decodeNPY(trunc[:len(trunc)-3]); errString(err) != "truncated: shape [2 2] needs 32 bytes of data, the file has 29" {
		t.Errorf("truncated: %v", err)
	}
	c16 := []byte(strings.Replace(string(encodeNPY(v, []int{2, 2}, false)), "<f8", "<c8", 1))
	if _, _, err := decodeNPY(c16); errString(err) != `element type "<c8" is not supported (want <f8, <f4, <i8 or <i4)` {
		t.Errorf("complex: %v", err)
	}
}

func TestImportDeePMDWater(t *testing.T) {
	frames, err := ImportDeePMD(fixDeePMD, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 3 {
		t.Fatalf("%d frames, want 3", len(frames))
	}
	fr := frames[1]
	if fr.Len() != 192 || Formula(fr.Numbers) != "H128O64" || fr.Numbers[0] != 8 || fr.Numbers[191] != 1 || fr.Index != 1 {
		t.Errorf("atoms: %d, %s", fr.Len(), Formula(fr.Numbers))
	}
	// Values from numpy (float32 in the file): energy[1] = -29943.787 eV,
	// coord[1,:3] = (9.906569, 0.7232001, 3.3386745) Å, box[2] = 12.444661·I Å,
	// force[0,:3] = (0.6219969, 0.1840098, -0.042905767) eV/Å.
	f32 := func(x float32) float64 { return float64(x) }
	if fr.Energy != f32(-29943.787) || fr.Positions[0] != f32(9.906569) || fr.Positions[2] != f32(3.3386745) {
		t.Errorf("frame 1: E %v, pos %v", fr.Energy, fr.Positions[:3])
	}
	if frames[0].Forces[2] != f32(-0.042905767) {
		t.Errorf("frame 0 force %v", frames[0].Forces[:3])
	}
	c := frames[2].Cell
	if c == nil || c[0] != f32(12.444661) || c[4] != c[0] || c[8] != c[0] || c[1] != 0 || frames[2].PBC != [3]bool{true, true, true} {
		t.Errorf("cell %v pbc %v", c, frames[2].PBC)
	}
	// 64 water molecules in 12.44 Å: density 64·18.015 u / 1927 Å³ ≈ 0.99 g/cm³.
	rho := 64 * 18.015 / (volume(c) * 0.6022140857)
	if rho < 0.95 || rho > 1.05 {
		t.Errorf("water density %.3f g/cm³", rho)
	}
}

// writeDeePMD writes a DeePMD-kit system folder with one set.
func writeDeePMD(t *testing.T, typ, typeMap string, files map[string][]byte, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "type.raw"), []byte(typ), 0o644)
	if typeMap != "" {
		os.WriteFile(filepath.Join(dir, "type_map.raw"), []byte(typeMap), 0o644)
	}
	os.Mkdir(filepath.Join(dir, "set.000"), 0o755)
	for name, b := range files {
		os.WriteFile(filepath.Join(dir, "set.000", name), b, 0o644)
	}
	for _, e := range extra {
		os.WriteFile(filepath.Join(dir, e), nil, 0o644)
	}
	return dir
}

func TestImportDeePMDVirial(t *testing.T) {
	files := map[string][]byte{
		"coord.npy":  encodeNPY([]float64{0, 0, 0, 1, 1, 1}, []int{1, 6}, false),
		"energy.npy": encodeNPY([]float64{-3}, []int{1}, false),
		"box.npy":    encodeNPY([]float64{2, 0, 0, 0, 2, 0, 0, 0, 2}, []int{1, 9}, false),
		"virial.npy": encodeNPY([]float64{8, 0, 0, 0, 16, 0, 0, 0, -8}, []int{1, 9}, false),
	}
	dir := writeDeePMD(t, "0 1\n", "Cu\nAu\n", files)
	frames, err := ImportDeePMD(dir, &DeePMDOptions{System: "CuAu"})
	if err != nil {
		t.Fatal(err)
	}
	fr := frames[0]
	// σ = −W/V with V = 8 Å³.
	if *fr.Stress != [9]float64{-1, 0, 0, 0, -2, 0, 0, 0, 1} || fr.Forces != nil || fr.System != "CuAu" || !reflect.DeepEqual(fr.Numbers, []int{29, 79}) {
		t.Errorf("frame %+v", fr)
	}
	// Two sets are read in name order and their frames numbered on.
	dir2 := writeDeePMD(t, "0 1\n", "Cu\nAu\n", files)
	os.Mkdir(filepath.Join(dir2, "set.001"), 0o755)
	os.WriteFile(filepath.Join(dir2, "set.001", "coord.npy"), encodeNPY([]float64{0, 0, 0, 2, 2, 2, 0, 0, 0, 3, 3, 3}, []int{2, 2, 3}, true), 0o644)
	os.WriteFile(filepath.Join(dir2, "set.001", "energy.npy"), encodeNPY([]float64{-4, -5}, []int{2, 1}, true), 0o644)
	frames, err = ImportDeePMD(dir2, nil)
	if err != nil || len(frames) != 3 || frames[2].Index != 2 || frames[2].Energy != -5 || frames[2].Positions[3] != 3 || frames[0].Cell == nil || frames[1].Cell != nil {
		t.Errorf("two sets: %d frames, %v", len(frames), err)
	}
	// With a nopbc marker the box and virial are ignored.
	dir = writeDeePMD(t, "0 1\n", "Cu\nAu\n", files, "nopbc")
	frames, err = ImportDeePMD(dir, &DeePMDOptions{Units: Units{Energy: Hartree}})
	if err != nil || frames[0].Cell != nil || frames[0].Stress != nil || frames[0].PBC != [3]bool{} || frames[0].Energy != -3*Hartree.EV {
		t.Errorf("nopbc: %+v, %v", frames[0], err)
	}
}

func TestImportDeePMDErrors(t *testing.T) {
	ok := map[string][]byte{
		"coord.npy":  encodeNPY([]float64{0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1}, []int{2, 6}, true),
		"energy.npy": encodeNPY([]float64{1, 2}, []int{2}, true),
	}
	with := func(name string, b []byte) map[string][]byte {
		m := map[string][]byte{}
		for k, v := range ok {
			m[k] = v
		}
		if b == nil {
			delete(m, name)
		} else {
			m[name] = b
		}
		return m
	}
	tests := []struct {
		name, typ, typeMap string
		files              map[string][]byte
		want               string // after the folder name
	}{
		{"no type map", "0 0", "", ok, "/type_map.raw: no such file or directory"},
		{"type index", "0 2", "O H", ok, "/type.raw: atom 1 has type 2, but type_map.raw names 2 types"},
		{"bad symbol", "0 1", "O Hx", ok, `/type_map.raw: type 1 is "Hx", not an element symbol`},
		{"bad type", "0 x", "O H", ok, `/type.raw: value 2 is "x", not an integer`},
		{"no energy", "0 1", "O H", with("energy.npy", nil), "/set.000: energy.npy is missing"},
		{"coord shape", "0 1 1", "O H", ok, "/set.000/coord.npy: shape (2,6), want 2 frames of 9 values (coord.npy has 2 frames of 3 atoms)"},
		{"energy shape", "0 1", "O H", with("energy.npy", encodeNPY([]float64{1, 2, 3}, []int{3}, false)),
			"/set.000/energy.npy: shape (3,), want 2 frames of 1 values (coord.npy has 2 frames of 2 atoms)"},
		{"nan", "0 1", "O H", with("energy.npy", encodeNPY([]float64{1, math.NaN()}, []int{2}, false)), "/set.000: frame 1: energies value is NaN"},
		{"not npy", "0 1", "O H", with("coord.npy", []byte("0 0 0\n")), `/set.000/coord.npy: not a .npy file (no \x93NUMPY magic)`},
	}
	for _, tt := range tests {
		dir := writeDeePMD(t, tt.typ, tt.typeMap, tt.files)
		_, err := ImportDeePMD(dir, nil)
		if got, want := errString(err), dir+tt.want; got != want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, want)
		}
	}
	if _, err := ImportDeePMD(fixXYZ, nil); errString(err) != fixXYZ+": not a directory (a DeePMD-kit system is a folder with type.raw and set.*/)" {
		t.Errorf("file: %v", err)
	}
}

func FuzzParseNPYHeader(f *testing.F) {
	f.Add(encodeNPY([]float64{1, 2}, []int{2}, false))
	f.Add(encodeNPY([]float64{1, 2, 3, 4}, []int{2, 2}, true))
	seed, _ := os.ReadFile(filepath.Join(fixDeePMD, "set.000", "box.npy"))
	f.Add(seed)
	f.Add([]byte(npyMagic + "\x02\x00\x10\x00\x00\x00{'shape': ()}   \n"))
	f.Add([]byte(npyMagic + "\x01\x00\x05\x00{'a':"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := parseNPYHeader(b)
		if err != nil {
			return
		}
		if h.offset > len(b) || h.elements() < 0 {
			t.Fatalf("header %+v for %d bytes", h, len(b))
		}
		v, shape, err := decodeNPY(b)
		if err == nil && len(v) != h.elements() {
			t.Fatalf("decoded %d values for shape %v", len(v), shape)
		}
	})
}
