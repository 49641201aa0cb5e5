package constitutive

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/adapters"
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/autodiff/gradcheck"
	"github.com/sciadapt/sciadapt/nn"
)

// hotModel returns an untrained model (E = 70 GPa, σ_y0 = 250 MPa, H = 100 MPa at
// every temperature) with a temperature adapter attached whose FiLM weights are
// set to seeded random values, so that every property depends on T.
func hotModel(t *testing.T, seed uint64) (*Model, *adapters.Adapter) {
	t.Helper()
	m, err := New(Config{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewTemperatureAdapter("hot", 0, seed)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Attach(m); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 99))
	for _, p := range a.Params() {
		if isBias(p.Name) {
			continue
		}
		for i := range p.Value().Data {
			p.Value().Data[i] = 0.6 * (rng.Float64() - 0.5)
		}
	}
	return m, a
}

func randSym(rng *rand.Rand, scale float64) Mat3 {
	var e Mat3
	for i := 0; i < 3; i++ {
		for j := i; j < 3; j++ {
			v := scale * (2*rng.Float64() - 1)
			e[i][j], e[j][i] = v, v
		}
	}
	return e
}

var temperaturesK = []float64{250, 296.15, 373.15, 473.15}

func TestStressIsGradientOfFreeEnergy(t *testing.T) {
	m, _ := hotModel(t, 1)
	rng := rand.New(rand.NewPCG(2, 2))
	const h = 1e-7
	for _, tK := range temperaturesK {
		for trial := 0; trial < 3; trial++ {
			e := randSym(rng, 3e-3)
			s := State{Elastic: e, Alpha: 0.01 * rng.Float64()}
			sig := m.Stress(e, tK)
			for i := 0; i < 3; i++ {
				for j := 0; j < 3; j++ {
					sp, sm := s, s
					sp.Elastic[i][j] += h
					sm.Elastic[i][j] -= h
					fd := (m.FreeEnergy(sp, tK) - m.FreeEnergy(sm, tK)) / (2 * h)
					if d := math.Abs(fd - sig[i][j]); d > 1e-5*math.Max(1, math.Abs(sig[i][j]))+1e-3 {
						t.Errorf("T=%g K: σ%d%d = %.8g MPa, finite difference of ψ %.8g", tK, i+1, j+1, sig[i][j], fd)
					}
				}
			}
		}
	}
}

func TestHardeningIsGradientAndConvex(t *testing.T) {
	m, _ := hotModel(t, 3)
	const h = 1e-7
	alphas := []float64{0, 1e-4, 1e-3, 5e-3, 0.01, 0.03, 0.1}
	for _, tK := range temperaturesK {
		k := m.Hardening(alphas, tK)
		// ψᵖ'(0) = 0 by construction; autodiff sums the two cancelling terms in
		// different orders, so κ(0) is zero to rounding (1e-16 of the 100 MPa scale).
		if math.Abs(k[0]) > 1e-12 {
			t.Errorf("T=%g K: κ(0) = %g MPa, want 0 (ψᵖ'(0) = 0)", tK, k[0])
		}
		for i, a := range alphas {
			if i > 0 && k[i] < k[i-1] {
				t.Errorf("T=%g K: κ decreases from %g to %g between α=%g and %g (ψᵖ not convex)", tK, k[i-1], k[i], alphas[i-1], a)
			}
			if a < h {
				continue
			}
			fd := (m.FreeEnergy(State{Alpha: a + h}, tK) - m.FreeEnergy(State{Alpha: a - h}, tK)) / (2 * h)
			if math.Abs(fd-k[i]) > 1e-5*math.Max(1, k[i]) {
				t.Errorf("T=%g K, α=%g: κ = %.8g, finite difference of ψᵖ %.8g", tK, a, k[i], fd)
			}
		}
	}
}

func TestZeroStressAtZeroStrain(t *testing.T) {
	m, _ := hotModel(t, 4)
	for _, tK := range append(temperaturesK, 600, 800) {
		var zero Mat3
		if s := m.Stress(zero, tK); s != zero {
			t.Errorf("T=%g K: σ(0) = %v, want exactly 0", tK, s)
		}
		r, err := m.Update(State{}, zero, tK)
		if err != nil {
			t.Fatal(err)
		}
		if r.Stress != zero || r.Plastic {
			t.Errorf("T=%g K: update from rest by 0 gives σ = %v, plastic %v", tK, r.Stress, r.Plastic)
		}
	}
}

