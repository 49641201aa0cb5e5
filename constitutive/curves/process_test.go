package curves

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestToTrue(t *testing.T) {
	// By hand: e = 0.1, s = 100 → ε = ln 1.1 = 0.09531017980432486, σ = 110.
	// e = −0.5 (compression), s = −50 → ε = ln 0.5 = −0.6931471805599453, σ = −25.
	strain, stress := ToTrue([]float64{0, 0.1, -0.5, -1}, []float64{0, 100, -50, 7})
	want := [][2]float64{{0, 0}, {0.09531017980432486, 110}, {-0.6931471805599453, -25}}
	for i, w := range want {
		if math.Abs(strain[i]-w[0]) > 1e-15 || math.Abs(stress[i]-w[1]) > 1e-12 {
			t.Errorf("point %d: got (%v, %v), want (%v, %v)", i, strain[i], stress[i], w[0], w[1])
		}
	}
	if !math.IsNaN(strain[3]) || !math.IsNaN(stress[3]) {
		t.Errorf("e = −1 gave (%v, %v), want NaN", strain[3], stress[3])
	}
}

// engineeringCurve builds a tension curve from an engineering curve: strains
// e_i = i·de, stresses sfun(e_i), converted to true.
func engineeringCurve(n int, de float64, sfun func(e float64) float64) Curve {
	e := make([]float64, n)
	s := make([]float64, n)
	for i := range e {
		e[i] = float64(i) * de
		s[i] = sfun(e[i])
	}
	strain, stress := ToTrue(e, s)
	c := NewCurve("synthetic", 296.15, strain, stress)
	c.Measure = MeasureEngineeringToTrue
	return c
}

func TestDropAfterUTS(t *testing.T) {
	// Engineering stress rises to 300 MPa at e = 0.08 (i = 80) and falls after it
	// slowly enough that the TRUE stress keeps rising until i ≈ 90: the cut must
	// follow the engineering (load) maximum, not the true one.
	const de = 0.001
	c := engineeringCurve(121, de, func(e float64) float64 {
		if e <= 0.08 {
			return 300 - 4000*(0.08-e)*(0.08-e)
		}
		return 300 - 1000*(e-0.08)*(e-0.08)
	})
	trueMax := 0
	for i := range c.Stress {
		if c.Stress[i] > c.Stress[trueMax] {
			trueMax = i
		}
	}
	if trueMax <= 80 {
		t.Fatalf("test curve is wrong: true stress peaks at %d, not after 80", trueMax)
	}
	uts, iu := UTS(c)
	if iu != 80 || math.Abs(uts-300) > 1e-9 {
		t.Errorf("UTS = %v at %d, want 300 at 80", uts, iu)
	}
	cut, dropped := DropAfterUTS(c)
	if dropped != 40 || cut.Len() != 81 || cut.NeckingDropped != 40 {
		t.Errorf("dropped %d (field %d), kept %d; want 40 dropped, 81 kept", dropped, cut.NeckingDropped, cut.Len())
	}
	if want := math.Log1p(0.08); math.Abs(cut.NeckingStrain-want) > 1e-15 {
		t.Errorf("necking strain %v, want ln(1.08) = %v", cut.NeckingStrain, want)
	}
	if math.Abs(cut.UltimateStrength-300) > 1e-9 {
		t.Errorf("UltimateStrength %v, want 300", cut.UltimateStrength)
	}
	if c.Len() != 121 {
		t.Errorf("DropAfterUTS changed its argument: %d points", c.Len())
	}

	// A curve whose maximum is its last point has not necked.
	rising := engineeringCurve(50, de, func(e float64) float64 { return 1000 * e })
	cut, dropped = DropAfterUTS(rising)
	if dropped != 0 || cut.Len() != 50 || !math.IsNaN(cut.NeckingStrain) || !math.IsNaN(cut.UltimateStrength) {
		t.Errorf("rising curve: dropped %d, kept %d, necking strain %v; want 0, 50, NaN", dropped, cut.Len(), cut.NeckingStrain)
	}
	// Compression does not neck.
	comp := NewCurve("c", 1323.15, []float64{0, -0.1, -0.2}, []float64{-10, -50, -40})
	comp.Loading = Compression
	if cut, dropped = DropAfterUTS(comp); dropped != 0 || cut.Len() != 3 {
		t.Errorf("compression: dropped %d, kept %d; want 0, 3", dropped, cut.Len())
	}
	if u, i := UTS(comp); !math.IsNaN(u) || i != -1 {
		t.Errorf("UTS of compression = %v, %d; want NaN, −1", u, i)
	}
}

