package metrics

import (
	"math"
	"math/rand/v2"
	"testing"
)

const tol = 1e-12

func near(a, b float64) bool {
	if math.IsNaN(b) {
		return math.IsNaN(a)
	}
	return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b))
}

var (
	T = true
	F = false
)

// Expected values below are worked by hand; each comment shows the arithmetic.
func TestAUROC(t *testing.T) {
	for _, tc := range []struct {
		name    string
		classes []bool
		scores  []float64
		want    float64
	}{
		// positives 0.9, 0.7; negatives 0.8, 0.1: pairs won 1+1+0+1 = 3 of 4.
		{"no ties", []bool{T, F, T, F}, []float64{0.9, 0.8, 0.7, 0.1}, 0.75},
		// ranks 0.2→1, 0.5,0.5→2.5, 0.8→4; R₁ = 2.5+4 = 6.5; (6.5−3)/4.
		{"tie across classes", []bool{T, T, F, F}, []float64{0.8, 0.5, 0.5, 0.2}, 0.875},
		{"all tied", []bool{T, F, T}, []float64{1, 1, 1}, 0.5},
		{"perfect", []bool{F, T, F, T}, []float64{-3, 2, -1, math.Inf(1)}, 1},
		{"reversed", []bool{T, F}, []float64{0, 1}, 0},
		// −0 and +0 are the same score: a tie.
		{"signed zero", []bool{T, F}, []float64{math.Copysign(0, -1), 0}, 0.5},
		{"one class", []bool{T, T}, []float64{0.1, 0.2}, math.NaN()},
		{"empty", nil, nil, math.NaN()},
		{"NaN score", []bool{T, F}, []float64{math.NaN(), 0}, math.NaN()},
	} {
		if got := AUROC(tc.classes, tc.scores); !near(got, tc.want) {
			t.Errorf("%s: AUROC = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestAUPRC(t *testing.T) {
	for _, tc := range []struct {
		name    string
		classes []bool
		scores  []float64
		want    float64
	}{
		// thresholds 0.9: R ½ P 1; 0.8: no gain; 0.7: R 1 P ⅔ → ½·1 + ½·⅔ = 5/6.
		{"no ties", []bool{T, F, T, F}, []float64{0.9, 0.8, 0.7, 0.1}, 5.0 / 6},
		// 0.9: R 0; 0.8: R ½ P ½; 0.7: R 1 P ⅔ → ¼ + ⅓ = 7/12.
		{"negative first", []bool{F, T, T, F}, []float64{0.9, 0.8, 0.7, 0.1}, 7.0 / 12},
		// 0.8: R ½ P 1; the tie at 0.5 enters at once: R 1 P ⅔ → 5/6.
		{"tie", []bool{T, T, F, F}, []float64{0.8, 0.5, 0.5, 0.2}, 5.0 / 6},
		// One threshold: P = ¼ (the prevalence), R = 1.
		{"all tied", []bool{T, F, F, F}, []float64{2, 2, 2, 2}, 0.25},
		{"perfect", []bool{F, T, T}, []float64{0, 5, 4}, 1},
		{"no positive", []bool{F, F}, []float64{1, 2}, math.NaN()},
		{"NaN", []bool{T, F}, []float64{1, math.NaN()}, math.NaN()},
	} {
		if got := AUPRC(tc.classes, tc.scores); !near(got, tc.want) {
			t.Errorf("%s: AUPRC = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestMSEPearson(t *testing.T) {
	// (0² + 1² + 2²)/3.
	if got := MSE([]float64{1, 2, 3}, []float64{1, 1, 5}); !near(got, 5.0/3) {
		t.Errorf("MSE = %v, want 5/3", got)
	}
	if got := MSE(nil, nil); !math.IsNaN(got) {
		t.Errorf("MSE of nothing = %v", got)
	}
	for _, tc := range []struct {
		x, y []float64
		want float64
	}{
		// x̄ = 2, ȳ = 7/3; Σdxdy = 4/3+0+5/3 = 3, Σdx² = 2, Σdy² = 42/9 → 3/√(84/9) = 9/√84.
		{[]float64{1, 2, 3}, []float64{1, 2, 4}, 9 / math.Sqrt(84)},
		{[]float64{1, 2, 3}, []float64{6, 4, 2}, -1},
		{[]float64{1, 2, 3}, []float64{5, 5, 5}, math.NaN()},
		{[]float64{1}, []float64{2}, math.NaN()},
		{[]float64{1, 2, math.NaN()}, []float64{1, 2, 3}, math.NaN()},
	} {
		if got := Pearson(tc.x, tc.y); !near(got, tc.want) {
			t.Errorf("Pearson(%v, %v) = %v, want %v", tc.x, tc.y, got, tc.want)
		}
	}
}

func TestConcordanceIndex(t *testing.T) {
	for _, tc := range []struct {
		name    string
		y, pred []float64
		want    float64
	}{
		// pairs (2>1): 3>1 ✓; (3>1): 2>1 ✓; (3>2): 2<3 ✗ → 2/3.
		{"one discordant", []float64{1, 2, 3}, []float64{1, 3, 2}, 2.0 / 3},
		// (2>1): tie ½; (3>1) ✓; (3>2) ✓ → 2.5/3.
		{"tie in prediction", []float64{1, 2, 3}, []float64{1, 1, 2}, 5.0 / 6},
		// only the pairs (2 vs each 1) are comparable; both discordant.
		{"tie in y", []float64{1, 1, 2}, []float64{3, 2, 1}, 0},
		// Davis-like ceiling at pKd 5: comparable (7,5a) (7,5b) (6,5a) (6,5b) all ✓,
		// (7,6) a prediction tie ½ → 4.5/5.
		{"ceiling", []float64{5, 5, 7, 6}, []float64{5.1, 5.3, 6.5, 6.5}, 0.9},
		{"no comparable pair", []float64{5, 5}, []float64{1, 2}, math.NaN()},
		{"NaN", []float64{1, 2}, []float64{math.NaN(), 2}, math.NaN()},
	} {
		if got := ConcordanceIndex(tc.y, tc.pred); !near(got, tc.want) {
			t.Errorf("%s: CI = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// bruteCI is the definition written out as a double loop.
func bruteCI(y, p []float64) float64 {
	var s, z float64
	for i := range y {
		for j := range y {
			if y[i] > y[j] {
				z++
				switch {
				case p[i] > p[j]:
					s++
				case p[i] == p[j]:
					s += 0.5
				}
			}
		}
	}
	return s / z
}

// bruteAUROC counts positive–negative pairs directly.
func bruteAUROC(c []bool, s []float64) float64 {
	var w, n float64
	for i := range c {
		for j := range c {
			if c[i] && !c[j] {
				n++
				switch {
				case s[i] > s[j]:
					w++
				case s[i] == s[j]:
					w += 0.5
				}
			}
		}
	}
	return w / n
}

func TestAgainstDefinitionsWithTies(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		n := 2 + rng.IntN(60)
		y := make([]float64, n)
		p := make([]float64, n)
		c := make([]bool, n)
		for i := range y {
			y[i] = float64(rng.IntN(5)) // few distinct values: many ties
			p[i] = float64(rng.IntN(4))
			c[i] = rng.IntN(2) == 1
		}
		if got, want := ConcordanceIndex(y, p), bruteCI(y, p); !near(got, want) {
			t.Fatalf("trial %d: CI %v, brute force %v", trial, got, want)
		}
		if got, want := AUROC(c, p), bruteAUROC(c, p); !near(got, want) {
			t.Fatalf("trial %d: AUROC %v, brute force %v", trial, got, want)
		}
	}
}

func TestSymmetries(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 200
	y, p, c := make([]float64, n), make([]float64, n), make([]bool, n)
	neg, notc, cube := make([]float64, n), make([]bool, n), make([]float64, n)
	for i := range y {
		y[i] = rng.NormFloat64()
		p[i] = y[i] + rng.NormFloat64()
		c[i] = y[i] > 0
		neg[i], notc[i], cube[i] = -p[i], !c[i], p[i]*p[i]*p[i]
	}
	// Swapping classes mirrors AUROC; a monotone map of the scores changes nothing.
	if a, b := AUROC(c, p), AUROC(notc, p); !near(a+b, 1) {
		t.Errorf("AUROC %v + AUROC(¬c) %v != 1", a, b)
	}
	if a, b := AUROC(c, p), AUROC(c, cube); !near(a, b) {
		t.Errorf("AUROC not invariant under x³: %v vs %v", a, b)
	}
	if a, b := ConcordanceIndex(y, p), ConcordanceIndex(y, neg); !near(a+b, 1) {
		t.Errorf("CI %v + CI(−p) %v != 1", a, b)
	}
	if a, b := Pearson(y, p), Pearson(y, neg); !near(a, -b) {
		t.Errorf("Pearson %v vs %v under negation", a, b)
	}
}

func TestBinaryClasses(t *testing.T) {
	c, err := BinaryClasses([]float64{0, 1, 1})
	if err != nil || c[0] || !c[1] || !c[2] {
		t.Fatalf("got %v, %v", c, err)
	}
	if _, err := BinaryClasses([]float64{0, 0.5}); err == nil {
		t.Error("0.5 accepted as a label")
	}
	if _, err := BinaryClasses([]float64{math.NaN()}); err == nil {
		t.Error("NaN accepted as a label")
	}
}

func TestLengthMismatchPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"AUROC": func() { AUROC([]bool{T}, nil) },
		"AUPRC": func() { AUPRC([]bool{T}, nil) },
		"MSE":   func() { MSE([]float64{1}, nil) },
		"CI":    func() { ConcordanceIndex([]float64{1}, nil) },
		"r":     func() { Pearson([]float64{1}, nil) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic on length mismatch", name)
				}
			}()
			f()
		}()
	}
}
