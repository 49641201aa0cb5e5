// Command trainmem trains the default SchNet-like potential for one epoch on a subset
// of an atoms file, as `sciadapt train potential` does (potentials.Train, batches of
// 32, the same loss), and reports the peak memory: the process's resident peak
// (VmHWM from /proc/self/status), the peak of live heap objects (sampled every
// 5 ms with runtime/metrics) and the bytes allocated per step. It is the yardstick
// for the memory goal of training on the alloy set with stress:
//
//	go build -o /tmp/trainmem ./bench/cmd/trainmem
//	/tmp/trainmem -data ../shared/data/emt/cuagau_train.h5 -frames 320 -stress-weight 100 -gogc 400
//
// -gogc sets the collector's target like the GOGC variable (the sciadapt command
// uses 400 unless GOGC is set). Timings printed are for orientation only.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/autodiff/openblas"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/potentials"
)

type options struct {
	data         string
	frames       int
	batch        int
	stressWeight float64
	gogc         int
	seed         uint64
	loop         string // "train": potentials.Train; "steps": this command's loop
	arena        bool   // steps: batches allocate from one arena, released after each step
	freeGraph    bool   // steps: the parameter gradient cuts the graph as it goes
	memProfile   string // write a heap profile (allocations) here
	probe        bool   // steps: print the memory of a forward pass alone first
	precision    string // float64 or float32
}

func main() {
	var o options
	flag.StringVar(&o.data, "data", "../shared/data/emt/cuagau_train.h5", "atoms file")
	flag.IntVar(&o.frames, "frames", 320, "frames drawn at random (seed) from the file")
	flag.IntVar(&o.batch, "batch", 32, "structures per step")
	flag.Float64Var(&o.stressWeight, "stress-weight", 100, "weight of the stress loss, per (eV/Å³)²")
	flag.IntVar(&o.gogc, "gogc", 400, "garbage-collector target percentage (GOGC)")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the frame draw and the model")
	flag.StringVar(&o.loop, "loop", "train", "train: potentials.Train (what the command runs); steps: the same loss in this command's loop, with -arena and -free-graph")
	flag.BoolVar(&o.arena, "arena", false, "steps: one autodiff.Arena for all batches, released after each step")
	flag.BoolVar(&o.freeGraph, "free-graph", false, "steps: GradOptions.FreeGraph in the parameter gradient")
	flag.StringVar(&o.precision, "precision", "float64", "precision of the network: float64 or float32")
	flag.BoolVar(&o.probe, "probe", false, "steps: first measure the arena size of one forward pass alone")
	flag.StringVar(&o.memProfile, "memprofile", "", "write an allocation profile to this file")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "trainmem:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	openblas.UseThreads(1)
	debug.SetGCPercent(o.gogc)
	frames, err := load(o.data, o.frames, o.seed)
	if err != nil {
		return err
	}
	var species []int
	atoms := 0
	for _, f := range frames {
		atoms += len(f.Numbers)
		for _, z := range f.Numbers {
			if !slices.Contains(species, z) {
				species = append(species, z)
			}
		}
	}
	slices.Sort(species)
	cfg := potentials.DefaultConfig(species)
	cfg.Seed = o.seed
	m, err := potentials.New(cfg)
	if err != nil {
		return err
	}
	switch o.precision {
	case "float64":
	case "float32":
		if err := m.SetPrecision(autodiff.Float32); err != nil {
			return err
		}
	default:
		return fmt.Errorf("-precision must be float64 or float32")
	}
	if err := m.FitReferences(frames); err != nil {
		return err
	}
	pairs, err := pairsPerBatch(frames, o.batch, species, cfg.Cutoff)
	if err != nil {
		return err
	}
	runtime.GC()
	base := liveHeap()
	stop, peak := samplePeak()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var ru0, ru1 syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru0); err != nil {
		return err
	}
	t0 := time.Now()
	switch o.loop {
	case "train":
		_, err = potentials.Train(m, frames, potentials.TrainOptions{Epochs: 1, BatchSize: o.batch,
			StressWeight: o.stressWeight, Seed: o.seed})
	case "steps":
		err = steps(m, frames, o)
	default:
		err = fmt.Errorf("-loop must be train or steps")
	}
	el := time.Since(t0)
	stop()
	if err != nil {
		return err
	}
	runtime.ReadMemStats(&after)
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru1); err != nil {
		return err
	}
	if o.memProfile != "" {
		f, err := os.Create(o.memProfile)
		if err != nil {
			return err
		}
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	steps := (len(frames) + o.batch - 1) / o.batch
	fmt.Printf("file %s: %d frames, %d atoms, species %v, batch %d, stress weight %g, GOGC %d, %s, loop %s, arena %v, free graph %v\n",
		o.data, len(frames), atoms, species, o.batch, o.stressWeight, o.gogc, o.precision, o.loop, o.arena, o.freeGraph)
	fmt.Printf("pairs per batch of %d (first batch) %d\n", o.batch, pairs)
	fmt.Printf("steps %d, %.3f s/step (orientation only), GC cycles %d\n", steps, el.Seconds()/float64(steps), after.NumGC-before.NumGC)
	fmt.Printf("minor page faults per step %d, CPU s per step %.2f (orientation only)\n", (ru1.Minflt-ru0.Minflt)/int64(steps),
		(cpuSeconds(ru1)-cpuSeconds(ru0))/float64(steps))
	fmt.Printf("allocated per step %.1f MB\n", float64(after.TotalAlloc-before.TotalAlloc)/float64(steps)/1e6)
	fmt.Printf("peak live heap %.1f MB (above %.1f MB before training)\n", float64(peak())/1e6, float64(base)/1e6)
	hwm, err := vmHWM()
	if err != nil {
		return err
	}
	fmt.Printf("peak resident (VmHWM) %.1f MB\n", float64(hwm)/1e6)
	return nil
}

// pairsPerBatch returns the number of pairs of the first batch.
func pairsPerBatch(frames []datasets.Frame, batch int, species []int, cutoff float64) (int, error) {
	var structs []*potentials.Structure
	for i := range frames[:min(batch, len(frames))] {
		structs = append(structs, potentials.StructureOf(&frames[i]))
	}
	b, err := potentials.NewBatch(structs, species, cutoff)
	if err != nil {
		return 0, err
	}
	return len(b.I), nil
}

// load returns n frames drawn without replacement from the file, seeded.
func load(path string, n int, seed uint64) ([]datasets.Frame, error) {
	f, err := datasets.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	refs := f.Refs()
	rng := rand.New(rand.NewPCG(seed, 17))
	rng.Shuffle(len(refs), func(i, j int) { refs[i], refs[j] = refs[j], refs[i] })
	if n > 0 && n < len(refs) {
		refs = refs[:n]
	}
	return f.Frames(refs)
}

var heapObjects = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}

func liveHeap() uint64 {
	s := slices.Clone(heapObjects)
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// samplePeak samples the heap-object bytes every 5 ms until stop is called.
func samplePeak() (stop func(), peak func() uint64) {
	var max atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			if v := liveHeap(); v > max.Load() {
				max.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }, max.Load
}

// vmHWM returns the peak resident set size of the process in bytes.
func vmHWM() (uint64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			var kb uint64
			if _, err := fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(v), "kB"), &kb); err != nil {
				return 0, err
			}
			return kb * 1024, nil
		}
	}
	return 0, fmt.Errorf("/proc/self/status: no VmHWM line")
}

func cpuSeconds(ru syscall.Rusage) float64 {
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
