package schnet

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/autodiff/openblas"
	"github.com/sciadapt/sciadapt/potentials"
)

// fixture is a small rMD17 subset kept in the repository (see its README).
const fixture = "../../testdata/atoms/rmd17_o_subset.h5"

func smallWorkload(t testing.TB) *Workload {
	t.Helper()
	frames, err := LoadFrames(fixture, "ethanol", 4)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWorkload("ethanol", frames)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestMatmuls(t *testing.T) {
	// One interaction, F = 4, K = 2, 3 atoms, 6 pairs. Flops u = 2·M·In·Out per product:
	// filter.0 96, filter.1 192, in 96, update.0 96, update.1 96, output.0 48, output.1 12.
	// Energies and forces: every forward product (636) and a backward product for
	// every layer but "in" of the first block, whose input is the embedding (540).
	// Training: filter.0 5u (no ∂/∂x of the forward product: its input holds no
	// parameter), "in" 3u (no backward product), output.1 5u (∂E/∂y is the constant
	// scale), the others 6u.
	cfg := potentials.Config{Features: 4, RBF: 2, Interactions: 1}
	ls := Layers(cfg, 3, 6)
	for _, c := range []struct {
		training bool
		want     float64
	}{
		{false, 636 + 540},
		{true, 5*96 + 6*192 + 3*96 + 6*96 + 6*96 + 6*48 + 5*12},
	} {
		if got := TotalFlops(Matmuls(ls, c.training)); got != c.want {
			t.Errorf("training %v: %g flops, want %g", c.training, got, c.want)
		}
	}
	// Every product of the default model on a batch; shapes merge, counts add up.
	def := potentials.DefaultConfig(Species)
	gs := Matmuls(Layers(def, 512, 6676), true)
	n := 0
	for _, g := range gs {
		n += g.Count
	}
	// Block 0: 5 + 6 + 3 + 6 + 6; blocks 1, 2, whose "in" input depends on the
	// positions: 5 + 6 + 6 + 6 + 6; output: 6 + 5.
	if want := 26 + 2*29 + 11; n != want {
		t.Errorf("default model, training: %d products, want %d", n, want)
	}
}

func TestWorkloadExport(t *testing.T) {
	w := smallWorkload(t)
	if w.Atoms() != 36 || w.Pairs() != 36*8 {
		t.Fatalf("4 ethanol molecules: %d atoms and %d pairs, want 36 and 288", w.Atoms(), w.Pairs())
	}
	path := filepath.Join(t.TempDir(), "ethanol.json")
	if err := w.Export(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var x Export
	if err := json.Unmarshal(b, &x); err != nil {
		t.Fatal(err)
	}
	if len(x.Positions) != 3*36 || len(x.I) != 288 || len(x.Offsets) != 3*288 || len(x.Go.Forces) != 3*36 || len(x.Go.Energy) != 4 {
		t.Errorf("export shapes: positions %d, pairs %d, offsets %d, forces %d, energies %d",
			len(x.Positions), len(x.I), len(x.Offsets), len(x.Go.Forces), len(x.Go.Energy))
	}
	ntrain := 0
	for _, p := range x.Params {
		size := 1
		for _, s := range p.Shape {
			size *= s
		}
		if size != len(p.Data) {
			t.Errorf("%s: shape %v but %d values", p.Name, p.Shape, len(p.Data))
		}
		if p.Trainable {
			if len(x.Go.Grads[ntrain]) != size {
				t.Errorf("%s: gradient of %d values, want %d", p.Name, len(x.Go.Grads[ntrain]), size)
			}
			ntrain++
		}
	}
	if ntrain != len(x.Go.Grads) || ntrain != len(w.Params) {
		t.Fatalf("%d trainable parameters exported, %d gradients, %d in the workload", ntrain, len(x.Go.Grads), len(w.Params))
	}
	// The exported gradient is the loss's: check one weight by central differences.
	p := w.Params[3].Value() // interaction.0.filter.1.weight
	k := 5
	h := 1e-5
	v := p.Data[k]
	p.Data[k] = v + h
	lp := w.Loss().Item()
	p.Data[k] = v - h
	lm := w.Loss().Item()
	p.Data[k] = v
	fd := (lp - lm) / (2 * h)
	if g := x.Go.Grads[3][k]; math.Abs(g-fd) > 1e-6*math.Max(1, math.Abs(fd)) {
		t.Errorf("%s[%d]: exported gradient %g, finite difference %g", w.Params[3].Name, k, g, fd)
	}
	if x.Go.Loss != w.Loss().Item() {
		t.Errorf("exported loss %v, recomputed %v", x.Go.Loss, w.Loss().Item())
	}
}

func TestStepLowersLoss(t *testing.T) {
	w := smallWorkload(t)
	first := w.Step()
	var last float64
	for range 5 {
		last = w.Step()
	}
	if !(last < first) {
		t.Errorf("loss %g after 5 Adam steps, %g before", last, first)
	}
}

func TestSummarize(t *testing.T) {
	ms := time.Millisecond
	for _, c := range []struct {
		in       []time.Duration
		med, min time.Duration
	}{
		{[]time.Duration{3 * ms}, 3 * ms, 3 * ms},
		{[]time.Duration{5 * ms, 1 * ms, 3 * ms}, 3 * ms, 1 * ms},
		{[]time.Duration{4 * ms, 2 * ms, 8 * ms, 6 * ms}, 5 * ms, 2 * ms},
	} {
		got := Summarize(c.in)
		if got.Median != c.med || got.Min != c.min || got.Repeats != len(c.in) {
			t.Errorf("Summarize(%v) = %+v, want median %v, min %v", c.in, got, c.med, c.min)
		}
	}
	n := 0
	Time(func() { n++ }, 2, 3)
	if n != 5 {
		t.Errorf("Time with 2 warm-up calls and 3 repeats called f %d times", n)
	}
}

// TestTorchAgrees runs schnet_torch.py on the exported fixture batch and requires
// energies, forces, loss and gradient to agree to 1e-8 with a float64 network and to
// 1e-5 with a float32 one (the script's tolerances). It is skipped without
// /usr/bin/python3 and torch.
func TestTorchAgrees(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Python")
	}
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import torch").Run(); err != nil {
		t.Skipf("no PyTorch: %v", err)
	}
	for _, dt := range []ad.DType{ad.Float64, ad.Float32} {
		t.Run(dt.String(), func(t *testing.T) {
			w := smallWorkload(t)
			if err := w.SetPrecision(dt); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "ethanol.json")
			if err := w.Export(path); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(py, "schnet_torch.py", "--warm", "0", "--repeats", "1", "--threads", "1", path)
			cmd.Env = append(os.Environ(), "OMP_NUM_THREADS=1", "OPENBLAS_NUM_THREADS=1")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("schnet_torch.py: %v\n%s", err, out)
			}
			var r struct {
				Agree     bool               `json:"agree"`
				Tolerance float64            `json:"tolerance"`
				Check     map[string]float64 `json:"check"`
			}
			if err := json.Unmarshal(out, &r); err != nil {
				t.Fatalf("schnet_torch.py output: %v\n%s", err, out)
			}
			want := map[ad.DType]float64{ad.Float64: 1e-8, ad.Float32: 1e-5}[dt]
			if !r.Agree || len(r.Check) != 5 || r.Tolerance != want {
				t.Errorf("PyTorch disagrees at tolerance %g: %v", r.Tolerance, r.Check)
			}
			t.Logf("%v: %v", dt, r.Check)
		})
	}
}

