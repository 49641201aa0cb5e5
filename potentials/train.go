package potentials

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/sajari/regression"
	"gonum.org/v1/gonum/mat"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/optim"
	"github.com/sciadapt/sciadapt/train/checkpoint"
)

// StructureOf returns the structure of a dataset frame (sharing its slices).
func StructureOf(f *datasets.Frame) *Structure {
	return &Structure{Numbers: f.Numbers, Positions: f.Positions, Cell: f.Cell, PBC: f.PBC}
}

// composition counts atoms of each species (in the model's species order).
func composition(numbers []int, species []int) []float64 {
	c := make([]float64, len(species))
	for _, z := range numbers {
		for k, s := range species {
			if s == z {
				c[k]++
			}
		}
	}
	return c
}

// FitReferences sets the per-element reference energies and the per-structure shift
// by linear least squares of energy on composition (github.com/sajari/regression,
// whose intercept is the shift), and the output scale from the spread of the forces
// (their RMS component, or the residual energy spread per atom without forces).
// Each distinct composition enters once with its mean energy, so that no group of
// frames dominates by its size. When the compositions do not determine the
// references, with fewer distinct compositions than species + 1 it
// takes the minimum-norm least-squares references and no shift instead.
func (m *Model) FitReferences(frames []datasets.Frame) error {
	return m.fitReferences(frames, nil, nil)
}

// fitReferences is FitReferences over the frames of every process of a
// data-parallel run (see FitReferencesParallel); nil reduce means one process.
func (m *Model) fitReferences(frames []datasets.Frame, comps [][]int, reduce func([]float64)) error {
	species := m.Config.Species
	type group struct {
		comp []float64
		sum  float64
		n    int
	}
	groups := map[string]*group{}
	var keys []string
	closed := false // with reduce, every process must reduce the same groups
	groupOf := func(numbers []int) *group {
		c := composition(numbers, species)
		k := fmt.Sprint(c)
		g := groups[k]
		if g == nil {
			if closed {
				panic(fmt.Sprintf("potentials: a frame's composition %v is not among the compositions given", numbers))
			}
			g = &group{comp: c}
			groups[k] = g
			keys = append(keys, k)
		}
		return g
	}
	for _, z := range comps {
		groupOf(z)
	}
	closed = reduce != nil
	for i := range frames {
		g := groupOf(frames[i].Numbers)
		g.sum += frames[i].Energy
		g.n++
	}
	sort.Strings(keys)
	fsum, fn := forceSquares(frames)
	if reduce != nil {
		v := make([]float64, 0, 2*len(keys)+2)
		for _, k := range keys {
			v = append(v, groups[k].sum, float64(groups[k].n))
		}
		v = append(v, fsum, fn)
		reduce(v)
		for i, k := range keys {
			groups[k].sum, groups[k].n = v[2*i], int(v[2*i+1])
		}
		fsum, fn = v[len(v)-2], v[len(v)-1]
		used := keys[:0]
		for _, k := range keys {
			if groups[k].n > 0 {
				used = append(used, k)
			}
		}
		keys = used
	}
	if len(keys) == 0 {
		return fmt.Errorf("cannot fit reference energies: no frames")
	}
	m.Scale.Value().Data[0] = 1
	if fn > 0 && fsum > 0 {
		m.Scale.Value().Data[0] = math.Sqrt(fsum / fn)
	}
	if len(keys) < len(species)+1 {
		// Too few compositions to determine a shift and every reference: take the
		// minimum-norm least-squares references with no shift.
		return m.fitReferencesMinNorm(keys, func(k string) ([]float64, float64) {
			g := groups[k]
			return g.comp, g.sum / float64(g.n)
		})
	}
	r := new(regression.Regression)
	r.SetObserved("energy")
	for k, z := range species {
		r.SetVar(k, fmt.Sprintf("n_Z%d", z))
	}
	for _, k := range keys {
		g := groups[k]
		r.Train(regression.DataPoint(g.sum/float64(g.n), g.comp))
	}
	if err := r.Run(); err != nil {
		return fmt.Errorf("cannot fit reference energies: %v", err)
	}
	coeffs := r.GetCoeffs()
	for _, c := range coeffs {
		if math.IsNaN(c) || math.IsInf(c, 0) || math.Abs(c) > 1e7 {
			return fmt.Errorf("cannot fit reference energies: compositions are collinear (coefficients %v)", coeffs)
		}
	}
	m.Shift.Value().Data[0] = coeffs[0]
	copy(m.Ref.Value().Data, coeffs[1:])
	return nil
}

