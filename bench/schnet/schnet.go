package schnet

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/internal/atomicfile"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/optim"
	"github.com/sciadapt/sciadapt/potentials"
)

// Species are the atomic numbers (H, C, N, O) of every benchmark model, so that one
// architecture serves all rMD17 molecules.
var Species = []int{1, 6, 7, 8}

// ForceWeight is the weight of the force term of the training loss, (eV/Å)⁻².
const ForceWeight = 10

// LoadFrames returns the first n frames of system in the atoms file at path. It
// returns an error naming the file if the system is missing or has fewer frames.
func LoadFrames(path, system string, n int) ([]datasets.Frame, error) {
	f, err := datasets.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, ok := f.System(system)
	if !ok {
		return nil, fmt.Errorf("%s: no system %q", path, system)
	}
	if info.Frames < n {
		return nil, fmt.Errorf("%s: system %q has %d frames, %d asked for", path, system, info.Frames, n)
	}
	return f.Rows(system, 0, n)
}

// Workload is one benchmark batch: a default-configuration model (potentials.DefaultConfig
// of Species, seed 1) with references fitted on the frames, the batch of the frames,
// their targets and an Adam optimiser (learning rate 10⁻³) over every trainable
// parameter.
type Workload struct {
	Name   string
	Frames []datasets.Frame
	Model  *potentials.Model
	Batch  *potentials.Batch
	ERef   *ad.Tensor // (structures, 1), eV
	InvN   *ad.Tensor // (structures, 1): 1/atoms
	FRef   *ad.Tensor // (atoms, 3), eV/Å
	Params []*nn.Param
	Adam   *optim.Adam
	// Arena, if set, holds every result of Predict, Loss and Gradients; they are
	// valid until the next call of one of them (which releases the arena first).
	Arena *ad.Arena
}

// NewWorkload builds the workload of frames, which must all carry forces.
func NewWorkload(name string, frames []datasets.Frame) (*Workload, error) {
	return NewWorkloadConfig(name, frames, potentials.DefaultConfig(Species))
}

// NewWorkloadConfig is NewWorkload with a model of configuration cfg (any
// architecture) in place of the default one.
func NewWorkloadConfig(name string, frames []datasets.Frame, cfg potentials.Config) (*Workload, error) {
	m, err := potentials.New(cfg)
	if err != nil {
		return nil, err
	}
	if err := m.FitReferences(frames); err != nil {
		return nil, err
	}
	structs := make([]*potentials.Structure, len(frames))
	w := &Workload{Name: name, Frames: frames, Model: m,
		ERef: ad.Zeros(len(frames), 1), InvN: ad.Zeros(len(frames), 1)}
	var f []float64
	for i := range frames {
		if frames[i].Forces == nil {
			return nil, fmt.Errorf("%s: frame %d of %q has no forces", name, frames[i].Index, frames[i].System)
		}
		structs[i] = potentials.StructureOf(&frames[i])
		w.ERef.Data[i] = frames[i].Energy
		w.InvN.Data[i] = 1 / float64(frames[i].Len())
		f = append(f, frames[i].Forces...)
	}
	w.FRef = ad.New(f, len(f)/3, 3)
	if w.Batch, err = potentials.NewBatch(structs, m.Species(), m.Config.Cutoff); err != nil {
		return nil, err
	}
	w.Params = nn.Trainable(m)
	w.Adam = optim.NewAdam(&optim.AdamOptions{LR: 1e-3})
	return w, nil
}

// SetPrecision makes the model's network compute in dt (potentials.Model.SetPrecision)
// and restarts the optimiser on the converted parameters. It returns the model's
// error for an architecture that computes in float64 only.
func (w *Workload) SetPrecision(dt ad.DType) error {
	if err := w.Model.SetPrecision(dt); err != nil {
		return err
	}
	w.Params = nn.Trainable(w.Model)
	w.Adam = optim.NewAdam(&optim.AdamOptions{LR: 1e-3})
	return nil
}

