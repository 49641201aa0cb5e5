// Command schnetbench times sciadapt's SchNet-like potential against the same
// architecture in PyTorch, side by side, on batches of rMD17 molecules, with the
// matrix-product floor of each workload, then times neighbour-list construction
// against atom count. Run from the repository root:
//
//	go run ./bench/schnet/cmd/schnetbench -data ../shared/data/rmd17
//
// It prints Markdown tables (and writes all numbers as JSON with -json FILE).
// See bench/schnet/RESULTS.md for a run and package bench/schnet for the maths.
package main

// #cgo LDFLAGS: -lopenblas
// void openblas_set_num_threads(int);
// int openblas_get_num_threads(void);
import "C"

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/autodiff/openblas"
	"github.com/sciadapt/sciadapt/bench/schnet"
	"github.com/sciadapt/sciadapt/internal/atomicfile"
	"github.com/sciadapt/sciadapt/potentials"
	"github.com/sciadapt/sciadapt/potentials/neighbor"
)

// Target is the speed-up over PyTorch that the issue asks for.
const Target = 3

type options struct {
	data, molecules, python, script, jsonOut, workDir string
	batch, threads, warm, repeats, rounds, nbRepeats  int
	goBLASThreads                                     int
	sizes, precisions                                 string
	skipTorch, noArena                                bool
}

// Row is one molecule's results.
type Row struct {
	Name      string `json:"name"`
	Precision string `json:"precision"` // of the network
	Molecules int    `json:"molecules"` // in the batch
	Arena     bool   `json:"arena"`     // Go reuses buffers (autodiff.Arena)
	// Peak Go memory of a call above the heap before it (live and garbage heap
	// objects, arena included, sampled every 2 ms), MB per molecule of the batch.
	GoInferMBPerFrame float64        `json:"go_infer_mb_per_frame"`
	GoTrainMBPerFrame float64        `json:"go_train_mb_per_frame"`
	Atoms             int            `json:"atoms"`
	Pairs             int            `json:"pairs"`
	Load              [2]float64     `json:"load_1min"` // before and after the timing
	BatchMs           float64        `json:"batch_build_ms"`
	GoInferMs         float64        `json:"go_infer_ms"`
	GoTrainMs         float64        `json:"go_train_ms"`
	TorchInferMs      float64        `json:"torch_infer_ms"`
	TorchTrainMs      float64        `json:"torch_train_ms"`
	InferGflop        float64        `json:"infer_gflop"`
	TrainGflop        float64        `json:"train_gflop"`
	InferFloorMs      float64        `json:"infer_floor_ms"`
	TrainFloorMs      float64        `json:"train_floor_ms"`
	InferGflops       float64        `json:"infer_floor_gflops"`
	TrainGflops       float64        `json:"train_floor_gflops"`
	TorchCheck        map[string]any `json:"torch_check,omitempty"`
	TorchAgrees       bool           `json:"torch_agrees"`
	TorchVersion      string         `json:"torch_version,omitempty"`
	TorchThreads      int            `json:"torch_threads,omitempty"`
	GoInferMin        float64        `json:"go_infer_min_ms"`
	GoTrainMin        float64        `json:"go_train_min_ms"`
	TorchInferMin     float64        `json:"torch_infer_min_ms"`
	TorchTrainMin     float64        `json:"torch_train_min_ms"`
	// Process CPU time (user + system, all threads) per timed call, ms.
	GoInferCPU    float64 `json:"go_infer_cpu_ms"`
	GoTrainCPU    float64 `json:"go_train_cpu_ms"`
	TorchInferCPU float64 `json:"torch_infer_cpu_ms"`
	TorchTrainCPU float64 `json:"torch_train_cpu_ms"`
}

// NbRow is one neighbour-list size.
type NbRow struct {
	Atoms     int     `json:"atoms"`
	Pairs     int     `json:"pairs"`
	Ms        float64 `json:"ms"`
	NsPerAtom float64 `json:"ns_per_atom"`
	Load      float64 `json:"load_1min"`
}