func TestLoadingBranch(t *testing.T) {
	// Two preload cycles 10 → 70 → 10 MPa, then loading to 300 MPa and a drop.
	var x, y []float64
	add := func(s float64) { x = append(x, s/70000); y = append(y, s) }
	for cycle := 0; cycle < 2; cycle++ {
		for s := 10.0; s < 70; s += 10 {
			add(s)
		}
		for s := 70.0; s > 10; s -= 10 {
			add(s)
		}
	}
	valley := len(x) // the next point (10 MPa) starts the test proper
	for s := 10.0; s <= 300; s += 10 {
		add(s)
	}
	add(290)
	c := NewCurve("preload", 296.15, x, y)
	got := LoadingBranch(c)
	if got.LeadingDropped != valley || got.Len() != len(x)-valley || got.Stress[0] != 10 {
		t.Errorf("dropped %d points, first stress %v; want %d dropped, first 10", got.LeadingDropped, got.Stress[0], valley)
	}
	// A flat stretch at zero load (within 0.5 % of the 300 MPa peak, 1.5 MPa) before
	// the loading is dropped up to its last point.
	x, y = nil, nil
	for i := 0; i < 20; i++ {
		add(0.5 + 0.3*float64(i%3)) // 0.5, 0.8, 1.1 MPa
	}
	for s := 10.0; s <= 300; s += 10 {
		add(s)
	}
	flat := LoadingBranch(NewCurve("flat", 296.15, x, y))
	if flat.LeadingDropped != 19 || flat.Stress[1] != 10 {
		t.Errorf("flat stretch: dropped %d, next stress %v; want 19 (the last flat point kept), 10", flat.LeadingDropped, flat.Stress[1])
	}
	// Dips below UnloadFraction of the peak (noise) do not start a new branch.
	noisy := NewCurve("noisy", 296.15, []float64{0, 1e-3, 2e-3, 3e-3, 4e-3}, []float64{0, 70, 65, 140, 200})
	if got := LoadingBranch(noisy); got.LeadingDropped != 0 {
		t.Errorf("a 5 MPa dip of a 200 MPa curve dropped %d points, want 0", got.LeadingDropped)
	}
}

// voceCurve is linear elastic up to sy and then hardens as sy + q(1 − exp(−b·εp)),
// sampled every de up to eMax, with Gaussian stress noise of sd MPa (seeded).
func voceCurve(E, sy, q, b, de, eMax, sd float64, seed uint64) Curve {
	rng := rand.New(rand.NewPCG(seed, 1))
	var x, y []float64
	for e := 0.0; e <= eMax; e += de {
		s := E * e
		if s > sy {
			// Solve s = sy + q(1 − exp(−b(e − s/E))) by fixed point.
			s = sy
			for k := 0; k < 200; k++ {
				s = sy + q*(1-math.Exp(-b*(e-s/E)))
			}
		}
		x = append(x, e)
		y = append(y, s+sd*rng.NormFloat64())
	}
	return NewCurve("voce", 296.15, x, y)
}

