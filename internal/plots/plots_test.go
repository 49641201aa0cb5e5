package plots

import (
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// readPNG decodes a PNG file and checks its size.
func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	img, err := png.Decode(fh)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != 750 || b.Dy() != 600 {
		t.Errorf("%s: %d×%d pixels, want 750×600 (5×4 in at 150 dpi)", path, b.Dx(), b.Dy())
	}
	return img
}

// inkFractions returns the fraction of pixels that are not white and the
// fraction close to the first palette colour (the data of most figures).
func inkFractions(img image.Image) (ink, blue float64) {
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bb, _ := img.At(x, y).RGBA()
			r, g, bb = r>>8, g>>8, bb>>8
			if r < 0xf0 || g < 0xf0 || bb < 0xf0 {
				n++
			}
			// Okabe–Ito blue is (0x00, 0x72, 0xB2); blended markers stay bluish.
			if bb > r+0x30 && bb > g+0x10 {
				blue++
			}
		}
	}
	total := float64(b.Dx() * b.Dy())
	return float64(n) / total, blue / total
}

func noisy(n int, seed uint64) (ref, pred []float64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	ref, pred = make([]float64, n), make([]float64, n)
	for i := range ref {
		ref[i] = rng.NormFloat64()
		pred[i] = ref[i] + 0.1*rng.NormFloat64()
	}
	return ref, pred
}

func TestFiguresAreReadablePNGs(t *testing.T) {
	dir := t.TempDir()
	ref, pred := noisy(300, 1)
	many, manyPred := noisy(20000, 2)
	loss := make([]float64, 100)
	val := make([]float64, 100)
	for i := range loss {
		loss[i] = 10 * math.Exp(-float64(i)/12)
		val[i] = 1.3*loss[i] + 0.01
	}
	labels := make([]bool, 200)
	scores := make([]float64, 200)
	rng := rand.New(rand.NewPCG(3, 1))
	for i := range labels {
		labels[i] = i%3 == 0
		scores[i] = rng.NormFloat64()
		if labels[i] {
			scores[i] += 1
		}
	}
	strain := make([]float64, 200)
	stress := make([]float64, 200)
	model := make([]float64, 200)
	for i := range strain {
		strain[i] = 0.15 * float64(i) / 199
		stress[i] = math.Min(70000*strain[i], 280+400*strain[i]) + 3*rng.NormFloat64()
		model[i] = math.Min(70000*strain[i], 280+400*strain[i])
	}
	hot := make([]float64, 200)
	for i := range hot {
		hot[i] = 0.7 * model[i]
	}
	cases := []struct {
		name string
		draw func(path string) error
	}{
		{"parity", func(p string) error {
			return Parity(p, ref, pred, &ParityOptions{Title: "test set", Quantity: "energy", Unit: "eV", Points: "frames"})
		}},
		{"parity_many", func(p string) error {
			return Parity(p, many, manyPred, &ParityOptions{Quantity: "force component", Unit: "eV/Å"})
		}},
		{"loss", func(p string) error { return Loss(p, loss, val, nil) }},
		{"learning", func(p string) error {
			k := []float64{1, 2, 5, 10, 20, 50, 100}
			e := []float64{0.9, 0.6, 0.35, 0.2, 0.12, 0.07, 0.05}
			return LearningCurve(p, []Series{{Label: "adapter", X: k, Y: e}}, &CurvesOptions{XLabel: "frames K", YLabel: "energy MAE (eV)"})
		}},
		{"roc", func(p string) error {
			return ROC(p, []ROCCurve{{Label: "adapted", Labels: labels, Scores: scores}}, nil)
		}},
		{"stress_strain", func(p string) error {
			return StressStrain(p, []Temperature{
				{Celsius: 200, Measured: []Curve{{strain, stress}}, Model: []Curve{{strain, hot}}},
				{Celsius: 23, Measured: []Curve{{strain, stress}}, Model: []Curve{{strain, model}}},
			}, nil)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".png")
			if err := tc.draw(path); err != nil {
				t.Fatal(err)
			}
			ink, blue := inkFractions(readPNG(t, path))
			// Axes, ticks and labels alone ink about 2% of the pixels; data must
			// add to that, and the first series is blue.
			if ink < 0.02 || ink > 0.6 {
				t.Errorf("%s: %.3f of the pixels are inked, want between 0.02 and 0.6", tc.name, ink)
			}
			if blue < 0.001 {
				t.Errorf("%s: %.4f of the pixels are blue: the first series was not drawn", tc.name, blue)
			}
		})
	}
}

