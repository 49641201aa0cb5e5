package painn

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/bench/schnet"
	"github.com/sciadapt/sciadapt/nn"
)

// fixture is a small rMD17 subset kept in the repository (see its README).
const fixture = "../../testdata/atoms/rmd17_o_subset.h5"

const python = "/usr/bin/python3"

var torchErr = sync.OnceValue(func() error { return exec.Command(python, "-c", "import torch").Run() })

// needTorch skips the test without /usr/bin/python3 and torch (make deps-bench
// installs Debian's python3-torch) and in -short mode.
func needTorch(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts PyTorch")
	}
	if err := torchErr(); err != nil {
		t.Skipf("no PyTorch: %v", err)
	}
}

// workload returns 4 ethanol molecules and a PaiNN of 16 features, 2 interactions
// and 8 radial functions computing in dt.
func workload(t *testing.T, dt ad.DType) *schnet.Workload {
	t.Helper()
	frames, err := schnet.LoadFrames(fixture, "ethanol", 4)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWorkload("ethanol", frames, Config(16, 2, 8))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.SetPrecision(dt); err != nil {
		t.Fatal(err)
	}
	return w
}

// export writes the exchange file of workload(dt) to a temporary directory.
func export(t *testing.T, dt ad.DType) (*schnet.Workload, string) {
	t.Helper()
	w := workload(t, dt)
	path := filepath.Join(t.TempDir(), "ethanol.json")
	if err := w.Export(path); err != nil {
		t.Fatal(err)
	}
	return w, path
}

var precisions = []ad.DType{ad.Float64, ad.Float32}

// TestTorchAgrees starts painn_torch.py in serve mode on the exported batch, as
// painnbench does, and requires energies, forces, loss and loss gradient to agree
// to 1e-8 relative in float64 and 1e-5 in float32, with PyTorch's weights in the
// export's precision; then asks for two timed calls of each workload.
func TestTorchAgrees(t *testing.T) {
	needTorch(t)
	for _, dt := range precisions {
		t.Run(dt.String(), func(t *testing.T) {
			_, path := export(t, dt)
			tp, err := StartTorch(python, "painn_torch.py", path, 1)
			if err != nil {
				t.Fatal(err)
			}
			defer tp.Close()
			t.Logf("PyTorch %s, %s: %v", tp.Head.Torch, tp.Head.Precision, tp.Head.Check)
			tol := Tolerance(dt)
			if !tp.Head.Agree || tp.Head.Tolerance != tol || tp.Head.Precision != dt.String() {
				t.Errorf("PyTorch in %s disagrees with Go in %s beyond %g (want %g): %v",
					tp.Head.Precision, dt, tp.Head.Tolerance, tol, tp.Head.Check)
			}
			for _, k := range []string{"energy_rel_diff", "forces_rel_diff", "loss_rel_diff", "grad_rel_diff"} {
				if v, ok := tp.Head.Check[k]; !ok || v > tol {
					t.Errorf("%s = %v (present %v), want ≤ %g", k, v, ok, tol)
				}
			}
			for _, wk := range []string{"infer", "train"} {
				ds, _, err := tp.Calls(wk, 2)
				if err != nil || len(ds) != 2 || ds[0] <= 0 {
					t.Errorf("%s: %v, %v", wk, ds, err)
				}
			}
		})
	}
}

// TestTorchDetectsDifference changes one weight of the exported model (one of
// about 7 000), leaving Go's results as they were, and requires painn_torch.py to
// report the disagreement and exit 1: the check can fail. The change is 1e-4
// relative in float64 and 1e-1 in float32, whose check accepts 1e-5: on this batch
// float32 rounding alone leaves at most 4·10⁻⁷ (the gradient), a change of 1e-2
// moves the gradient by 9.5·10⁻⁶ (not caught) and one of 1e-1 by about 10⁻⁴.
func TestTorchDetectsDifference(t *testing.T) {
	needTorch(t)
	for _, c := range []struct {
		dt     ad.DType
		change float64
	}{{ad.Float64, 1e-4}, {ad.Float32, 1e-1}} {
		t.Run(c.dt.String(), func(t *testing.T) {
			_, path := export(t, c.dt)
			changeWeight(t, path, "interaction.1.update.U.weight", 3, 1+c.change)
			out, err := exec.Command(python, "painn_torch.py", "--threads", "1", "--repeats", "0", path).CombinedOutput()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(out), "disagree") {
				t.Fatalf("painn_torch.py on a changed weight: %v\n%s", err, out)
			}
			t.Logf("%s", out)
		})
	}
}

