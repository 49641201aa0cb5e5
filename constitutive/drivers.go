package constitutive

import (
	"fmt"
	"math"

	ad "github.com/sciadapt/sciadapt/autodiff"
)

// PathPoint is one point of a strain path driven through the model.
type PathPoint struct {
	Strain, Stress Mat3
	State          State
	// Dissipation is the dissipation of the step that reached this point, MPa.
	Dissipation float64
}

// StrainPath drives the model through the total strains path[0], path[1], … from the
// virgin state at the temperature tK, one Update per step.
func (m *Model) StrainPath(path []Mat3, tK float64) ([]PathPoint, error) {
	var s State
	var prev Mat3
	out := make([]PathPoint, len(path))
	for k, e := range path {
		var d Mat3
		for i := 0; i < 3; i++ {
			for j := 0; j < 3; j++ {
				d[i][j] = e[i][j] - prev[i][j]
			}
		}
		r, err := m.Update(s, d, tK)
		if err != nil {
			return nil, fmt.Errorf("step %d: %v", k, err)
		}
		s, prev = r.State, e
		out[k] = PathPoint{Strain: e, Stress: r.Stress, State: s, Dissipation: r.Dissipation}
	}
	return out, nil
}

// UniaxialPoint is one point of a uniaxial-stress test.
type UniaxialPoint struct {
	// Strain is the axial strain ε₁₁ and Lateral the strains ε₂₂, ε₃₃ that keep
	// σ₂₂ = σ₃₃ = 0; Stress is σ₁₁ in MPa.
	Strain  float64
	Lateral [2]float64
	Stress  float64
	State   State
}

// Uniaxial drives a uniaxial-stress test along the axial strains eps (ε₁₁, in
// order) at the temperature tK: at each step a Newton iteration on the two lateral
// strain increments, with the consistent tangent, makes σ₂₂ = σ₃₃ = 0 (to 1e-9 of the
// axial stress scale); shears stay zero.
func (m *Model) Uniaxial(eps []float64, tK float64) ([]UniaxialPoint, error) {
	var s State
	var e1, e2, e3 float64
	out := make([]UniaxialPoint, len(eps))
	nu := m.cfg.Poisson
	for k, e := range eps {
		de1 := e - e1
		d2, d3 := -nu*de1, -nu*de1
		var r Result
		var err error
		ok := false
		for it := 0; it < 30; it++ {
			var d Mat3
			d[0][0], d[1][1], d[2][2] = de1, d2, d3
			r, err = m.Update(s, d, tK)
			if err != nil {
				return nil, fmt.Errorf("step %d: %v", k, err)
			}
			f2, f3 := r.Stress[1][1], r.Stress[2][2]
			scale := math.Max(1, math.Abs(r.Stress[0][0]))
			if math.Abs(f2) <= 1e-9*scale && math.Abs(f3) <= 1e-9*scale {
				ok = true
				break
			}
			a, b := r.Tangent[4][4], r.Tangent[4][8]
			c, dd := r.Tangent[8][4], r.Tangent[8][8]
			det := a*dd - b*c
			if det == 0 || math.IsNaN(det) {
				return nil, fmt.Errorf("step %d: singular lateral tangent", k)
			}
			d2 -= (dd*f2 - b*f3) / det
			d3 -= (-c*f2 + a*f3) / det
		}
		if !ok {
			return nil, fmt.Errorf("step %d: lateral stresses did not vanish in 30 Newton iterations", k)
		}
		s = r.State
		e1, e2, e3 = e, e2+d2, e3+d3
		out[k] = UniaxialPoint{Strain: e, Lateral: [2]float64{e2, e3}, Stress: r.Stress[0][0], State: s}
	}
	return out, nil
}