func TestNoPointIsAnError(t *testing.T) {
	dir := t.TempDir()
	nan := []float64{math.NaN(), math.Inf(1)}
	if err := Parity(filepath.Join(dir, "p.png"), nan, []float64{1, 2}, nil); err == nil {
		t.Error("Parity with no finite pair: no error")
	}
	if err := Loss(filepath.Join(dir, "l.png"), nan, nil, nil); err == nil {
		t.Error("Loss with no finite loss: no error")
	}
	if err := StressStrain(filepath.Join(dir, "s.png"), nil, nil); err == nil {
		t.Error("StressStrain with no curve: no error")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("failed figures left %d files behind", len(ents))
	}
	// A write into a missing directory fails and says so.
	ref, pred := noisy(10, 1)
	if err := Parity(filepath.Join(dir, "missing", "p.png"), ref, pred, nil); err == nil {
		t.Error("Parity into a missing directory: no error")
	}
}

func TestMismatchedLengthsPanic(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Parity with 2 references and 1 prediction did not panic")
		}
	}()
	Parity(filepath.Join(t.TempDir(), "p.png"), []float64{1, 2}, []float64{1}, nil)
}

func TestROCPoints(t *testing.T) {
	cases := []struct {
		name   string
		labels []bool
		scores []float64
		auroc  float64
		fpr    []float64
		tpr    []float64
	}{
		{"perfect", []bool{true, true, false, false}, []float64{4, 3, 2, 1}, 1, []float64{0, 0, 0, 0.5, 1}, []float64{0, 0.5, 1, 1, 1}},
		{"reversed", []bool{false, false, true, true}, []float64{4, 3, 2, 1}, 0, []float64{0, 0.5, 1, 1, 1}, []float64{0, 0, 0, 0.5, 1}},
		{"all tied", []bool{true, false, true, false}, []float64{1, 1, 1, 1}, 0.5, []float64{0, 1}, []float64{0, 1}},
		// 2 positives, 3 negatives; pairs (pos > neg): 3 + 1 = 4 of 6, one tie
		// (score 2) counts ½: AUROC = (4 + 0.5)/6 = 0.75.
		{"one tie", []bool{true, false, true, false, false}, []float64{5, 4, 2, 2, 1}, 0.75,
			[]float64{0, 0, 1. / 3, 2. / 3, 1}, []float64{0, 0.5, 0.5, 1, 1}},
		{"NaN left out", []bool{true, false, false}, []float64{1, 0, math.NaN()}, 1, []float64{0, 0, 1}, []float64{0, 1, 1}},
	}
	for _, tc := range cases {
		fpr, tpr, auc := ROCPoints(tc.labels, tc.scores)
		if math.Abs(auc-tc.auroc) > 1e-12 {
			t.Errorf("%s: AUROC %v, want %v", tc.name, auc, tc.auroc)
		}
		if !close(fpr, tc.fpr) || !close(tpr, tc.tpr) {
			t.Errorf("%s: ROC (%v, %v), want (%v, %v)", tc.name, fpr, tpr, tc.fpr, tc.tpr)
		}
	}
	if _, _, auc := ROCPoints([]bool{true, true}, []float64{1, 2}); !math.IsNaN(auc) {
		t.Errorf("one class: AUROC %v, want NaN", auc)
	}
}

// TestROCAgreesWithPairCount checks AUROC against its definition, the fraction of
// (positive, negative) pairs ranked correctly, ties counting one half, on random
// scores with many ties.
func TestROCAgreesWithPairCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for trial := 0; trial < 20; trial++ {
		n := 5 + rng.IntN(40)
		labels, scores := make([]bool, n), make([]float64, n)
		for i := range labels {
			labels[i] = rng.IntN(2) == 0
			scores[i] = float64(rng.IntN(6))
		}
		labels[0], labels[1] = true, false
		var good, pairs float64
		for i := range labels {
			for j := range labels {
				if labels[i] && !labels[j] {
					pairs++
					switch {
					case scores[i] > scores[j]:
						good++
					case scores[i] == scores[j]:
						good += 0.5
					}
				}
			}
		}
		if _, _, auc := ROCPoints(labels, scores); math.Abs(auc-good/pairs) > 1e-12 {
			t.Fatalf("trial %d: AUROC %v, pair count %v", trial, auc, good/pairs)
		}
	}
}

