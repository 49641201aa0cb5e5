package constitutive

import (
	"fmt"
	"math"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// Mat3 is a 3×3 tensor (strain, dimensionless; stress, MPa), row-major: Mat3[i][j].
// Strains and stresses are symmetric.
type Mat3 [3][3]float64

// Tangent is the consistent tangent ∂σᵢⱼ/∂Δεₖₗ in MPa, indexed [3i+j][3k+l], for
// independent variations of all nine strain components.
type Tangent [9][9]float64

// State is the internal state of a material point.
type State struct {
	// Elastic is the elastic strain εᵉ, Plastic the plastic strain εᵖ
	// (ε = εᵉ + εᵖ), both dimensionless.
	Elastic, Plastic Mat3
	// Alpha is the equivalent plastic strain α ≥ 0.
	Alpha float64
}

// Result is the outcome of one material-point update.
type Result struct {
	// Stress is σ = ∂ψ/∂εᵉ at the new state, MPa.
	Stress Mat3
	// Tangent is dσ/dΔε of the whole update (consistent, by automatic
	// differentiation through the return mapping).
	Tangent Tangent
	// State is the new state.
	State State
	// Plastic reports a plastic step; DeltaGamma is Δα ≥ 0.
	Plastic    bool
	DeltaGamma float64
	// Dissipation is σ:Δεᵖ − κ·Δα over the step, MPa (energy per volume), ≥ 0.
	Dissipation float64
}

// Newton settings of the return mapping.
const (
	returnTol     = 1e-10 // relative to the yield stress
	returnMaxIter = 60
)

func flat(a Mat3) []float64 {
	return []float64{a[0][0], a[0][1], a[0][2], a[1][0], a[1][1], a[1][2], a[2][0], a[2][1], a[2][2]}
}

func unflat(x []float64) Mat3 {
	var a Mat3
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			a[i][j] = x[3*i+j]
		}
	}
	return a
}

// Update advances a material point by the strain increment dEps at the temperature
// tK (K), from the state s: elastic predictor, then, if the trial stress lies outside
// the yield surface f = √(3/2)|dev σ| − (σ_y0 + κ(α)) ≤ 0, radial return with a
// scalar Newton iteration on Δγ:
//
//	q_trial − 3G·Δγ − σ_y0 − κ(α_n + Δγ) = 0,  Δεᵖ = √(3/2)·Δγ·n,  n = s_trial/|s_trial|.
//
// The stress is ∂ψᵉ/∂εᵉ and the tangent dσ/dΔε is taken by reverse-mode automatic
// differentiation of the whole update; Δγ enters the graph through one Newton step
// from the converged value, whose derivative is the implicit one.
//
// It returns an error for non-finite input or if the return mapping does not converge.
func (m *Model) Update(s State, dEps Mat3, tK float64) (Result, error) {
	for _, v := range append(append(flat(dEps), flat(s.Elastic)...), s.Alpha, tK) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Result{}, fmt.Errorf("constitutive: non-finite strain, state or temperature")
		}
	}
	if !(tK > 0) {
		return Result{}, fmt.Errorf("constitutive: temperature %g K is not positive", tK)
	}
	if s.Alpha < 0 {
		return Result{}, fmt.Errorf("constitutive: equivalent plastic strain %g is negative", s.Alpha)
	}
	p := m.props(ad.Constant(ad.Full(tK, 1, 1)))
	de := ad.Variable(ad.New(flat(dEps), 1, 9))
	etr := ad.Add(ad.Constant(ad.New(flat(s.Elastic), 1, 9)), de)
	sigTr := m.stressOf(p, etr)
	str := dev(sigTr)
	qtr := ad.Scale(ad.Sqrt(ad.AddScalar(ad.SumAxis(ad.Square(str), 1, true), 1e-300)), math.Sqrt(1.5))

	y0 := p.Y.Item()
	k0, _ := m.kappaAndSlope(p, []float64{s.Alpha})
	f := qtr.Item() - (y0 + k0[0])
	res := Result{State: s}
	var sig, ee *ad.Var
	if f <= returnTol*y0 {
		sig, ee = sigTr, etr
	} else {
		G := p.G.Item()
		q := qtr.Item()
		// Safeguarded Newton on r(Δγ) = q − 3GΔγ − σ_y0 − κ(α+Δγ), decreasing in Δγ;
		// root in [0, (q − σ_y0 − κ(α))/(3G)] since κ is non-decreasing.
		lo, hi := 0.0, (q-y0-k0[0])/(3*G)
		dg := hi
		var slope float64
		converged := false
		for it := 0; it < returnMaxIter; it++ {
			k, dk := m.kappaAndSlope(p, []float64{s.Alpha + dg})
			r := q - 3*G*dg - y0 - k[0]
			slope = -3*G - dk[0]
			if math.Abs(r) <= returnTol*y0 {
				converged = true
				break
			}
			if r > 0 {
				lo = dg
			} else {
				hi = dg
			}
			next := dg - r/slope
			if !(next > lo && next < hi) {
				next = 0.5 * (lo + hi)
			}
			dg = next
		}
		if !converged {
			return Result{}, fmt.Errorf("constitutive: return mapping did not converge in %d iterations (T = %g K, α = %g)", returnMaxIter, tK, s.Alpha)
		}
		// One Newton step in the graph: d(Δγ)/dΔε is the implicit derivative.
		kg := m.kappa(p, ad.Constant(ad.Full(s.Alpha+dg, 1, 1)))
		r := ad.Sub(ad.Sub(qtr, ad.Scale(p.G, 3*dg)), ad.Add(p.Y, kg))
		dgv := ad.AddScalar(ad.Scale(r, -1/slope), dg) // (1, 1)
		nrm := ad.Div(str, ad.Scale(qtr, math.Sqrt(2.0/3)))
		depsP := ad.Mul(ad.Scale(nrm, math.Sqrt(1.5)), dgv)
		ee = ad.Sub(etr, depsP)
		sig = m.stressOf(p, ee)
		res.Plastic, res.DeltaGamma = true, dgv.Item()
		dp := unflat(depsP.Value().Data)
		for i := 0; i < 3; i++ {
			for j := 0; j < 3; j++ {
				res.State.Plastic[i][j] += dp[i][j]
			}
		}
		res.State.Alpha = s.Alpha + res.DeltaGamma
		kn, _ := m.kappaAndSlope(p, []float64{res.State.Alpha})
		sv := sig.Value().Data
		var w float64
		for i := range sv {
			w += sv[i] * depsP.Value().Data[i]
		}
		res.Dissipation = w - kn[0]*res.DeltaGamma
	}
	res.Stress = unflat(sig.Value().Data)
	res.State.Elastic = unflat(ee.Value().Data)
	for i := 0; i < 9; i++ {
		seed := ad.Zeros(1, 9)
		seed.Data[i] = 1
		g := ad.Gradients([]*ad.Var{sig}, []*ad.Var{de}, &ad.GradOptions{Seeds: []*ad.Var{ad.Constant(seed)}})[0]
		copy(res.Tangent[i][:], g.Value().Data)
	}
	return res, nil
}