// Report is everything a run measured.
type Report struct {
	Date       string  `json:"date"`
	CPU        string  `json:"cpu"`
	NumCPU     int     `json:"nproc"`
	GOMAXPROCS int     `json:"gomaxprocs"`
	BLASThr    int     `json:"openblas_threads"`
	PeakGflops float64 `json:"dgemm_1024_gflops"`
	PeakSGflop float64 `json:"sgemm_1024_gflops"`
	Rows       []Row   `json:"molecules"`
	Neighbor   []NbRow `json:"neighbor"`
}

func main() {
	var o options
	flag.StringVar(&o.data, "data", "../shared/data/rmd17", "directory of the rMD17 atoms files")
	flag.StringVar(&o.molecules, "molecules", "o_train.h5:ethanol,o_train.h5:salicylic,hcn_train.h5:azobenzene,hcn_train.h5:naphthalene:1",
		"FILE:SYSTEM[:MOLECULES],… batches to time (MOLECULES defaults to -batch; naphthalene:1 is one 18-atom molecule, what MD calls)")
	flag.StringVar(&o.precisions, "precisions", "float64,float32", "network precisions to time, in order")
	flag.BoolVar(&o.noArena, "no-arena", false, "Go allocates every result afresh (no autodiff.Arena)")
	flag.IntVar(&o.batch, "batch", 32, "molecules per batch")
	flag.IntVar(&o.threads, "threads", 2, "BLAS and PyTorch threads")
	flag.IntVar(&o.goBLASThreads, "go-blas-threads", 0, "OpenBLAS threads of the Go side (0: -threads); the sciadapt command uses 1")
	flag.IntVar(&o.warm, "warm", 3, "untimed calls before timing")
	flag.IntVar(&o.repeats, "repeats", 15, "timed calls; the median is reported")
	flag.IntVar(&o.rounds, "rounds", 5, "alternating Go/PyTorch blocks the timed calls are split into")
	flag.StringVar(&o.python, "python", "/usr/bin/python3", "Python with torch")
	flag.StringVar(&o.script, "script", "bench/schnet/schnet_torch.py", "the PyTorch half")
	flag.StringVar(&o.workDir, "work", "", "directory for the exchange JSON files (default: a temporary one)")
	flag.StringVar(&o.jsonOut, "json", "", "also write all numbers to this JSON file")
	flag.StringVar(&o.sizes, "sizes", "1000,10000,100000", "atom counts for the neighbour-list timing")
	flag.IntVar(&o.nbRepeats, "nb-repeats", 5, "timed neighbour-list builds per size")
	flag.BoolVar(&o.skipTorch, "no-torch", false, "time Go only")
	flag.Parse()
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "schnetbench:", err)
		os.Exit(1)
	}
}