// Atoms returns the number of atoms of the batch.
func (w *Workload) Atoms() int { return len(w.Batch.Species) }

// Pairs returns the number of directed pairs of the batch.
func (w *Workload) Pairs() int { return len(w.Batch.I) }

// Predict returns energies and forces, without create-graph: the inference workload.
func (w *Workload) Predict() potentials.Prediction {
	w.release()
	return w.Model.Predict(nil, w.Batch, false, false)
}

// release hands the arena's buffers back, if there is an arena, and attaches it to
// the batch.
func (w *Workload) release() {
	if w.Arena != nil {
		w.Arena.Release()
	}
	w.Batch.Arena = w.Arena
}

// Loss returns the training loss (see the package documentation) as a graph value of
// the parameters, with forces from a create-graph backward.
func (w *Workload) Loss() *ad.Var {
	w.release()
	p := w.Model.Predict(nil, w.Batch, false, true)
	de := ad.Mul(ad.Sub(p.Energy, ad.Constant(w.ERef)), ad.Constant(w.InvN))
	df := ad.Sub(p.Forces, ad.Constant(w.FRef))
	return ad.Add(ad.Mean(ad.Square(de)), ad.Scale(ad.Mean(ad.Square(df)), ForceWeight))
}

// Gradients returns the loss and its gradient with respect to w.Params.
func (w *Workload) Gradients() (float64, []*ad.Tensor) {
	loss := w.Loss()
	// With an arena, the graph's buffers go back to it during the pass.
	gs := ad.Gradients([]*ad.Var{loss}, nn.Vars(w.Params), &ad.GradOptions{FreeGraph: w.Arena != nil})
	gt := make([]*ad.Tensor, len(gs))
	for i, g := range gs {
		gt[i] = g.Value()
	}
	return loss.Item(), gt
}

// Step is one training step: loss, its gradient, one Adam update. It returns the loss
// before the update.
func (w *Workload) Step() float64 {
	l, g := w.Gradients()
	w.Adam.Step(nn.Vars(w.Params), g)
	return l
}

// Export is the JSON file that schnet_torch.py reads: the batch, the targets, every
// parameter of the model and the Go results to compare with.
type Export struct {
	Name      string            `json:"name"`
	Precision string            `json:"precision"` // of the network: "float64" or "float32"
	Config    potentials.Config `json:"config"`
	Positions []float64         `json:"positions"` // (atoms, 3), Å
	Species   []int             `json:"species"`   // per atom: index into config.species
	Mol       []int             `json:"mol"`       // per atom: structure index
	I         []int             `json:"i"`         // pairs: receiving atom
	J         []int             `json:"j"`         // pairs: sending atom
	Offsets   []float64         `json:"offsets"`   // (pairs, 3), Å
	ERef      []float64         `json:"energy_ref"`
	FRef      []float64         `json:"forces_ref"`
	Params    []ExportParam     `json:"params"`
	Go        ExportResult      `json:"go"`
}

// ExportParam is one parameter: its name, shape and row-major values (float32
// parameters widened exactly). Linear weights have shape (in, out): y = x·W + b.
type ExportParam struct {
	Name      string    `json:"name"`
	Shape     []int     `json:"shape"`
	Data      []float64 `json:"data"`
	Trainable bool      `json:"trainable"`
}

// ExportResult holds the Go energies (eV), forces (eV/Å), loss and its gradient with
// respect to the trainable parameters (in the order of the trainable entries of
// Params).
type ExportResult struct {
	Energy []float64   `json:"energy"`
	Forces []float64   `json:"forces"`
	Loss   float64     `json:"loss"`
	Grads  [][]float64 `json:"grads"`
}

