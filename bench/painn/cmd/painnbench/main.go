// Command painnbench checks sciadapt's PaiNN potential against the same network in
// PyTorch (bench/painn/painn_torch.py) on batches of rMD17 molecules, then times
// energies+forces and a training step of both, in alternating blocks of Go and
// PyTorch calls so that both see the same machine load, with the matrix-product
// floor of PaiNN's own layers and Go's memory per molecule beside them. Each batch
// is timed with the network in float64 and in float32 (Workload.SetPrecision; the
// PyTorch twin follows the export's precision), and one naphthalene molecule is
// timed as well (the call an MD step makes). With -schnet (the default) it also
// times the default SchNet-like model (Go, same precision) on the same batches.
// Run from the repository root on a quiet machine:
//
//	go build -o /tmp/painnbench ./bench/painn/cmd/painnbench
//	/tmp/painnbench -data ../shared/data/rmd17 -threads 2 -go-blas-threads 1 -json out.json
//	/tmp/painnbench -check-only       # agreement only
//
// It prints Markdown tables (and writes all numbers as JSON with -json FILE) and
// exits 1 if PyTorch and Go disagree beyond 1e-8 (float64) or 1e-5 (float32). See
// package bench/painn.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/autodiff/openblas"
	"github.com/sciadapt/sciadapt/bench/painn"
	"github.com/sciadapt/sciadapt/bench/schnet"
	"github.com/sciadapt/sciadapt/internal/atomicfile"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
)

// Target is the speed-up over PyTorch that issue 17 asks for.
const Target = 3

// floorRepeats is the number of timed calls of each matrix product of the floor.
const floorRepeats = 21

type options struct {
	data, molecules, precisions, python, script, jsonOut string
	batch, threads, goThreads                            int
	features, interactions, rbf                          int
	warm, repeats, rounds                                int
	noTorch, checkOnly, withSchNet, noArena              bool
}

// Row is one batch in one precision; times are medians in ms, CPU times ms per call.
type Row struct {
	Name      string     `json:"name"`
	Precision string     `json:"precision"` // of the network
	Molecules int        `json:"molecules"` // in the batch
	Arena     bool       `json:"arena"`     // Go reuses buffers (autodiff.Arena)
	Atoms     int        `json:"atoms"`
	Pairs     int        `json:"pairs"`
	Load      [2]float64 `json:"load_1min"` // before and after the timing
	// Agreement with PyTorch: relative differences and the tolerance applied.
	Check          map[string]float64 `json:"torch_check,omitempty"`
	Agrees         bool               `json:"torch_agrees"`
	Tolerance      float64            `json:"torch_tolerance,omitempty"`
	Torch          string             `json:"torch_version,omitempty"`
	TorchPrecision string             `json:"torch_precision,omitempty"`
	GoInferMs      float64            `json:"go_infer_ms"`
	GoTrainMs      float64            `json:"go_train_ms"`
	TorchInferMs   float64            `json:"torch_infer_ms,omitempty"`
	TorchTrainMs   float64            `json:"torch_train_ms,omitempty"`
	SchNetInfer    float64            `json:"go_schnet_infer_ms,omitempty"`
	SchNetTrain    float64            `json:"go_schnet_train_ms,omitempty"`
	Min            map[string]float64 `json:"min_ms"`
	CPU            map[string]float64 `json:"cpu_ms_per_call"`
	// The matrix products of PaiNN's Linear layers (painn.Layers, schnet.Matmuls):
	// GFLOP per call, the time they alone take at the measured gemm rate, that rate.
	InferGflop   float64 `json:"infer_gflop"`
	TrainGflop   float64 `json:"train_gflop"`
	InferFloorMs float64 `json:"infer_floor_ms"`
	TrainFloorMs float64 `json:"train_floor_ms"`
	InferGflops  float64 `json:"infer_floor_gflops"`
	TrainGflops  float64 `json:"train_floor_gflops"`
	// Peak Go heap during two calls above the heap before them (Workload.PeakMB),
	// MB per molecule of the batch.
	GoInferMBPerMol float64 `json:"go_infer_mb_per_molecule"`
	GoTrainMBPerMol float64 `json:"go_train_mb_per_molecule"`
}

