// Package openblas plugs OpenBLAS (Debian libopenblas-dev) into gonum's BLAS interface,
// which the autodiff engine uses for every matrix product. Call Use once at program
// start-up, before any computation; without it gonum's pure-Go BLAS is used, which gives
// the same results to rounding and is about six times slower for large products on
// this project's 2-core machines (see bench/RESULTS.md).
//
// Importing this package links the program against -lopenblas through cgo.
package openblas

// #cgo LDFLAGS: -lopenblas
import "C"

import (
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

// Use makes gonum's blas64 functions, and so the autodiff engine, call OpenBLAS.
// It changes process-wide state: call it once from main, not from libraries.
func Use() { blas64.Use(netlib.Implementation{}) }