// loadedState drives the model into the plastic range along a proportional path.
func loadedState(t *testing.T, m *Model, tK float64) State {
	t.Helper()
	var s State
	dir := Mat3{{1, 0.2, 0}, {0.2, -0.4, 0.1}, {0, 0.1, -0.3}}
	for k := 0; k < 6; k++ {
		var d Mat3
		for i := range d {
			for j := range d[i] {
				d[i][j] = 1.5e-3 * dir[i][j]
			}
		}
		r, err := m.Update(s, d, tK)
		if err != nil {
			t.Fatal(err)
		}
		s = r.State
	}
	if s.Alpha <= 0 {
		t.Fatalf("T=%g K: loading did not reach the plastic range", tK)
	}
	return s
}

func TestTangentMatchesFiniteDifferences(t *testing.T) {
	m, _ := hotModel(t, 5)
	const h = 1e-7
	for _, tc := range []struct {
		name string
		tK   float64
		grow float64 // sign of the increment along the loading direction
	}{
		{"plastic 23C", 296.15, 1},
		{"plastic 200C", 473.15, 1},
		{"elastic unloading 200C", 473.15, -1},
	} {
		s := loadedState(t, m, tc.tK)
		d := Mat3{{tc.grow * 1e-3, 3e-4, 0}, {3e-4, -tc.grow * 4e-4, 1e-4}, {0, 1e-4, -tc.grow * 3e-4}}
		r, err := m.Update(s, d, tc.tK)
		if err != nil {
			t.Fatal(err)
		}
		if r.Plastic != (tc.grow > 0) {
			t.Fatalf("%s: plastic = %v", tc.name, r.Plastic)
		}
		var maxC float64
		for i := range r.Tangent {
			for j := range r.Tangent[i] {
				maxC = math.Max(maxC, math.Abs(r.Tangent[i][j]))
			}
		}
		for k := 0; k < 3; k++ {
			for l := 0; l < 3; l++ {
				dp, dm := d, d
				dp[k][l] += h
				dm[k][l] -= h
				rp, err1 := m.Update(s, dp, tc.tK)
				rm, err2 := m.Update(s, dm, tc.tK)
				if err1 != nil || err2 != nil {
					t.Fatal(err1, err2)
				}
				for i := 0; i < 3; i++ {
					for j := 0; j < 3; j++ {
						fd := (rp.Stress[i][j] - rm.Stress[i][j]) / (2 * h)
						if got := r.Tangent[3*i+j][3*k+l]; math.Abs(got-fd) > 1e-5*maxC {
							t.Errorf("%s: ∂σ%d%d/∂ε%d%d = %.8g MPa, finite differences %.8g", tc.name, i+1, j+1, k+1, l+1, got, fd)
						}
					}
				}
			}
		}
	}
}

func rotation(rng *rand.Rand) Mat3 {
	// Rodrigues' formula for a random axis and angle.
	ax := [3]float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
	n := math.Sqrt(ax[0]*ax[0] + ax[1]*ax[1] + ax[2]*ax[2])
	for i := range ax {
		ax[i] /= n
	}
	th := 2 * math.Pi * rng.Float64()
	c, s := math.Cos(th), math.Sin(th)
	k := Mat3{{0, -ax[2], ax[1]}, {ax[2], 0, -ax[0]}, {-ax[1], ax[0], 0}}
	var q Mat3
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			var kk float64
			for l := 0; l < 3; l++ {
				kk += k[i][l] * k[l][j]
			}
			q[i][j] = s*k[i][j] + (1-c)*kk
			if i == j {
				q[i][j]++
			}
		}
	}
	return q
}

// rotate returns Q·a·Qᵀ.
func rotate(q, a Mat3) Mat3 {
	var r Mat3
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				for l := 0; l < 3; l++ {
					r[i][j] += q[i][k] * a[k][l] * q[j][l]
				}
			}
		}
	}
	return r
}

func randomPath(rng *rand.Rand, steps int, scale float64) []Mat3 {
	path := make([]Mat3, steps)
	var e Mat3
	for k := range path {
		d := randSym(rng, scale)
		for i := range e {
			for j := range e[i] {
				e[i][j] += d[i][j]
			}
		}
		path[k] = e
	}
	return path
}