func run(o options, w io.Writer) error {
	openblas.Use()
	goBLAS := o.threads
	if o.goBLASThreads > 0 {
		goBLAS = o.goBLASThreads
	}
	C.openblas_set_num_threads(C.int(goBLAS))
	rep := Report{Date: time.Now().UTC().Format("2006-01-02 15:04 MST"), CPU: cpuModel(),
		NumCPU: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), BLASThr: int(C.openblas_get_num_threads())}
	peak := []schnet.Gemm{{M: 1024, N: 1024, K: 1024, Count: 1}}
	_, rate := schnet.Floor(peak, 5)
	rep.PeakGflops = rate / 1e9
	_, rate = schnet.FloorOf(peak, 5, autodiff.Float32)
	rep.PeakSGflop = rate / 1e9
	dir := o.workDir
	if dir == "" {
		d, err := os.MkdirTemp("", "schnetbench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	precisions, err := parsePrecisions(o.precisions)
	if err != nil {
		return err
	}
	for _, spec := range strings.Split(o.molecules, ",") {
		parts := strings.Split(spec, ":")
		n := o.batch
		if len(parts) == 3 {
			if n, err = strconv.Atoi(parts[2]); err != nil || n < 1 {
				return fmt.Errorf("-molecules: %q: MOLECULES must be a positive count", spec)
			}
		}
		if len(parts) < 2 || len(parts) > 3 {
			return fmt.Errorf("-molecules: %q is not FILE:SYSTEM[:MOLECULES]", spec)
		}
		for _, dt := range precisions {
			row, err := runMolecule(o, filepath.Join(o.data, parts[0]), parts[1], n, dt, dir)
			if err != nil {
				return err
			}
			rep.Rows = append(rep.Rows, row)
		}
	}
	for _, s := range strings.Split(o.sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("-sizes: %q is not a positive atom count", s)
		}
		r, err := timeNeighbor(n, o.nbRepeats)
		if err != nil {
			return err
		}
		rep.Neighbor = append(rep.Neighbor, r)
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

// parsePrecisions reads -precisions.
func parsePrecisions(s string) ([]autodiff.DType, error) {
	var dts []autodiff.DType
	for _, p := range strings.Split(s, ",") {
		switch strings.TrimSpace(p) {
		case "float64":
			dts = append(dts, autodiff.Float64)
		case "float32":
			dts = append(dts, autodiff.Float32)
		default:
			return nil, fmt.Errorf("-precisions: %q is not float64 or float32", p)
		}
	}
	return dts, nil
}

func runMolecule(o options, path, system string, molecules int, dt autodiff.DType, dir string) (Row, error) {
	frames, err := schnet.LoadFrames(path, system, molecules)
	if err != nil {
		return Row{}, err
	}
	wl, err := schnet.NewWorkload(system, frames)
	if err != nil {
		return Row{}, err
	}
	if err := wl.SetPrecision(dt); err != nil {
		return Row{}, err
	}
	row := Row{Name: system, Precision: dt.String(), Molecules: molecules, Arena: !o.noArena,
		Atoms: wl.Atoms(), Pairs: wl.Pairs()}
	exp := filepath.Join(dir, fmt.Sprintf("%s_%d_%s.json", system, molecules, dt))
	if err := wl.Export(exp); err != nil {
		return Row{}, err
	}
	structs := make([]*potentials.Structure, len(frames))
	for i := range frames {
		structs[i] = potentials.StructureOf(&frames[i])
	}
	row.Load[0] = load1()
	row.BatchMs = schnet.Ms(schnet.Time(func() {
		if _, err := potentials.NewBatch(structs, schnet.Species, wl.Model.Config.Cutoff); err != nil {
			panic(err) // the same structures built a batch above
		}
	}, o.warm, o.repeats).Median)

	layers := schnet.Layers(wl.Model.Config, row.Atoms, row.Pairs)
	gi, gt := schnet.Matmuls(layers, false), schnet.Matmuls(layers, true)
	row.InferGflop, row.TrainGflop = schnet.TotalFlops(gi)/1e9, schnet.TotalFlops(gt)/1e9
	fi, ri := schnet.FloorOf(gi, 21, dt)
	ft, rt := schnet.FloorOf(gt, 21, dt)
	row.InferFloorMs, row.TrainFloorMs = schnet.Ms(fi), schnet.Ms(ft)
	row.InferGflops, row.TrainGflops = ri/1e9, rt/1e9

	goInfer := func() { wl.Predict() }
	goTrain := func() { wl.Step() }
	row.GoInferMBPerFrame = wl.PeakMB(goInfer, !o.noArena) / float64(molecules)
	row.GoTrainMBPerFrame = wl.PeakMB(goTrain, !o.noArena) / float64(molecules)
	if o.skipTorch {
		row.GoInferMs = schnet.Ms(schnet.Time(goInfer, o.warm, o.repeats).Median)
		row.GoTrainMs = schnet.Ms(schnet.Time(goTrain, o.warm, o.repeats).Median)
		return row, nil
	}
	t, err := startTorch(o, exp)
	if err != nil {
		return Row{}, err
	}
	defer t.close()
	row.TorchCheck, row.TorchAgrees = t.head.Check, t.head.Agree
	row.TorchVersion, row.TorchThreads = t.head.Torch, t.head.Threads
	if !t.head.Agree {
		return row, fmt.Errorf("%s: PyTorch and Go disagree: %v", exp, t.head.Check)
	}
	// Alternate blocks of calls, Go then PyTorch, so that both see the same load.
	block := max(o.repeats/o.rounds, 1)
	var gI, gT, tI, tT []time.Duration
	var cpu [4]time.Duration // Go infer, Go train, PyTorch infer, PyTorch train
	for k, wk := range []struct {
		name   string
		f      func()
		gs, ts *[]time.Duration
	}{{"infer", goInfer, &gI, &tI}, {"train", goTrain, &gT, &tT}} {
		schnet.Time(wk.f, o.warm, 1)
		if _, _, err := t.calls(wk.name, o.warm+1); err != nil {
			return Row{}, err
		}
		for r := 0; r < o.rounds; r++ {
			c0 := cpuTime()
			for range block {
				t0 := time.Now()
				wk.f()
				*wk.gs = append(*wk.gs, time.Since(t0))
			}
			cpu[k] += cpuTime() - c0
			ds, c, err := t.calls(wk.name, block)
			if err != nil {
				return Row{}, err
			}
			*wk.ts = append(*wk.ts, ds...)
			cpu[2+k] += c
		}
	}
	n := time.Duration(block * o.rounds)
	row.GoInferCPU, row.GoTrainCPU = schnet.Ms(cpu[0]/n), schnet.Ms(cpu[1]/n)
	row.TorchInferCPU, row.TorchTrainCPU = schnet.Ms(cpu[2]/n), schnet.Ms(cpu[3]/n)
	row.Load[1] = load1()
	row.GoInferMs, row.GoTrainMs = schnet.Ms(schnet.Summarize(gI).Median), schnet.Ms(schnet.Summarize(gT).Median)
	row.TorchInferMs, row.TorchTrainMs = schnet.Ms(schnet.Summarize(tI).Median), schnet.Ms(schnet.Summarize(tT).Median)
	row.GoInferMin, row.GoTrainMin = schnet.Ms(schnet.Summarize(gI).Min), schnet.Ms(schnet.Summarize(gT).Min)
	row.TorchInferMin, row.TorchTrainMin = schnet.Ms(schnet.Summarize(tI).Min), schnet.Ms(schnet.Summarize(tT).Min)
	return row, nil
}

// torchProc is schnet_torch.py in --serve mode.
type torchProc struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
	head struct {
		Torch   string         `json:"torch"`
		Threads int            `json:"threads"`
		Check   map[string]any `json:"check"`
		Agree   bool           `json:"agree"`
	}
}

func startTorch(o options, exp string) (*torchProc, error) {
	cmd := exec.Command(o.python, o.script, "--serve", "--threads", strconv.Itoa(o.threads), exp)
	cmd.Env = append(os.Environ(), "OPENBLAS_NUM_THREADS="+strconv.Itoa(o.threads),
		"OMP_NUM_THREADS="+strconv.Itoa(o.threads), "MKL_NUM_THREADS="+strconv.Itoa(o.threads))
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s %s: %v", o.python, o.script, err)
	}
	t := &torchProc{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<16)}
	line, err := t.out.ReadBytes('\n')
	if err == nil {
		err = json.Unmarshal(line, &t.head)
	}
	if err != nil {
		t.close()
		return nil, fmt.Errorf("%s %s: no agreement line: %v", o.script, exp, err)
	}
	return t, nil
}

