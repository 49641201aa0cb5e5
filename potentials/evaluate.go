package potentials

import (
	"fmt"
	"math"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
)

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