func TestObjectivity(t *testing.T) {
	m, _ := hotModel(t, 6)
	rng := rand.New(rand.NewPCG(6, 6))
	for trial := 0; trial < 3; trial++ {
		tK := temperaturesK[trial]
		path := randomPath(rng, 12, 2e-3)
		q := rotation(rng)
		rpath := make([]Mat3, len(path))
		for k := range path {
			rpath[k] = rotate(q, path[k])
		}
		a, err := m.StrainPath(path, tK)
		if err != nil {
			t.Fatal(err)
		}
		b, err := m.StrainPath(rpath, tK)
		if err != nil {
			t.Fatal(err)
		}
		plastic := false
		for k := range a {
			want := rotate(q, a[k].Stress)
			for i := 0; i < 3; i++ {
				for j := 0; j < 3; j++ {
					if math.Abs(b[k].Stress[i][j]-want[i][j]) > 1e-7*400 {
						t.Errorf("trial %d step %d: σ(QεQᵀ)%d%d = %.10g MPa, Qσ(ε)Qᵀ = %.10g", trial, k, i+1, j+1, b[k].Stress[i][j], want[i][j])
					}
				}
			}
			if math.Abs(a[k].State.Alpha-b[k].State.Alpha) > 1e-12 {
				t.Errorf("trial %d step %d: α = %g rotated, %g not", trial, k, b[k].State.Alpha, a[k].State.Alpha)
			}
			plastic = plastic || a[k].State.Alpha > 0
		}
		if !plastic {
			t.Errorf("trial %d: path stayed elastic; the test would not check the return mapping", trial)
		}
	}
}

func TestElasticUnloading(t *testing.T) {
	m, _ := hotModel(t, 7)
	for _, tK := range temperaturesK {
		s := loadedState(t, m, tK)
		// Unload halfway back along the loading direction, then reload to the
		// same point: both steps are elastic and the stress returns exactly.
		d := Mat3{{-4e-3, -0.8e-3, 0}, {-0.8e-3, 1.6e-3, -0.4e-3}, {0, -0.4e-3, 1.2e-3}}
		sig0 := m.Stress(s.Elastic, tK)
		r, err := m.Update(s, d, tK)
		if err != nil {
			t.Fatal(err)
		}
		if r.Plastic || r.State.Alpha != s.Alpha || r.Dissipation != 0 {
			t.Errorf("T=%g K: unloading step plastic=%v, α %g → %g, D=%g", tK, r.Plastic, s.Alpha, r.State.Alpha, r.Dissipation)
		}
		if r.State.Plastic != s.Plastic {
			t.Errorf("T=%g K: plastic strain changed on unloading", tK)
		}
		p := m.Properties(tK)
		K, G := p.BulkMPa, p.ShearMPa
		tr := d[0][0] + d[1][1] + d[2][2]
		for i := 0; i < 3; i++ {
			for j := 0; j < 3; j++ {
				want := 2 * G * d[i][j]
				if i == j {
					want += (K - 2*G/3) * tr
				}
				if got := r.Stress[i][j] - sig0[i][j]; math.Abs(got-want) > 1e-6 {
					t.Errorf("T=%g K: Δσ%d%d = %.9g MPa on unloading, elastic %.9g", tK, i+1, j+1, got, want)
				}
			}
		}
		var back Mat3
		for i := range d {
			for j := range d[i] {
				back[i][j] = -d[i][j]
			}
		}
		r2, err := m.Update(r.State, back, tK)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			for j := 0; j < 3; j++ {
				if math.Abs(r2.Stress[i][j]-sig0[i][j]) > 1e-8 {
					t.Errorf("T=%g K: reloading gives σ%d%d = %.10g, was %.10g", tK, i+1, j+1, r2.Stress[i][j], sig0[i][j])
				}
			}
		}
	}
}

