// Package mpi is the small message-passing layer of data-parallel training: a
// communicator of Size processes (ranks 0 … Size−1) that can sum a vector across
// all of them (an all-reduce), wait for all of them (a barrier) and end the job.
//
// # Implementations
//
// Three implementations satisfy Comm:
//
//   - Init returns the MPI world communicator when the binary is built with the
//     build tag "mpi" (make build-mpi), through a thin cgo binding to Open MPI
//     (pkg-config ompi-c). Each MPI call is wrapped in a one-line C helper, since
//     MPI_COMM_WORLD, MPI_DOUBLE, MPI_SUM and MPI_IN_PLACE are macros that cgo
//     cannot use. Without the tag, Init returns ErrNoMPI, so the default build
//     needs no MPI library.
//   - Self is a communicator of one process: AllReduceSum leaves x unchanged.
//   - NewLocal returns Size communicators for Size goroutines of one process, so
//     that code written against Comm can be tested for any Size without MPI.
//
// # Reductions
//
// AllReduceSum(x) replaces x, on every rank, by the element-wise sum over ranks of
// the x each rank passed; every rank must call it with a slice of the same length,
// in the same order of collective calls. The order in which the terms are added is
// the library's choice: results agree with a one-process sum to rounding (a few
// units in the last place of the largest term), and are identical on every rank.
//
// Sharding: Block(n, rank, size) gives each rank a contiguous block [lo, hi) of n
// items, the first n mod size ranks one item more than the others, so the blocks
// of all ranks cover 0 … n−1 once, in order.
//
// # Threads
//
// The MPI binding asks for MPI_THREAD_SERIALIZED and serialises its calls with a
// mutex, because Go may run a goroutine on any operating-system thread.
package mpi