// Report is everything a run measured.
type Report struct {
	Date          string            `json:"date"`
	NumCPU        int               `json:"nproc"`
	GOMAXPROCS    int               `json:"gomaxprocs"`
	BLASThreads   int               `json:"openblas_threads"`
	DgemmGflops   float64           `json:"dgemm_1024_gflops"`
	SgemmGflops   float64           `json:"sgemm_1024_gflops"`
	Config        potentials.Config `json:"config"`
	Parameters    int               `json:"parameters"`
	SchNetParams  int               `json:"schnet_parameters,omitempty"`
	Arena         bool              `json:"arena"`
	Warm          int               `json:"warm"`
	CallsPerBlock int               `json:"calls_per_block"`
	Rounds        int               `json:"rounds"`
	Rows          []Row             `json:"molecules"`
}

func main() {
	var o options
	flag.StringVar(&o.data, "data", "../shared/data/rmd17", "directory of the rMD17 atoms files")
	flag.StringVar(&o.molecules, "molecules", "o_train.h5:ethanol,o_train.h5:salicylic,hcn_train.h5:azobenzene,hcn_train.h5:naphthalene:1",
		"FILE:SYSTEM[:MOLECULES],… batches to time (MOLECULES defaults to -batch; naphthalene:1 is one 18-atom molecule, what MD calls)")
	flag.StringVar(&o.precisions, "precisions", "float64,float32", "network precisions to time, in order")
	flag.BoolVar(&o.noArena, "no-arena", false, "Go allocates every result afresh (no autodiff.Arena)")
	flag.IntVar(&o.batch, "batch", 32, "molecules per batch")
	flag.IntVar(&o.features, "features", 64, "PaiNN features F")
	flag.IntVar(&o.interactions, "interactions", 3, "PaiNN interaction blocks")
	flag.IntVar(&o.rbf, "rbf", 20, "PaiNN radial basis functions")
	flag.IntVar(&o.threads, "threads", 2, "PyTorch threads (and its BLAS's)")
	flag.IntVar(&o.goThreads, "go-blas-threads", 1, "OpenBLAS threads of the Go side (the sciadapt command uses 1)")
	flag.IntVar(&o.warm, "warm", 3, "untimed calls of each side before timing")
	flag.IntVar(&o.repeats, "repeats", 15, "timed calls of each side; the median is reported")
	flag.IntVar(&o.rounds, "rounds", 5, "alternating Go/PyTorch blocks the timed calls are split into")
	flag.StringVar(&o.python, "python", "/usr/bin/python3", "Python with torch")
	flag.StringVar(&o.script, "script", "bench/painn/painn_torch.py", "the PyTorch half")
	flag.StringVar(&o.jsonOut, "json", "", "also write all numbers to this JSON file")
	flag.BoolVar(&o.noTorch, "no-torch", false, "time Go only")
	flag.BoolVar(&o.checkOnly, "check-only", false, "check the agreement with PyTorch, time nothing")
	flag.BoolVar(&o.withSchNet, "schnet", true, "also time the default SchNet-like model (Go) on the same batches")
	flag.Parse()
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "painnbench:", err)
		os.Exit(1)
	}
}

// batchSpec is one entry of -molecules.
type batchSpec struct {
	file, system string
	molecules    int
}

// parseMolecules reads -molecules: FILE:SYSTEM[:MOLECULES],… with MOLECULES
// defaulting to batch.
func parseMolecules(s string, batch int) ([]batchSpec, error) {
	var bs []batchSpec
	for _, spec := range strings.Split(s, ",") {
		parts := strings.Split(strings.TrimSpace(spec), ":")
		if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
			return nil, fmt.Errorf("-molecules: %q is not FILE:SYSTEM[:MOLECULES]", spec)
		}
		b := batchSpec{file: parts[0], system: parts[1], molecules: batch}
		if len(parts) == 3 {
			n, err := strconv.Atoi(parts[2])
			if err != nil || n < 1 {
				return nil, fmt.Errorf("-molecules: %q: MOLECULES must be a positive count", spec)
			}
			b.molecules = n
		}
		bs = append(bs, b)
	}
	return bs, nil
}

// parsePrecisions reads -precisions.
func parsePrecisions(s string) ([]ad.DType, error) {
	var dts []ad.DType
	for _, p := range strings.Split(s, ",") {
		switch strings.TrimSpace(p) {
		case "float64":
			dts = append(dts, ad.Float64)
		case "float32":
			dts = append(dts, ad.Float32)
		default:
			return nil, fmt.Errorf("-precisions: %q is not float64 or float32", p)
		}
	}
	return dts, nil
}

