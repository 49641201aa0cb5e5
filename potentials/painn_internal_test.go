package potentials

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// rotationMatrix returns the proper rotation (row-major) of angle θ about the unit
// axis u (Rodrigues' formula).
func rotationMatrix(u [3]float64, theta float64) [9]float64 {
	n := math.Sqrt(u[0]*u[0] + u[1]*u[1] + u[2]*u[2])
	x, y, z := u[0]/n, u[1]/n, u[2]/n
	c, s := math.Cos(theta), math.Sin(theta)
	k := 1 - c
	return [9]float64{
		c + x*x*k, x*y*k - z*s, x*z*k + y*s,
		y*x*k + z*s, c + y*y*k, y*z*k - x*s,
		z*x*k - y*s, z*y*k + x*s, c + z*z*k,
	}
}

// rotateRows returns the rows of t (n, 3) rotated: r ← Q·r.
func rotateRows(t *ad.Tensor, q [9]float64) *ad.Tensor {
	out := ad.Zeros(t.Shape...)
	for i := 0; i < len(t.Data); i += 3 {
		for a := 0; a < 3; a++ {
			out.Data[i+a] = q[3*a]*t.Data[i] + q[3*a+1]*t.Data[i+1] + q[3*a+2]*t.Data[i+2]
		}
	}
	return out
}

// rotateVectorFeatures returns Q·v for v (atoms, 3, F): (Qv)_iαf = Σ_β Q_αβ v_iβf.
func rotateVectorFeatures(v *ad.Tensor, q [9]float64) *ad.Tensor {
	n, F := v.Shape[0], v.Shape[2]
	out := ad.Zeros(v.Shape...)
	for i := 0; i < n; i++ {
		for a := 0; a < 3; a++ {
			for b := 0; b < 3; b++ {
				for f := 0; f < F; f++ {
					out.Data[(i*3+a)*F+f] += q[3*a+b] * v.Data[(i*3+b)*F+f]
				}
			}
		}
	}
	return out
}

// maxRelDiff returns max_k |a_k − b_k| / max(1, max_k |b_k|).
func maxRelDiff(a, b []float64) float64 {
	d, s := 0.0, 1.0
	for k := range a {
		d = math.Max(d, math.Abs(a[k]-b[k]))
		s = math.Max(s, math.Abs(b[k]))
	}
	return d / s
}

