package main

import "github.com/sciadapt/sciadapt/autodiff/openblas"

// init runs the library's matrix products on OpenBLAS with one thread, as the
// sciadapt command does: simulation codes parallelise over processes (MPI ranks),
// and one thread per process keeps results independent of the machine.
func init() { openblas.UseThreads(1) }