// calls asks for k timed calls of workload and returns their times and the process
// CPU time of all k.
func (t *torchProc) calls(workload string, k int) ([]time.Duration, time.Duration, error) {
	if _, err := fmt.Fprintf(t.in, "%s %d\n", workload, k); err != nil {
		return nil, 0, err
	}
	line, err := t.out.ReadBytes('\n')
	if err != nil {
		return nil, 0, fmt.Errorf("PyTorch %s: %v", workload, err)
	}
	var r struct {
		Ms  []float64 `json:"ms"`
		CPU float64   `json:"cpu_ms"`
	}
	if err := json.Unmarshal(line, &r); err != nil {
		return nil, 0, fmt.Errorf("PyTorch %s: %v", workload, err)
	}
	ds := make([]time.Duration, len(r.Ms))
	for i, v := range r.Ms {
		ds[i] = time.Duration(v * 1e6)
	}
	return ds, time.Duration(r.CPU * 1e6), nil
}

func (t *torchProc) close() {
	t.in.Close()
	t.cmd.Wait()
}

// timeNeighbor times neighbor.Build for n random atoms at 0.1 atoms/Å³ in a
// periodic cube with a 5 Å cutoff (about 52 neighbours per atom).
func timeNeighbor(n, repeats int) (NbRow, error) {
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	a := math.Cbrt(float64(n) / 0.1)
	pos := make([]float64, 3*n)
	for i := range pos {
		pos[i] = a * rng.Float64()
	}
	cell := [9]float64{a, 0, 0, 0, a, 0, 0, 0, a}
	var l *neighbor.List
	var err error
	r := NbRow{Atoms: n, Load: load1()}
	t := schnet.Time(func() {
		l, err = neighbor.Build(pos, &cell, [3]bool{true, true, true}, neighbor.Options{Cutoff: 5})
	}, 1, repeats)
	if err != nil {
		return r, err
	}
	r.Pairs = l.Len()
	r.Ms = schnet.Ms(t.Median)
	r.NsPerAtom = float64(t.Median.Nanoseconds()) / float64(n)
	return r, nil
}

