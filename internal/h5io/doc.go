// Package h5io is the one place where sciadapt talks to the HDF5 C library (through
// gonum.org/v1/hdf5). Data packages (atoms, constitutive and drug–target layouts)
// build on it and never import gonum.org/v1/hdf5 themselves.
//
// # What it adds to gonum.org/v1/hdf5
//
//   - Open checks the file before HDF5 sees it: a missing file, a directory, an empty
//     file, a file without the HDF5 signature and a file shorter than its superblock
//     says (a truncated copy) each get a one-line error naming the file.
//   - The library's automatic error printing to stderr is switched off for every
//     call. HDF5 keeps that setting per OS thread, so every function here locks its
//     goroutine to its thread, silences the thread, and only then calls the library;
//     failures come back as Go errors only.
//   - Numeric datasets are read with conversion: ReadFloat64 accepts any native
//     integer or floating-point type and returns float64, ReadInt accepts any native
//     integer type (and one-byte enums, which is how h5py stores bool). gonum's own
//     Read copies raw bytes in the file's type, which silently garbles a float32 file
//     read into float64.
//   - Rows of a dataset (a hyperslab along the first axis) are read without loading
//     the rest, so a 2 GB file never needs 2 GB of memory.
//   - String attributes of both kinds are read: variable-length (what h5py and this
//     package write) and fixed-length (what numpy's "S" dtype and many C programs
//     write).
//   - WriteAtomic creates a file through internal/atomicfile: the file appears at its
//     path complete or not at all.
//
// # Errors
//
// Every error for bad input is an *Error that names the file as the caller gave it,
// the object (group, dataset or attribute) and the problem, for example
//
//	data.h5: group "ethanol": dataset "forces" is missing
//	data.h5: dataset "ethanol/forces": holds strings, want numbers
//	data.h5: not an HDF5 file (no HDF5 signature)
//
// Callers add their own checks with (*Group).Errorf, which produces the same form.
// Functions panic only for programmer errors, documented with "panics if".
//
// # Shapes
//
// Datasets are read and written as flat slices in row-major (C) order together with
// their shape: element (i, j, k) of a (M, N, 3) dataset is data[(i*N+j)*3+k]. A scalar
// dataset has shape [] and one element.
//
// # Concurrency
//
// Debian's libhdf5 is built thread-safe: the library serialises calls itself, so a
// File may be read from several goroutines. Objects (File, Group) must not be
// closed while another goroutine uses them.
package h5io
