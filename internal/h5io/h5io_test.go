package h5io

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"gonum.org/v1/hdf5"
)

// writeSample writes a small file with every kind of object the package writes.
func writeSample(t *testing.T, path string) {
	t.Helper()
	err := WriteAtomic(path, func(f *File) error {
		r := f.Root()
		if err := r.WriteStringAttr("format", "sample"); err != nil {
			return err
		}
		if err := r.WriteIntAttr("version", 3); err != nil {
			return err
		}
		if err := r.WriteFloatAttr("temperature", 473.15); err != nil {
			return err
		}
		g, err := r.CreateGroup("ethanol")
		if err != nil {
			return err
		}
		defer g.Close()
		coords := make([]float64, 4*2*3)
		for i := range coords {
			coords[i] = float64(i) + 0.5
		}
		if err := g.WriteFloat64("coordinates", coords, 4, 2, 3); err != nil {
			return err
		}
		if err := g.WriteInt32("atomic_numbers", []int32{6, 8}); err != nil {
			return err
		}
		if err := g.WriteUint8("pbc", []uint8{1, 0, 1}); err != nil {
			return err
		}
		if err := g.WriteFloat64("scalar", []float64{2.5}, []int{}...); err != nil {
			return err
		}
		if err := g.WriteStringAttr("note", "ünïcode ok"); err != nil {
			return err
		}
		return r.WriteFloat64("empty", nil, 0, 3)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sample.h5")
	writeSample(t, path)
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := f.Root()
	if s, err := r.ReadStringAttr("format"); err != nil || s != "sample" {
		t.Errorf("format = %q, %v; want sample", s, err)
	}
	if v, err := r.ReadIntAttr("version"); err != nil || v != 3 {
		t.Errorf("version = %d, %v; want 3", v, err)
	}
	if v, err := r.ReadFloatAttr("temperature"); err != nil || v != 473.15 {
		t.Errorf("temperature = %v, %v; want 473.15", v, err)
	}
	// An integer attribute reads as a float too.
	if v, err := r.ReadFloatAttr("version"); err != nil || v != 3 {
		t.Errorf("version as float = %v, %v; want 3", v, err)
	}
	groups, err := r.Groups()
	if err != nil || !reflect.DeepEqual(groups, []string{"ethanol"}) {
		t.Errorf("Groups = %v, %v", groups, err)
	}
	dsets, err := r.Datasets()
	if err != nil || !reflect.DeepEqual(dsets, []string{"empty"}) {
		t.Errorf("root Datasets = %v, %v", dsets, err)
	}
	g, err := r.OpenGroup("ethanol")
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	dsets, _ = g.Datasets()
	if want := []string{"atomic_numbers", "coordinates", "pbc", "scalar"}; !reflect.DeepEqual(dsets, want) {
		t.Errorf("Datasets = %v, want %v", dsets, want)
	}
	if s, err := g.ReadStringAttr("note"); err != nil || s != "ünïcode ok" {
		t.Errorf("note = %q, %v", s, err)
	}
	c, shape, err := g.ReadFloat64("coordinates")
	if err != nil || !reflect.DeepEqual(shape, []int{4, 2, 3}) || c[0] != 0.5 || c[23] != 23.5 {
		t.Fatalf("coordinates: shape %v, c[0]=%v c[23]=%v, %v", shape, c[0], c[23], err)
	}
	rows, rshape, err := g.ReadFloat64Rows("coordinates", 1, 2)
	if err != nil || !reflect.DeepEqual(rshape, []int{2, 2, 3}) {
		t.Fatalf("rows: shape %v, %v", rshape, err)
	}
	if !reflect.DeepEqual(rows, c[6:18]) {
		t.Errorf("rows 1..2 = %v, want %v", rows, c[6:18])
	}
	none, nshape, err := g.ReadFloat64Rows("coordinates", 4, 0)
	if err != nil || len(none) != 0 || !reflect.DeepEqual(nshape, []int{0, 2, 3}) {
		t.Errorf("zero rows at the end: %v %v %v", none, nshape, err)
	}
	z, zshape, err := g.ReadInt("atomic_numbers")
	if err != nil || !reflect.DeepEqual(z, []int{6, 8}) || !reflect.DeepEqual(zshape, []int{2}) {
		t.Errorf("atomic_numbers = %v %v %v", z, zshape, err)
	}
	pbc, _, err := g.ReadInt("pbc")
	if err != nil || !reflect.DeepEqual(pbc, []int{1, 0, 1}) {
		t.Errorf("pbc = %v %v", pbc, err)
	}
	zr, _, err := g.ReadIntRows("atomic_numbers", 1, 1)
	if err != nil || !reflect.DeepEqual(zr, []int{8}) {
		t.Errorf("atomic_numbers row 1 = %v %v", zr, err)
	}
	s, sshape, err := g.ReadFloat64("scalar")
	if err != nil || len(sshape) != 0 || !reflect.DeepEqual(s, []float64{2.5}) {
		t.Errorf("scalar = %v shape %v, %v", s, sshape, err)
	}
	e, eshape, err := r.ReadFloat64("empty")
	if err != nil || len(e) != 0 || !reflect.DeepEqual(eshape, []int{0, 3}) {
		t.Errorf("empty = %v shape %v, %v", e, eshape, err)
	}
	if !g.Has("pbc") || g.Has("forces") || g.Has("a/b") {
		t.Error("Has is wrong")
	}
	if !r.HasAttr("version") || r.HasAttr("nope") {
		t.Error("HasAttr is wrong")
	}
}

// TestErrors checks the message of every kind of bad input.
func TestErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sample.h5")
	writeSample(t, path)
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := f.Root()
	g, err := r.OpenGroup("ethanol")
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	p := path + ": "
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"missing group", second(r.OpenGroup("water")), p + `group "water": is missing`},
		{"dataset as group", second(g.OpenGroup("pbc")), p + `group "ethanol/pbc": cannot be opened (is it a dataset?)`},
		{"missing dataset", third(g.ReadFloat64("forces")), p + `group "ethanol": dataset "forces" is missing`},
		{"missing root dataset", third(r.ReadFloat64("forces")), p + `dataset "forces" is missing`},
		{"group as dataset", third(r.ReadFloat64("ethanol")), p + `dataset "ethanol": cannot be opened (is it a group?)`},
		{"float as int", third(g.ReadInt("coordinates")), p + `dataset "ethanol/coordinates": holds floating-point values, want integers`},
		{"rows out of range", third(g.ReadFloat64Rows("coordinates", 3, 2)), p + `dataset "ethanol/coordinates": rows 3 to 4 requested, but it has 4 rows`},
		{"rows of scalar", third(g.ReadFloat64Rows("scalar", 0, 1)), p + `dataset "ethanol/scalar": is a scalar, it has no rows`},
		{"missing attr", second(r.ReadStringAttr("energy_unit")), p + `attribute "energy_unit": is missing`},
		{"missing group attr", second(g.ReadStringAttr("units")), p + `attribute "units" of group "ethanol": is missing`},
		{"int as string", second(r.ReadStringAttr("version")), p + `attribute "version": is an integer, want a string`},
		{"string as int", second(r.ReadIntAttr("format")), p + `attribute "format": is a string, want an integer`},
		{"float as int", second(r.ReadIntAttr("temperature")), p + `attribute "temperature": is a floating-point number, want an integer`},
		{"string as float", second(r.ReadFloatAttr("format")), p + `attribute "format": is a string, want a number`},
		{"bad name", second(r.OpenGroup("a/b")), p + `group name "a/b": a name may not contain "/"`},
		{"Errorf", g.Errorf("forces has shape (%d,%d,3) but coordinates (%d,%d,3)", 10, 9, 10, 8), p + `group "ethanol": forces has shape (10,9,3) but coordinates (10,8,3)`},
	}
	for _, tt := range tests {
		if tt.err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
		var e *Error
		if !errors.As(tt.err, &e) || e.File != path {
			t.Errorf("%s: not an *Error naming the file: %#v", tt.name, tt.err)
		}
	}
}