func printReport(w io.Writer, r *Report, o options) {
	fmt.Fprintf(w, "date %s; CPU %s; nproc %d; GOMAXPROCS %d; OpenBLAS threads %d; PyTorch threads %d\n",
		r.Date, r.CPU, r.NumCPU, r.GOMAXPROCS, r.BLASThr, o.threads)
	fmt.Fprintf(w, "dgemm 1024³: %.1f GFLOP/s, sgemm 1024³: %.1f GFLOP/s; Go arena %v; median of %d calls in %d alternating Go/PyTorch blocks after %d warm-up calls\n\n",
		r.PeakGflops, r.PeakSGflop, !o.noArena, max(o.repeats/o.rounds, 1)*o.rounds, o.rounds, o.warm)
	fmt.Fprintln(w, "| molecule ×N | precision | atoms | pairs | workload | Go ms | PyTorch ms | PyTorch/Go | matmul GFLOP | floor ms | floor GFLOP/s | Go/floor | target ≥3× met? | min ms Go, PyTorch | CPU ms/call Go, PyTorch | Go MB/molecule | load before, after |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, x := range r.Rows {
		line := func(name string, g, t, gf, fl, rate, gmin, tmin, gcpu, tcpu, mb float64) {
			ratio, met := "–", "–"
			if t > 0 {
				ratio = fmt.Sprintf("%.2f", t/g)
				met = "no"
				if t/g >= Target {
					met = "yes"
				}
			}
			fmt.Fprintf(w, "| %s ×%d | %s | %d | %d | %s | %.2f | %.2f | %s | %.4f | %.2f | %.1f | %.1f | %s | %.2f, %.2f | %.1f, %.1f | %.2f | %.2f, %.2f |\n",
				x.Name, x.Molecules, x.Precision, x.Atoms, x.Pairs, name, g, t, ratio, gf, fl, rate, g/fl, met, gmin, tmin, gcpu, tcpu, mb, x.Load[0], x.Load[1])
		}
		line("energy+forces", x.GoInferMs, x.TorchInferMs, x.InferGflop, x.InferFloorMs, x.InferGflops, x.GoInferMin, x.TorchInferMin, x.GoInferCPU, x.TorchInferCPU, x.GoInferMBPerFrame)
		line("training step", x.GoTrainMs, x.TorchTrainMs, x.TrainGflop, x.TrainFloorMs, x.TrainGflops, x.GoTrainMin, x.TorchTrainMin, x.GoTrainCPU, x.TorchTrainCPU, x.GoTrainMBPerFrame)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| molecule ×N | precision | batch build (neighbour lists) ms | PyTorch agrees (float64 ≤1e-8, float32 ≤1e-5) | max rel. diff E, F, loss, ∇loss | max |ΔE| eV |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, x := range r.Rows {
		c := x.TorchCheck
		fmt.Fprintf(w, "| %s ×%d | %s | %.2f | %v | %v, %v, %v, %v | %v |\n", x.Name, x.Molecules, x.Precision, x.BatchMs, x.TorchAgrees,
			c["energy_rel_diff"], c["forces_rel_diff"], c["loss_rel_diff"], c["grad_rel_diff"], c["energy_abs_diff_ev"])
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| atoms (periodic, 0.1 Å⁻³, 5 Å) | pairs/atom | neighbor.Build ms | ns/atom | load |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, n := range r.Neighbor {
		fmt.Fprintf(w, "| %d | %.1f | %.2f | %.0f | %.2f |\n", n.Atoms, float64(n.Pairs)/float64(n.Atoms), n.Ms, n.NsPerAtom, n.Load)
	}
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if k, v, ok := strings.Cut(s.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// load1 returns the one-minute load average, or NaN if unknown.
func load1() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return math.NaN()
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return math.NaN()
	}
	return v
}