// Export computes the Go results with the current parameters and writes the
// exchange file to path (atomically).
func (w *Workload) Export(path string) error {
	b := w.Batch
	x := Export{Name: w.Name, Precision: w.Model.Precision().String(), Config: w.Model.Config, Positions: b.Positions.Data,
		Species: b.Species, Mol: b.Mol, I: b.I, J: b.J, Offsets: b.Offsets.Data,
		ERef: w.ERef.Data, FRef: w.FRef.Data}
	for _, p := range w.Model.Params() {
		x.Params = append(x.Params, ExportParam{Name: p.Name, Shape: p.Value().Shape,
			Data: p.Value().Float64s(), Trainable: p.Trainable()})
	}
	p := w.Predict()
	x.Go.Energy = slices.Clone(p.Energy.Value().Data)
	x.Go.Forces = slices.Clone(p.Forces.Value().Data)
	loss, gs := w.Gradients()
	x.Go.Loss = loss
	for _, g := range gs {
		x.Go.Grads = append(x.Go.Grads, slices.Clone(g.Float64s()))
	}
	return atomicfile.Write(path, func(wr io.Writer) error { return json.NewEncoder(wr).Encode(&x) })
}

// Gemm is one matrix product shape: op(A)·op(B) with op(A) (M, K) and op(B) (K, N),
// A stored transposed when TransA (and B when TransB), performed Count times.
type Gemm struct {
	M, N, K        int
	TransA, TransB bool
	Count          int
}

// Flops returns 2·M·N·K·Count.
func (g Gemm) Flops() float64 {
	return 2 * float64(g.M) * float64(g.N) * float64(g.K) * float64(g.Count)
}

// Layer is a Linear layer of the model with its rows and the facts that decide
// which products its derivatives need.
type Layer struct {
	Name         string
	M, In, Out   int
	InputOfR     bool // the input depends on the positions
	InputOfTheta bool // the input depends on trainable parameters
	GradOfTheta  bool // ∂E/∂y depends on trainable parameters
}

// Layers lists the Linear layers of a model of configuration cfg on a batch of atoms
// atoms and pairs directed pairs.
func Layers(cfg potentials.Config, atoms, pairs int) []Layer {
	F := cfg.Features
	var ls []Layer
	for t := 0; t < cfg.Interactions; t++ {
		p := fmt.Sprintf("interaction.%d.", t)
		ls = append(ls,
			Layer{p + "filter.0", pairs, cfg.RBF, F, true, false, true},
			Layer{p + "filter.1", pairs, F, F, true, true, true},
			Layer{p + "in", atoms, F, F, t > 0, true, true},
			Layer{p + "update.0", atoms, F, F, true, true, true},
			Layer{p + "update.1", atoms, F, F, true, true, true})
	}
	return append(ls,
		Layer{"output.0", atoms, F, F / 2, true, true, true},
		// ∂E/∂y of the last layer is the fixed scale s.
		Layer{"output.1", atoms, F / 2, 1, true, true, false})
}

// Matmuls returns the matrix products of the layers that energies and forces need
// (training false) or that a training step needs (training true); see the package
// documentation for the rules.
func Matmuls(layers []Layer, training bool) []Gemm {
	var gs []Gemm
	add := func(g Gemm) {
		for i := range gs {
			if gs[i].M == g.M && gs[i].N == g.N && gs[i].K == g.K && gs[i].TransA == g.TransA && gs[i].TransB == g.TransB {
				gs[i].Count++
				return
			}
		}
		g.Count = 1
		gs = append(gs, g)
	}
	for _, l := range layers {
		fwd := Gemm{M: l.M, K: l.In, N: l.Out}               // x·W
		bwd := Gemm{M: l.M, K: l.Out, N: l.In, TransB: true} // gy·Wᵀ
		dW := Gemm{M: l.In, K: l.M, N: l.Out, TransA: true}  // xᵀ·ḡy
		dWb := Gemm{M: l.Out, K: l.M, N: l.In, TransA: true} // gyᵀ·ḡgx (the transpose of ḡgxᵀ·gy)
		dgy := Gemm{M: l.M, K: l.In, N: l.Out}               // ḡgx·W
		add(fwd)
		if l.InputOfR {
			add(bwd)
		}
		if !training {
			continue
		}
		add(dW)
		if l.InputOfTheta {
			add(bwd)
		}
		if l.InputOfR {
			add(dWb)
			if l.GradOfTheta {
				add(dgy)
			}
		}
	}
	return gs
}