// fitReferencesMinNorm solves composition·ref ≈ energy for the minimum-norm ref by
// singular value decomposition, with a zero shift.
func (m *Model) fitReferencesMinNorm(keys []string, row func(string) ([]float64, float64)) error {
	S := len(m.Config.Species)
	A := mat.NewDense(len(keys), S, nil)
	y := mat.NewDense(len(keys), 1, nil)
	for i, k := range keys {
		c, e := row(k)
		A.SetRow(i, c)
		y.Set(i, 0, e)
	}
	var svd mat.SVD
	if !svd.Factorize(A, mat.SVDThin) {
		return fmt.Errorf("cannot fit reference energies: SVD failed")
	}
	rank := svd.Rank(1e-10)
	if rank == 0 {
		return fmt.Errorf("cannot fit reference energies: no atoms")
	}
	var x mat.Dense
	svd.SolveTo(&x, y, rank)
	for k := 0; k < S; k++ {
		m.Ref.Value().Data[k] = x.At(k, 0)
	}
	m.Shift.Value().Data[0] = 0
	return nil
}

// RefitReferences corrects the reference energies and the shift after training by
// the least-squares fit of the model's energy residuals E − Ê on composition (the
// same fit as FitReferences, applied to the residuals). Training on forces leaves
// each structure's energy free up to a constant that forces cannot see; this removes
// the part of that constant that is linear in composition. It returns the RMS
// residual per structure before and after, in eV.
func (m *Model) RefitReferences(frames []datasets.Frame) (before, after float64, err error) {
	if len(frames) == 0 {
		return 0, 0, fmt.Errorf("cannot refit reference energies: no frames")
	}
	return m.refitReferences(frames, nil, nil)
}

// refitReferences is RefitReferences over the frames of every process of a
// data-parallel run (see RefitReferencesParallel); nil reduce means one process.
func (m *Model) refitReferences(frames []datasets.Frame, comps [][]int, reduce func([]float64)) (before, after float64, err error) {
	pred, err := m.PredictEnergies(frames, nil)
	if err != nil {
		return 0, 0, err
	}
	resid := make([]datasets.Frame, len(frames))
	for i := range frames {
		resid[i] = datasets.Frame{Numbers: frames[i].Numbers, Energy: frames[i].Energy - pred[i]}
		before += resid[i].Energy * resid[i].Energy
	}
	fit, err := New(m.Config)
	if err != nil {
		return 0, 0, err
	}
	if err := fit.fitReferences(resid, comps, reduce); err != nil {
		return 0, 0, err
	}
	for k := range m.Ref.Value().Data {
		m.Ref.Value().Data[k] += fit.Ref.Value().Data[k]
	}
	m.Shift.Value().Data[0] += fit.Shift.Value().Data[0]
	for i := range frames {
		d := resid[i].Energy - fit.Shift.Value().Data[0]
		for _, z := range frames[i].Numbers {
			for k, sp := range m.Config.Species {
				if sp == z {
					d -= fit.Ref.Value().Data[k]
				}
			}
		}
		after += d * d
	}
	n := float64(len(frames))
	if reduce != nil {
		v := []float64{before, after, n}
		reduce(v)
		before, after, n = v[0], v[1], v[2]
	}
	return math.Sqrt(before / n), math.Sqrt(after / n), nil
}

// PredictEnergies returns the model's energy (eV) of each frame, in batches of 64
// structures, without building a graph. ctx, if set, gives each batch's context.
func (m *Model) PredictEnergies(frames []datasets.Frame, ctx func(*Batch) *nn.Context) ([]float64, error) {
	pred := make([]float64, len(frames))
	for s := 0; s < len(frames); s += 64 {
		fr := frames[s:min(s+64, len(frames))]
		structs := make([]*Structure, len(fr))
		for i := range fr {
			structs[i] = StructureOf(&fr[i])
		}
		b, err := NewBatch(structs, m.Species(), m.Config.Cutoff)
		if err != nil {
			return nil, err
		}
		var c *nn.Context
		if ctx != nil {
			c = ctx(b)
		}
		copy(pred[s:], m.Energies(c, b, ad.Constant(b.Positions), nil).Value().Data)
	}
	return pred, nil
}

