// Command engineloop runs a fixed number of SchNet energy+forces calls or training
// steps on one rMD17 batch and nothing else, so that instruction counts of the engine
// can be compared under valgrind (repeatable on a loaded machine, unlike timings).
// The cost of one call is the difference between runs with -n 3 and -n 1, halved,
// which cancels start-up and data loading:
//
//	go build -o /tmp/engineloop ./bench/cmd/engineloop
//	for n in 1 3; do
//	  OPENBLAS_NUM_THREADS=1 GOMAXPROCS=1 valgrind --tool=callgrind \
//	    --callgrind-out-file=/tmp/cg.$n /tmp/engineloop -work train -n $n
//	done
//	callgrind_annotate /tmp/cg.3 | head   # totals are on the "PROGRAM TOTALS" line
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/autodiff/openblas"
	"github.com/sciadapt/sciadapt/bench/schnet"
)

func main() {
	data := flag.String("data", "../shared/data/rmd17", "directory of the rMD17 atoms files")
	file := flag.String("file", "o_train.h5", "atoms file in -data")
	system := flag.String("system", "ethanol", "system (molecule) in the file")
	batch := flag.Int("batch", 32, "molecules per batch")
	work := flag.String("work", "train", "predict (energies and forces) or train (one training step)")
	n := flag.Int("n", 1, "calls")
	arena := flag.Bool("arena", false, "reuse one autodiff.Arena across calls")
	precision := flag.String("precision", "float64", "precision of the network: float64 or float32")
	flag.Parse()
	openblas.UseThreads(1)
	frames, err := schnet.LoadFrames(filepath.Join(*data, *file), *system, *batch)
	if err != nil {
		fmt.Fprintln(os.Stderr, "engineloop:", err)
		os.Exit(1)
	}
	w, err := schnet.NewWorkload(*system, frames)
	if err != nil {
		fmt.Fprintln(os.Stderr, "engineloop:", err)
		os.Exit(1)
	}
	if *arena {
		w.Arena = autodiff.NewArena()
	}
	switch *precision {
	case "float64":
	case "float32":
		if err := w.SetPrecision(autodiff.Float32); err != nil {
			fmt.Fprintln(os.Stderr, "engineloop:", err)
			os.Exit(1)
		}
	default:
		fmt.Fprintln(os.Stderr, "engineloop: -precision must be float64 or float32")
		os.Exit(2)
	}
	for range *n {
		switch *work {
		case "predict":
			w.Predict()
		case "train":
			w.Step()
		default:
			fmt.Fprintln(os.Stderr, "engineloop: -work must be predict or train")
			os.Exit(2)
		}
	}
}
