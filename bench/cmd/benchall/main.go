// Command benchall times sciadapt's autodiff engine against PyTorch and raw OpenBLAS
// on the workloads of package bench, prints a table of the ratios against their
// targets and writes bench/out/results.json.
//
// Run it from the repository root:
//
//	go run ./bench/cmd/benchall            (or: make bench)
//	go run ./bench/cmd/benchall -only gemm_256,gemm_1024 -rounds 1
//
// Go and PyTorch alternate workload by workload (PyTorch runs in one long-lived
// /usr/bin/python3 process, bench/torch/engine_bench.py --serve), for -rounds
// rounds, so that a change of load on the machine hits both sides alike; each
// round times -runs runs per side and the median of all runs is reported.
//
// OpenBLAS reads OPENBLAS_NUM_THREADS when it is loaded, before main runs, so
// benchall re-executes itself with OPENBLAS_NUM_THREADS set to -threads (default 2)
// when it is not already set to that; it also sets GOMAXPROCS to -threads and runs
// PyTorch with torch.set_num_threads(-threads) and the same OPENBLAS_NUM_THREADS.
// OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are passed on unchanged and recorded.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/autodiff/openblas"
	"github.com/sciadapt/sciadapt/bench"
	"github.com/sciadapt/sciadapt/internal/atomicfile"
)

// reexecMark is set in the environment of the re-executed process, so that a
// failure to take OPENBLAS_NUM_THREADS into account cannot loop.
const reexecMark = "SCIADAPT_BENCHALL_REEXEC"

func main() { os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr)) }

// Options are benchall's flags.
type Options struct {
	Threads int
	Rounds  int
	Runs    int
	MinRun  time.Duration
	WarmUp  time.Duration
	Python  string
	Script  string
	Out     string
	Only    []string
	NoTorch bool
}

// Main runs benchall with the given arguments and returns the exit code: 0 on
// success (whether or not targets are met), 1 on failure, 2 on bad flags.
func Main(args []string, stdout, stderr io.Writer) int {
	var o Options
	fs := flag.NewFlagSet("benchall", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.Threads, "threads", 2, "threads for OpenBLAS, GOMAXPROCS and PyTorch")
	fs.IntVar(&o.Rounds, "rounds", 4, "rounds of alternating Go and PyTorch timings")
	fs.IntVar(&o.Runs, "runs", 5, "timed runs per workload, side and round")
	fs.DurationVar(&o.MinRun, "min-run", 250*time.Millisecond, "least duration of one timed run")
	fs.DurationVar(&o.WarmUp, "warmup", 500*time.Millisecond, "untimed warm-up per workload and round")
	fs.StringVar(&o.Python, "python", "/usr/bin/python3", "Python with Debian's python3-torch")
	fs.StringVar(&o.Script, "script", filepath.Join("bench", "torch", "engine_bench.py"), "the PyTorch half")
	fs.StringVar(&o.Out, "out", filepath.Join("bench", "out", "results.json"), "JSON results file")
	only := fs.String("only", "", "comma-separated workloads to run (default all: "+strings.Join(names(), ",")+")")
	fs.BoolVar(&o.NoTorch, "no-torch", false, "time the Go side only")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || o.Threads < 1 || o.Rounds < 1 || o.Runs < 1 {
		fmt.Fprintln(stderr, "benchall: takes no arguments; -threads, -rounds and -runs must be at least 1")
		return 2
	}
	if *only != "" {
		for _, n := range strings.Split(*only, ",") {
			if !slices.Contains(names(), n) {
				fmt.Fprintf(stderr, "benchall: unknown workload %q in -only (known: %s)\n", n, strings.Join(names(), ", "))
				return 2
			}
			o.Only = append(o.Only, n)
		}
	} else {
		o.Only = names()
	}

	want := strconv.Itoa(o.Threads)
	if os.Getenv("OPENBLAS_NUM_THREADS") != want {
		if os.Getenv(reexecMark) != "" {
			fmt.Fprintf(stderr, "benchall: OPENBLAS_NUM_THREADS is %q after re-executing with %s\n", os.Getenv("OPENBLAS_NUM_THREADS"), want)
			return 1
		}
		err := reexec(map[string]string{"OPENBLAS_NUM_THREADS": want, reexecMark: "1"})
		fmt.Fprintf(stderr, "benchall: cannot re-execute with OPENBLAS_NUM_THREADS=%s: %v; run it with that variable set\n", want, err)
		return 1
	}
	if err := run(o, args, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "benchall:", err)
		return 1
	}
	return 0
}