// changeWeight multiplies value k of parameter name in the export at path by f.
func changeWeight(t *testing.T, path, name string, k int, f float64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var x map[string]any
	if err := json.Unmarshal(b, &x); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range x["params"].([]any) {
		q := p.(map[string]any)
		if q["name"] == name {
			d := q["data"].([]any)
			d[k] = d[k].(float64) * f
			found = true
		}
	}
	if !found {
		t.Fatalf("no parameter %s in the export", name)
	}
	b, _ = json.Marshal(x)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestNewWorkloadRefusesOtherArchitecture(t *testing.T) {
	cfg := Config(8, 1, 4)
	cfg.Model = "schnet"
	if _, err := NewWorkload("x", nil, cfg); err == nil || !strings.Contains(err.Error(), "painn") {
		t.Fatalf("NewWorkload with a SchNet configuration: %v", err)
	}
}

func TestMatmuls(t *testing.T) {
	// One interaction, F = 4, K = 2, 3 atoms, 6 pairs. Flops u = 2·M·In·Out per
	// product: φ.0 96, φ.1 288, filter 288 (pair rows), U and V 288 each (3·atoms
	// rows), a.0 192, a.1 288, output.0 48, output.1 12.
	// Energies and forces: every forward product, and a backward product for every
	// layer but φ's two of block 0, whose input is the embedding: 3192 flops.
	// Training: φ.0 and φ.1 of block 0 3u (forward, ∂/∂W, backward towards the
	// embedding), the filter 5u (its input, the radial basis, holds no parameter),
	// output.1 5u (∂E/∂y is the constant scale), the others 6u.
	cfg := Config(4, 1, 2)
	ls := Layers(cfg, 3, 6)
	for _, c := range []struct {
		training bool
		want     float64
	}{
		{false, 96 + 288 + 2*(288+288+288+192+288+48+12)},
		{true, 3*96 + 3*288 + 5*288 + 6*(288+288+192+288+48) + 5*12},
	} {
		if got := schnet.TotalFlops(schnet.Matmuls(ls, c.training)); got != c.want {
			t.Errorf("training %v: %g flops, want %g", c.training, got, c.want)
		}
	}
}

// probe is a hook that records a copy of the input of a Linear layer in *ins.
type probe struct {
	name string
	ins  *map[string]*ad.Tensor
}

func (p probe) Apply(_ *nn.Context, in, out *ad.Var) *ad.Var {
	(*p.ins)[p.name] = in.Value().Clone()
	return out
}

// TestLayersMatchModel checks Layers against the model it describes: every Linear
// layer of a PaiNN (4 ethanol molecules, F = 16, T = 2, K = 8) is listed once, with
// the rows and input width of the input it really receives and the output width of
// its weight, and with an input that changes when the positions move (by up to
// 10⁻³ Å, not rigidly) exactly where InputOfR is set, and when every trainable
// parameter grows by 1 % exactly where InputOfTheta is set.
func TestLayersMatchModel(t *testing.T) {
	w := workload(t, ad.Float64)
	runs := [3]map[string]*ad.Tensor{{}, {}, {}} // base, positions moved, parameters changed
	var cur map[string]*ad.Tensor
	for _, s := range w.Model.Sites() {
		if s.Kind == "linear" {
			s.Attach("probe", probe{s.Name, &cur})
		}
	}
	R := w.Batch.Positions.Clone()
	energies := func(k int) {
		cur = runs[k]
		w.Model.Energies(nil, w.Batch, ad.Constant(R), nil)
	}
	energies(0)
	for i := range R.Data {
		R.Data[i] += 1e-3 * math.Sin(float64(7*i+1))
	}
	energies(1)
	copy(R.Data, w.Batch.Positions.Data)
	for _, p := range w.Params {
		for i := range p.Value().Data {
			p.Value().Data[i] *= 1.01
		}
	}
	energies(2)

	weights := map[string][]int{}
	for _, p := range w.Model.Params() {
		weights[p.Name] = p.Value().Shape
	}
	ls := Layers(w.Model.Config, w.Atoms(), w.Pairs())
	if len(ls) != len(runs[0]) {
		t.Errorf("Layers lists %d layers, the model has %d Linear layers", len(ls), len(runs[0]))
	}
	for _, l := range ls {
		in, ok := runs[0][l.Name]
		ws := weights[l.Name+".weight"]
		if !ok || len(ws) != 2 {
			t.Errorf("%s: no such Linear layer in the model", l.Name)
			continue
		}
		width := in.Shape[len(in.Shape)-1]
		if rows := in.Size() / width; rows != l.M || width != l.In || ws[0] != l.In || ws[1] != l.Out {
			t.Errorf("%s: input %v, weight %v; Layers says %d rows, %d → %d", l.Name, in.Shape, ws, l.M, l.In, l.Out)
		}
		if moved := !slices.Equal(in.Data, runs[1][l.Name].Data); moved != l.InputOfR {
			t.Errorf("%s: input changes with the positions: %v, InputOfR %v", l.Name, moved, l.InputOfR)
		}
		if moved := !slices.Equal(in.Data, runs[2][l.Name].Data); moved != l.InputOfTheta {
			t.Errorf("%s: input changes with the parameters: %v, InputOfTheta %v", l.Name, moved, l.InputOfTheta)
		}
	}
}

// TestArenaBitIdentical checks, in both precisions, that PaiNN's training steps and
// predictions with an arena (buffers reused, the graph handed back during the
// parameter gradient: painnbench's default) give the bits of the workload without
// one.
func TestArenaBitIdentical(t *testing.T) {
	for _, dt := range precisions {
		t.Run(dt.String(), func(t *testing.T) {
			plain, pooled := workload(t, dt), workload(t, dt)
			pooled.Arena = ad.NewArena()
			for step := range 3 {
				if lp, lq := plain.Step(), pooled.Step(); lp != lq {
					t.Fatalf("step %d: loss %.17g with an arena, %.17g without", step, lq, lp)
				}
			}
			fp, fq := plain.Predict().Forces.Value().Data, pooled.Predict().Forces.Value().Data
			if !slices.Equal(fp, fq) {
				t.Fatalf("forces differ with an arena")
			}
			for k, p := range plain.Params {
				if !slices.Equal(p.Value().Float64s(), pooled.Params[k].Value().Float64s()) {
					t.Fatalf("%s differs with an arena after 3 steps", p.Name)
				}
			}
		})
	}
}