func TestFitElastic(t *testing.T) {
	// Al 6061-T6-like: E = 69 GPa (handbook), σy = 250 MPa, Voce q = 60 MPa, b = 30.
	const E, sy, de = 69000.0, 250.0, 1e-4
	knee := sy / E / de // index where the curve leaves the line: 36.2
	for _, tc := range []struct {
		name  string
		sd    float64
		tolE  float64 // relative
		tolIx float64 // points
	}{
		{"noise-free", 0, 1e-9, 1},
		{"0.5 MPa noise", 0.5, 0.01, 3},
		{"2 MPa noise", 2, 0.02, 4},
	} {
		c := voceCurve(E, sy, 60, 30, de, 0.05, tc.sd, 7)
		gotE, last := FitElastic(c)
		if math.Abs(gotE-E)/E > tc.tolE {
			t.Errorf("%s: E = %.1f MPa, want %.0f within %g", tc.name, gotE, E, tc.tolE)
		}
		if math.Abs(float64(last)-knee) > tc.tolIx {
			t.Errorf("%s: elastic limit index %d, want %.1f ± %g", tc.name, last, knee, tc.tolIx)
		}
	}

	// A bilinear curve sampled densely: R² alone would keep two points past the knee
	// (E 1.2 % low); the trimming removes them.
	c := bilinear(70000, 280, 1000, 1e-4, 0.05)
	fit, err := FitElasticLine(c)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(fit.Modulus-70000) > 1e-6 || fit.Last != 40 || fit.MinR2 != 0.999 {
		t.Errorf("bilinear: E = %v, last %d, threshold %v; want 70000, 40, 0.999", fit.Modulus, fit.Last, fit.MinR2)
	}
	// Toe region below 10 % of the peak is left out: a slack of 2e-4 with nearly no
	// stress must not change E.
	toe := bilinear(70000, 280, 1000, 1e-4, 0.05)
	for i := range toe.Strain {
		toe.Strain[i] += 2e-4
	}
	toe.Strain = append([]float64{0, 1e-4}, toe.Strain...)
	toe.Stress = append([]float64{0.5, 1}, toe.Stress...)
	fit, err = FitElasticLine(toe)
	if err != nil || math.Abs(fit.Modulus-70000) > 1e-6 || math.Abs(fit.ZeroStressStrain()-2e-4) > 1e-12 {
		t.Errorf("toe: E = %v, zero-stress strain %v, %v; want 70000, 2e-4", fit.Modulus, fit.ZeroStressStrain(), err)
	}

	// A curve with no straight part has no elastic fit.
	curved := NewCurve("sqrt", 296.15, nil, nil)
	for i := 0; i <= 50; i++ {
		e := float64(i) * 1e-3
		curved.Strain = append(curved.Strain, e)
		curved.Stress = append(curved.Stress, 300*math.Pow(e/0.05, 0.15))
	}
	if E, last := FitElastic(curved); !math.IsNaN(E) || last != -1 {
		t.Errorf("power-law curve: E = %v, last %d; want NaN, −1", E, last)
	}
}

// bilinear returns σ = E·ε up to s0, then s0 + H(ε − s0/E), every de up to eMax.
func bilinear(E, s0, H, de, eMax float64) Curve {
	var x, y []float64
	for i := 0; float64(i)*de <= eMax; i++ {
		e := float64(i) * de
		s := E * e
		if e > s0/E {
			s = s0 + H*(e-s0/E)
		}
		x = append(x, e)
		y = append(y, s)
	}
	return NewCurve("bilinear", 296.15, x, y)
}

func TestYield02(t *testing.T) {
	// Bilinear E = 70 GPa, σ0 = 280 MPa, H = 1000 MPa. The offset line E(ε − 0.002)
	// meets the hardening line σ0 + H(ε − σ0/E) at
	// ε* = (σ0(1 − H/E) + 0.002E)/(E − H) = 416/69000, σy = E(ε* − 0.002)
	// = 282.02898550724637 MPa (by hand). Both lines are straight between samples,
	// so interpolation is exact.
	c := bilinear(70000, 280, 1000, 1e-4, 0.05)
	got, ok := Yield02(c, 70000)
	if !ok || math.Abs(got-282.02898550724637) > 1e-9 {
		t.Errorf("Yield02 = %v, %v; want 282.02898550724637", got, ok)
	}
	// In compression the magnitude comes back.
	comp := c.clone()
	comp.Loading = Compression
	for i := range comp.Strain {
		comp.Strain[i], comp.Stress[i] = -comp.Strain[i], -comp.Stress[i]
	}
	if got, ok := Yield02(comp, 70000); !ok || math.Abs(got-282.02898550724637) > 1e-9 {
		t.Errorf("compression Yield02 = %v, %v", got, ok)
	}
	// A curve that ends before 0.2 % plastic strain has no offset yield.
	short := bilinear(70000, 280, 1000, 1e-4, 0.005)
	if got, ok := Yield02(short, 70000); ok {
		t.Errorf("short curve: Yield02 = %v, want not ok", got)
	}
	if _, ok := Yield02(c, math.NaN()); ok {
		t.Error("Yield02 with E = NaN gave ok")
	}
}