// reexec replaces the process by itself with extra environment variables; it
// returns only on failure.
func reexec(extra map[string]string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	env := os.Environ()
	for k, v := range extra {
		env = append(env, k+"="+v)
	}
	return syscall.Exec(exe, os.Args, env)
}

// workload is one row of the table.
type workload struct {
	name, desc string
	ref        string  // "pytorch" or "dgemm"
	target     float64 // least acceptable reference/Go time ratio
	goFn       func() func()
	rawFn      func() func() // raw dgemm, for GEMM rows
}

func workloads() []workload {
	gemm := func(n int) workload {
		return workload{
			name: fmt.Sprintf("gemm_%d", n), desc: fmt.Sprintf("GEMM %d×%d·%d×%d, engine vs raw dgemm", n, n, n, n),
			ref: "dgemm", target: 0.85,
			goFn:  func() func() { g := bench.NewGemm(3, n); return func() { g.Engine() } },
			rawFn: func() func() { g := bench.NewGemm(3, n); return g.Raw },
		}
	}
	pot := func(seed uint64) *bench.Potential { return bench.NewPotential(seed, 32) }
	return []workload{
		{name: "mlp_step", desc: "MLP 256-256-256-256 SiLU, batch 1024: fwd+bwd+Adam", ref: "pytorch", target: 1,
			goFn: func() func() { w := bench.NewMLP(1, 1024, 256); return func() { w.Step() } }},
		{name: "potential_forces", desc: "potential, 32 molecules: energy + forces", ref: "pytorch", target: 2,
			goFn: func() func() { p := pot(2); return func() { p.EnergyForces(false) } }},
		{name: "potential_forces_cg", desc: "potential: energy + forces with create-graph", ref: "pytorch", target: 2,
			goFn: func() func() { p := pot(2); return func() { p.EnergyForces(true) } }},
		{name: "potential_train", desc: "potential: E+F loss, double backward, Adam", ref: "pytorch", target: 2,
			goFn: func() func() { p := pot(2); return func() { p.TrainStep() } }},
		{name: "potential_forces_1mol", desc: "potential, 1 molecule of 18 atoms: energy + forces", ref: "pytorch", target: 2,
			goFn: func() func() { p := bench.NewPotential(2, 1); return func() { p.EnergyForces(false) } }},
		gemm(256),
		gemm(1024),
	}
}

func names() []string {
	var ns []string
	for _, w := range workloads() {
		ns = append(ns, w.name)
	}
	return ns
}

// Row is one workload's result in results.json. Times are milliseconds per call.
type Row struct {
	Workload    string        `json:"workload"`
	Description string        `json:"description"`
	Go          *bench.Timing `json:"go"`
	PyTorch     *bench.Timing `json:"pytorch,omitempty"`
	Dgemm       *bench.Timing `json:"dgemm,omitempty"`
	// Reference names the time Go is compared with: "pytorch" or "dgemm".
	Reference string `json:"reference"`
	// Ratio is the reference's median time over Go's: above 1, Go is faster. It is
	// absent when the reference was not measured. Met requires both Ratio and
	// RatioMin to reach Target.
	Ratio *float64 `json:"ratio,omitempty"`
	// RatioMin is the same ratio of the fastest runs, less sensitive to other load
	// on the machine, which only ever adds time.
	RatioMin *float64 `json:"ratio_min,omitempty"`
	Target   float64  `json:"target"`
	Met      *bool    `json:"met,omitempty"`
}