// UniaxialStress returns the true stress σ₁₁ (MPa) of monotonic uniaxial tension at
// the axial strains eps and temperature tK; a strain that would yield in compression
// is an error (Uniaxial drives any path). For this model (isotropic
// elasticity, J2 with isotropic hardening) the stress state stays uniaxial, the
// plastic strain is εᵖ = α·diag(1, −½, −½) and the response reduces exactly to
//
//	σ = E·ε                        while E·ε ≤ σ_y0,
//	σ = E·(ε − α),  E·(ε − α) = σ_y0 + κ(α)   otherwise,
//
// which Uniaxial reproduces step by step (tested). It is what fitting uses.
func (m *Model) UniaxialStress(eps []float64, tK float64) ([]float64, error) {
	for i, e := range eps {
		if math.IsNaN(e) || math.IsInf(e, 0) {
			return nil, fmt.Errorf("constitutive: strain %d is not finite", i)
		}
	}
	v, err := m.uniaxialGraph(eps, ad.Constant(ad.Full(tK, 1, 1)))
	if err != nil {
		return nil, err
	}
	return append([]float64{}, v.Value().Data...), nil
}

// uniaxialGraph is UniaxialStress as a graph value (n, 1) of the parameters.
func (m *Model) uniaxialGraph(eps []float64, t *ad.Var) (*ad.Var, error) {
	n := len(eps)
	p := m.props(t)
	E, Y := p.E.Item(), p.Y.Item()
	alpha := make([]float64, n)
	slope := make([]float64, n)
	var plastic []int
	for i, e := range eps {
		if E*e > Y {
			plastic = append(plastic, i)
		} else if E*e < -Y {
			return nil, fmt.Errorf("constitutive: strain %d (%g) yields in compression; the reduced tension form does not apply (use Uniaxial)", i, e)
		}
	}
	if len(plastic) > 0 {
		lo := make([]float64, len(plastic))
		hi := make([]float64, len(plastic))
		a := make([]float64, len(plastic))
		done := make([]bool, len(plastic))
		for j, i := range plastic {
			hi[j] = eps[i] - Y/E
			a[j] = 0.5 * hi[j]
		}
		converged := false
		for it := 0; it < 100; it++ {
			k, dk := m.kappaAndSlope(p, a)
			all := true
			for j, i := range plastic {
				r := E*(eps[i]-a[j]) - Y - k[j]
				slope[i] = -E - dk[j]
				// Converged when the residual is at rounding level of the terms
				// that make it up, or the bracket on α cannot shrink further.
				tol := 1e-11 * math.Max(Y, E*eps[i])
				if math.Abs(r) <= tol || hi[j]-lo[j] <= 4e-16*hi[j] {
					done[j] = true
					continue
				}
				done[j] = false
				all = false
				if r > 0 {
					lo[j] = a[j]
				} else {
					hi[j] = a[j]
				}
				next := a[j] - r/slope[i]
				if !(next > lo[j] && next < hi[j]) {
					next = 0.5 * (lo[j] + hi[j])
				}
				a[j] = next
			}
			if all {
				converged = true
				break
			}
		}
		if !converged {
			return nil, fmt.Errorf("constitutive: uniaxial plastic strain did not converge at T = %g K", t.Item())
		}
		for j, i := range plastic {
			alpha[i] = a[j]
		}
	}
	// Graph: α_g = α* − r(α*)/r'(α*) on plastic rows (implicit derivative), 0 elsewhere.
	ev := ad.Constant(ad.New(append([]float64{}, eps...), n, 1))
	as := ad.Constant(ad.New(alpha, n, 1))
	mask := make([]float64, n)
	inv := make([]float64, n)
	for _, i := range plastic {
		mask[i] = 1
		inv[i] = -1 / slope[i]
	}
	kg := m.kappa(p, as)
	r := ad.Sub(ad.Sub(ad.Mul(p.E, ad.Sub(ev, as)), p.Y), kg)
	ag := ad.Add(as, ad.Mul(r, ad.Constant(ad.New(inv, n, 1))))
	ag = ad.Mul(ag, ad.Constant(ad.New(mask, n, 1)))
	return ad.Mul(p.E, ad.Sub(ev, ag)), nil
}
