package h5io

import (
	"fmt"
	"math"

	"gonum.org/v1/hdf5"
)

// numKind is a native numeric element type that can be read.
type numKind int

const (
	kNone numKind = iota
	kF64
	kF32
	kI8
	kU8
	kI16
	kU16
	kI32
	kU32
	kI64
	kU64
)

func (k numKind) isFloat() bool { return k == kF64 || k == kF32 }

// nativeKinds pairs each readable kind with its native HDF5 type; H5Tequal matches a
// file type against them (little-endian types on the machines sciadapt runs on).
var nativeKinds = []struct {
	k  numKind
	dt *hdf5.Datatype
}{
	{kF64, hdf5.T_NATIVE_DOUBLE}, {kF32, hdf5.T_NATIVE_FLOAT},
	{kI8, hdf5.T_NATIVE_INT8}, {kU8, hdf5.T_NATIVE_UINT8},
	{kI16, hdf5.T_NATIVE_INT16}, {kU16, hdf5.T_NATIVE_UINT16},
	{kI32, hdf5.T_NATIVE_INT32}, {kU32, hdf5.T_NATIVE_UINT32},
	{kI64, hdf5.T_NATIVE_INT64}, {kU64, hdf5.T_NATIVE_UINT64},
}

// kindOf classifies a dataset's datatype. One-byte enumerations (h5py's bool) read as
// unsigned bytes.
func kindOf(dt *hdf5.Datatype) numKind {
	for _, n := range nativeKinds {
		if dt.Equal(n.dt) {
			return n.k
		}
	}
	if dt.Class() == hdf5.T_ENUM && dt.Size() == 1 {
		return kU8
	}
	return kNone
}

// dataset is an open dataset with its shape and element kind.
type dataset struct {
	g     *Group
	name  string
	d     *hdf5.Dataset
	shape []int
	kind  numKind
	desc  string // className of the type, for messages
}

func (ds *dataset) close() { ds.d.Close() }

func (ds *dataset) errorf(format string, args ...any) error {
	return ds.g.errorf("dataset", ds.name, format, args...)
}

// openDataset opens dataset name of g and reads its shape and type. The caller
// calls close. Must be called under quiet.
func (g *Group) openDataset(name string) (*dataset, error) {
	if err := checkName(name); err != nil {
		return nil, g.Errorf("dataset name %q: %v", name, err)
	}
	if !g.g.LinkExists(name) {
		if g.path == "" {
			return nil, &Error{File: g.file.name, Err: fmt.Errorf("dataset %q is missing", name)}
		}
		return nil, g.Errorf("dataset %q is missing", name)
	}
	d, err := g.g.OpenDataset(name)
	if err != nil {
		return nil, g.errorf("dataset", name, "cannot be opened (is it a group?)")
	}
	ds := &dataset{g: g, name: name, d: d}
	sp := d.Space()
	if sp == nil {
		d.Close()
		return nil, ds.errorf("has no readable dataspace (damaged file?)")
	}
	defer sp.Close()
	switch sp.SimpleExtentType() {
	case hdf5.S_SCALAR:
		ds.shape = []int{}
	case hdf5.S_SIMPLE:
		dims, _, err := sp.SimpleExtentDims()
		if err != nil {
			d.Close()
			return nil, ds.errorf("cannot read its shape (damaged file?)")
		}
		ds.shape = make([]int, len(dims))
		total := uint64(1)
		for i, v := range dims {
			// Bound every dimension and the product so that size never overflows.
			if v > 1<<40 || (v > 0 && total > (1<<62)/uint64(v)) {
				d.Close()
				return nil, ds.errorf("claims dimensions %v, too large (damaged file?)", dims)
			}
			total *= uint64(v)
			ds.shape[i] = int(v)
		}
	case hdf5.S_NULL:
		d.Close()
		return nil, ds.errorf("is empty (null dataspace)")
	default:
		d.Close()
		return nil, ds.errorf("has an unknown dataspace (damaged file?)")
	}
	dt, err := d.Datatype()
	if err != nil {
		d.Close()
		return nil, ds.errorf("cannot read its datatype (damaged file?)")
	}
	ds.kind = kindOf(dt)
	ds.desc = className(dt)
	elem := uint64(dt.Size())
	dt.Close()
	// A dataset may declare a shape without storing its data (created, never
	// written: HDF5 then reads its fill value). Reading 10⁹ declared frames from a
	// file of a few kB would exhaust memory, so refuse numeric data that the file
	// does not hold: none at all, or, without compression, fewer bytes than the shape.
	if n := uint64(size(ds.shape)); ds.kind != kNone && n > 0 {
		stored, filtered := storage(d.ID())
		if stored == 0 || (!filtered && stored < n*elem) {
			d.Close()
			return nil, ds.errorf("has shape %s but the file stores %d of its %d bytes (never written, or a damaged file?)", shapeText(ds.shape), stored, n*elem)
		}
	}
	return ds, nil
}

