package baseline

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/sciadapt/sciadapt/bio/metrics"
)

// synthetic returns n samples of p binary features whose label is feature 0 OR
// feature 1 (the rest noise), the kind of rule a fingerprint model must find.
func synthetic(n, p int, seed uint64) ([][]float64, []float64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([][]float64, n)
	y := make([]float64, n)
	for i := range x {
		x[i] = make([]float64, p)
		for j := range x[i] {
			if rng.Float64() < 0.3 {
				x[i][j] = 1
			}
		}
		if x[i][0] == 1 || x[i][1] == 1 {
			y[i] = 1
		}
	}
	return x, y
}

func heldOutAUROC(t *testing.T, c Classifier, x [][]float64, y []float64) float64 {
	t.Helper()
	s := make([]float64, len(x))
	for i := range x {
		s[i] = c.Prob(x[i])
	}
	cls, err := metrics.BinaryClasses(y)
	if err != nil {
		t.Fatal(err)
	}
	return metrics.AUROC(cls, s)
}

func TestClassifiersLearnSeparableData(t *testing.T) {
	xtr, ytr := synthetic(200, 64, 1)
	xte, yte := synthetic(300, 64, 2)
	for _, m := range []Method{MethodForest, MethodLogistic} {
		c, err := Fit(m, xtr, ytr, 7)
		if err != nil {
			t.Fatal(err)
		}
		errs := 0
		for i := range xtr {
			if (c.Prob(xtr[i]) > 0.5) != (ytr[i] == 1) {
				errs++
			}
		}
		// The rule is learnable: the training set is fitted and held-out ranking is
		// near perfect (a forest of 100 trees, or an L2 logistic regression at C = 1).
		if auc := heldOutAUROC(t, c, xte, yte); auc < 0.97 || errs > 4 {
			t.Errorf("%s: held-out AUROC %.3f, %d training errors", m, auc, errs)
		}
	}
}

func TestForestDeterministic(t *testing.T) {
	x, y := synthetic(60, 32, 3)
	probs := func(seed uint64) []float64 {
		f, err := FitForest(x, y, &ForestOptions{Trees: 20, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		out := make([]float64, len(x))
		for i := range x {
			out[i] = f.Prob(x[i])
		}
		return out
	}
	a, b, c := probs(1), probs(1), probs(2)
	if !slices.Equal(a, b) {
		t.Error("same seed gives different forests")
	}
	if slices.Equal(a, c) {
		t.Error("different seeds give the same forest")
	}
}

func TestForestLeavesAndRules(t *testing.T) {
	// One tree on all samples (no bootstrap) with all features fits the training
	// labels exactly: every leaf is pure.
	x, y := synthetic(80, 16, 4)
	f, err := FitForest(x, y, &ForestOptions{Trees: 1, MaxFeatures: 16, NoBootstrap: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range x {
		if p := f.Prob(x[i]); p != y[i] {
			t.Fatalf("sample %d: leaf probability %v, label %v", i, p, y[i])
		}
	}
	for _, nd := range f.Trees[0].Nodes {
		if nd.Feature < 0 && nd.P != 0 && nd.P != 1 {
			t.Errorf("impure leaf %+v", nd)
		}
	}
	// Constant labels give a constant forest.
	g, _ := FitForest(x, make([]float64, len(x)), nil)
	if p := g.Prob(x[0]); p != 0 {
		t.Errorf("all-negative training gives %v", p)
	}
}

func TestLogisticOptimum(t *testing.T) {
	// At the optimum the gradient of Σ ℓ + (λ/2)‖w‖² vanishes: Xᵀ(σ(z) − y) + λw = 0
	// and Σ(σ(z) − y) = 0.
	x, y := synthetic(50, 8, 5)
	for _, l2 := range []float64{0.1, 1, 10} {
		l, err := FitLogistic(x, y, &LogisticOptions{L2: l2})
		if err != nil {
			t.Fatal(err)
		}
		g := make([]float64, len(l.W)+1)
		for i := range x {
			r := l.Prob(x[i]) - y[i]
			for j, v := range x[i] {
				g[j] += r * v
			}
			g[len(l.W)] += r
		}
		for j := range l.W {
			g[j] += l2 * l.W[j]
		}
		for j, v := range g {
			if math.Abs(v) > 1e-5 {
				t.Errorf("λ = %v: gradient component %d = %g", l2, j, v)
			}
		}
	}
	// One feature, no penalty on b: the solution of the two stationarity equations
	// found independently by Newton's method on (w, b).
	x1 := [][]float64{{0}, {0}, {1}, {1}, {1}}
	y1 := []float64{0, 1, 1, 1, 0}
	l, _ := FitLogistic(x1, y1, &LogisticOptions{L2: 0.5})
	w, b := newton1D(x1, y1, 0.5)
	if math.Abs(l.W[0]-w) > 1e-6 || math.Abs(l.B-b) > 1e-6 {
		t.Errorf("w, b = %v, %v; Newton gives %v, %v", l.W[0], l.B, w, b)
	}
}

// newton1D minimises Σ softplus(wx+b) − y(wx+b) + (λ/2)w² by Newton's method.
func newton1D(x [][]float64, y []float64, l2 float64) (w, b float64) {
	for range 50 {
		gw, gb, hww, hwb, hbb := l2*w, 0.0, l2, 0.0, 0.0
		for i := range x {
			p := sigmoid(w*x[i][0] + b)
			r, s := p-y[i], p*(1-p)
			gw += r * x[i][0]
			gb += r
			hww += s * x[i][0] * x[i][0]
			hwb += s * x[i][0]
			hbb += s
		}
		det := hww*hbb - hwb*hwb
		w -= (hbb*gw - hwb*gb) / det
		b -= (hww*gb - hwb*gw) / det
	}
	return w, b
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		x [][]float64
		y []float64
	}{
		{nil, nil},
		{[][]float64{{1}, {1, 2}}, []float64{0, 1}},
		{[][]float64{{1}}, []float64{0.5}},
		{[][]float64{{1}}, []float64{0, 1}},
	} {
		if _, err := FitForest(tc.x, tc.y, nil); err == nil {
			t.Errorf("forest accepted %v %v", tc.x, tc.y)
		}
		if _, err := FitLogistic(tc.x, tc.y, nil); err == nil {
			t.Errorf("logistic accepted %v %v", tc.x, tc.y)
		}
	}
	if _, err := Fit("svm", [][]float64{{1}}, []float64{1}, 1); err == nil {
		t.Error("unknown method accepted")
	}
}