func TestDissipationNonNegative(t *testing.T) {
	m, _ := hotModel(t, 8)
	rng := rand.New(rand.NewPCG(8, 8))
	plasticSteps := 0
	for trial := 0; trial < 6; trial++ {
		tK := temperaturesK[trial%len(temperaturesK)]
		pts, err := m.StrainPath(randomPath(rng, 25, 2.5e-3), tK)
		if err != nil {
			t.Fatal(err)
		}
		y0 := m.Properties(tK).YieldMPa
		prev := State{}
		for k, p := range pts {
			dAlpha := p.State.Alpha - prev.Alpha
			if p.Dissipation < 0 || dAlpha < 0 {
				t.Errorf("trial %d step %d: dissipation %g MPa, Δα %g", trial, k, p.Dissipation, dAlpha)
			}
			// For J2 with ψᵖ, D = σ:Δεᵖ − κΔα = σ_y0·Δα at the returned state.
			if math.Abs(p.Dissipation-y0*dAlpha) > 1e-8*math.Max(1, y0*dAlpha) {
				t.Errorf("trial %d step %d: dissipation %.10g MPa, σ_y0·Δα = %.10g", trial, k, p.Dissipation, y0*dAlpha)
			}
			if dAlpha > 0 {
				plasticSteps++
				// The returned stress lies on the yield surface.
				sig := p.Stress
				tr := (sig[0][0] + sig[1][1] + sig[2][2]) / 3
				var ss float64
				for i := 0; i < 3; i++ {
					for j := 0; j < 3; j++ {
						v := sig[i][j]
						if i == j {
							v -= tr
						}
						ss += v * v
					}
				}
				q := math.Sqrt(1.5 * ss)
				kap := m.Hardening([]float64{p.State.Alpha}, tK)[0]
				if math.Abs(q-y0-kap) > 1e-6 {
					t.Errorf("trial %d step %d: q = %.10g MPa after return, σ_y0 + κ = %.10g", trial, k, q, y0+kap)
				}
			}
			prev = p.State
		}
	}
	if plasticSteps < 20 {
		t.Errorf("only %d plastic steps: the random paths do not test the return mapping", plasticSteps)
	}
}

func TestUniaxialDriverMatchesReducedForm(t *testing.T) {
	m, _ := hotModel(t, 9)
	eps := []float64{0.0005, 0.001, 0.002, 0.003, 0.004, 0.006, 0.01, 0.02, 0.04}
	for _, tK := range temperaturesK {
		drv, err := m.Uniaxial(eps, tK)
		if err != nil {
			t.Fatal(err)
		}
		red, err := m.UniaxialStress(eps, tK)
		if err != nil {
			t.Fatal(err)
		}
		p := m.Properties(tK)
		for i := range eps {
			if math.Abs(drv[i].Stress-red[i]) > 1e-6*math.Max(1, red[i]) {
				t.Errorf("T=%g K, ε=%g: driver σ = %.10g MPa, reduced form %.10g", tK, eps[i], drv[i].Stress, red[i])
			}
			if math.Abs(drv[i].State.Alpha-(eps[i]-red[i]/p.ModulusMPa)) > 1e-9 {
				t.Errorf("T=%g K, ε=%g: α = %g, want ε − σ/E = %g", tK, eps[i], drv[i].State.Alpha, eps[i]-red[i]/p.ModulusMPa)
			}
			if drv[i].State.Alpha == 0 && math.Abs(drv[i].Lateral[0]+p.Poisson*eps[i]) > 1e-12 {
				t.Errorf("T=%g K, ε=%g: elastic lateral strain %g, want −νε = %g", tK, eps[i], drv[i].Lateral[0], -p.Poisson*eps[i])
			}
		}
		if drv[len(eps)-1].State.Alpha == 0 {
			t.Errorf("T=%g K: the test never yields", tK)
		}
	}
}

func TestThermalQuantities(t *testing.T) {
	m, _ := hotModel(t, 10)
	rng := rand.New(rand.NewPCG(10, 10))
	const h = 1e-3
	for tK := 250.0; tK <= 600; tK += 50 {
		for trial := 0; trial < 3; trial++ {
			s := State{Elastic: randSym(rng, 3e-3), Alpha: 0.05 * rng.Float64()}
			c := m.HeatCapacity(s, tK)
			if !(c > 0) {
				t.Errorf("T=%g K: heat capacity %g MPa/K, not positive", tK, c)
			}
			eta := m.Entropy(s, tK)
			fd := -(m.FreeEnergy(s, tK+h) - m.FreeEnergy(s, tK-h)) / (2 * h)
			if math.Abs(eta-fd) > 1e-6*math.Max(1, math.Abs(eta)) {
				t.Errorf("T=%g K: entropy %.9g MPa/K, −∂ψ/∂T by finite differences %.9g", tK, eta, fd)
			}
			fd2 := -tK * (m.FreeEnergy(s, tK+h) - 2*m.FreeEnergy(s, tK) + m.FreeEnergy(s, tK-h)) / (h * h)
			if math.Abs(c-fd2) > 1e-3*math.Abs(c) {
				t.Errorf("T=%g K: heat capacity %.9g MPa/K, by finite differences %.9g", tK, c, fd2)
			}
		}
	}
	// With no adapter the mechanical part does not depend on T: c = c₀ exactly.
	base, _ := New(Config{})
	if c := base.HeatCapacity(State{Alpha: 0.01}, 400); math.Abs(c-2.43) > 1e-12 {
		t.Errorf("base heat capacity %g MPa/K, want c₀ = 2.43", c)
	}
}