// maxRead is the largest number of elements read in one call (2^31: 16 GiB of
// float64). A damaged file may claim absurd dimensions; allocating for them would
// crash the program instead of returning an error.
const maxRead = 1 << 31

// size returns the number of elements of shape; shapes are bounded by openDataset.
func size(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// checkSize returns an error if n elements are too many to read at once.
func (ds *dataset) checkSize(n int) error {
	if n > maxRead {
		return ds.errorf("has %d elements, too many to read at once (the limit is %d; read it in rows)", n, maxRead)
	}
	return nil
}

// Shape returns the shape of dataset name of g (row-major; [] for a scalar).
func (g *Group) Shape(name string) ([]int, error) {
	defer quiet()()
	ds, err := g.openDataset(name)
	if err != nil {
		return nil, err
	}
	ds.close()
	return ds.shape, nil
}

// ReadFloat64 reads the whole numeric dataset name of g as float64 in row-major
// order and returns it with its shape. Any native floating-point or integer type is
// accepted and converted (integers beyond ±2^53 lose precision).
func (g *Group) ReadFloat64(name string) (data []float64, shape []int, err error) {
	defer quiet()()
	ds, err := g.openDataset(name)
	if err != nil {
		return nil, nil, err
	}
	defer ds.close()
	data, err = ds.readFloat(nil, nil, size(ds.shape))
	return data, ds.shape, err
}

// ReadInt reads the whole integer dataset name of g (any native integer type, or a
// one-byte enumeration such as h5py's bool) in row-major order and returns it with
// its shape. A floating-point dataset is an error.
func (g *Group) ReadInt(name string) (data []int, shape []int, err error) {
	defer quiet()()
	ds, err := g.openDataset(name)
	if err != nil {
		return nil, nil, err
	}
	defer ds.close()
	data, err = ds.readInt(nil, nil, size(ds.shape))
	return data, ds.shape, err
}

// ReadFloat64Rows reads rows [start, start+count) along the first axis of the
// numeric dataset name of g (a hyperslab: nothing else is read) and returns them as
// float64 with the shape of the block, (count, shape[1:]...). Types are converted
// as in ReadFloat64. It is an error if the dataset is a scalar or the rows are out
// of range.
func (g *Group) ReadFloat64Rows(name string, start, count int) (data []float64, shape []int, err error) {
	defer quiet()()
	ds, err := g.openDataset(name)
	if err != nil {
		return nil, nil, err
	}
	defer ds.close()
	mem, file, shape, err := ds.rows(start, count)
	if err != nil {
		return nil, nil, err
	}
	if mem != nil {
		defer mem.Close()
		defer file.Close()
	}
	data, err = ds.readFloat(mem, file, size(shape))
	return data, shape, err
}

// ReadIntRows is ReadFloat64Rows for integer datasets.
func (g *Group) ReadIntRows(name string, start, count int) (data []int, shape []int, err error) {
	defer quiet()()
	ds, err := g.openDataset(name)
	if err != nil {
		return nil, nil, err
	}
	defer ds.close()
	mem, file, shape, err := ds.rows(start, count)
	if err != nil {
		return nil, nil, err
	}
	if mem != nil {
		defer mem.Close()
		defer file.Close()
	}
	data, err = ds.readInt(mem, file, size(shape))
	return data, shape, err
}

// rows builds the memory and file dataspaces that select rows [start, start+count).
// Both are nil when count is 0.
func (ds *dataset) rows(start, count int) (mem, file *hdf5.Dataspace, shape []int, err error) {
	if len(ds.shape) == 0 {
		return nil, nil, nil, ds.errorf("is a scalar, it has no rows")
	}
	if start < 0 || count < 0 || start > ds.shape[0] || count > ds.shape[0]-start {
		return nil, nil, nil, ds.errorf("rows %d to %d requested, but it has %d rows", start, start+count-1, ds.shape[0])
	}
	shape = append([]int{count}, ds.shape[1:]...)
	if size(shape) == 0 {
		return nil, nil, shape, nil
	}
	file = ds.d.Space()
	if file == nil {
		return nil, nil, nil, ds.errorf("has no readable dataspace (damaged file?)")
	}
	offset := make([]uint, len(ds.shape))
	counts := make([]uint, len(ds.shape))
	offset[0] = uint(start)
	for i, d := range shape {
		counts[i] = uint(d)
	}
	if err := file.SelectHyperslab(offset, nil, counts, nil); err != nil {
		file.Close()
		return nil, nil, nil, ds.errorf("cannot select rows %d to %d", start, start+count-1)
	}
	mem, err = hdf5.CreateSimpleDataspace(counts, nil)
	if err != nil {
		file.Close()
		return nil, nil, nil, ds.errorf("cannot create a memory dataspace")
	}
	return mem, file, shape, nil
}

// readFloat reads n elements selected by (mem, file) (nil, nil: everything).
func (ds *dataset) readFloat(mem, file *hdf5.Dataspace, n int) ([]float64, error) {
	if err := ds.checkSize(n); err != nil {
		return nil, err
	}
	if ds.kind == kNone {
		return nil, ds.errorf("holds %s values, want numbers", typeDesc(ds))
	}
	switch ds.kind {
	case kF64:
		return readRaw[float64](ds, mem, file, n)
	case kF32:
		return convert[float32, float64](readRaw[float32](ds, mem, file, n))
	case kI8:
		return convert[int8, float64](readRaw[int8](ds, mem, file, n))
	case kU8:
		return convert[uint8, float64](readRaw[uint8](ds, mem, file, n))
	case kI16:
		return convert[int16, float64](readRaw[int16](ds, mem, file, n))
	case kU16:
		return convert[uint16, float64](readRaw[uint16](ds, mem, file, n))
	case kI32:
		return convert[int32, float64](readRaw[int32](ds, mem, file, n))
	case kU32:
		return convert[uint32, float64](readRaw[uint32](ds, mem, file, n))
	case kI64:
		return convert[int64, float64](readRaw[int64](ds, mem, file, n))
	default: // kU64
		return convert[uint64, float64](readRaw[uint64](ds, mem, file, n))
	}
}

// readInt reads n integer elements selected by (mem, file) (nil, nil: everything).
func (ds *dataset) readInt(mem, file *hdf5.Dataspace, n int) ([]int, error) {
	if err := ds.checkSize(n); err != nil {
		return nil, err
	}
	if ds.kind == kNone || ds.kind.isFloat() {
		return nil, ds.errorf("holds %s values, want integers", typeDesc(ds))
	}
	switch ds.kind {
	case kI8:
		return convert[int8, int](readRaw[int8](ds, mem, file, n))
	case kU8:
		return convert[uint8, int](readRaw[uint8](ds, mem, file, n))
	case kI16:
		return convert[int16, int](readRaw[int16](ds, mem, file, n))
	case kU16:
		return convert[uint16, int](readRaw[uint16](ds, mem, file, n))
	case kI32:
		return convert[int32, int](readRaw[int32](ds, mem, file, n))
	case kU32:
		return convert[uint32, int](readRaw[uint32](ds, mem, file, n))
	case kI64:
		return convert[int64, int](readRaw[int64](ds, mem, file, n))
	default: // kU64
		v, err := readRaw[uint64](ds, mem, file, n)
		if err != nil {
			return nil, err
		}
		for i, x := range v {
			if x > math.MaxInt64 {
				return nil, ds.errorf("element %d is %d, too large for an integer", i, x)
			}
		}
		return convert[uint64, int](v, nil)
	}
}

// typeDesc describes a dataset's element type for messages.
func typeDesc(ds *dataset) string {
	switch ds.desc {
	case "a floating-point number":
		if ds.kind == kNone {
			return "non-native (big-endian or unusual width) floating-point"
		}
		return "floating-point"
	case "an integer":
		if ds.kind == kNone {
			return "non-native (big-endian or unusual width) integer"
		}
		return "integer"
	case "a string":
		return "string"
	}
	return ds.desc[len(article(ds.desc)):]
}

func article(s string) string {
	switch {
	case len(s) > 3 && s[:3] == "an ":
		return "an "
	case len(s) > 2 && s[:2] == "a ":
		return "a "
	}
	return ""
}

type number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~float32 | ~float64
}