// forceSquares returns the sum of squared force components of frames ((eV/Å)²) and
// their number; the output scale is the RMS force component √(sum/n), or 1 without
// forces.
func forceSquares(frames []datasets.Frame) (sum, n float64) {
	for i := range frames {
		for _, f := range frames[i].Forces {
			sum += f * f
			n++
		}
	}
	return sum, n
}

// TrainOptions configure Train; zero fields take the defaults in brackets.
type TrainOptions struct {
	Epochs       int     // passes over the data [100]
	BatchSize    int     // structures per step [32]
	LR           float64 // initial Adam learning rate [1e-3], cosine-decayed to LR/100
	EnergyWeight float64 // weight of the squared energy error per atom, (eV/atom)² [1]
	ForceWeight  float64 // weight of the squared force error, (eV/Å)² [10]
	StressWeight float64 // weight of the squared stress error, (eV/Å³)², when frames have stress [0]
	Seed         uint64  // shuffling seed
	// Params are the parameters to train; nil means every trainable parameter of the
	// model.
	Params []*nn.Param
	// Context, if set, gives the nn.Context for a batch (adapters use it for masks).
	Context func(b *Batch) *nn.Context
	// Progress, if set, is called after each epoch.
	Progress func(EpochStats)
	// Parallel, if set, makes Train one process of a data-parallel run: frames are
	// this process's share and gradients are summed over processes (see Parallel).
	Parallel *Parallel
	// Checkpoint, if set, writes checkpoints, resumes from one, and stops with a
	// checkpoint when its context is cancelled (see train/checkpoint).
	Checkpoint *checkpoint.Saver
}

func (o TrainOptions) withDefaults() TrainOptions {
	if o.Epochs == 0 {
		o.Epochs = 100
	}
	if o.BatchSize == 0 {
		o.BatchSize = 32
	}
	if o.LR == 0 {
		o.LR = 1e-3
	}
	if o.EnergyWeight == 0 && o.ForceWeight == 0 {
		o.EnergyWeight, o.ForceWeight = 1, 10
	}
	return o
}

// EpochStats summarises one epoch of training.
type EpochStats struct {
	Epoch   int
	Loss    float64 // mean training loss over the epoch's batches
	LR      float64
	Seconds float64 // since training started
}

// Train fits the chosen parameters to the frames by Adam on the weighted energy,
// force and stress loss. Forces (and stress) in the loss are differentiated again
// with respect to the parameters (create-graph). It stops with an error, before the
// update, if the loss or a gradient becomes NaN or Inf, naming the epoch, the step
// and the last good checkpoint. Each epoch's order of the frames depends only on
// (Seed, epoch). With opt.Checkpoint resuming, the returned statistics start at the
// epoch resumed.
func Train(m *Model, frames []datasets.Frame, opt TrainOptions) ([]EpochStats, error) {
	o := opt.withDefaults()
	params := o.Params
	if params == nil {
		params = nn.Trainable(m)
	}
	vars := nn.Vars(params)
	if len(vars) == 0 {
		return nil, fmt.Errorf("nothing to train: every parameter is frozen")
	}
	adam := optim.NewAdam(&optim.AdamOptions{LR: o.LR})
	sched := optim.Cosine{Base: o.LR, Min: o.LR / 100, Total: o.Epochs}
	n := len(frames)
	if o.Parallel != nil {
		if err := o.Parallel.validate(len(frames)); err != nil {
			return nil, err
		}
		n = o.Parallel.Total
	}
	ck := o.Checkpoint
	fp := "" // hashing every frame is only needed when checkpointing
	if ck != nil {
		fp = trainFingerprint(frames, params, o)
	}
	pos, err := ck.Resume("potential/train", fp, params, adam)
	if err != nil {
		return nil, err
	}
	nb := (n + o.BatchSize - 1) / o.BatchSize
	start := time.Now()
	var hist []EpochStats
	for ep := pos.Epoch; ep < o.Epochs; ep++ {
		adam.SetLR(sched.LR(ep))
		// Each epoch's order depends on (seed, epoch) only, so a resumed run
		// regenerates it.
		order := checkpoint.EpochRand(o.Seed, 0xbadc0de, ep).Perm(n)
		b0, total := 0, 0.0
		if ep == pos.Epoch && pos.Batch > 0 {
			b0 = pos.Batch
			if len(pos.Sums) > 0 {
				total = pos.Sums[0]
			}
		}
		for b := b0; b < nb; b++ {
			s := b * o.BatchSize
			idx := order[s:min(s+o.BatchSize, len(order))]
			lv, gt, err := batchGradients(m, frames, idx, vars, o)
			if err != nil {
				return hist, err
			}
			if err := ck.Check(ep+1, pos.Step+1, lv, gt); err != nil {
				return hist, err
			}
			adam.Step(vars, gt)
			total += lv
			pos.Step++
			next := checkpoint.Position{Epoch: ep, Batch: b + 1, Step: pos.Step, Sums: []float64{total}}
			if b+1 == nb {
				next = checkpoint.Position{Epoch: ep + 1, Step: pos.Step}
			}
			if err := ck.After(next, params, adam); err != nil {
				return hist, err
			}
		}
		st := EpochStats{Epoch: ep + 1, Loss: total / float64(nb), LR: adam.LR(), Seconds: time.Since(start).Seconds()}
		hist = append(hist, st)
		if o.Progress != nil {
			o.Progress(st)
		}
	}
	return hist, nil
}