// Results is the content of results.json.
type Results struct {
	Date        string             `json:"date"`
	Command     string             `json:"command"`
	Git         string             `json:"git"` // HEAD, and "+ uncommitted changes in …" if autodiff, nn or optim differ from it
	GoVersion   string             `json:"go_version"`
	GOMAXPROCS  int                `json:"gomaxprocs"`
	NumCPU      int                `json:"num_cpu"`
	CPU         string             `json:"cpu"`
	LoadBefore  string             `json:"loadavg_before"`
	LoadAfter   string             `json:"loadavg_after"`
	Env         map[string]string  `json:"env"`
	OpenBLAS    bench.OpenBLASInfo `json:"openblas"`
	Torch       json.RawMessage    `json:"torch,omitempty"`
	TorchDebian string             `json:"torch_debian_package,omitempty"`
	Rounds      int                `json:"rounds"`
	Runs        int                `json:"runs_per_round"`
	MinRunMS    float64            `json:"min_run_ms"`
	Rows        []Row              `json:"rows"`
}

func run(o Options, args []string, stdout, stderr io.Writer) error {
	openblas.Use()
	runtime.GOMAXPROCS(o.Threads)
	res := &Results{
		Date:       time.Now().UTC().Format(time.RFC3339),
		Command:    strings.Join(append([]string{"go run ./bench/cmd/benchall"}, args...), " "),
		GoVersion:  runtime.Version(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		NumCPU:     runtime.NumCPU(),
		CPU:        cpuModel(),
		Git:        gitState(),
		LoadBefore: loadavg(),
		Env:        map[string]string{},
		OpenBLAS:   bench.OpenBLAS(),
		Rounds:     o.Rounds,
		Runs:       o.Runs,
		MinRunMS:   float64(o.MinRun) / 1e6,
	}
	for _, k := range []string{"OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS", "GOGC"} {
		if v, ok := os.LookupEnv(k); ok {
			res.Env[k] = v
		}
	}
	if res.OpenBLAS.Threads != o.Threads {
		return fmt.Errorf("OpenBLAS runs %d threads, not %d (is OPENBLAS_NUM_THREADS ignored?)", res.OpenBLAS.Threads, o.Threads)
	}
	if err := checkMatMul(); err != nil {
		return err
	}

	var py *torchServer
	if !o.NoTorch {
		var err error
		py, err = startTorch(o, stderr)
		if err != nil {
			return err
		}
		defer py.close()
		res.Torch = py.info
		res.TorchDebian = debVersion("python3-torch")
	}

	mopt := &bench.MeasureOptions{WarmUp: o.WarmUp, MinRun: o.MinRun, Runs: o.Runs}
	var ws []workload
	for _, w := range workloads() {
		if slices.Contains(o.Only, w.name) {
			ws = append(ws, w)
		}
	}
	rows := make([]Row, len(ws))
	for r := 1; r <= o.Rounds; r++ {
		for i, w := range ws {
			row := &rows[i]
			row.Workload, row.Description, row.Reference, row.Target = w.name, w.desc, w.ref, w.target
			// Each workload is built afresh and dropped after its timing, so that the
			// Go heap (and so the garbage collector's pace) holds only its own data,
			// whatever ran before it.
			fmt.Fprintf(stderr, "round %d/%d  %-22s Go ...", r, o.Rounds, w.name)
			t := bench.Measure(w.goFn(), mopt)
			row.Go = merge(row.Go, t)
			fmt.Fprintf(stderr, " %.3f ms", t.MedianMS)
			if w.rawFn != nil {
				t := bench.Measure(w.rawFn(), mopt)
				row.Dgemm = merge(row.Dgemm, t)
				fmt.Fprintf(stderr, "  dgemm %.3f ms", t.MedianMS)
			}
			if py != nil {
				t, err := py.measure(w.name)
				if err != nil {
					return err
				}
				row.PyTorch = merge(row.PyTorch, t)
				fmt.Fprintf(stderr, "  PyTorch %.3f ms", t.MedianMS)
			}
			fmt.Fprintln(stderr)
		}
	}
	for i := range rows {
		rows[i].finish()
	}
	res.Rows = rows
	res.LoadAfter = loadavg()

	printTable(stdout, res)
	if err := os.MkdirAll(filepath.Dir(o.Out), 0o755); err != nil {
		return err
	}
	err := atomicfile.Write(o.Out, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nwrote %s\n", o.Out)
	return nil
}

// merge adds the runs of t to acc (nil at first) and recomputes the median.
func merge(acc *bench.Timing, t bench.Timing) *bench.Timing {
	if acc == nil {
		acc = &bench.Timing{}
	}
	acc.Reps = t.Reps
	acc.RunsMS = append(acc.RunsMS, t.RunsMS...)
	s := slices.Clone(acc.RunsMS)
	slices.Sort(s)
	n := len(s)
	acc.MedianMS = s[n/2]
	if n%2 == 0 {
		acc.MedianMS = (s[n/2-1] + s[n/2]) / 2
	}
	acc.MinMS = s[0]
	return acc
}

// finish computes the ratios of the reference's median and fastest times to Go's;
// the target is met when both reach it. On a machine shared with other jobs the two
// can disagree widely (PyTorch's OpenMP threads slow down far more than Go under
// contention), and then neither alone is a fair estimate.
func (r *Row) finish() {
	ref := r.PyTorch
	if r.Reference == "dgemm" {
		ref = r.Dgemm
	}
	if ref == nil || r.Go == nil || r.Go.MedianMS <= 0 {
		return
	}
	ratio, ratioMin := ref.MedianMS/r.Go.MedianMS, ref.MinMS/r.Go.MinMS
	met := ratio >= r.Target && ratioMin >= r.Target
	r.Ratio, r.RatioMin, r.Met = &ratio, &ratioMin, &met
}

func printTable(w io.Writer, res *Results) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "workload\tGo ms\tPyTorch ms\tdgemm ms\tratio\tratio of mins\ttarget\tmet\t")
	ms := func(t *bench.Timing) string {
		if t == nil {
			return "-"
		}
		return fmtMS(t.MedianMS)
	}
	for _, r := range res.Rows {
		ratio, ratioMin, met := "-", "-", "-"
		if r.Ratio != nil {
			ratio = fmt.Sprintf("%.2f", *r.Ratio)
			ratioMin = fmt.Sprintf("%.2f", *r.RatioMin)
			met = map[bool]string{true: "yes", false: "NO"}[*r.Met]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t≥ %.2f × %s\t%s\t\n", r.Workload, ms(r.Go), ms(r.PyTorch), ms(r.Dgemm), ratio, ratioMin, r.Target, r.Reference, met)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nms = median time per call over %d rounds × %d runs per side; ratio = reference time / Go time\n", res.Rounds, res.Runs)
	fmt.Fprintln(w, "(above 1: Go faster), of the medians; ratio of mins = the same of the fastest runs;")
	fmt.Fprintln(w, "met = both ratios ≥ target")
	fmt.Fprintf(w, "%s, %d CPUs, GOMAXPROCS %d, %s; OpenBLAS core %s, %d threads; env %v\n",
		res.CPU, res.NumCPU, res.GOMAXPROCS, res.GoVersion, res.OpenBLAS.Core, res.OpenBLAS.Threads, res.Env)
	if res.Torch != nil {
		fmt.Fprintf(w, "PyTorch: %s (Debian python3-torch %s)\n", res.Torch, res.TorchDebian)
	}
	fmt.Fprintf(w, "git: %s\n", res.Git)
	fmt.Fprintf(w, "load average before: %s; after: %s\n", res.LoadBefore, res.LoadAfter)
}

func fmtMS(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.1f", v)
	case v >= 1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.4f", v)
}

// checkMatMul refuses to time a broken BLAS: it compares a small engine product
// with a naive one.
func checkMatMul() error {
	a := ad.New([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	b := ad.New([]float64{7, 8, 9, 10, 11, 12}, 3, 2)
	got := ad.MatMul(ad.Constant(a), ad.Constant(b)).Value().Data
	want := []float64{58, 64, 139, 154}
	if !slices.Equal(got, want) {
		return fmt.Errorf("MatMul on OpenBLAS gives %v for %v, want %v (check OPENBLAS_CORETYPE)", got, want, want)
	}
	return nil
}

// torchServer is a running engine_bench.py --serve.
type torchServer struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
	info json.RawMessage
}

func startTorch(o Options, stderr io.Writer) (*torchServer, error) {
	if _, err := os.Stat(o.Script); err != nil {
		return nil, fmt.Errorf("PyTorch script: %v (run benchall from the repository root, or pass -script)", err)
	}
	t := strconv.Itoa(o.Threads)
	cmd := exec.Command(o.Python, o.Script, "--serve", "--threads", t, "--runs", strconv.Itoa(o.Runs),
		"--min-run", fmt.Sprint(o.MinRun.Seconds()), "--warmup", fmt.Sprint(o.WarmUp.Seconds()))
	cmd.Env = append(os.Environ(), "OPENBLAS_NUM_THREADS="+t, "OMP_NUM_THREADS="+t)
	cmd.Stderr = stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %v (install Debian's python3-torch: make deps-bench; or pass -no-torch)", o.Python, err)
	}
	s := &torchServer{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20)}
	line, err := s.out.ReadBytes('\n')
	if err != nil {
		s.close()
		return nil, fmt.Errorf("%s %s did not start (is python3-torch installed? make deps-bench): %v", o.Python, o.Script, err)
	}
	s.info = json.RawMessage(strings.TrimSpace(string(line)))
	return s, nil
}

func (s *torchServer) measure(name string) (bench.Timing, error) {
	if _, err := fmt.Fprintln(s.in, name); err != nil {
		return bench.Timing{}, fmt.Errorf("PyTorch %s: %v", name, err)
	}
	line, err := s.out.ReadBytes('\n')
	if err != nil {
		return bench.Timing{}, fmt.Errorf("PyTorch %s: no answer: %v", name, err)
	}
	var r struct {
		bench.Timing
		Error string `json:"error"`
	}
	if err := json.Unmarshal(line, &r); err != nil {
		return bench.Timing{}, fmt.Errorf("PyTorch %s: bad answer %q: %v", name, line, err)
	}
	if r.Error != "" {
		return bench.Timing{}, fmt.Errorf("PyTorch %s: %s", name, r.Error)
	}
	if len(r.RunsMS) == 0 {
		return bench.Timing{}, errors.New("PyTorch " + name + ": no runs in answer")
	}
	return r.Timing, nil
}

func (s *torchServer) close() {
	s.in.Close()
	s.cmd.Wait()
}

// cpuModel returns the first "model name" of /proc/cpuinfo, or "".
func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// loadavg returns the three load averages of /proc/loadavg, or "".
func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// gitState returns the commit checked out and whether the engine's packages have
// uncommitted changes, or "" outside a git checkout.
func gitState() string {
	head, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return ""
	}
	s := strings.TrimSpace(string(head))
	st, err := exec.Command("git", "status", "--porcelain", "--", "autodiff", "nn", "optim").Output()
	if err == nil && len(bytes.TrimSpace(st)) > 0 {
		s += " + uncommitted changes in autodiff, nn or optim"
	}
	return s
}

// debVersion returns the installed version of a Debian package, or "".
func debVersion(pkg string) string {
	out, err := exec.Command("dpkg-query", "-W", "-f=${Version}", pkg).Output()
	if err != nil {
		return ""
	}
	return string(out)
}