func run(o options, w io.Writer) error {
	if o.noTorch && o.checkOnly {
		return fmt.Errorf("-no-torch and -check-only leave nothing to do")
	}
	specs, err := parseMolecules(o.molecules, o.batch)
	if err != nil {
		return err
	}
	precisions, err := parsePrecisions(o.precisions)
	if err != nil {
		return err
	}
	openblas.UseThreads(o.goThreads)
	cfg := painn.Config(o.features, o.interactions, o.rbf)
	rep := Report{Date: time.Now().UTC().Format("2006-01-02 15:04 MST"), NumCPU: runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0), BLASThreads: openblas.Threads(), Config: cfg, Arena: !o.noArena,
		Warm: o.warm, CallsPerBlock: max(o.repeats/o.rounds, 1), Rounds: o.rounds}
	if !o.checkOnly {
		peak := []schnet.Gemm{{M: 1024, N: 1024, K: 1024, Count: 1}}
		_, rate := schnet.FloorOf(peak, 5, ad.Float64)
		rep.DgemmGflops = rate / 1e9
		_, rate = schnet.FloorOf(peak, 5, ad.Float32)
		rep.SgemmGflops = rate / 1e9
	}
	dir, err := os.MkdirTemp("", "painnbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for _, b := range specs {
		for _, dt := range precisions {
			row, err := runMolecule(o, &rep, filepath.Join(o.data, b.file), b, dt, dir)
			rep.Rows = append(rep.Rows, row)
			if err != nil {
				printReport(w, &rep, o)
				return err
			}
		}
	}
	printReport(w, &rep, o)
	if o.jsonOut != "" {
		return atomicfile.Write(o.jsonOut, func(f io.Writer) error {
			e := json.NewEncoder(f)
			e.SetIndent("", "  ")
			return e.Encode(&rep)
		})
	}
	return nil
}

// series is one timed workload: a Go function or a PyTorch workload name.
type series struct {
	key   string
	goF   func()
	torch string // "" for Go
	times []time.Duration
	cpu   time.Duration
}

func runMolecule(o options, rep *Report, path string, b batchSpec, dt ad.DType, dir string) (Row, error) {
	frames, err := schnet.LoadFrames(path, b.system, b.molecules)
	if err != nil {
		return Row{}, err
	}
	wl, err := painn.NewWorkload(b.system, frames, rep.Config)
	if err != nil {
		return Row{}, err
	}
	if err := wl.SetPrecision(dt); err != nil {
		return Row{}, err
	}
	rep.Parameters, _ = nn.Counts(wl.Model)
	row := Row{Name: b.system, Precision: wl.Model.Precision().String(), Molecules: b.molecules,
		Atoms: wl.Atoms(), Pairs: wl.Pairs(), Load: [2]float64{load1(), 0},
		Min: map[string]float64{}, CPU: map[string]float64{}}
	infer, train := func() { wl.Predict() }, func() { wl.Step() }
	ss := []*series{{key: "go_infer", goF: infer}, {key: "go_train", goF: train}}
	var tp *painn.Torch
	if !o.noTorch {
		// Exported before any step, so that both sides start from the same weights.
		if tp, err = startTorch(o, &row, wl, dt, dir); err != nil {
			return row, err
		}
		defer tp.Close()
		if o.checkOnly {
			return row, nil
		}
		ss = append(ss, &series{key: "torch_infer", torch: "infer"}, &series{key: "torch_train", torch: "train"})
	}
	floor(&row, rep.Config, dt)
	// PeakMB leaves a fresh arena on wl (or none with -no-arena) for the timing.
	row.GoInferMBPerMol = wl.PeakMB(infer, !o.noArena) / float64(b.molecules)
	row.GoTrainMBPerMol = wl.PeakMB(train, !o.noArena) / float64(b.molecules)
	if o.withSchNet {
		sw, err := schnet.NewWorkload(b.system, frames)
		if err != nil {
			return row, err
		}
		if err := sw.SetPrecision(dt); err != nil {
			return row, err
		}
		if !o.noArena {
			sw.Arena = ad.NewArena()
		}
		rep.SchNetParams, _ = nn.Counts(sw.Model)
		ss = append(ss, &series{key: "schnet_infer", goF: func() { sw.Predict() }}, &series{key: "schnet_train", goF: func() { sw.Step() }})
	}
	if err := timeSeries(o, ss, tp); err != nil {
		return row, err
	}
	row.Load[1] = load1()
	row.Arena = wl.Arena != nil
	fill(&row, ss)
	return row, nil
}

