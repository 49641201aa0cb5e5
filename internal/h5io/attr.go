package h5io

import (
	"bytes"

	"gonum.org/v1/hdf5"
)

// maxFixedString is the longest fixed-length string attribute read (64 KiB).
const maxFixedString = 1 << 16

// HasAttr reports whether g carries the attribute name.
func (g *Group) HasAttr(name string) bool {
	if checkName(name) != nil {
		return false
	}
	defer quiet()()
	a, err := g.g.OpenAttribute(name)
	if err != nil {
		return false
	}
	a.Close()
	return true
}

// openAttr opens attribute name of g and returns it with its datatype and number of
// elements. The caller closes both.
func (g *Group) openAttr(name string) (*hdf5.Attribute, *hdf5.Datatype, error) {
	if err := checkName(name); err != nil {
		return nil, nil, g.Errorf("attribute name %q: %v", name, err)
	}
	a, err := g.g.OpenAttribute(name)
	if err != nil {
		return nil, nil, g.errorf("attribute", name, "is missing")
	}
	dt := &hdf5.Datatype{Identifier: a.GetType()}
	sp := a.Space()
	if sp == nil {
		dt.Close()
		a.Close()
		return nil, nil, g.errorf("attribute", name, "has no readable dataspace (damaged file?)")
	}
	n := sp.SimpleExtentNPoints()
	sp.Close()
	if n != 1 {
		dt.Close()
		a.Close()
		return nil, nil, g.errorf("attribute", name, "holds %d values, want a single value", n)
	}
	return a, dt, nil
}

// ReadStringAttr returns the string attribute name of g. Variable-length and
// fixed-length strings are accepted; a fixed-length string loses its trailing NUL
// and space padding.
func (g *Group) ReadStringAttr(name string) (string, error) {
	defer quiet()()
	a, dt, err := g.openAttr(name)
	if err != nil {
		return "", err
	}
	defer a.Close()
	defer dt.Close()
	if dt.Class() != hdf5.T_STRING {
		return "", g.errorf("attribute", name, "is %s, want a string", className(dt))
	}
	vl := hdf5.VarLenType{Datatype: *dt}
	if vl.IsVariableStr() {
		var s string
		if err := a.Read(&s, nil); err != nil {
			return "", g.errorf("attribute", name, "cannot be read (damaged file?)")
		}
		return s, nil
	}
	size := dt.Size()
	if size > maxFixedString {
		return "", g.errorf("attribute", name, "is a fixed-length string of %d bytes, more than the %d read", size, maxFixedString)
	}
	// gonum's string path reads a fixed-length string into an unterminated buffer;
	// read the raw bytes into an array instead, in the attribute's own type.
	buf := new([maxFixedString]byte)
	if err := a.Read(buf, dt); err != nil {
		return "", g.errorf("attribute", name, "cannot be read (damaged file?)")
	}
	b := buf[:size]
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(bytes.TrimRight(b, " ")), nil
}

// ReadIntAttr returns the integer attribute name of g (any integer type).
func (g *Group) ReadIntAttr(name string) (int64, error) {
	defer quiet()()
	a, dt, err := g.openAttr(name)
	if err != nil {
		return 0, err
	}
	defer a.Close()
	defer dt.Close()
	if dt.Class() != hdf5.T_INTEGER {
		return 0, g.errorf("attribute", name, "is %s, want an integer", className(dt))
	}
	if dt.Size() > 8 {
		return 0, g.errorf("attribute", name, "is a %d-byte integer, wider than 64 bits", dt.Size())
	}
	var v int64
	if err := a.Read(&v, hdf5.T_NATIVE_INT64); err != nil {
		return 0, g.errorf("attribute", name, "cannot be read as a 64-bit integer")
	}
	return v, nil
}

// ReadFloatAttr returns the numeric attribute name of g as a float64 (any integer
// or floating-point type).
func (g *Group) ReadFloatAttr(name string) (float64, error) {
	defer quiet()()
	a, dt, err := g.openAttr(name)
	if err != nil {
		return 0, err
	}
	defer a.Close()
	defer dt.Close()
	if c := dt.Class(); c != hdf5.T_FLOAT && c != hdf5.T_INTEGER {
		return 0, g.errorf("attribute", name, "is %s, want a number", className(dt))
	}
	var v float64
	if err := a.Read(&v, hdf5.T_NATIVE_DOUBLE); err != nil {
		return 0, g.errorf("attribute", name, "cannot be read as a number")
	}
	return v, nil
}

// createScalarAttr creates the scalar attribute name of type dt on g, replacing
// nothing: an existing attribute of that name is an error.
func (g *Group) createScalarAttr(name string, dt *hdf5.Datatype) (*hdf5.Attribute, error) {
	if err := checkName(name); err != nil {
		return nil, g.Errorf("cannot create attribute %q: %v", name, err)
	}
	if a, err := g.g.OpenAttribute(name); err == nil {
		a.Close()
		return nil, g.errorf("attribute", name, "already exists")
	}
	sp, err := hdf5.CreateDataspace(hdf5.S_SCALAR)
	if err != nil {
		return nil, g.errorf("attribute", name, "HDF5 could not create a dataspace")
	}
	defer sp.Close()
	a, err := g.g.CreateAttribute(name, dt, sp)
	if err != nil {
		return nil, g.errorf("attribute", name, "HDF5 could not create it")
	}
	return a, nil
}

// WriteStringAttr writes value as a scalar variable-length string attribute (the
// kind h5py writes for a Python str).
func (g *Group) WriteStringAttr(name, value string) error {
	if bytes.IndexByte([]byte(value), 0) >= 0 {
		return g.errorf("attribute", name, "value contains a NUL byte")
	}
	defer quiet()()
	a, err := g.createScalarAttr(name, hdf5.T_GO_STRING)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Write(&value, hdf5.T_GO_STRING); err != nil {
		return g.errorf("attribute", name, "HDF5 could not write it")
	}
	return nil
}

// WriteIntAttr writes value as a scalar 64-bit integer attribute.
func (g *Group) WriteIntAttr(name string, value int64) error {
	defer quiet()()
	a, err := g.createScalarAttr(name, hdf5.T_NATIVE_INT64)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Write(&value, hdf5.T_NATIVE_INT64); err != nil {
		return g.errorf("attribute", name, "HDF5 could not write it")
	}
	return nil
}

// WriteFloatAttr writes value as a scalar float64 attribute.
func (g *Group) WriteFloatAttr(name string, value float64) error {
	defer quiet()()
	a, err := g.createScalarAttr(name, hdf5.T_NATIVE_DOUBLE)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Write(&value, hdf5.T_NATIVE_DOUBLE); err != nil {
		return g.errorf("attribute", name, "HDF5 could not write it")
	}
	return nil
}

// className describes the class of dt for messages: "a string", "an integer", ….
func className(dt *hdf5.Datatype) string {
	switch dt.Class() {
	case hdf5.T_INTEGER:
		return "an integer"
	case hdf5.T_FLOAT:
		return "a floating-point number"
	case hdf5.T_STRING:
		return "a string"
	case hdf5.T_COMPOUND:
		return "a compound (struct) value"
	case hdf5.T_ENUM:
		return "an enumeration"
	case hdf5.T_ARRAY:
		return "an array type"
	case hdf5.T_VLEN:
		return "a variable-length sequence"
	case hdf5.T_OPAQUE:
		return "opaque bytes"
	case hdf5.T_REFERENCE:
		return "a reference"
	case hdf5.T_BITFIELD:
		return "a bit field"
	}
	return "of an unknown HDF5 type"
}