var useBLAS sync.Once

// rmd17 returns the benchmark batches from $SCIADAPT_RMD17 (default
// ../../../shared/data/rmd17), skipping the benchmark if the files are missing.
func rmd17(b *testing.B) []*Workload {
	useBLAS.Do(openblas.Use)
	dir := os.Getenv("SCIADAPT_RMD17")
	if dir == "" {
		dir = "../../../shared/data/rmd17"
	}
	var ws []*Workload
	for _, spec := range []string{"o_train.h5:ethanol", "o_train.h5:salicylic", "hcn_train.h5:azobenzene"} {
		file, sys, _ := strings.Cut(spec, ":")
		frames, err := LoadFrames(filepath.Join(dir, file), sys, 32)
		if err != nil {
			b.Skipf("rMD17 not available (set SCIADAPT_RMD17): %v", err)
		}
		w, err := NewWorkload(sys, frames)
		if err != nil {
			b.Fatal(err)
		}
		ws = append(ws, w)
	}
	return ws
}

// BenchmarkPredict times energies and forces of 32 rMD17 molecules.
func BenchmarkPredict(b *testing.B) {
	for _, w := range rmd17(b) {
		b.Run(w.Name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w.Predict()
			}
		})
	}
}

// BenchmarkTrainStep times one training step (create-graph forces, double
// backward, Adam) on 32 rMD17 molecules.
func BenchmarkTrainStep(b *testing.B) {
	for _, w := range rmd17(b) {
		b.Run(w.Name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w.Step()
			}
		})
	}
}

// TestArenaBitIdentical checks that training steps and predictions with an arena
// (buffers reused, the graph handed back during the parameter gradient) give the
// bits of the workload without one.
func TestArenaBitIdentical(t *testing.T) {
	plain, pooled := smallWorkload(t), smallWorkload(t)
	pooled.Arena = ad.NewArena()
	for step := range 3 {
		lp, lq := plain.Step(), pooled.Step()
		if lp != lq {
			t.Fatalf("step %d: loss %.17g with an arena, %.17g without", step, lq, lp)
		}
	}
	fp, fq := plain.Predict().Forces.Value().Data, pooled.Predict().Forces.Value().Data
	for i := range fp {
		if fp[i] != fq[i] {
			t.Fatalf("force %d: %.17g with an arena, %.17g without", i, fq[i], fp[i])
		}
	}
	for k, p := range plain.Params {
		for i, v := range p.Value().Data {
			if q := pooled.Params[k].Value().Data[i]; q != v {
				t.Fatalf("%s[%d]: %.17g with an arena, %.17g without", p.Name, i, q, v)
			}
		}
	}
}