// trainFingerprint identifies the data, the trained parameters and every setting
// of o that changes the course of training, for checkpoints.
func trainFingerprint(frames []datasets.Frame, params []*nn.Param, o TrainOptions) string {
	h := checkpoint.NewHash()
	h.Ints(o.Epochs, o.BatchSize)
	h.Floats(o.LR, o.EnergyWeight, o.ForceWeight, o.StressWeight)
	h.Ints(int(o.Seed))
	h.Params(params)
	h.Int(len(frames))
	for i := range frames {
		f := &frames[i]
		h.Ints(f.Numbers...)
		h.Floats(f.Positions...)
		h.Floats(f.Energy)
		h.Floats(f.Forces...)
		var cell, stress []float64 // nil adds a length 0
		if f.Cell != nil {
			cell = f.Cell[:]
		}
		if f.Stress != nil {
			stress = f.Stress[:]
		}
		h.Floats(cell...)
		h.Floats(stress...)
		for _, p := range f.PBC {
			if p {
				h.Int(1)
			} else {
				h.Int(0)
			}
		}
	}
	return h.Sum()
}

// batchLoss is the weighted loss of one batch, a graph value of the parameters.
func batchLoss(m *Model, frames []datasets.Frame, o TrainOptions) (*ad.Var, error) {
	t, err := batchTerms(m, frames, o)
	if err != nil {
		return nil, err
	}
	return t.loss(o, t.count), nil
}

// batchTerms predicts one batch and returns its sums of squared errors and counts.
func batchTerms(m *Model, frames []datasets.Frame, o TrainOptions) (lossTerms, error) {
	var t lossTerms
	structs := make([]*Structure, len(frames))
	withStress := o.StressWeight > 0
	for i := range frames {
		structs[i] = StructureOf(&frames[i])
		withStress = withStress && frames[i].Stress != nil
	}
	b, err := NewBatch(structs, m.Species(), m.Config.Cutoff)
	if err != nil {
		return t, err
	}
	var ctx *nn.Context
	if o.Context != nil {
		ctx = o.Context(b)
	}
	p := m.Predict(ctx, b, withStress, true)
	eRef := ad.Zeros(len(frames), 1)
	invN := ad.Zeros(len(frames), 1)
	var fRef []float64
	t.count.frames = float64(len(frames))
	for i := range frames {
		eRef.Data[i] = frames[i].Energy
		invN.Data[i] = 1 / float64(frames[i].Len())
		if frames[i].Forces == nil {
			t.count.noForces++
		}
		if frames[i].Stress == nil {
			t.count.noStress++
		}
		fRef = append(fRef, frames[i].Forces...)
	}
	t.count.forceComps = float64(len(fRef))
	de := ad.Mul(ad.Sub(p.Energy, ad.Constant(eRef)), ad.Constant(invN))
	t.energy = ad.Sum(ad.Square(de))
	if t.count.noForces == 0 && o.ForceWeight > 0 {
		df := ad.Sub(p.Forces, ad.Constant(ad.New(fRef, len(fRef)/3, 3)))
		t.force = ad.Sum(ad.Square(df))
	}
	if withStress {
		var sRef []float64
		for i := range frames {
			sRef = append(sRef, frames[i].Stress[:]...)
		}
		ds := ad.Sub(p.Stress, ad.Constant(ad.New(sRef, len(frames), 9)))
		t.stress = ad.Sum(ad.Square(ds))
	}
	return t, nil
}

