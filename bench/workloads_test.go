package bench

import (
	"math"
	"slices"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// close reports whether got and want agree to rel relative to the scale s.
func near(got, want, tol, scale float64) bool {
	return math.Abs(got-want) <= tol*(scale+math.Abs(want))
}

// TestPotentialForces checks F = −∂E/∂R by central differences of the total energy,
// and that the forces of each molecule sum to zero (E depends on distances only).
func TestPotentialForces(t *testing.T) {
	p := NewPotential(7, 2)
	if p.NumAtoms != 40 || p.NumPairs != 18*17+22*21 {
		t.Fatalf("2 molecules: %d atoms, %d pairs; want 40 and %d", p.NumAtoms, p.NumPairs, 18*17+22*21)
	}
	_, f := p.EnergyForces(false)
	total := func() float64 { return ad.Sum(p.Energy()).Item() }
	r := p.R.Value().Data
	const h = 1e-5
	for _, k := range []int{0, 1, 2, 17 * 3, 18*3 + 1, 39*3 + 2} {
		x := r[k]
		r[k] = x + h
		ep := total()
		r[k] = x - h
		em := total()
		r[k] = x
		want := -(ep - em) / (2 * h)
		if got := f.Value().Data[k]; !near(got, want, 1e-6, 1e-3) {
			t.Errorf("force component %d: autodiff %.10g, central difference %.10g", k, got, want)
		}
	}
	base := 0
	for m, n := range p.Sizes {
		for c := range 3 {
			var s, a float64
			for i := base; i < base+n; i++ {
				s += f.Value().At(i, c)
				a += math.Abs(f.Value().At(i, c))
			}
			if math.Abs(s) > 1e-12*a {
				t.Errorf("molecule %d: forces sum to %g along axis %d (|F| sum %g)", m, s, c, a)
			}
		}
		base += n
	}
}

// TestPotentialLossGradient checks the double backward: ∂loss/∂θ (loss on energies
// and on forces, which are themselves gradients) against central differences.
func TestPotentialLossGradient(t *testing.T) {
	p := NewPotential(8, 2)
	g := ad.Grad(p.Loss(), p.Params...)
	const h = 1e-6
	for _, c := range []struct{ param, elem int }{{0, 0}, {0, 100}, {1, 3}, {2, 7}, {4, 5}, {5, 0}} {
		d := p.Params[c.param].Value().Data
		x := d[c.elem]
		d[c.elem] = x + h
		lp := p.Loss().Item()
		d[c.elem] = x - h
		lm := p.Loss().Item()
		d[c.elem] = x
		want := (lp - lm) / (2 * h)
		if got := g[c.param].Value().Data[c.elem]; !near(got, want, 1e-5, 1e-4) {
			t.Errorf("∂loss/∂θ[%d][%d]: autodiff %.10g, central difference %.10g", c.param, c.elem, got, want)
		}
	}
}

// TestTrainStepsLowerLosses checks that the workloads' steps do train: the loss
// after a few dozen Adam steps is below the first one.
func TestTrainStepsLowerLosses(t *testing.T) {
	w := NewMLP(3, 64, 16)
	first := w.Step()
	var last float64
	for range 30 {
		last = w.Step()
	}
	if !(last < 0.95*first) {
		t.Errorf("MLP: loss %g after 30 Adam steps, %g at first", last, first)
	}
	p := NewPotential(4, 2)
	pFirst := p.TrainStep()
	var pLast float64
	for range 30 {
		pLast = p.TrainStep()
	}
	if !(pLast < pFirst) {
		t.Errorf("potential: loss %g after 30 Adam steps, %g at first", pLast, pFirst)
	}
}

func TestEngineMatMulMatchesDgemm(t *testing.T) {
	g := NewGemm(5, 48)
	g.Raw()
	got := g.Engine().Value().Data
	for i, want := range g.C {
		if !near(got[i], want, 1e-13, 1) {
			t.Fatalf("element %d: engine %.17g, dgemm %.17g", i, got[i], want)
		}
	}
	// Against a naive product too, so that a broken OpenBLAS is caught.
	a, b := g.A.Value(), g.B.Value()
	for _, ij := range [][2]int{{0, 0}, {47, 3}, {20, 47}} {
		var s float64
		for k := range 48 {
			s += a.At(ij[0], k) * b.At(k, ij[1])
		}
		if c := g.C[ij[0]*48+ij[1]]; !near(c, s, 1e-13, 1) {
			t.Errorf("dgemm C[%d,%d] = %.17g, naive sum %.17g", ij[0], ij[1], c, s)
		}
	}
}

func TestMoleculeSizes(t *testing.T) {
	s := MoleculeSizes(32)
	var n, pairs int
	for _, k := range s {
		n += k
		pairs += k * (k - 1)
	}
	if n != 640 || pairs != 12232 || slices.Min(s) != 18 || slices.Max(s) != 22 {
		t.Errorf("32 molecules: %d atoms, %d pairs, sizes %d…%d; want 640, 12232, 18…22", n, pairs, slices.Min(s), slices.Max(s))
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{1, 1e9, 2, 3, 1e9}, 3},
	} {
		if got := median(c.xs); got != c.want {
			t.Errorf("median(%v) = %g, want %g", c.xs, got, c.want)
		}
	}
}

func TestMeasureCounts(t *testing.T) {
	calls := 0
	tm := Measure(func() { calls++ }, &MeasureOptions{WarmUp: 1, MinRun: 2e6, Runs: 3})
	if len(tm.RunsMS) != 3 || tm.Reps < 1 || calls < 3+3*tm.Reps {
		t.Fatalf("3 runs of %d reps: %d runs timed, %d calls", tm.Reps, len(tm.RunsMS), calls)
	}
	if tm.MinMS > tm.MedianMS || tm.MedianMS > slices.Max(tm.RunsMS) {
		t.Errorf("min %g, median %g, max %g out of order", tm.MinMS, tm.MedianMS, slices.Max(tm.RunsMS))
	}
}
