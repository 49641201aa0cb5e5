package potentials

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/elements"
)

// InitialEmbedding places a new element's embedding among the learned embeddings
// of the elements the model knows, by kernel ridge regression from element
// descriptors (elements.Descriptor) to embeddings: with known descriptors d_k,
// embeddings e_k and mean ē,
//
//	e_new = ē + Σ_k α_k (e_k − ē),  α = (K + λI)⁻¹ κ,
//
// K_kl = exp(−|d_k − d_l|²/2ℓ²), κ_k = exp(−|d_new − d_k|²/2ℓ²), ℓ the median
// distance between known descriptors, λ = 1e-3. The new element thus starts near its
// chemical neighbours (O near N, Pd near Ag and Cu) rather than at random.
func (m *Model) InitialEmbedding(z int) ([]float64, error) {
	dNew, err := elements.Descriptor(z)
	if err != nil {
		return nil, err
	}
	species := m.Config.Species
	S, F := len(species), m.Config.Features
	desc := make([][]float64, S)
	for k, s := range species {
		if desc[k], err = elements.Descriptor(s); err != nil {
			return nil, err
		}
	}
	var dists []float64
	for a := 0; a < S; a++ {
		for b := a + 1; b < S; b++ {
			dists = append(dists, dist(desc[a], desc[b]))
		}
	}
	ell := 1.0
	if len(dists) > 0 {
		sort.Float64s(dists)
		ell = math.Max(dists[len(dists)/2], 1e-3)
	}
	kern := func(a, b []float64) float64 { d := dist(a, b); return math.Exp(-d * d / (2 * ell * ell)) }
	K := mat.NewDense(S, S, nil)
	kappa := mat.NewVecDense(S, nil)
	for a := 0; a < S; a++ {
		for b := 0; b < S; b++ {
			K.Set(a, b, kern(desc[a], desc[b]))
		}
		K.Set(a, a, K.At(a, a)+1e-3)
		kappa.SetVec(a, kern(dNew, desc[a]))
	}
	var alpha mat.VecDense
	if err := alpha.SolveVec(K, kappa); err != nil {
		return nil, fmt.Errorf("placing the embedding of Z=%d: %v", z, err)
	}
	table := m.Embed.Table.Value().Float64s()
	mean := make([]float64, F)
	for k := 0; k < S; k++ {
		for f := 0; f < F; f++ {
			mean[f] += table[k*F+f] / float64(S)
		}
	}
	e := append([]float64(nil), mean...)
	for k := 0; k < S; k++ {
		for f := 0; f < F; f++ {
			e[f] += alpha.AtVec(k) * (table[k*F+f] - mean[f])
		}
	}
	return e, nil
}

func dist(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += (a[i] - b[i]) * (a[i] - b[i])
	}
	return math.Sqrt(s)
}

// FitNewReference sets the reference energy (eV) of an added element z by least
// squares on frames containing it: with the model's current predictions Ê (in which
// the element's reference is r₀), it minimises Σ_f (E_f − Ê_f − n_f·Δ)² over Δ and
// sets r₀ + Δ, n_f being the number of atoms of z in frame f.
func (m *Model) FitNewReference(z int, frames []datasets.Frame) error {
	ref := m.addedReference(z)
	if ref == nil {
		return fmt.Errorf("element %s has not been added to the model", elements.Symbol(z))
	}
	e, err := m.PredictEnergies(frames, m.ElementContext)
	if err != nil {
		return err
	}
	num, den := 0.0, 0.0
	for i := range frames {
		n := 0.0
		for _, zz := range frames[i].Numbers {
			if zz == z {
				n++
			}
		}
		num += n * (frames[i].Energy - e[i])
		den += n * n
	}
	if den == 0 {
		return fmt.Errorf("no frame contains element %s", elements.Symbol(z))
	}
	*ref += num / den
	return nil
}

// addedReference returns the reference energy of an added element z, or nil.
func (m *Model) addedReference(z int) *float64 {
	if m.adapter == nil {
		return nil
	}
	rows := m.adapter.NewRows("energy.reference")
	for k, a := range m.added {
		if a == z && rows != nil {
			return &rows.Value().Data[k]
		}
	}
	return nil
}