// readRaw reads n elements in the file's own type into a []T; T must match the
// dataset's type exactly (ds.kind).
func readRaw[T number](ds *dataset, mem, file *hdf5.Dataspace, n int) ([]T, error) {
	buf := make([]T, n)
	if n == 0 {
		return buf, nil
	}
	if err := ds.d.ReadSubset(&buf, mem, file); err != nil {
		return nil, ds.errorf("HDF5 could not read it (damaged or truncated file?)")
	}
	return buf, nil
}

func convert[S, D number](src []S, err error) ([]D, error) {
	if err != nil {
		return nil, err
	}
	dst := make([]D, len(src))
	for i, v := range src {
		dst[i] = D(v)
	}
	return dst, nil
}

// checkShape panics if shape does not describe n elements.
func checkShape(n int, shape []int) {
	want := 1
	for _, d := range shape {
		if d < 0 {
			panic(fmt.Sprintf("h5io: negative dimension in shape %v", shape))
		}
		want *= d
	}
	if want != n {
		panic(fmt.Sprintf("h5io: %d values do not fill shape %v (%d)", n, shape, want))
	}
}

// WriteFloat64 creates dataset name in g holding data (row-major) with the given
// shape, stored as native float64. No shape means a one-dimensional dataset of
// len(data). It panics if the shape does not hold exactly len(data) values.
func (g *Group) WriteFloat64(name string, data []float64, shape ...int) error {
	return writeData(g, name, hdf5.T_NATIVE_DOUBLE, data, shape)
}

