package h5io

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"gonum.org/v1/hdf5"

	"github.com/sciadapt/sciadapt/internal/atomicfile"
)

// File is an open HDF5 file. Its root group is File.Root.
type File struct {
	name string // for messages: the path the caller gave (not a temporary name)
	f    *hdf5.File
	root *Group
}

// Name returns the file name used in messages (the path given to Open or WriteAtomic).
func (f *File) Name() string { return f.name }

// Root returns the root group "/". It stays valid until f is closed and must not be
// closed by the caller.
func (f *File) Root() *Group { return f.root }

// Close releases the file. Objects opened from it must be closed first; Close is a
// no-op on a closed file.
func (f *File) Close() error {
	if f == nil || f.f == nil {
		return nil
	}
	defer quiet()()
	f.root.close()
	err := f.f.Close()
	f.f = nil
	if err != nil {
		return &Error{File: f.name, Err: fmt.Errorf("closing the file failed (%v)", err)}
	}
	return nil
}

// Open opens an existing HDF5 file for reading. Before handing the file to HDF5 it
// checks that the path is a regular, non-empty file that carries the HDF5 signature
// and is at least as long as its superblock says; each failure is an *Error with a
// plain explanation ("not an HDF5 file", "file is truncated: …").
func Open(path string) (*File, error) {
	if err := Check(path); err != nil {
		return nil, err
	}
	defer quiet()()
	hf, err := hdf5.OpenFile(path, hdf5.F_ACC_RDONLY)
	if err != nil {
		return nil, &Error{File: path, Err: errors.New("HDF5 could not open the file (is it damaged, or still being written?)")}
	}
	g, err := hf.OpenGroup("/")
	if err != nil {
		hf.Close()
		return nil, &Error{File: path, Err: errors.New("HDF5 could not open the root group (is the file damaged?)")}
	}
	f := &File{name: path, f: hf}
	f.root = &Group{file: f, g: g}
	return f, nil
}

// Create creates (or truncates) the HDF5 file at path for writing; name is used in
// messages instead of path (pass path itself unless path is a temporary file).
// Most callers want WriteAtomic instead.
func Create(path, name string) (*File, error) {
	defer quiet()()
	hf, err := hdf5.CreateFile(path, hdf5.F_ACC_TRUNC)
	if err != nil {
		return nil, &Error{File: name, Err: errors.New("HDF5 could not create the file")}
	}
	g, err := hf.OpenGroup("/")
	if err != nil {
		hf.Close()
		return nil, &Error{File: name, Err: errors.New("HDF5 could not open the root group of the new file")}
	}
	f := &File{name: name, f: hf}
	f.root = &Group{file: f, g: g}
	return f, nil
}

// WriteAtomic creates the HDF5 file at path atomically: fill writes into a fresh
// file at a temporary name in the same directory, which is closed, synced and
// renamed to path only if fill returns nil. On any error nothing is left at path (an
// existing file there is untouched). Errors from the file name path, not the
// temporary name.
func WriteAtomic(path string, fill func(f *File) error) error {
	return atomicfile.WriteWith(path, func(tmp string) error {
		f, err := Create(tmp, path)
		if err != nil {
			return err
		}
		if err := fill(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
}

// signature is the 8-byte HDF5 format signature.
var signature = [8]byte{0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'}

// Check reports, without calling HDF5, whether path looks like a complete HDF5
// file: a regular non-empty file holding the HDF5 signature (at byte 0 or, after a
// user block, at 512, 1024, 2048, …) and at least as long as the end-of-file
// address in its superblock. The error is an *Error (or an fs error for a missing
// file, wrapped in an *Error) with a message for people.
func Check(path string) error {
	fail := func(format string, args ...any) error {
		return &Error{File: path, Err: fmt.Errorf(format, args...)}
	}
	st, err := os.Stat(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return &Error{File: path, Err: err}
	}
	if st.IsDir() {
		return fail("is a directory, not an HDF5 file")
	}
	if !st.Mode().IsRegular() {
		return fail("is not a regular file")
	}
	size := st.Size()
	if size == 0 {
		return fail("file is empty, not an HDF5 file")
	}
	fh, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return &Error{File: path, Err: err}
	}
	defer fh.Close()
	// The superblock needs at most 8+4+4*8 bytes past the signature (version 2/3) or
	// 8+20+4*8 (version 0/1); read 128 bytes at each candidate offset.
	for off := int64(0); off < size; off = nextSignatureOffset(off) {
		var buf [128]byte
		n, err := fh.ReadAt(buf[:], off)
		if err != nil && err != io.EOF {
			return fail("cannot read: %v", err)
		}
		if n < len(signature) || [8]byte(buf[:8]) != signature {
			continue
		}
		need, ok := superblockEnd(buf[:n])
		if !ok {
			return fail("file is truncated or damaged: its HDF5 superblock is incomplete")
		}
		if need > uint64(size) {
			return fail("file is truncated: it has %d bytes but its HDF5 superblock says %d (an interrupted copy or download?)", size, need)
		}
		return nil
	}
	return fail("not an HDF5 file (no HDF5 signature)")
}

// nextSignatureOffset returns the next place a superblock may start: 0, 512, 1024,
// 2048, … (HDF5 File Format Specification, section II.A).
func nextSignatureOffset(off int64) int64 {
	if off == 0 {
		return 512
	}
	return 2 * off
}

// superblockEnd parses the superblock that starts with the signature at b[0] and returns the smallest file size that holds all the data
// the superblock accounts for: base address + end-of-file address. ok is false if
// b is too short for the superblock or the superblock is malformed. An undefined
// address (all ones) or an unknown superblock version gives need = 0, ok = true:
// HDF5 itself then judges the file.
//
// Layout (HDF5 File Format Specification 3.0, section II.A): after the signature,
// byte 8 is the superblock version. Versions 0 and 1: byte 13 is the size of offsets
// O; the base address starts at byte 24 (version 0) or 28 (version 1); the
// end-of-file address is the third address (base + 2·O). Versions 2 and 3: byte 9 is
// O; the base address starts at byte 12; the end-of-file address is the third
// address.
func superblockEnd(b []byte) (need uint64, ok bool) {
	if len(b) < 10 {
		return 0, false
	}
	var sizeOff, baseAt int
	switch b[8] {
	case 0:
		sizeOff, baseAt = 13, 24
	case 1:
		sizeOff, baseAt = 13, 28
	case 2, 3:
		sizeOff, baseAt = 9, 12
	default:
		// A superblock version from the future: let HDF5 judge it.
		return 0, true
	}
	if len(b) <= sizeOff {
		return 0, false
	}
	o := int(b[sizeOff])
	if o != 2 && o != 4 && o != 8 {
		return 0, false
	}
	if len(b) < baseAt+3*o {
		return 0, false
	}
	addr := func(i int) uint64 {
		p := b[baseAt+i*o : baseAt+(i+1)*o]
		switch o {
		case 2:
			return uint64(binary.LittleEndian.Uint16(p))
		case 4:
			return uint64(binary.LittleEndian.Uint32(p))
		}
		return binary.LittleEndian.Uint64(p)
	}
	undefined := uint64(1)<<(8*uint(o)) - 1
	if o == 8 {
		undefined = ^uint64(0)
	}
	base, eof := addr(0), addr(2)
	if eof == undefined || base == undefined {
		return 0, true
	}
	// The base address is absolute (it already counts any user block); the
	// end-of-file address is relative to it.
	if base > ^uint64(0)-eof {
		return 0, false
	}
	return base + eof, true
}