// Errors are mean absolute errors of a model on frames.
type Errors struct {
	Frames           int     `json:"n_frames"`
	EnergyMAE        float64 `json:"energy_mae_ev"`
	EnergyMAEPerAtom float64 `json:"energy_mae_ev_per_atom"`
	ForceMAE         float64 `json:"force_mae_ev_per_angstrom"`             // over all force components
	StressMAE        float64 `json:"stress_mae_ev_per_angstrom3,omitempty"` // over all stress components
}

// Evaluate returns the model's errors on frames, in batches of batchSize structures.
// ctx, if set, gives the context for each batch.
func Evaluate(m *Model, frames []datasets.Frame, batchSize int, ctx func(*Batch) *nn.Context) (Errors, error) {
	var a errorSums
	if err := a.add(m, frames, batchSize, ctx); err != nil {
		return Errors{}, err
	}
	return a.errors(), nil
}

// SystemErrors are the errors of a model on the frames of one system (one HDF5
// group of an atoms file, such as one rMD17 molecule).
type SystemErrors struct {
	System string `json:"system"`
	Errors
}

// EvaluateBySystem returns the model's errors on all frames and on the frames of
// each system (Frame.System), systems in the order of their first frame. The
// totals equal Evaluate's up to rounding. Frames are batched within systems.
func EvaluateBySystem(m *Model, frames []datasets.Frame, batchSize int, ctx func(*Batch) *nn.Context) (Errors, []SystemErrors, error) {
	var names []string
	bySystem := map[string][]datasets.Frame{}
	for _, f := range frames {
		if _, ok := bySystem[f.System]; !ok {
			names = append(names, f.System)
		}
		bySystem[f.System] = append(bySystem[f.System], f)
	}
	var total errorSums
	out := make([]SystemErrors, 0, len(names))
	for _, name := range names {
		var a errorSums
		if err := a.add(m, bySystem[name], batchSize, ctx); err != nil {
			return Errors{}, nil, fmt.Errorf("system %q: %v", name, err)
		}
		total.merge(a)
		out = append(out, SystemErrors{System: name, Errors: a.errors()})
	}
	return total.errors(), out, nil
}

// errorSums accumulate absolute errors and their counts.
type errorSums struct {
	frames, nF, nS     int
	e, ePerAtom, f, st float64
}

func (a *errorSums) merge(b errorSums) {
	a.frames += b.frames
	a.nF += b.nF
	a.nS += b.nS
	a.e += b.e
	a.ePerAtom += b.ePerAtom
	a.f += b.f
	a.st += b.st
}

func (a *errorSums) errors() Errors {
	e := Errors{Frames: a.frames}
	if a.frames > 0 {
		e.EnergyMAE = a.e / float64(a.frames)
		e.EnergyMAEPerAtom = a.ePerAtom / float64(a.frames)
	}
	if a.nF > 0 {
		e.ForceMAE = a.f / float64(a.nF)
	}
	if a.nS > 0 {
		e.StressMAE = a.st / float64(a.nS)
	}
	return e
}

// add predicts frames in batches of batchSize and adds their errors.
func (a *errorSums) add(m *Model, frames []datasets.Frame, batchSize int, ctx func(*Batch) *nn.Context) error {
	if batchSize < 1 {
		batchSize = 64
	}
	for s := 0; s < len(frames); s += batchSize {
		fr := frames[s:min(s+batchSize, len(frames))]
		structs := make([]*Structure, len(fr))
		withStress := true
		for i := range fr {
			structs[i] = StructureOf(&fr[i])
			withStress = withStress && fr[i].Stress != nil
		}
		b, err := NewBatch(structs, m.Species(), m.Config.Cutoff)
		if err != nil {
			return err
		}
		var c *nn.Context
		if ctx != nil {
			c = ctx(b)
		}
		p := m.Predict(c, b, withStress, false)
		off := 0
		for i := range fr {
			d := math.Abs(p.Energy.Value().Data[i] - fr[i].Energy)
			a.e += d
			a.ePerAtom += d / float64(fr[i].Len())
			if fr[i].Forces != nil {
				for k, f := range fr[i].Forces {
					a.f += math.Abs(p.Forces.Value().Data[off+k] - f)
					a.nF++
				}
			}
			off += 3 * fr[i].Len()
			if withStress {
				for k, v := range fr[i].Stress {
					a.st += math.Abs(p.Stress.Value().Data[9*i+k] - v)
					a.nS++
				}
			}
		}
		a.frames += len(fr)
	}
	return nil
}