// TotalFlops sums the flops of the products.
func TotalFlops(gs []Gemm) float64 {
	s := 0.0
	for _, g := range gs {
		s += g.Flops()
	}
	return s
}

// Timing is the median and minimum of repeated calls.
type Timing struct {
	Median, Min time.Duration
	Repeats     int
}

// Time calls f warm times, then repeats times, and returns the median and minimum of
// the timed calls. It panics if repeats < 1.
func Time(f func(), warm, repeats int) Timing {
	if repeats < 1 {
		panic("schnet: Time with fewer than one repeat")
	}
	for range warm {
		f()
	}
	ds := make([]time.Duration, repeats)
	for i := range ds {
		t0 := time.Now()
		f()
		ds[i] = time.Since(t0)
	}
	return Summarize(ds)
}

// Summarize returns the median and minimum of ds. It panics if ds is empty.
func Summarize(ds []time.Duration) Timing {
	n := len(ds)
	if n == 0 {
		panic("schnet: Summarize of no durations")
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(a, b int) bool { return s[a] < s[b] })
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return Timing{Median: med, Min: s[0], Repeats: n}
}

// Ms returns d in milliseconds.
func Ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

// RelDiff returns max_k |a_k − b_k| / max(1, max_k |b_k|), or +Inf for different
// lengths.
func RelDiff(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	d, s := 0.0, 1.0
	for k := range a {
		d = math.Max(d, math.Abs(a[k]-b[k]))
		s = math.Max(s, math.Abs(b[k]))
	}
	return d / s
}

// Floor times each product of gs with gonum's blas64.Gemm (OpenBLAS once
// openblas.Use has been called), the median of repeats calls after one warm-up, and
// returns the time all the products need, Σ Count·t, and their flop rate.
func Floor(gs []Gemm, repeats int) (time.Duration, float64) { return FloorOf(gs, repeats, ad.Float64) }

// FloorOf is Floor in precision dt: dgemm (blas64) for float64, sgemm (blas32) for
// float32.
func FloorOf(gs []Gemm, repeats int, dt ad.DType) (time.Duration, float64) {
	var total time.Duration
	for _, g := range gs {
		ta, tb := blas.NoTrans, blas.NoTrans
		if g.TransA {
			ta = blas.Trans
		}
		if g.TransB {
			tb = blas.Trans
		}
		a := operand(g.M, g.K, g.TransA)
		b := operand(g.K, g.N, g.TransB)
		var f func()
		if dt == ad.Float32 {
			a32, b32 := general32(a), general32(b)
			c := blas32.General{Rows: g.M, Cols: g.N, Stride: g.N, Data: make([]float32, g.M*g.N)}
			f = func() { blas32.Gemm(ta, tb, 1, a32, b32, 0, c) }
		} else {
			c := blas64.General{Rows: g.M, Cols: g.N, Stride: g.N, Data: make([]float64, g.M*g.N)}
			f = func() { blas64.Gemm(ta, tb, 1, a, b, 0, c) }
		}
		t := Time(f, 1, repeats)
		total += time.Duration(g.Count) * t.Median
	}
	return total, TotalFlops(gs) / total.Seconds()
}

// general32 rounds a float64 matrix to float32.
func general32(m blas64.General) blas32.General {
	d := make([]float32, len(m.Data))
	for i, v := range m.Data {
		d[i] = float32(v)
	}
	return blas32.General{Rows: m.Rows, Cols: m.Cols, Stride: m.Stride, Data: d}
}

// operand returns a deterministic (rows, cols) matrix, stored transposed when trans.
func operand(rows, cols int, trans bool) blas64.General {
	if trans {
		rows, cols = cols, rows
	}
	d := make([]float64, rows*cols)
	for i := range d {
		d[i] = float64(i%7)/7 - 0.4
	}
	return blas64.General{Rows: rows, Cols: cols, Stride: cols, Data: d}
}
