package autodiff_test

import (
	"math"
	"math/rand/v2"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/autodiff/gradcheck"
)

// mlpEnergy is a small per-atom network E(R, θ) = Σ_atoms w₃·act(W₂·act(W₁·r + b₁) + b₂),
// the shape of the computations a potential trains through.
func mlpEnergy(act func(*ad.Var) *ad.Var) func(x, w1, b1, w2, b2, w3 *ad.Var) *ad.Var {
	return func(x, w1, b1, w2, b2, w3 *ad.Var) *ad.Var {
		h := act(ad.Add(ad.MatMul(x, w1), b1))
		h = act(ad.Add(ad.MatMul(h, w2), b2))
		return ad.Sum(ad.MatMul(h, w3))
	}
}

// TestGradientOfGradient differentiates a force-matching loss
// L(θ) = Σ (−∂E/∂x − F_ref)² with respect to the weights θ, through tanh, softplus and
// SiLU layers, and checks it against central differences of L — the computation that
// gorgonia gets wrong.
func TestGradientOfGradient(t *testing.T) {
	acts := map[string]func(*ad.Var) *ad.Var{"tanh": ad.Tanh, "softplus": ad.Softplus, "silu": ad.SiLU, "ssp": ad.ShiftedSoftplus}
	for name, act := range acts {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			energy := mlpEnergy(act)
			x := randT(rng, 5, 3)
			fref := randT(rng, 5, 3)
			theta := []*ad.Tensor{randT(rng, 3, 8), randT(rng, 8), randT(rng, 8, 8), randT(rng, 8), randT(rng, 8, 1)}
			loss := func(th []*ad.Var) *ad.Var {
				xv := ad.Variable(x)
				e := energy(xv, th[0], th[1], th[2], th[3], th[4])
				g := ad.Gradients([]*ad.Var{e}, []*ad.Var{xv}, &ad.GradOptions{CreateGraph: true})[0]
				return ad.Sum(ad.Square(ad.Sub(ad.Neg(g), ad.Constant(fref))))
			}
			if err := gradcheck.First(loss, theta, nil); err != nil {
				t.Fatal(err)
			}
			// Third order: the Hessian of the force loss along a direction.
			if err := gradcheck.Second(loss, theta, &gradcheck.Options{Atol: 1e-6, Rtol: 1e-5}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestHVPModesAgree checks that reverse-over-reverse, forward-over-reverse and
// reverse-over-forward Hessian–vector products agree to rounding on an MLP.
func TestHVPModesAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	energy := mlpEnergy(ad.SiLU)
	w := []*ad.Tensor{randT(rng, 3, 16), randT(rng, 16), randT(rng, 16, 16), randT(rng, 16), randT(rng, 16, 1)}
	s := func(xs []*ad.Var) *ad.Var {
		return energy(xs[0], ad.Constant(w[0]), ad.Constant(w[1]), ad.Constant(w[2]), ad.Constant(w[3]), ad.Constant(w[4]))
	}
	x := []*ad.Tensor{randT(rng, 7, 3)}
	v := []*ad.Tensor{randT(rng, 7, 3)}
	rr := gradcheck.HVPReverseReverse(s, x, v)[0]
	fr := gradcheck.HVPForwardReverse(s, x, v)[0]
	rf := gradcheck.HVPReverseForward(s, x, v)[0]
	for i := range rr.Data {
		for _, other := range []float64{fr.Data[i], rf.Data[i]} {
			if math.Abs(rr.Data[i]-other) > 1e-12*(1+math.Abs(rr.Data[i])) {
				t.Fatalf("element %d: reverse-over-reverse %.17g, other mode %.17g", i, rr.Data[i], other)
			}
		}
	}
}

func TestConstantsBuildNoGraph(t *testing.T) {
	a := ad.Constant(ad.New([]float64{1, 2}, 2))
	b := ad.Tanh(ad.Mul(a, a))
	if b.RequiresGrad() || !b.IsLeaf() {
		t.Fatal("an op on constants must give a constant leaf")
	}
	x := ad.Variable(ad.New([]float64{1, 2}, 2))
	y := ad.Mul(x, a)
	if !y.RequiresGrad() || y.IsLeaf() {
		t.Fatal("an op on a variable must record itself")
	}
}

func TestGradUnusedInputIsZero(t *testing.T) {
	x := ad.Variable(ad.New([]float64{1, 2}, 2))
	z := ad.Variable(ad.New([]float64{3}, 1))
	g := ad.Grad(ad.Sum(ad.Square(x)), x, z)
	if g[0].Value().Data[0] != 2 || g[0].Value().Data[1] != 4 {
		t.Fatalf("∂Σx²/∂x = %v, want [2 4]", g[0].Value().Data)
	}
	if g[1].Value().Data[0] != 0 {
		t.Fatalf("gradient for an unused input = %v, want 0", g[1].Value().Data)
	}
}

// TestGradientsDoNotAliasValues checks that accumulating gradients never writes into a
// tensor that belongs to the graph.
func TestGradientsDoNotAliasValues(t *testing.T) {
	x := ad.Variable(ad.New([]float64{1, 2, 3}, 3))
	y := ad.Add(ad.Sum(x), ad.Sum(ad.Scale(x, 2)))
	before := append([]float64(nil), x.Value().Data...)
	g := ad.Grad(y, x)[0]
	for i, v := range g.Value().Data {
		if v != 3 {
			t.Fatalf("gradient[%d] = %g, want 3", i, v)
		}
		if x.Value().Data[i] != before[i] {
			t.Fatal("gradient accumulation modified the input")
		}
	}
}

func TestBroadcastShapes(t *testing.T) {
	cases := []struct{ a, b, want []int }{
		{s(3, 4), s(4), s(3, 4)},
		{s(3, 1), s(1, 4), s(3, 4)},
		{s(2, 1, 4), s(3, 1), s(2, 3, 4)},
		{s(), s(2, 2), s(2, 2)},
	}
	for _, c := range cases {
		got := ad.Add(ad.Constant(ad.Zeros(c.a...)), ad.Constant(ad.Zeros(c.b...))).Shape()
		if len(got) != len(c.want) {
			t.Fatalf("%v + %v: shape %v, want %v", c.a, c.b, got, c.want)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Fatalf("%v + %v: shape %v, want %v", c.a, c.b, got, c.want)
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Fatal("Add of (3,4) and (3) must panic")
		}
	}()
	ad.Add(ad.Constant(ad.Zeros(3, 4)), ad.Constant(ad.Zeros(3)))
}

func TestBroadcastValues(t *testing.T) {
	a := ad.Constant(ad.New([]float64{1, 2, 3}, 3, 1))
	b := ad.Constant(ad.New([]float64{10, 20}, 1, 2))
	got := ad.Add(a, b).Value().Data
	want := []float64{11, 21, 12, 22, 13, 23}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("(3,1)+(1,2) = %v, want %v", got, want)
		}
	}
	p := ad.Permute(ad.Constant(ad.New([]float64{0, 1, 2, 3, 4, 5}, 1, 2, 3)), 2, 0, 1).Value()
	wantP := []float64{0, 3, 1, 4, 2, 5}
	for i := range wantP {
		if p.Data[i] != wantP[i] {
			t.Fatalf("Permute = %v, want %v", p.Data, wantP)
		}
	}
}

// TestEmptyBatches differentiates through ops on tensors with a zero dimension (a
// structure whose atoms have no neighbours gives zero pairs) and gets zero gradients.
func TestEmptyBatches(t *testing.T) {
	w := ad.Variable(ad.New([]float64{1, 2, 3, 4}, 2, 2))
	b := ad.Variable(ad.New([]float64{0.5, -0.5}, 2))
	x := ad.Constant(ad.Zeros(0, 2))
	y := ad.Sum(ad.Tanh(ad.Add(ad.MatMul(x, w), b)))
	g := ad.Grad(y, w, b)
	for _, gi := range g {
		for _, v := range gi.Value().Data {
			if v != 0 {
				t.Fatalf("gradient %v through an empty batch, want zeros", gi.Value().Data)
			}
		}
	}
	if s := ad.ScatterAddRows(ad.Constant(ad.Zeros(0, 3)), nil, 4).Shape(); s[0] != 4 || s[1] != 3 {
		t.Fatalf("ScatterAddRows of no rows has shape %v", s)
	}
}
