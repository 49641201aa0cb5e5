package potentials

import (
	"math"
	"strings"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
)

// precisionResults returns energies, forces, stress and the gradient of a
// force-and-stress loss with respect to the trainable parameters (widened to
// float64), the quantities training and MD use.
func precisionResults(m *Model, b *Batch) (e, f, s, g []float64) {
	R := ad.Variable(b.Positions)
	eps := ad.Variable(ad.Zeros(b.Len(), 9))
	en := m.Energies(nil, b, R, eps)
	gs := ad.Gradients([]*ad.Var{ad.Sum(en)}, []*ad.Var{R, eps}, &ad.GradOptions{CreateGraph: true})
	loss := ad.Add(ad.Sum(ad.Square(gs[0])), ad.Sum(ad.Square(gs[1])))
	for _, gp := range ad.Gradients([]*ad.Var{loss}, nn.Vars(nn.Trainable(m)), nil) {
		g = append(g, gp.Value().Float64s()...)
	}
	return en.Value().Data, gs[0].Value().Data, gs[1].Value().Data, g
}

// TestFloat32MatchesFloat64 computes a model in float64 and the same model with its
// network rounded to float32 (Model.SetPrecision) and compares: energies to 1e-6 eV
// per atom, forces and strain derivatives to 1e-5 of their largest magnitude, the
// parameter gradient of the force loss to 1e-4 of its largest magnitude (float32
// rounding is 6·10⁻⁸ relative per operation; measured here 2–4·10⁻⁷, so the bounds
// leave a factor 30 for larger models). It also checks that the energies stay float64 and that the
// reference energies are not rounded.
func TestFloat32MatchesFloat64(t *testing.T) {
	for _, arch := range []string{ArchSchNet, ArchPaiNN} {
		t.Run(arch, func(t *testing.T) { checkFloat32(t, arch) })
	}
}

func checkFloat32(t *testing.T, arch string) {
	species := []int{1, 6}
	cfg := Config{Model: arch, Species: species, Cutoff: 4, Features: 16, RBF: 8, Interactions: 2, Seed: 3}
	m64, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m32, _ := New(cfg)
	for _, m := range []*Model{m64, m32} {
		copy(m.Ref.Value().Data, []float64{-13.6123456789, -1029.8123456789})
	}
	if err := m32.SetPrecision(ad.Float32); err != nil {
		t.Fatal(err)
	}
	if m32.Precision() != ad.Float32 || m64.Precision() != ad.Float64 || m32.Ref.DType() != ad.Float64 {
		t.Fatalf("precisions: %v, %v, references %v", m32.Precision(), m64.Precision(), m32.Ref.DType())
	}
	b := fusedTestBatch(t, species)
	e64, f64, s64, g64 := precisionResults(m64, b)
	e32, f32, s32, g32 := precisionResults(m32, b)
	worstE := 0.0
	for k := range e64 {
		d := math.Abs(e32[k]-e64[k]) / float64(b.Counts[k])
		if !(d <= 1e-6) {
			t.Errorf("structure %d: energy %.9f (float32 network) vs %.9f eV: %.3g eV/atom", k, e32[k], e64[k], d)
		}
		worstE = math.Max(worstE, d)
	}
	t.Logf("energies: max |float32 − float64| = %.3g eV/atom", worstE)
	for _, c := range []struct {
		name      string
		got, want []float64
		rel       float64
	}{{"forces", f32, f64, 1e-5}, {"strain derivative", s32, s64, 1e-5}, {"loss gradient", g32, g64, 1e-4}} {
		scale, worst := 0.0, 0.0
		for k := range c.want {
			scale = math.Max(scale, math.Abs(c.want[k]))
			worst = math.Max(worst, math.Abs(c.got[k]-c.want[k]))
		}
		if !(worst <= c.rel*scale) || scale == 0 {
			t.Errorf("%s: float32 differs by %.3g, largest magnitude %.3g", c.name, worst, scale)
		}
		t.Logf("%s: max |float32 − float64| = %.3g of max |value| %.3g (%.2g relative)", c.name, worst, scale, worst/scale)
	}
}

// TestSetPrecisionRefusesUnknown checks that a precision other than float64 and
// float32 is refused and leaves the model as it was.
func TestSetPrecisionRefusesUnknown(t *testing.T) {
	m, err := New(Config{Model: ArchPaiNN, Species: []int{1, 6}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetPrecision(ad.DType(7)); err == nil || !strings.Contains(err.Error(), "unknown precision") {
		t.Fatalf("precision 7: %v", err)
	}
	if m.Precision() != ad.Float64 {
		t.Fatal("a refused conversion changed the model")
	}
}
