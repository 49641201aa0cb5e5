// Command painnbench checks sciadapt's PaiNN potential against the same network in
// PyTorch (bench/painn/painn_torch.py) on batches of rMD17 molecules, then times
// energies+forces and a training step of both, in alternating blocks of Go and
// PyTorch calls so that both see the same machine load; with -schnet it also times
// the default SchNet-like model on the same batches (Go only). Run from the
// repository root on a quiet machine:
//
//	go run ./bench/painn/cmd/painnbench -data ../shared/data/rmd17
//	go run ./bench/painn/cmd/painnbench -check-only       # agreement only
//
// It prints Markdown tables (and writes all numbers as JSON with -json FILE) and
// exits 1 if PyTorch and Go disagree beyond 1e-8. See package bench/painn.
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

	"github.com/sciadapt/sciadapt/autodiff/openblas"
	"github.com/sciadapt/sciadapt/bench/painn"
	"github.com/sciadapt/sciadapt/bench/schnet"
	"github.com/sciadapt/sciadapt/internal/atomicfile"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
)

type options struct {
	data, molecules, python, script, jsonOut string
	batch, threads, goThreads                int
	features, interactions, rbf              int
	warm, repeats, rounds                    int
	noTorch, checkOnly, withSchNet           bool
}

// Row is one molecule's results; times are medians in ms, CPU times ms per call.
type Row struct {
	Name         string             `json:"name"`
	Atoms        int                `json:"atoms"`
	Pairs        int                `json:"pairs"`
	Load         [2]float64         `json:"load_1min"` // before and after the timing
	Check        map[string]float64 `json:"torch_check,omitempty"`
	Agrees       bool               `json:"torch_agrees"`
	Torch        string             `json:"torch_version,omitempty"`
	GoInferMs    float64            `json:"go_infer_ms"`
	GoTrainMs    float64            `json:"go_train_ms"`
	TorchInferMs float64            `json:"torch_infer_ms,omitempty"`
	TorchTrainMs float64            `json:"torch_train_ms,omitempty"`
	SchNetInfer  float64            `json:"go_schnet_infer_ms,omitempty"`
	SchNetTrain  float64            `json:"go_schnet_train_ms,omitempty"`
	CPU          map[string]float64 `json:"cpu_ms_per_call"`
}

// Report is everything a run measured.
type Report struct {
	Date          string            `json:"date"`
	NumCPU        int               `json:"nproc"`
	GOMAXPROCS    int               `json:"gomaxprocs"`
	BLASThreads   int               `json:"openblas_threads"`
	Config        potentials.Config `json:"config"`
	Parameters    int               `json:"parameters"`
	SchNetParams  int               `json:"schnet_parameters,omitempty"`
	Batch         int               `json:"batch"`
	CallsPerBlock int               `json:"calls_per_block"`
	Rounds        int               `json:"rounds"`
	Rows          []Row             `json:"molecules"`
}

