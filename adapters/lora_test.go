package adapters_test

import (
	"errors"
	"math"
	"testing"

	"github.com/sciadapt/sciadapt/adapters"
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/optim"
)

// lowRankProblem is a linear layer W (in, out) and data Y = X·(W + U·Vᵀ): a rank-2
// shift with singular values 1 and 0.5 (U, V with orthonormal columns).
type lowRankProblem struct {
	layer *nn.Linear
	x, y  *ad.Var
	shift []float64 // U·Vᵀ, (in, out) row-major
}

func newLowRankProblem() *lowRankProblem {
	const in, out, n = 8, 6, 64
	rng := nn.NewRand(11)
	layer := nn.NewLinear("layer", in, out, false, rng)
	u := orthonormal(randn(rng, in, 2))
	v := orthonormal(randn(rng, out, 2))
	sigma := []float64{1, 0.5}
	shift := make([]float64, in*out)
	for i := 0; i < in; i++ {
		for j := 0; j < out; j++ {
			for k := 0; k < 2; k++ {
				shift[i*out+j] += sigma[k] * u.At(i, k) * v.At(j, k)
			}
		}
	}
	target := layer.W.Value().Clone()
	for i := range target.Data {
		target.Data[i] += shift[i]
	}
	x := ad.Constant(randn(rng, n, in))
	y := ad.MatMul(x, ad.Constant(target))
	return &lowRankProblem{layer: layer, x: x, y: y, shift: shift}
}

// orthonormal returns the Gram–Schmidt orthonormalisation of the columns of a.
func orthonormal(a *ad.Tensor) *ad.Tensor {
	r, c := a.Shape[0], a.Shape[1]
	q := a.Clone()
	for k := 0; k < c; k++ {
		for j := 0; j < k; j++ {
			var d float64
			for i := 0; i < r; i++ {
				d += q.At(i, k) * q.At(i, j)
			}
			for i := 0; i < r; i++ {
				q.Set(q.At(i, k)-d*q.At(i, j), i, k)
			}
		}
		var n float64
		for i := 0; i < r; i++ {
			n += q.At(i, k) * q.At(i, k)
		}
		n = math.Sqrt(n)
		for i := 0; i < r; i++ {
			q.Set(q.At(i, k)/n, i, k)
		}
	}
	return q
}

