// Package openblas plugs OpenBLAS (Debian libopenblas-dev) into gonum's BLAS interface,
// which the autodiff engine uses for every matrix product. Call Use once at program
// start-up, before any computation; without it gonum's pure-Go BLAS is used, which gives
// the same results to rounding and is about six times slower for large products on
// this project's 2-core machines (see bench/RESULTS.md).
//
// Importing this package links the program against -lopenblas through cgo.
//
// # Threads and reproducibility
//
// OpenBLAS splits large products over threads, and the split changes the order in
// which partial sums are added: measured on this project's machine, a training run
// gave a different model (in the last bits) with OPENBLAS_NUM_THREADS=1 and 2. Use
// keeps OpenBLAS's own thread count (OPENBLAS_NUM_THREADS, or the number of cores),
// which is fastest but makes results depend on it. UseThreads(n) fixes the count,
// overriding the environment; results are then reproducible for a fixed n. The
// sciadapt command calls UseThreads(1), so that the same seed gives the same model
// bit for bit on any machine and in any environment (the Go side is independent of
// GOMAXPROCS).
package openblas

// #cgo LDFLAGS: -lopenblas
// void openblas_set_num_threads(int);
// int openblas_get_num_threads(void);
import "C"

import (
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

// Use makes gonum's blas64 and blas32 functions (dgemm for float64 tensors, sgemm
// for float32), and so the autodiff engine, call OpenBLAS
// with its own thread count (see the package documentation). It changes
// process-wide state: call it once from main, not from libraries.
func Use() {
	blas64.Use(netlib.Implementation{})
	blas32.Use(netlib.Implementation{})
}

// UseThreads is Use with OpenBLAS fixed to n threads, whatever OPENBLAS_NUM_THREADS
// says. Results depend on n in the last bits. It panics if n < 1.
func UseThreads(n int) {
	if n < 1 {
		panic("openblas: thread count must be at least 1")
	}
	C.openblas_set_num_threads(C.int(n))
	Use()
}

// Threads returns the number of threads OpenBLAS uses.
func Threads() int { return int(C.openblas_get_num_threads()) }