func second[T any](_ T, err error) error        { return err }
func third[T, U any](_ T, _ U, err error) error { return err }

// TestConversions reads datasets of other types, written with gonum directly as
// other programs would, and fixed-length string attributes.
func TestConversions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "types.h5")
	func() {
		defer quiet()()
		f, err := hdf5.CreateFile(path, hdf5.F_ACC_TRUNC)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		write := func(name string, dt *hdf5.Datatype, data any, n uint) {
			sp, _ := hdf5.CreateSimpleDataspace([]uint{n}, nil)
			defer sp.Close()
			d, err := f.CreateDataset(name, dt, sp)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if err := d.Write(data); err != nil {
				t.Fatal(err)
			}
		}
		write("f32", hdf5.T_NATIVE_FLOAT, &[]float32{1.5, -2.25, 3e7}, 3)
		write("i64", hdf5.T_NATIVE_INT64, &[]int64{-7, 1 << 40}, 2)
		write("u8", hdf5.T_NATIVE_UINT8, &[]uint8{0, 255}, 2)
		write("i16", hdf5.T_NATIVE_INT16, &[]int16{-300, 300}, 2)
		write("be", hdf5.T_IEEE_F64BE, &[]float64{1, 2}, 2)

		root, err := f.OpenGroup("/")
		if err != nil {
			t.Fatal(err)
		}
		defer root.Close()
		fixed := func(name string, size int, value [16]byte) {
			dt, err := hdf5.T_C_S1.Copy()
			if err != nil {
				t.Fatal(err)
			}
			defer dt.Close()
			if err := dt.SetSize(size); err != nil {
				t.Fatal(err)
			}
			sp, _ := hdf5.CreateDataspace(hdf5.S_SCALAR)
			defer sp.Close()
			a, err := root.CreateAttribute(name, dt, sp)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			if err := a.Write(&value, dt); err != nil {
				t.Fatal(err)
			}
		}
		var padded, full [16]byte
		copy(padded[:], "eV")
		copy(full[:], "angstrom")
		fixed("padded", 16, padded) // "eV" followed by 14 NULs
		fixed("full", 8, full)      // exactly 8 bytes, no terminator
		var spaced [16]byte
		copy(spaced[:], "kcal/mol    ")
		fixed("spaced", 12, spaced)
	}()

	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := f.Root()
	floats := []struct {
		name string
		want []float64
	}{
		{"f32", []float64{1.5, -2.25, 3e7}},
		{"i64", []float64{-7, 1 << 40}},
		{"u8", []float64{0, 255}},
		{"i16", []float64{-300, 300}},
	}
	for _, tt := range floats {
		got, _, err := r.ReadFloat64(tt.name)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ReadFloat64(%s) = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	if got, _, err := r.ReadInt("i64"); err != nil || !reflect.DeepEqual(got, []int{-7, 1 << 40}) {
		t.Errorf("ReadInt(i64) = %v, %v", got, err)
	}
	if got, _, err := r.ReadFloat64Rows("f32", 1, 2); err != nil || !reflect.DeepEqual(got, []float64{-2.25, 3e7}) {
		t.Errorf("ReadFloat64Rows(f32) = %v, %v", got, err)
	}
	_, _, err = r.ReadFloat64("be")
	if want := path + `: dataset "be": holds non-native (big-endian or unusual width) floating-point values, want numbers`; err == nil || err.Error() != want {
		t.Errorf("big-endian: got %v, want %s", err, want)
	}
	strs := map[string]string{"padded": "eV", "full": "angstrom", "spaced": "kcal/mol"}
	for _, name := range []string{"full", "padded", "spaced"} {
		got, err := r.ReadStringAttr(name)
		if err != nil || got != strs[name] {
			t.Errorf("fixed-length %s = %q, %v; want %q", name, got, err, strs[name])
		}
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.h5")
	writeSample(t, good)
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	truncated := write("truncated.h5", data[:len(data)/2])
	header := write("header.h5", data[:20])
	text := write("aspirin.xyz", []byte("21\nProperties=species:S:1:pos:R:3 energy=-1.0\n"))
	empty := write("empty.h5", nil)
	// A 512-byte user block before the HDF5 data: Check must find the signature at
	// 512 and not call the file truncated (the base address is 512).
	ub := append(make([]byte, 512), data...)
	// Version-0 superblock: base address at byte 24, 8-byte offsets in this file.
	if data[8] != 0 || data[13] != 8 {
		t.Fatalf("sample superblock is version %d with %d-byte offsets; test assumes 0 and 8", data[8], data[13])
	}
	ub[512+24] = 0x00
	ub[512+25] = 0x02 // base address 512, little-endian
	userblock := write("userblock.h5", ub)

	tests := []struct {
		path, want string
	}{
		{good, ""},
		{userblock, ""},
		{truncated, truncated + ": file is truncated: it has " + itoa(len(data)/2) + " bytes but its HDF5 superblock says " + itoa(len(data)) + " (an interrupted copy or download?)"},
		{header, header + ": file is truncated or damaged: its HDF5 superblock is incomplete"},
		{text, text + ": not an HDF5 file (no HDF5 signature)"},
		{empty, empty + ": file is empty, not an HDF5 file"},
		{dir, dir + ": is a directory, not an HDF5 file"},
		{filepath.Join(dir, "missing.h5"), filepath.Join(dir, "missing.h5") + ": no such file or directory"},
	}
	for _, tt := range tests {
		err := Check(tt.path)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("Check(%s):\n got %q\nwant %q", filepath.Base(tt.path), got, tt.want)
		}
		if tt.want != "" {
			if _, err := Open(tt.path); err == nil || err.Error() != tt.want {
				t.Errorf("Open(%s) = %v, want %s", filepath.Base(tt.path), err, tt.want)
			}
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestSilent checks that HDF5 prints nothing on stderr when calls fail, on any OS
// thread: the library's printing setting is per thread, and goroutines move
// between threads.
func TestSilent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sample.h5")
	writeSample(t, path)
	capture, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	saved, err := syscall.Dup(2)
	if err != nil {
		t.Skip("cannot duplicate stderr:", err)
	}
	if err := syscall.Dup2(int(capture.Fd()), 2); err != nil {
		t.Skip("cannot redirect stderr:", err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Lock to force distinct OS threads: each is new to HDF5.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			f, err := Open(path)
			if err != nil {
				return
			}
			defer f.Close()
			r := f.Root()
			r.ReadStringAttr("missing")
			r.OpenGroup("missing")
			r.ReadFloat64("missing")
			r.HasAttr("missing")
			r.ReadFloat64("ethanol")
		}()
	}
	wg.Wait()
	syscall.Dup2(saved, 2)
	syscall.Close(saved)
	out, _ := os.ReadFile(capture.Name())
	if len(out) != 0 {
		t.Errorf("HDF5 wrote to stderr:\n%s", out)
	}
}

func TestWriteAtomicLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.h5")
	boom := errors.New("boom")
	err := WriteAtomic(path, func(f *File) error {
		if err := f.Root().WriteFloat64("x", []float64{1, 2}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
	// Errors while writing name the destination, not the temporary file.
	err = WriteAtomic(path, func(f *File) error {
		return f.Root().WriteFloat64("a/b", []float64{1})
	})
	if want := path + `: cannot create dataset "a/b": a name may not contain "/"`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestWriteShapePanics(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.h5")
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(r.(string), "h5io: 5 values do not fill shape [2 3]") {
			t.Errorf("recovered %v", r)
		}
	}()
	WriteAtomic(path, func(f *File) error {
		return f.Root().WriteFloat64("x", make([]float64, 5), 2, 3)
	})
}

func FuzzCheck(f *testing.F) {
	dir := f.TempDir()
	good := filepath.Join(dir, "good.h5")
	err := WriteAtomic(good, func(f *File) error { return f.Root().WriteIntAttr("v", 1) })
	if err != nil {
		f.Fatal(err)
	}
	data, _ := os.ReadFile(good)
	f.Add(data)
	f.Add(data[:40])
	f.Add([]byte("\x89HDF\r\n\x1a\n\x02\x08\x08\x00"))
	f.Add([]byte("\x89HDF\r\n\x1a\n\x00"))
	f.Add([]byte("not hdf5"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "x.h5")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		_ = Check(p) // must not panic
		superblockEnd(b)
	})
}