// fitLoRA fits a LoRA of the given rank by full-batch L-BFGS and returns the
// relative error ‖ΔW − U·Vᵀ‖_F/‖U·Vᵀ‖_F of the learned update and the final loss.
func fitLoRA(t *testing.T, rank int) (relErr, loss float64) {
	p := newLowRankProblem()
	a, err := adapters.New("shift", adapters.Config{Method: "lora", Targets: []string{"layer"}, Rank: rank, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Attach(p.layer); err != nil {
		t.Fatal(err)
	}
	mse := func() *ad.Var { return ad.Mean(ad.Square(ad.Sub(p.layer.Forward(nil, p.x), p.y))) }
	vars := a.Vars()
	res, err := optim.MinimizeLBFGS(optim.Objective(vars, mse), optim.Flatten(vars), &optim.LBFGSOptions{GradientTolerance: 1e-13, MaxIterations: 2000})
	if err != nil && !errors.Is(err, optim.ErrNotConverged) {
		t.Fatalf("rank %d: %v", rank, err)
	}
	optim.Unflatten(vars, res.X)
	w0 := p.layer.W.Value().Clone()
	if err := a.Merge(); err != nil {
		t.Fatal(err)
	}
	var num, den float64
	for i, s := range p.shift {
		d := p.layer.W.Value().Data[i] - w0.Data[i] - s
		num += d * d
		den += s * s
	}
	a.Unmerge()
	return math.Sqrt(num / den), res.F
}

// A rank-2 shift of a linear map is learned exactly by LoRA of rank ≥ 2, and not by
// rank 1 (whose best error is set by the second singular value, 0.5 of the first).
func TestLoRARecoversLowRankShift(t *testing.T) {
	for _, rank := range []int{1, 2, 3} {
		rel, loss := fitLoRA(t, rank)
		t.Logf("rank %d: relative error of ΔW %.3g, final MSE %.3g", rank, rel, loss)
		switch {
		case rank >= 2 && rel > 1e-10:
			t.Errorf("rank %d: relative error of the learned shift %.3g, want ≤ 1e-10", rank, rel)
		case rank == 1 && rel < 0.2:
			t.Errorf("rank 1: relative error %.3g, want ≥ 0.2 (a rank-1 update cannot express a rank-2 shift)", rel)
		}
	}
}

// Merging adds (α/r)·(B·A)ᵀ to W: computed from the merged weights, W' − ΔW
// returns W within 1e-12, and Unmerge restores W bit for bit.
func TestLoRAMergeUnmerge(t *testing.T) {
	m := newToy(5)
	a, err := adapters.New("a", adapters.Config{Method: "lora", Targets: []string{"enc", "head"}, Rank: 2, Alpha: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Attach(m); err != nil {
		t.Fatal(err)
	}
	rng := nn.NewRand(8)
	for _, p := range a.Params() { // give B non-zero values
		copy(p.Value().Data, nn.Normal(rng, 1, p.Value().Shape...).Data)
	}
	x := ad.Constant(randn(rng, 5, 4))
	want := m.Forward(nil, x).Value().Clone()
	w := m.Enc.W.Value().Clone()
	if err := a.Merge(); err != nil {
		t.Fatal(err)
	}
	if !a.Merged() {
		t.Fatal("Merged() is false after Merge")
	}
	got := m.Forward(nil, x).Value()
	for i := range want.Data {
		if d := math.Abs(got.Data[i] - want.Data[i]); d > 1e-12*math.Max(1, math.Abs(want.Data[i])) {
			t.Fatalf("merged output %d: %v, unmerged %v", i, got.Data[i], want.Data[i])
		}
	}
	// ΔW by hand: A (2, 4) and B (8, 2); ΔW[i][j] = (α/r) Σ_k B[j][k]·A[k][i].
	A, B := a.Params()[0].Value(), a.Params()[1].Value()
	merged := m.Enc.W.Value()
	var worst float64
	for i := 0; i < 4; i++ {
		for j := 0; j < 8; j++ {
			d := 0.0
			for k := 0; k < 2; k++ {
				d += B.At(j, k) * A.At(k, i)
			}
			worst = math.Max(worst, math.Abs(merged.At(i, j)-1.5*d-w.At(i, j)))
		}
	}
	if worst > 1e-12 {
		t.Errorf("merged W − (α/r)(BA)ᵀ differs from W by %.3g, want ≤ 1e-12", worst)
	}
	a.Unmerge()
	for i := range w.Data {
		if m.Enc.W.Value().Data[i] != w.Data[i] {
			t.Fatalf("Unmerge: W[%d] = %v, want %v exactly", i, m.Enc.W.Value().Data[i], w.Data[i])
		}
	}
	// Merge is refused where it cannot work.
	b, _ := adapters.New("b", adapters.Config{Method: "bottleneck", Targets: []string{"head"}})
	if err := b.Attach(m); err != nil {
		t.Fatal(err)
	}
	if err := b.Merge(); err == nil {
		t.Error("Merge of a bottleneck adapter succeeded")
	}
	a.Enable(false)
	if err := a.Merge(); err == nil {
		t.Error("Merge of a disabled adapter succeeded")
	}
}

// Parameter names and shapes follow PEFT: <site>.lora_A.weight (r, in) and
// <site>.lora_B.weight (out, r).
func TestLoRANamesAndShapes(t *testing.T) {
	m := newSeqToy(1)
	a, _ := adapters.New("a", adapters.Config{Method: "lora", Targets: []string{"proj", "conv"}, Rank: 2})
	if err := a.Attach(m); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name  string
		shape [2]int
	}{
		{"proj.lora_A.weight", [2]int{2, 6}}, {"proj.lora_B.weight", [2]int{6, 2}},
		{"conv.lora_A.weight", [2]int{2, 18}}, {"conv.lora_B.weight", [2]int{5, 2}},
	}
	ps := a.Params()
	if len(ps) != len(want) {
		t.Fatalf("%d parameters, want %d", len(ps), len(want))
	}
	for i, w := range want {
		s := ps[i].Value().Shape
		if ps[i].Name != w.name || s[0] != w.shape[0] || s[1] != w.shape[1] {
			t.Errorf("parameter %d: %s %v, want %s %v", i, ps[i].Name, s, w.name, w.shape)
		}
	}
}