func TestSaveLoadAndAdapterRoundTrip(t *testing.T) {
	dir := t.TempDir()
	m, a := hotModel(t, 11)
	a.Detach()
	path := filepath.Join(dir, "base.model")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	m2, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if nn.Fingerprint(m) != nn.Fingerprint(m2) {
		t.Error("fingerprint changed on save and load")
	}
	a, err = NewTemperatureAdapter("hot", 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Attach(m); err != nil {
		t.Fatal(err)
	}
	for _, p := range a.Params() {
		for i := range p.Value().Data {
			if !isBias(p.Name) {
				p.Value().Data[i] = 0.1 * float64(i%5-2)
			}
		}
	}
	ap := filepath.Join(dir, "hot.adapter")
	if err := a.Save(ap); err != nil {
		t.Fatal(err)
	}
	if _, err := adapters.Load(ap, m2); err != nil {
		t.Fatal(err)
	}
	for _, tK := range temperaturesK {
		p1, p2 := m.Properties(tK), m2.Properties(tK)
		if p1 != p2 {
			t.Errorf("T=%g K: properties %+v after loading, %+v before", tK, p2, p1)
		}
	}
	other, _ := New(Config{Seed: 99})
	if _, err := adapters.Load(ap, other); err == nil || !strings.Contains(err.Error(), "belongs to base model") {
		t.Errorf("loading the adapter onto another base: error %v, want a fingerprint refusal", err)
	}
}

func TestBadInput(t *testing.T) {
	m, _ := New(Config{})
	if _, err := m.Update(State{}, Mat3{{math.NaN()}}, 300); err == nil {
		t.Error("NaN strain increment accepted")
	}
	if _, err := m.Update(State{}, Mat3{}, -1); err == nil {
		t.Error("negative temperature accepted")
	}
	if _, err := m.Update(State{Alpha: -1}, Mat3{}, 300); err == nil {
		t.Error("negative α accepted")
	}
	if _, err := m.UniaxialStress([]float64{0.01, math.Inf(1)}, 300); err == nil {
		t.Error("infinite strain accepted")
	}
	if _, err := m.UniaxialStress([]float64{-0.01}, 300); err == nil || !strings.Contains(err.Error(), "compression") {
		t.Errorf("compressive yield in the tension form: error %v", err)
	}
	for _, c := range []Config{{Poisson: 0.5}, {TemperatureScaleK: -1}, {HeatCapacity: -2}, {PropsHidden: -1}} {
		if _, err := New(c); err == nil {
			t.Errorf("config %+v accepted", c)
		}
	}
	path := filepath.Join(t.TempDir(), "other.model")
	if err := nn.SaveModel(path, "potential/schnet", map[string]int{"x": 1}, m, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "potential/schnet") || !strings.Contains(err.Error(), path) {
		t.Errorf("loading a potential as a constitutive model: error %v", err)
	}
}

func TestDerivativesByGradcheck(t *testing.T) {
	m, _ := hotModel(t, 12)
	for _, tK := range temperaturesK {
		p := m.props(ad.Constant(ad.Full(tK, 1, 1)))
		alpha := ad.New([]float64{1e-4, 2e-3, 0.01, 0.05}, 4, 1)
		// ψᵖ(α) to second order: κ and κ' as used by the return mapping.
		if err := gradcheck.Second(func(xs []*ad.Var) *ad.Var { return m.psiP(p, xs[0]) }, []*ad.Tensor{alpha}, &gradcheck.Options{Step: 1e-6, Atol: 1e-6}); err != nil {
			t.Errorf("T=%g K: ψᵖ: %v", tK, err)
		}
		// σ(εᵉ) = ∂ψᵉ/∂εᵉ is itself differentiable (the tangent).
		e := ad.New([]float64{1e-3, 2e-4, 0, 2e-4, -4e-4, 1e-4, 0, 1e-4, -3e-4}, 1, 9)
		if err := gradcheck.First(func(xs []*ad.Var) *ad.Var { return m.stressOf(p, xs[0]) }, []*ad.Tensor{e}, &gradcheck.Options{Step: 1e-7, Atol: 1e-3, Rtol: 1e-6}); err != nil {
			t.Errorf("T=%g K: σ(εᵉ): %v", tK, err)
		}
	}
}

// TestFitGradientMatchesFiniteDifferences checks the derivative of the fitting loss
// with respect to the parameters, which goes through the implicit plastic strain of
// the uniaxial solution (one Newton step in the graph).
func TestFitGradientMatchesFiniteDifferences(t *testing.T) {
	m, a := hotModel(t, 13)
	eps := []float64{5e-4, 2e-3, 4e-3, 8e-3, 0.02, 0.05}
	sig := []float64{30, 150, 260, 275, 290, 300}
	// The adapter froze the base; differentiate with respect to both here.
	for _, p := range m.Params() {
		p.SetTrainable(true)
	}
	for _, tK := range []float64{296.15, 473.15} {
		sets := []fitSet{{eps: eps, sig: sig, tK: tK, w: 1}}
		for _, ps := range [][]*nn.Param{m.Params(), a.Params()} {
			vars := nn.Vars(ps)
			l, err := m.loss(sets, vars, 0)
			if err != nil {
				t.Fatal(err)
			}
			grads := ad.Gradients([]*ad.Var{l}, vars, nil)
			for k, p := range ps {
				if isBias(p.Name) && strings.Contains(p.Name, "film") {
					continue
				}
				for i := range p.Value().Data {
					const h = 1e-6
					x := p.Value().Data[i]
					p.Value().Data[i] = x + h
					lp, _ := m.loss(sets, vars, 0)
					p.Value().Data[i] = x - h
					lm, _ := m.loss(sets, vars, 0)
					p.Value().Data[i] = x
					fd := (lp.Item() - lm.Item()) / (2 * h)
					if got := grads[k].Value().Data[i]; math.Abs(got-fd) > 1e-5*math.Max(1e-2, math.Abs(fd)) {
						t.Errorf("T=%g K: ∂loss/∂%s[%d] = %.8g, finite differences %.8g", tK, p.Name, i, got, fd)
					}
				}
			}
		}
	}
}

func TestElasticConvexity(t *testing.T) {
	m, _ := hotModel(t, 14)
	rng := rand.New(rand.NewPCG(14, 14))
	for _, tK := range append(temperaturesK, 700) {
		r, err := m.Update(State{}, Mat3{}, tK)
		if err != nil {
			t.Fatal(err)
		}
		for trial := 0; trial < 20; trial++ {
			d := randSym(rng, 1)
			var q float64
			for i := 0; i < 9; i++ {
				for j := 0; j < 9; j++ {
					q += d[i/3][i%3] * r.Tangent[i][j] * d[j/3][j%3]
				}
			}
			if !(q > 0) {
				t.Errorf("T=%g K: δε:C:δε = %g for δε = %v; ψᵉ not strictly convex", tK, q, d)
			}
		}
	}
}

func TestTuneKeepsBaseAtBaseTemperature(t *testing.T) {
	for _, hidden := range []int{0, 4} {
		m, err := New(Config{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		t0 := m.Config().BaseTemperatureK
		alphas := []float64{0, 0.002, 0.02}
		base, baseK := m.Properties(t0), m.Hardening(alphas, t0)
		// Synthetic points at 200 °C: 20 % softer than the base everywhere.
		eps := []float64{1e-3, 4e-3, 0.01, 0.03}
		sig, err := m.UniaxialStress(eps, 473.15)
		if err != nil {
			t.Fatal(err)
		}
		for i := range sig {
			sig[i] *= 0.8
		}
		a, res, err := m.TemperatureTune("t", eps, sig, 473.15, &TuneOptions{Hidden: hidden, FitOptions: FitOptions{MaxIterations: 100}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.UniaxialStress(eps, 473.15)
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if math.Abs(got[i]-sig[i]) > 0.02*sig[i] {
				t.Errorf("hidden %d: tuned σ(%g) = %.1f MPa, target %.1f (loss %g)", hidden, eps[i], got[i], sig[i], res.Loss)
			}
		}
		if p := m.Properties(t0); p != base {
			t.Errorf("hidden %d: properties at T₀ %+v after tuning, base %+v", hidden, p, base)
		}
		for i, k := range m.Hardening(alphas, t0) {
			if k != baseK[i] {
				t.Errorf("hidden %d: κ(%g, T₀) = %.17g after tuning, base %.17g", hidden, alphas[i], k, baseK[i])
			}
		}
		c := m.Config()
		want := 2 * (c.PropsHidden + c.HardeningUnits)
		if hidden > 0 {
			want = 2*hidden + 2*hidden*(c.PropsHidden+c.HardeningUnits)
		}
		if n := TrainableValues(a); n != want {
			t.Errorf("hidden %d: %d trained values, want %d", hidden, n, want)
		}
	}
}