// WriteInt32 is WriteFloat64 for int32 data.
func (g *Group) WriteInt32(name string, data []int32, shape ...int) error {
	return writeData(g, name, hdf5.T_NATIVE_INT32, data, shape)
}

// WriteInt64 is WriteFloat64 for int64 data.
func (g *Group) WriteInt64(name string, data []int64, shape ...int) error {
	return writeData(g, name, hdf5.T_NATIVE_INT64, data, shape)
}

// WriteUint8 is WriteFloat64 for uint8 data (flags such as pbc).
func (g *Group) WriteUint8(name string, data []uint8, shape ...int) error {
	return writeData(g, name, hdf5.T_NATIVE_UINT8, data, shape)
}

func writeData[T number](g *Group, name string, dt *hdf5.Datatype, data []T, shape []int) error {
	if shape == nil {
		shape = []int{len(data)}
	}
	checkShape(len(data), shape)
	if err := checkName(name); err != nil {
		return g.Errorf("cannot create dataset %q: %v", name, err)
	}
	defer quiet()()
	if g.g.LinkExists(name) {
		return g.errorf("dataset", name, "already exists")
	}
	var sp *hdf5.Dataspace
	var err error
	if len(shape) == 0 {
		sp, err = hdf5.CreateDataspace(hdf5.S_SCALAR)
	} else {
		dims := make([]uint, len(shape))
		for i, d := range shape {
			dims[i] = uint(d)
		}
		sp, err = hdf5.CreateSimpleDataspace(dims, nil)
	}
	if err != nil {
		return g.errorf("dataset", name, "HDF5 could not create a dataspace of shape %v", shape)
	}
	defer sp.Close()
	d, err := g.g.CreateDataset(name, dt, sp)
	if err != nil {
		return g.errorf("dataset", name, "HDF5 could not create it")
	}
	defer d.Close()
	if len(data) == 0 {
		return nil
	}
	if err := d.Write(&data); err != nil {
		return g.errorf("dataset", name, "HDF5 could not write it (disk full?)")
	}
	return nil
}