func close(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-12 {
			return false
		}
	}
	return true
}

func TestMAE(t *testing.T) {
	mae, n := MAE([]float64{1, 2, 3, math.NaN()}, []float64{1.5, 1, 3, 0})
	// |0.5| + |−1| + 0 over 3 finite pairs.
	if n != 3 || math.Abs(mae-0.5) > 1e-15 {
		t.Errorf("MAE = %v over %d, want 0.5 over 3", mae, n)
	}
}

func TestUseLog(t *testing.T) {
	cases := []struct {
		s    Scale
		v    []float64
		want bool
	}{
		{ScaleAuto, []float64{1, 50}, false},
		{ScaleAuto, []float64{1, 100}, true},
		{ScaleAuto, []float64{-1, 1000}, false},
		{ScaleAuto, []float64{0.01, math.NaN(), 5}, true},
		{ScaleLinear, []float64{1, 1e6}, false},
		{ScaleLog, []float64{1, 2}, true},
	}
	for _, tc := range cases {
		if got := useLog(tc.s, tc.v); got != tc.want {
			t.Errorf("useLog(%v, %v) = %v, want %v", tc.s, tc.v, got, tc.want)
		}
	}
}

// TestLegendAvoidsData fills three corners of the data area and checks that the
// legend goes to the empty one, and that a plot full of points gets room above
// its data.
func TestLegendAvoidsData(t *testing.T) {
	dc := draw.New(vgimg.NewWith(vgimg.UseWH(Width, Height), vgimg.UseDPI(DPI)))
	var x, y []float64
	for i := 0; i <= 20; i++ {
		for j := 0; j <= 20; j++ {
			u, v := float64(i)/20, float64(j)/20
			if u < 0.5 && v > 0.5 { // leave the top-left quarter empty
				continue
			}
			x, y = append(x, u), append(y, v)
		}
	}
	f := newFigure("t", "x", "y")
	xy, _ := finite(x, y, false, false)
	f.points = xy
	f.p.X.Min, f.p.X.Max, f.p.Y.Min, f.p.Y.Max = 0, 1, 0, 1
	f.add("a series with a long name")
	f.add("another")
	f.placeLegend()
	if !f.p.Legend.Top || !f.p.Legend.Left {
		t.Errorf("legend at top=%v left=%v, want the empty top-left corner", f.p.Legend.Top, f.p.Legend.Left)
	}
	if n := f.covered(dc); n != 0 {
		t.Errorf("legend covers %d points", n)
	}

	// Every corner full: the axis grows until the legend is clear.
	f = newFigure("t", "x", "y")
	full := make([]float64, 0)
	for i := 0; i <= 20; i++ {
		full = append(full, float64(i)/20)
	}
	var fx, fy []float64
	for _, u := range full {
		for _, v := range full {
			fx, fy = append(fx, u), append(fy, v)
		}
	}
	f.points, _ = finite(fx, fy, false, false)
	f.p.X.Min, f.p.X.Max, f.p.Y.Min, f.p.Y.Max = 0, 1, 0, 1
	f.add("a series with a long name")
	f.placeLegend()
	if n := f.covered(dc); n != 0 {
		t.Errorf("full plot: legend covers %d points after growing the axis to %v", n, f.p.Y.Max)
	}
	if f.p.Y.Max <= 1 {
		t.Errorf("full plot: y axis not grown (max %v)", f.p.Y.Max)
	}
}

func TestTickLabels(t *testing.T) {
	cases := []struct {
		lo, hi float64
		want   []string
	}{
		// gonum's default writes 1.086 twice here and 3e+02 for 300.
		{1.0855, 1.0873, []string{"1.0856", "1.0864", "1.0872"}},
		{0, 345, []string{"0", "100", "200", "300"}},
		{-0.5, 1.05, []string{"-0.5", "0", "0.5", "1"}},
	}
	for _, tc := range cases {
		var got []string
		for _, tk := range (distinctTicks{}).Ticks(tc.lo, tc.hi) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("ticks on [%v, %v]: %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
	}
	var got []string
	for _, tk := range (log10Ticks{}).Ticks(math.Log10(0.75), math.Log10(13)) {
		if tk.Label != "" {
			got = append(got, tk.Label)
		}
	}
	if want := "1 2 5 10"; strings.Join(got, " ") != want {
		t.Errorf("log ticks on [0.75, 13]: %q, want %q", got, want)
	}
}