// stressOf returns σ = ∂ψᵉ/∂εᵉ for rows εᵉ (n, 9), a graph value.
func (m *Model) stressOf(p *props, e *ad.Var) *ad.Var {
	x := e
	if !x.RequiresGrad() {
		x = ad.Variable(e.Value())
	}
	return ad.Gradients([]*ad.Var{ad.Sum(p.psiE(x))}, []*ad.Var{x}, &ad.GradOptions{CreateGraph: true})[0]
}

// Stress returns σ = ∂ψᵉ/∂εᵉ (MPa) at the elastic strain e and temperature tK.
func (m *Model) Stress(e Mat3, tK float64) Mat3 {
	p := m.props(ad.Constant(ad.Full(tK, 1, 1)))
	return unflat(m.stressOf(p, ad.Constant(ad.New(flat(e), 1, 9))).Value().Data)
}

// FreeEnergy returns ψ(εᵉ, α, T) = ψᵉ + ψᵖ + ψθ in MPa (MJ/m³).
func (m *Model) FreeEnergy(s State, tK float64) float64 {
	t := ad.Constant(ad.Full(tK, 1, 1))
	p := m.props(t)
	return m.psi(p, s, t).Item()
}

func (m *Model) psi(p *props, s State, t *ad.Var) *ad.Var {
	pe := p.psiE(ad.Constant(ad.New(flat(s.Elastic), 1, 9)))
	pp := m.psiP(p, ad.Constant(ad.Full(s.Alpha, 1, 1)))
	return ad.Add(ad.Add(pe, pp), m.psiTheta(t))
}

// Entropy returns η = −∂ψ/∂T in MPa/K (MJ/(m³·K)) at the state s and temperature tK.
func (m *Model) Entropy(s State, tK float64) float64 {
	t := ad.Variable(ad.Full(tK, 1, 1))
	psi := m.psi(m.props(t), s, t)
	return -ad.Gradients([]*ad.Var{psi}, []*ad.Var{t}, nil)[0].Item()
}

// HeatCapacity returns c = −T·∂²ψ/∂T² in MPa/K at the state s and temperature tK.
func (m *Model) HeatCapacity(s State, tK float64) float64 {
	t := ad.Variable(ad.Full(tK, 1, 1))
	psi := m.psi(m.props(t), s, t)
	d := ad.Gradients([]*ad.Var{psi}, []*ad.Var{t}, &ad.GradOptions{CreateGraph: true})[0]
	if !d.RequiresGrad() {
		return 0
	}
	d2 := ad.Gradients([]*ad.Var{d}, []*ad.Var{t}, nil)[0]
	return -tK * d2.Item()
}
