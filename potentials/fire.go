package potentials

import (
	"fmt"
	"math"
)

// FIREOptions configure FIRE. The zero value of a field means its default, which
// for the five constants of the method are the values of Bitzek et al. (2006).
type FIREOptions struct {
	// DT is the initial time step in fs (default 1) and DTMax the largest
	// (default 10·DT, Bitzek et al.'s Δt_max ≈ 10·Δt_MD).
	DT, DTMax float64
	// MaxStep bounds the displacement of any atom in one step, Å (default 0.2).
	MaxStep float64
	// NMin is the number of steps with P = F·v > 0 before the time step may grow
	// (default 5); FInc (1.1) and FDec (0.5) grow and shrink it; AlphaStart (0.1)
	// is the initial mixing α and FAlpha (0.99) shrinks it.
	NMin                           int
	FInc, FDec, AlphaStart, FAlpha float64
	// Observe, if set, is called with the step number, the energy (eV) and the
	// largest atomic force (eV/Å) at every evaluated configuration, from step 0.
	Observe func(step int, energy, fmax float64)
}

func (o *FIREOptions) withDefaults() FIREOptions {
	var d FIREOptions
	if o != nil {
		d = *o
	}
	def := func(v *float64, x float64) {
		if *v == 0 {
			*v = x
		}
	}
	def(&d.DT, 1)
	def(&d.DTMax, 10*d.DT)
	def(&d.MaxStep, 0.2)
	def(&d.FInc, 1.1)
	def(&d.FDec, 0.5)
	def(&d.AlphaStart, 0.1)
	def(&d.FAlpha, 0.99)
	if d.NMin == 0 {
		d.NMin = 5
	}
	return d
}

// FIREResult is the outcome of FIRE.
type FIREResult struct {
	Steps     int     // steps taken (force evaluations after the first)
	Energy    float64 // eV, at the final positions
	FMax      float64 // largest atomic force |F_i| at the final positions, eV/Å
	Converged bool    // FMax < fmax
}

// FIRE relaxes the positions of s (modified in place; the cell is fixed) with the
// Fast Inertial Relaxation Engine of Bitzek, Koskinen, Gähler, Moseler & Gumbsch,
// Phys. Rev. Lett. 97, 170201 (2006), until the largest atomic force is below
// fmax (eV/Å) or maxSteps steps have been taken. Each step mixes the velocity
// towards the force, v ← (1−α)v + α|v|F̂ (norms over all 3N components); after
// more than NMin consecutive steps with power P = F·v > 0 the time step grows by
// FInc (up to DTMax) and α shrinks by FAlpha; when P ≤ 0 the velocities are
// zeroed, the step shrinks by FDec and α returns to AlphaStart. The dynamics is a
// semi-implicit Euler step v ← v + Δt·F/m, x ← x + Δt·v with the same mass
// m = 1 u for every atom (as in ASE's implementation, so light and heavy atoms
// relax alike), and no atom moves more than MaxStep per step. opt may be nil.
//
// FIRE returns an error for fmax ≤ 0, maxSteps < 0 or options out of range, if the
// calculator fails, and if it did not converge; in the last case the result
// describes the final positions, which s holds.
func FIRE(calc Calculator, s *Structure, fmax float64, maxSteps int, opt *FIREOptions) (FIREResult, error) {
	o := opt.withDefaults()
	switch {
	case !(fmax > 0) || math.IsInf(fmax, 1):
		return FIREResult{}, fmt.Errorf("FIRE: force tolerance fmax must be a positive number of eV/Å, got %g", fmax)
	case maxSteps < 0:
		return FIREResult{}, fmt.Errorf("FIRE: maximum number of steps %d is negative", maxSteps)
	case !(o.DT > 0) || !(o.DTMax >= o.DT) || !(o.MaxStep > 0) || o.NMin < 0 ||
		!(o.FInc >= 1) || !(o.FDec > 0 && o.FDec < 1) || !(o.AlphaStart > 0 && o.AlphaStart < 1) || !(o.FAlpha > 0 && o.FAlpha <= 1):
		return FIREResult{}, fmt.Errorf("FIRE: options out of range (need 0 < DT ≤ DTMax, MaxStep > 0, NMin ≥ 0, FInc ≥ 1, 0 < FDec < 1, 0 < AlphaStart < 1, 0 < FAlpha ≤ 1)")
	}
	r, err := calc.Compute(s)
	if err != nil {
		return FIREResult{}, err
	}
	res := FIREResult{Energy: r.Energy, FMax: maxForce(r.Forces)}
	observe := func() {
		if o.Observe != nil {
			o.Observe(res.Steps, res.Energy, res.FMax)
		}
	}
	observe()
	v := make([]float64, len(s.Positions))
	dt, alpha, positive := o.DT, o.AlphaStart, 0
	for res.FMax >= fmax && res.Steps < maxSteps {
		f := r.Forces
		var p, vv, ff float64
		for k := range v {
			p += f[k] * v[k]
			vv += v[k] * v[k]
			ff += f[k] * f[k]
		}
		if p > 0 {
			mix := alpha * math.Sqrt(vv/ff)
			for k := range v {
				v[k] = (1-alpha)*v[k] + mix*f[k]
			}
			if positive > o.NMin {
				dt = math.Min(dt*o.FInc, o.DTMax)
				alpha *= o.FAlpha
			}
			positive++
		} else {
			clear(v)
			dt *= o.FDec
			alpha = o.AlphaStart
			positive = 0
		}
		largest := 0.0
		for i := 0; i < s.Len(); i++ {
			d2 := 0.0
			for a := 0; a < 3; a++ {
				k := 3*i + a
				v[k] += dt * f[k] * AccelerationUnit // m = 1 u
				d2 += dt * v[k] * dt * v[k]
			}
			largest = math.Max(largest, math.Sqrt(d2))
		}
		scale := 1.0
		if largest > o.MaxStep {
			scale = o.MaxStep / largest
		}
		for k := range v {
			s.Positions[k] += scale * dt * v[k]
		}
		res.Steps++
		if r, err = calc.Compute(s); err != nil {
			return res, fmt.Errorf("FIRE step %d: %v", res.Steps, err)
		}
		res.Energy, res.FMax = r.Energy, maxForce(r.Forces)
		if math.IsNaN(res.Energy) || math.IsInf(res.Energy, 0) || math.IsNaN(res.FMax) {
			return res, fmt.Errorf("FIRE step %d: energy %v, largest force %v", res.Steps, res.Energy, res.FMax)
		}
		observe()
	}
	res.Converged = res.FMax < fmax
	if !res.Converged {
		return res, fmt.Errorf("FIRE did not converge in %d steps: largest force %.3g eV/Å, tolerance %.3g eV/Å", maxSteps, res.FMax, fmax)
	}
	return res, nil
}

// maxForce returns max_i |F_i| for forces N×3.
func maxForce(f []float64) float64 {
	m := 0.0
	for i := 0; i+2 < len(f); i += 3 {
		m = math.Max(m, math.Sqrt(f[i]*f[i]+f[i+1]*f[i+1]+f[i+2]*f[i+2]))
	}
	return m
}
