//go:build !mpi

package mpi

// Enabled reports whether this binary was built with MPI (build tag "mpi").
const Enabled = false

// Init starts MPI and returns the world communicator. In this build (without the
// tag "mpi") it always returns ErrNoMPI.
func Init() (Comm, error) { return nil, ErrNoMPI }

// Finalize ends MPI; in this build it does nothing.
func Finalize() error { return nil }

// Version returns the MPI library's version string; in this build, "no MPI".
func Version() string { return "no MPI" }
