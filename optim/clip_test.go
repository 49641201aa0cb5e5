package optim_test

import (
	"math"
	"slices"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/optim"
)

func TestClipGradNorm(t *testing.T) {
	// Global norm of (3, 4) and (12) is √(9+16+144) = 13.
	for _, c := range []struct {
		name    string
		maxNorm float64
		want    [][]float64
	}{
		{"scaled by 6.5/13", 6.5, [][]float64{{1.5, 2}, {6}}},
		{"below the maximum", 20, [][]float64{{3, 4}, {12}}},
		{"at the maximum", 13, [][]float64{{3, 4}, {12}}},
		{"to zero", 0, [][]float64{{0, 0}, {0}}},
	} {
		gs := []*ad.Tensor{ad.New([]float64{3, 4}, 2), nil, ad.New([]float64{12}, 1, 1)}
		if n := optim.ClipGradNorm(gs, c.maxNorm); n != 13 {
			t.Errorf("%s: norm %v, want 13", c.name, n)
		}
		if !slices.Equal(gs[0].Data, c.want[0]) || !slices.Equal(gs[2].Data, c.want[1]) {
			t.Errorf("%s: clipped to %v %v, want %v", c.name, gs[0].Data, gs[2].Data, c.want)
		}
	}

	// Huge values: the norm does not overflow.
	gs := []*ad.Tensor{ad.New([]float64{3e300, 4e300}, 2)}
	if n := optim.ClipGradNorm(gs, 1); n != 5e300 || math.Abs(gs[0].Data[0]-0.6) > 1e-15 {
		t.Errorf("huge gradients: norm %v, clipped to %v", n, gs[0].Data)
	}

	// A NaN or Inf norm leaves the gradients alone.
	for _, bad := range []float64{math.NaN(), math.Inf(-1)} {
		gs := []*ad.Tensor{ad.New([]float64{3, bad}, 2)}
		n := optim.ClipGradNorm(gs, 1)
		if !(math.IsNaN(n) || math.IsInf(n, 1)) || gs[0].Data[0] != 3 {
			t.Errorf("gradient with %v: norm %v, data %v", bad, n, gs[0].Data)
		}
	}
	if !panics(func() { optim.ClipGradNorm(nil, -1) }) {
		t.Error("negative maximum norm did not panic")
	}
}

// TestClipGradNormShared: autodiff may return one tensor as the gradient of two
// inputs (both inputs of an addition get the same upstream gradient). Each counts in
// the norm, but the shared data must be scaled once, not twice.
func TestClipGradNormShared(t *testing.T) {
	a := ad.Variable(ad.New([]float64{1, 2}, 2))
	b := ad.Variable(ad.New([]float64{5, -1}, 2))
	loss := ad.Sum(ad.Scale(ad.Add(a, b), 3)) // ∂/∂a = ∂/∂b = (3, 3)
	gs := grads(loss, []*ad.Var{a, b})
	// This engine does share them (seen when this test was written); the check
	// below holds either way.
	t.Logf("autodiff returned shared gradient data: %t", &gs[0].Data[0] == &gs[1].Data[0])

	// Norm √(4·9) = 6; clip to 3: every element becomes 1.5.
	if n := optim.ClipGradNorm(gs, 3); math.Abs(n-6) > 1e-15 {
		t.Errorf("norm %v, want 6", n)
	}
	for i, g := range gs {
		for _, v := range g.Data {
			if math.Abs(v-1.5) > 1e-15 {
				t.Errorf("gradient %d clipped to %v, want [1.5 1.5]", i, g.Data)
				break
			}
		}
	}
	// The same tensor passed twice behaves the same way.
	g := ad.New([]float64{3, 3}, 2)
	optim.ClipGradNorm([]*ad.Tensor{g, g}, 3)
	if math.Abs(g.Data[0]-1.5) > 1e-15 {
		t.Errorf("tensor passed twice clipped to %v, want [1.5 1.5]", g.Data)
	}
}

func TestClipGradValue(t *testing.T) {
	g := ad.New([]float64{-3, -0.5, 0, 0.5, 3, math.Inf(1), math.NaN()}, 7)
	optim.ClipGradValue([]*ad.Tensor{g, nil}, 1)
	want := []float64{-1, -0.5, 0, 0.5, 1, 1}
	if !slices.Equal(g.Data[:6], want) || !math.IsNaN(g.Data[6]) {
		t.Errorf("clipped to %v, want %v and NaN", g.Data, want)
	}
	if !panics(func() { optim.ClipGradValue(nil, math.NaN()) }) {
		t.Error("NaN maximum did not panic")
	}
}
