package painn

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"time"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/bench/schnet"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/potentials"
)

// Config returns the PaiNN configuration of the benchmark for schnet.Species: F
// features, T interaction blocks, K radial functions, a 5 Å cutoff and seed 1.
func Config(features, interactions, rbf int) potentials.Config {
	return potentials.Config{Model: potentials.ArchPaiNN, Species: schnet.Species, Cutoff: 5,
		Features: features, RBF: rbf, Interactions: interactions, Seed: 1}
}

// NewWorkload returns the benchmark workload (see schnet.Workload) of frames, which
// must all carry forces, with a PaiNN model of configuration cfg.
func NewWorkload(name string, frames []datasets.Frame, cfg potentials.Config) (*schnet.Workload, error) {
	if cfg.Model != potentials.ArchPaiNN {
		return nil, fmt.Errorf("painn: configuration of model %q, want %q", cfg.Model, potentials.ArchPaiNN)
	}
	return schnet.NewWorkloadConfig(name, frames, cfg)
}

// Tolerance is the largest relative difference between Go and PyTorch that the
// agreement check accepts for a network in precision dt: 10⁻⁸ in float64, 10⁻⁵ in
// float32, where the two sides round to float32 in different orders (BLAS sums,
// index_add, sin and SiLU) and the gradient of the force loss, a second derivative,
// loses a few more digits.
func Tolerance(dt ad.DType) float64 {
	if dt == ad.Float32 {
		return 1e-5
	}
	return 1e-8
}

// Layers lists the Linear layers of a PaiNN model of configuration cfg on a batch
// of atoms atoms and pairs directed pairs, in the form schnet.Matmuls reads (see
// package bench/schnet for the rules that turn them into matrix products). Rows
// are atoms, pairs for the radial filter, and 3·atoms for U and V, which act on the
// x, y and z rows of the vector features alike. In block 0, φ's input is the
// embedding (no function of the positions); every other input depends on the
// positions, and every input but the radial basis on trainable parameters. ∂E/∂y
// of output.1 is the energy scale, which is not trained.
func Layers(cfg potentials.Config, atoms, pairs int) []schnet.Layer {
	F := cfg.Features
	var ls []schnet.Layer
	for t := 0; t < cfg.Interactions; t++ {
		p := fmt.Sprintf("interaction.%d.", t)
		ls = append(ls,
			schnet.Layer{Name: p + "message.phi.0", M: atoms, In: F, Out: F, InputOfR: t > 0, InputOfTheta: true, GradOfTheta: true},
			schnet.Layer{Name: p + "message.phi.1", M: atoms, In: F, Out: 3 * F, InputOfR: t > 0, InputOfTheta: true, GradOfTheta: true},
			schnet.Layer{Name: p + "message.filter", M: pairs, In: cfg.RBF, Out: 3 * F, InputOfR: true, GradOfTheta: true},
			schnet.Layer{Name: p + "update.U", M: 3 * atoms, In: F, Out: F, InputOfR: true, InputOfTheta: true, GradOfTheta: true},
			schnet.Layer{Name: p + "update.V", M: 3 * atoms, In: F, Out: F, InputOfR: true, InputOfTheta: true, GradOfTheta: true},
			schnet.Layer{Name: p + "update.a.0", M: atoms, In: 2 * F, Out: F, InputOfR: true, InputOfTheta: true, GradOfTheta: true},
			schnet.Layer{Name: p + "update.a.1", M: atoms, In: F, Out: 3 * F, InputOfR: true, InputOfTheta: true, GradOfTheta: true})
	}
	inR := cfg.Interactions > 0
	return append(ls,
		schnet.Layer{Name: "output.0", M: atoms, In: F, Out: max(F/2, 1), InputOfR: inR, InputOfTheta: true, GradOfTheta: true},
		schnet.Layer{Name: "output.1", M: atoms, In: max(F/2, 1), Out: 1, InputOfR: inR, InputOfTheta: true})
}

// Head is the first line painn_torch.py prints in --serve mode: the agreement of
// PyTorch with the exported Go results.
type Head struct {
	Name      string             `json:"name"`
	Precision string             `json:"precision"` // of PyTorch's network weights: "float64" or "float32"
	Torch     string             `json:"torch"`     // PyTorch version
	Threads   int                `json:"threads"`   // PyTorch intra-op threads
	Check     map[string]float64 `json:"check"`     // energy, forces, loss, grad relative differences
	Agree     bool               `json:"agree"`     // every relative difference ≤ Tolerance
	Tolerance float64            `json:"tolerance"` // Tolerance of the export's precision unless --tol

}

// Torch is painn_torch.py running in --serve mode on one exported batch.
type Torch struct {
	Head Head
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
}

// StartTorch starts python on script in --serve mode for the exported batch at
// path with the given thread count (PyTorch and its BLAS), and reads its agreement
// line. Its standard error goes to ours.
func StartTorch(python, script, path string, threads int) (*Torch, error) {
	n := strconv.Itoa(threads)
	cmd := exec.Command(python, script, "--serve", "--threads", n, path)
	cmd.Env = append(os.Environ(), "OPENBLAS_NUM_THREADS="+n, "OMP_NUM_THREADS="+n, "MKL_NUM_THREADS="+n)
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
		return nil, fmt.Errorf("%s %s: %v", python, script, err)
	}
	t := &Torch{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<16)}
	line, err := t.out.ReadBytes('\n')
	if err == nil {
		err = json.Unmarshal(line, &t.Head)
	}
	if err != nil {
		t.Close()
		return nil, fmt.Errorf("%s %s: no agreement line: %v", script, path, err)
	}
	return t, nil
}

// Calls asks for k timed calls of a workload ("infer" or "train") and returns the
// time of each and the process CPU time of all k.
func (t *Torch) Calls(workload string, k int) ([]time.Duration, time.Duration, error) {
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
	if len(r.Ms) != k {
		return nil, 0, fmt.Errorf("PyTorch %s: %d times for %d calls", workload, len(r.Ms), k)
	}
	ds := make([]time.Duration, k)
	for i, v := range r.Ms {
		ds[i] = time.Duration(v * 1e6)
	}
	return ds, time.Duration(r.CPU * 1e6), nil
}

// Close ends the Python process and waits for it.
func (t *Torch) Close() error {
	t.in.Close()
	return t.cmd.Wait()
}