// startTorch exports wl, starts painn_torch.py on it and records its agreement in
// row. It returns an error if PyTorch disagrees, computes in another precision
// than dt or applies a looser tolerance than painn.Tolerance(dt).
func startTorch(o options, row *Row, wl *schnet.Workload, dt ad.DType, dir string) (*painn.Torch, error) {
	exp := filepath.Join(dir, fmt.Sprintf("%s_%d_%s.json", row.Name, row.Molecules, dt))
	if err := wl.Export(exp); err != nil {
		return nil, err
	}
	tp, err := painn.StartTorch(o.python, o.script, exp, o.threads)
	if err != nil {
		return nil, err
	}
	h := tp.Head
	row.Check, row.Agrees, row.Tolerance, row.Torch, row.TorchPrecision = h.Check, h.Agree, h.Tolerance, h.Torch, h.Precision
	switch {
	case h.Precision != dt.String():
		err = fmt.Errorf("%s ×%d: PyTorch computes in %q, Go in %s", row.Name, row.Molecules, h.Precision, dt)
	case !(h.Tolerance <= painn.Tolerance(dt)):
		err = fmt.Errorf("%s ×%d, %s: PyTorch checks to %g, looser than %g", row.Name, row.Molecules, dt, h.Tolerance, painn.Tolerance(dt))
	case !h.Agree:
		err = fmt.Errorf("%s ×%d, %s: PyTorch and Go disagree beyond %g: %v", row.Name, row.Molecules, dt, h.Tolerance, h.Check)
	}
	if err != nil {
		row.Agrees = false
		tp.Close()
		return nil, err
	}
	return tp, nil
}

// floor fills the matrix-product floor of row's batch: PaiNN's Linear layers
// (painn.Layers) timed with dgemm or sgemm as dt asks (schnet.FloorOf).
func floor(row *Row, cfg potentials.Config, dt ad.DType) {
	layers := painn.Layers(cfg, row.Atoms, row.Pairs)
	gi, gt := schnet.Matmuls(layers, false), schnet.Matmuls(layers, true)
	row.InferGflop, row.TrainGflop = schnet.TotalFlops(gi)/1e9, schnet.TotalFlops(gt)/1e9
	fi, ri := schnet.FloorOf(gi, floorRepeats, dt)
	ft, rt := schnet.FloorOf(gt, floorRepeats, dt)
	row.InferFloorMs, row.TrainFloorMs = schnet.Ms(fi), schnet.Ms(ft)
	row.InferGflops, row.TrainGflops = ri/1e9, rt/1e9
}

// timeSeries warms every series up, then runs o.rounds rounds, each a block of
// calls of every series in turn, so that all see the same load.
func timeSeries(o options, ss []*series, tp *painn.Torch) error {
	block := max(o.repeats/o.rounds, 1)
	for _, s := range ss {
		if s.torch == "" {
			schnet.Time(s.goF, o.warm, 1)
		} else if _, _, err := tp.Calls(s.torch, o.warm+1); err != nil {
			return err
		}
	}
	for range o.rounds {
		for _, s := range ss {
			if s.torch != "" {
				ds, c, err := tp.Calls(s.torch, block)
				if err != nil {
					return err
				}
				s.times, s.cpu = append(s.times, ds...), s.cpu+c
				continue
			}
			c0 := cpuTime()
			for range block {
				t0 := time.Now()
				s.goF()
				s.times = append(s.times, time.Since(t0))
			}
			s.cpu += cpuTime() - c0
		}
	}
	return nil
}

// fill copies the medians, minima and CPU times of the series into row.
func fill(row *Row, ss []*series) {
	for _, s := range ss {
		if len(s.times) == 0 {
			continue
		}
		sum := schnet.Summarize(s.times)
		med := schnet.Ms(sum.Median)
		row.Min[s.key] = schnet.Ms(sum.Min)
		row.CPU[s.key] = schnet.Ms(s.cpu / time.Duration(len(s.times)))
		switch s.key {
		case "go_infer":
			row.GoInferMs = med
		case "go_train":
			row.GoTrainMs = med
		case "torch_infer":
			row.TorchInferMs = med
		case "torch_train":
			row.TorchTrainMs = med
		case "schnet_infer":
			row.SchNetInfer = med
		case "schnet_train":
			row.SchNetTrain = med
		}
	}
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// load1 returns the one-minute load average, or −1 if unknown.
func load1() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}
