package potentials

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
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

// FitReferences sets the per-element reference energies E_ref and the per-structure
// shift E_0 by linear least squares of energy on composition,
//
//	E ≈ E_0 + Σ_k n_k·E_ref,k   (n_k atoms of species k),
//
// and the output scale from the spread of the forces (their RMS component, or 1
// without forces). Each distinct composition enters once with its mean energy, so
// that no group of frames dominates by its size. The solution is the minimum-norm
// least-squares one (by singular value decomposition), so compositions that do not
// determine every reference (too few, or collinear) still give references that fit
// the energies seen; with fewer distinct compositions than species + 1 the shift is
// not fitted (E_0 = 0).
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
	return m.solveReferences(keys, func(k string) ([]float64, float64) {
		g := groups[k]
		return g.comp, g.sum / float64(g.n)
	})
}

// solveReferences fits E ≈ E_0 + comp·E_ref over one row per key (its composition
// and mean energy), minimum-norm by SVD, with E_0 = 0 when there are fewer rows
// than species + 1.
func (m *Model) solveReferences(keys []string, row func(string) ([]float64, float64)) error {
	S := len(m.Config.Species)
	shift := 0
	if len(keys) >= S+1 {
		shift = 1
	}
	A := mat.NewDense(len(keys), S+shift, nil)
	y := mat.NewDense(len(keys), 1, nil)
	for i, k := range keys {
		c, e := row(k)
		if shift == 1 {
			A.Set(i, 0, 1)
		}
		for j, v := range c {
			A.Set(i, shift+j, v)
		}
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
	for k := 0; k < S+shift; k++ {
		if v := x.At(k, 0); math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("cannot fit reference energies: the fit gave %v", v)
		}
	}
	m.Shift.Value().Data[0] = 0
	if shift == 1 {
		m.Shift.Value().Data[0] = x.At(0, 0)
	}
	for k := 0; k < S; k++ {
		m.Ref.Value().Data[k] = x.At(shift+k, 0)
	}
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