func TestPrepare(t *testing.T) {
	// A bilinear true curve with a 3e-4 toe offset, a preload cycle before it and a
	// load drop (necking) after 0.04 strain.
	base := bilinear(70000, 280, 1000, 1e-4, 0.04)
	var x, y []float64
	for _, s := range []float64{5, 30, 60, 30, 5} { // preload, then the curve from 0
		x = append(x, 3e-4+s/70000)
		y = append(y, s)
	}
	for i := range base.Strain {
		x = append(x, base.Strain[i]+3e-4)
		y = append(y, base.Stress[i])
	}
	last := x[len(x)-1]
	for k := 1; k <= 10; k++ { // true stress falling: load falls
		x = append(x, last+float64(k)*1e-3)
		y = append(y, y[len(y)-1]-20)
	}
	c := NewCurve("prep", 473.15, x, y)
	x0 := append([]float64(nil), x...)
	p, err := Prepare(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.LeadingDropped != 5 {
		t.Errorf("LeadingDropped = %d, want 5 (preload and the valley before the zero-stress point)", p.LeadingDropped)
	}
	if math.Abs(p.ToeStrain-3e-4) > 1e-12 || math.Abs(p.ElasticModulus-70000) > 1e-6 {
		t.Errorf("toe %v, E %v; want 3e-4, 70000", p.ToeStrain, p.ElasticModulus)
	}
	_, iu := UTS(c)
	if p.NeckingDropped != c.Len()-1-iu || p.Len() != iu+1-5 {
		t.Errorf("necking dropped %d, kept %d; want %d, %d", p.NeckingDropped, p.Len(), c.Len()-1-iu, iu+1-5)
	}
	if math.Abs(p.NeckingStrain-(c.Strain[iu]-3e-4)) > 1e-12 {
		t.Errorf("necking strain %v, want %v (toe-compensated)", p.NeckingStrain, c.Strain[iu]-3e-4)
	}
	if got, ok := Yield02(p, p.ElasticModulus); !ok || math.Abs(got-282.02898550724637) > 1e-6 {
		t.Errorf("yield after Prepare %v, want 282.029", got)
	}
	keep, err := Prepare(c, &PrepareOptions{KeepAfterUTS: true})
	if err != nil || keep.Len() != c.Len()-5 || keep.NeckingDropped != 0 || math.Abs(keep.NeckingStrain-p.NeckingStrain) > 1e-15 {
		t.Errorf("KeepAfterUTS: %d points, dropped %d, necking %v, %v", keep.Len(), keep.NeckingDropped, keep.NeckingStrain, err)
	}
	for i := range x0 {
		if c.Strain[i] != x0[i] {
			t.Fatalf("Prepare changed its argument at %d", i)
		}
	}
}

func TestResample(t *testing.T) {
	// Linear data with a strain step back (jitter): the backward point is ignored and
	// linear interpolation of linear data is exact.
	c := NewCurve("r", 296.15, []float64{0, 1e-3, 0.9e-3, 2e-3, 4e-3}, []float64{0, 70, 50, 140, 280})
	r, err := Resample(c, 5)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{0, 70, 140, 210, 280} {
		if math.Abs(r.Strain[i]-float64(i)*1e-3) > 1e-18 || math.Abs(r.Stress[i]-want) > 1e-9 {
			t.Errorf("point %d = (%v, %v), want (%v, %v)", i, r.Strain[i], r.Stress[i], float64(i)*1e-3, want)
		}
	}
	if _, err := Resample(NewCurve("flat", 296.15, []float64{1, 1}, []float64{0, 1}), 3); err == nil {
		t.Error("resampling a curve whose strain never increases gave no error")
	}
}
