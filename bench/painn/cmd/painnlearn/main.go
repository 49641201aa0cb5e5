// Command painnlearn is a sanity check of learning, not evidence: it trains PaiNN
// and the SchNet-like model with the same data, epochs, batch size and learning rate
// (potentials.Train), and prints each one's errors on held-out frames of the same
// file after every few epochs, with the CPU time its training took so far, and
// once more after refitting the reference energies on the training frames.
//
// Each system of the file gives its first -train frames to training and the next
// -val frames to validation (a split carved from training data; the test files are
// not read). Run from the repository root, at low priority on a shared machine:
//
//	nice -n 10 go run ./bench/painn/cmd/painnlearn -data ../shared/data/rmd17/hcn_train.h5
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sciadapt/sciadapt/autodiff/openblas"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
	trainloop "github.com/sciadapt/sciadapt/train"
)

type options struct {
	data, models             string
	train, val               int
	epochs, batch, evalEvery int
	lr, cutoff               float64
	seed                     uint64
}

func main() {
	var o options
	flag.StringVar(&o.data, "data", "../shared/data/rmd17/hcn_train.h5", "atoms HDF5 file")
	flag.StringVar(&o.models, "models", "schnet:64,3,32;painn:64,3,20", "ARCH:FEATURES,INTERACTIONS,RBF;… models to train")
	flag.IntVar(&o.train, "train", 75, "training frames per system")
	flag.IntVar(&o.val, "val", 100, "validation frames per system (after the training frames)")
	flag.IntVar(&o.epochs, "epochs", 30, "epochs")
	flag.IntVar(&o.batch, "batch-size", 16, "structures per step")
	flag.IntVar(&o.evalEvery, "eval-every", 5, "evaluate on the validation frames every this many epochs")
	flag.Float64Var(&o.lr, "lr", 1e-3, "initial Adam learning rate (cosine decay to 1/100)")
	flag.Float64Var(&o.cutoff, "cutoff", 5, "cutoff radius, Å")
	flag.Uint64Var(&o.seed, "seed", 1, "initialisation and shuffling seed")
	flag.Parse()
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "painnlearn:", err)
		os.Exit(1)
	}
}

func run(o options, w io.Writer) error {
	openblas.UseThreads(1)
	train, val, err := split(o.data, o.train, o.val)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %d training and %d validation frames; %d epochs, batch %d, lr %g, seed %d\n",
		o.data, len(train), len(val), o.epochs, o.batch, o.lr, o.seed)
	fmt.Fprintln(w, "| model | parameters | epoch | CPU s (training) | val energy MAE meV/atom | val force MAE meV/Å |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, spec := range strings.Split(o.models, ";") {
		cfg, err := parseModel(spec, o)
		if err != nil {
			return err
		}
		cfg.Species = speciesOf(train)
		if err := trainOne(o, cfg, train, val, w); err != nil {
			return fmt.Errorf("%s: %v", spec, err)
		}
	}
	return nil
}

// split returns the first n frames of every system for training and the next v
// for validation.
func split(path string, n, v int) (train, val []datasets.Frame, err error) {
	f, err := datasets.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	for _, s := range f.Systems() {
		if s.Frames < n+v {
			return nil, nil, fmt.Errorf("%s: system %s has %d frames, %d + %d asked for", path, s.Name, s.Frames, n, v)
		}
		a, err := f.Rows(s.Name, 0, n)
		if err != nil {
			return nil, nil, err
		}
		b, err := f.Rows(s.Name, n, v)
		if err != nil {
			return nil, nil, err
		}
		train, val = append(train, a...), append(val, b...)
	}
	return train, val, nil
}

func parseModel(spec string, o options) (potentials.Config, error) {
	arch, sizes, ok := strings.Cut(spec, ":")
	parts := strings.Split(sizes, ",")
	if !ok || len(parts) != 3 {
		return potentials.Config{}, fmt.Errorf("-models: %q is not ARCH:FEATURES,INTERACTIONS,RBF", spec)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil {
			return potentials.Config{}, fmt.Errorf("-models: %q: %v", spec, err)
		}
		n[i] = v
	}
	return potentials.Config{Model: arch, Cutoff: o.cutoff, Features: n[0], Interactions: n[1], RBF: n[2], Seed: o.seed}, nil
}

func speciesOf(frames []datasets.Frame) []int {
	seen := map[int]bool{}
	var zs []int
	for _, f := range frames {
		for _, z := range f.Numbers {
			if !seen[z] {
				seen[z] = true
				zs = append(zs, z)
			}
		}
	}
	return zs
}

// trainOne trains a model of cfg, evaluating on val every o.evalEvery epochs; the
// CPU time of evaluations is left out of the training time.
func trainOne(o options, cfg potentials.Config, train, val []datasets.Frame, w io.Writer) error {
	m, err := potentials.New(cfg)
	if err != nil {
		return err
	}
	if err := m.FitReferences(train); err != nil {
		return err
	}
	total, _ := nn.Counts(m)
	name := fmt.Sprintf("%s %d,%d,%d", cfg.Model, cfg.Features, cfg.Interactions, cfg.RBF)
	var evalCPU time.Duration
	start := cpuTime()
	report := func(epoch int) {
		c0 := cpuTime()
		trainCPU := (c0 - start - evalCPU).Seconds()
		e, err := potentials.Evaluate(m, val, 32, nil)
		evalCPU += cpuTime() - c0
		if err != nil {
			fmt.Fprintf(w, "| %s | %d | %d | evaluation failed: %v |\n", name, total, epoch, err)
			return
		}
		fmt.Fprintf(w, "| %s | %d | %d | %.1f | %.2f | %.1f |\n", name, total, epoch, trainCPU, 1e3*e.EnergyMAEPerAtom, 1e3*e.ForceMAE)
	}
	report(0)
	_, err = potentials.Train(m, train, potentials.TrainOptions{Epochs: o.epochs, BatchSize: o.batch, LR: o.lr, Seed: o.seed,
		Progress: func(s trainloop.EpochStats) {
			if s.Epoch%o.evalEvery == 0 || s.Epoch == o.epochs {
				report(s.Epoch)
			}
		}})
	if err != nil {
		return err
	}
	// As train potential does: refit the reference energies on the training frames
	// after training (forces do not change).
	if _, _, err := m.RefitReferences(train); err != nil {
		return err
	}
	e, err := potentials.Evaluate(m, val, 32, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "| %s, references refitted | %d | %d | | %.2f | %.1f |\n", name, total, o.epochs, 1e3*e.EnergyMAEPerAtom, 1e3*e.ForceMAE)
	return nil
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