func maxAbs(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

// equivarianceStructures returns a free molecule and a sheared periodic cell of
// 4 atoms, smaller than twice the 4 Å cutoff so that atoms see their own images.
func equivarianceStructures() []*Structure {
	rng := rand.New(rand.NewPCG(3, 4))
	mol := &Structure{Numbers: []int{6, 7, 1, 1, 1, 6}}
	for range mol.Numbers {
		mol.Positions = append(mol.Positions, 2.5*rng.Float64(), 2.5*rng.Float64(), 2.5*rng.Float64())
	}
	a := 3.6
	cell := [9]float64{a, 0, 0, 0.2, a, 0, 0.1, -0.15, a}
	pos := []float64{0, 0, 0, 0, a / 2, a / 2, a / 2, 0, a / 2, a / 2, a / 2, 0}
	for i := range pos {
		pos[i] += 0.1 * rng.NormFloat64()
	}
	cu := &Structure{Numbers: []int{29, 29, 1, 29}, Positions: pos, Cell: &cell, PBC: [3]bool{true, true, true}}
	return []*Structure{mol, cu}
}

// TestPaiNNFeaturesEquivariant rotates a molecule and a periodic cell (positions
// and image shifts, with the same pair list) and checks, after every message and
// update block, that the scalar features are unchanged and the vector features
// rotate with the structure, v ← Q·v, to 1e-10.
func TestPaiNNFeaturesEquivariant(t *testing.T) {
	m, err := New(Config{Model: ArchPaiNN, Species: []int{1, 6, 7, 29}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 3, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	// Biases as training leaves them, so that no term vanishes by initialisation.
	brng := rand.New(rand.NewPCG(5, 6))
	for _, p := range m.Params() {
		if strings.HasSuffix(p.Name, ".bias") {
			for i := range p.Value().Data {
				p.Value().Data[i] = 0.1 * brng.NormFloat64()
			}
		}
	}
	checkFeaturesEquivariant(t, m, equivarianceStructures())
}

// checkFeaturesEquivariant rotates each structure and checks, after every message
// and update block of m's PaiNN, that s is unchanged and v ← Q·v, to 1e-10, with
// the model's element context (an attached add-element adapter acts).
func checkFeaturesEquivariant(t *testing.T, m *Model, structs []*Structure) {
	t.Helper()
	net := m.Net.(*PaiNN)
	q := rotationMatrix([3]float64{0.3, -1.2, 0.7}, 2.1)
	for k, s := range structs {
		b, err := NewBatch([]*Structure{s}, m.Species(), m.Config.Cutoff)
		if err != nil {
			t.Fatal(err)
		}
		rb := *b
		rb.Positions, rb.Offsets = rotateRows(b.Positions, q), rotateRows(b.Offsets, q)
		ctx := m.ElementContext(b)
		x := m.Embed.Forward(ctx, b.Species)
		ref := net.features(ctx, m.geometry(b, ad.Constant(b.Positions), nil), x)
		rot := net.features(ctx, m.geometry(&rb, ad.Constant(rb.Positions), nil), x)
		if len(ref) != 2*len(net.Blocks) {
			t.Fatalf("%d feature states for %d interactions", len(ref), len(net.Blocks))
		}
		for n := range ref {
			stage := fmt.Sprintf("structure %d, block %d %s", k, n/2, [2]string{"message", "update"}[n%2])
			s0, v0 := ref[n].s.Value(), ref[n].v.Value()
			if d := maxRelDiff(rot[n].s.Value().Data, s0.Data); d > 1e-10 {
				t.Errorf("%s: scalar features changed by %.3g under rotation", stage, d)
			}
			want := rotateVectorFeatures(v0, q)
			if d := maxRelDiff(rot[n].v.Value().Data, want.Data); d > 1e-10 {
				t.Errorf("%s: vector features differ from Q·v by %.3g", stage, d)
			}
			// Not vacuous: the vector features are far from zero and the rotation
			// moves them.
			if maxAbs(v0.Data) < 1e-2 || maxRelDiff(want.Data, v0.Data) < 1e-2 {
				t.Errorf("%s: vector features too small (%.3g) or not moved by the rotation", stage, maxAbs(v0.Data))
			}
		}
	}
}

// TestPaiNNAdaptedFeaturesEquivariant attaches an add-element adapter for O with a
// non-zero element-gated LoRA on every message and update layer (U and V included)
// and checks that the adapted model's features still rotate as they must, on a
// molecule and a periodic cell that hold O.
func TestPaiNNAdaptedFeaturesEquivariant(t *testing.T) {
	m, err := New(Config{Model: ArchPaiNN, Species: []int{1, 6, 7, 29}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 2, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewElementAdapter(m, DefaultElementConfig(8))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	adaptedUV := 0
	for _, p := range a.Params() {
		if strings.Contains(p.Name, "lora_B") {
			for i := range p.Value().Data {
				p.Value().Data[i] = 0.3 * rng.NormFloat64()
			}
			if strings.Contains(p.Name, "update.U") || strings.Contains(p.Name, "update.V") {
				adaptedUV++
			}
		}
	}
	if adaptedUV != 4 {
		t.Fatalf("%d LoRAs on the vector channel mixing U, V of 2 blocks, want 4", adaptedUV)
	}
	structs := equivarianceStructures()
	structs[0].Numbers[1], structs[1].Numbers[2] = 8, 8 // an O in each
	checkFeaturesEquivariant(t, m, structs)
}
