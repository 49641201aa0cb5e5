// Command sciadapt adapts frozen scientific models to new domains by training a
// small part of them. Run "sciadapt --help" for the commands.
package main

import (
	"os"
	"runtime/debug"

	"github.com/sciadapt/sciadapt/autodiff/openblas"
	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/cli"
)

func main() {
	// One OpenBLAS thread: results do not depend on the machine or on
	// OPENBLAS_NUM_THREADS (see package openblas).
	openblas.UseThreads(1)
	// The engine allocates a fresh tensor per op; a larger GC target trades memory for
	// far fewer collections (see bench/RESULTS.md). GOGC in the environment wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