func main() {
	var o options
	flag.StringVar(&o.data, "data", "../shared/data/rmd17", "directory of the rMD17 atoms files")
	flag.StringVar(&o.molecules, "molecules", "o_train.h5:ethanol,o_train.h5:salicylic,hcn_train.h5:azobenzene", "FILE:SYSTEM,… batches to time")
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

func run(o options, w io.Writer) error {
	if o.noTorch && o.checkOnly {
		return fmt.Errorf("-no-torch and -check-only leave nothing to do")
	}
	openblas.UseThreads(o.goThreads)
	cfg := painn.Config(o.features, o.interactions, o.rbf)
	rep := Report{Date: time.Now().UTC().Format("2006-01-02 15:04 MST"), NumCPU: runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0), BLASThreads: openblas.Threads(), Config: cfg, Batch: o.batch,
		CallsPerBlock: max(o.repeats/o.rounds, 1), Rounds: o.rounds}
	dir, err := os.MkdirTemp("", "painnbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for _, spec := range strings.Split(o.molecules, ",") {
		file, system, ok := strings.Cut(spec, ":")
		if !ok {
			return fmt.Errorf("-molecules: %q is not FILE:SYSTEM", spec)
		}
		row, err := runMolecule(o, &rep, filepath.Join(o.data, file), system, dir)
		rep.Rows = append(rep.Rows, row)
		if err != nil {
			printReport(w, &rep)
			return err
		}
	}
	printReport(w, &rep)
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

func runMolecule(o options, rep *Report, path, system, dir string) (Row, error) {
	frames, err := schnet.LoadFrames(path, system, o.batch)
	if err != nil {
		return Row{}, err
	}
	wl, err := painn.NewWorkload(system, frames, rep.Config)
	if err != nil {
		return Row{}, err
	}
	rep.Parameters, _ = nn.Counts(wl.Model)
	row := Row{Name: system, Atoms: wl.Atoms(), Pairs: wl.Pairs(), Load: [2]float64{load1(), 0}, CPU: map[string]float64{}}
	ss := []*series{{key: "go_infer", goF: func() { wl.Predict() }}, {key: "go_train", goF: func() { wl.Step() }}}
	var tp *painn.Torch
	if !o.noTorch {
		exp := filepath.Join(dir, system+".json")
		if err := wl.Export(exp); err != nil {
			return row, err
		}
		if tp, err = painn.StartTorch(o.python, o.script, exp, o.threads); err != nil {
			return row, err
		}
		defer tp.Close()
		row.Check, row.Agrees, row.Torch = tp.Head.Check, tp.Head.Agree, tp.Head.Torch
		if !tp.Head.Agree {
			return row, fmt.Errorf("%s: PyTorch and Go disagree beyond %g: %v", system, tp.Head.Tolerance, tp.Head.Check)
		}
		if o.checkOnly {
			return row, nil
		}
		ss = append(ss, &series{key: "torch_infer", torch: "infer"}, &series{key: "torch_train", torch: "train"})
	}
	if o.withSchNet {
		sw, err := schnet.NewWorkload(system, frames)
		if err != nil {
			return row, err
		}
		rep.SchNetParams, _ = nn.Counts(sw.Model)
		ss = append(ss, &series{key: "schnet_infer", goF: func() { sw.Predict() }}, &series{key: "schnet_train", goF: func() { sw.Step() }})
	}
	if err := timeSeries(o, ss, tp); err != nil {
		return row, err
	}
	row.Load[1] = load1()
	fill(&row, ss)
	return row, nil
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

// fill copies the medians and CPU times of the series into row.
func fill(row *Row, ss []*series) {
	for _, s := range ss {
		if len(s.times) == 0 {
			continue
		}
		med := schnet.Ms(schnet.Summarize(s.times).Median)
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

func printReport(w io.Writer, r *Report) {
	c := r.Config
	fmt.Fprintf(w, "date %s; nproc %d; GOMAXPROCS %d; Go OpenBLAS threads %d\n", r.Date, r.NumCPU, r.GOMAXPROCS, r.BLASThreads)
	fmt.Fprintf(w, "PaiNN F = %d, T = %d, K = %d, r_c = %g Å: %d parameters (SchNet-like default: %d); batches of %d molecules; median of %d calls in %d alternating blocks\n\n",
		c.Features, c.Interactions, c.RBF, c.Cutoff, r.Parameters, r.SchNetParams, r.Batch, r.CallsPerBlock*r.Rounds, r.Rounds)
	fmt.Fprintln(w, "| molecule | atoms | pairs | workload | PaiNN Go ms | PaiNN PyTorch ms | PyTorch/Go | SchNet-like Go ms | CPU ms/call Go, PyTorch | load before, after |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
	for _, x := range r.Rows {
		line := func(name string, g, t, s float64, gc, tc float64) {
			ratio := "–"
			if t > 0 && g > 0 {
				ratio = fmt.Sprintf("%.2f", t/g)
			}
			fmt.Fprintf(w, "| %s | %d | %d | %s | %.1f | %.1f | %s | %.1f | %.0f, %.0f | %.2f, %.2f |\n",
				x.Name, x.Atoms, x.Pairs, name, g, t, ratio, s, gc, tc, x.Load[0], x.Load[1])
		}
		line("energy+forces", x.GoInferMs, x.TorchInferMs, x.SchNetInfer, x.CPU["go_infer"], x.CPU["torch_infer"])
		line("training step", x.GoTrainMs, x.TorchTrainMs, x.SchNetTrain, x.CPU["go_train"], x.CPU["torch_train"])
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| molecule | PyTorch agrees (≤ 1e-8) | max rel. diff E, F, loss, ∇loss | max |ΔE| eV |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, x := range r.Rows {
		k := x.Check
		fmt.Fprintf(w, "| %s | %v | %.2g, %.2g, %.2g, %.2g | %.2g |\n", x.Name, x.Agrees,
			k["energy_rel_diff"], k["forces_rel_diff"], k["loss_rel_diff"], k["grad_rel_diff"], k["energy_abs_diff_ev"])
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
