package curves

import (
	"errors"
	"fmt"
	"math"
)

// ToTrue converts engineering strain e and engineering stress s (any stress unit) to
// true strain ε = ln(1+e) and true stress σ = s·(1+e), which hold for uniform
// deformation at constant volume, that is before necking. Points with e ≤ −1 give
// NaN. It panics if the lengths of engStrain and engStress differ.
func ToTrue(engStrain, engStress []float64) (strain, stress []float64) {
	if len(engStrain) != len(engStress) {
		panic("curves: ToTrue: strain and stress lengths differ")
	}
	strain = make([]float64, len(engStrain))
	stress = make([]float64, len(engStrain))
	for i, e := range engStrain {
		if e <= -1 {
			strain[i], stress[i] = math.NaN(), math.NaN()
			continue
		}
		strain[i] = math.Log1p(e)
		stress[i] = engStress[i] * (1 + e)
	}
	return strain, stress
}

// sign returns +1 for a tension curve and −1 for a compression curve, so that
// sign·value is the magnitude in the loading direction.
func sign(c Curve) float64 {
	if c.Loading == Compression {
		return -1
	}
	return 1
}

// UTS returns the ultimate tensile strength of a tension curve in MPa and the index
// of the point where it is reached. The UTS is the engineering (nominal) strength,
// the maximum load over the original area: from a true curve, at constant volume,
// s = σ·exp(−ε), and UTS = max s. At that point (Considère's criterion) necking
// begins. A compression curve or an empty curve gives NaN and −1; the first of equal
// maxima is returned.
func UTS(c Curve) (uts float64, index int) {
	if c.Loading == Compression || len(c.Stress) == 0 {
		return math.NaN(), -1
	}
	index = -1
	uts = math.Inf(-1)
	for i := range c.Stress {
		s := c.Stress[i] * math.Exp(-c.Strain[i])
		if s > uts {
			uts, index = s, i
		}
	}
	return uts, index
}

// peakIndex is the index of the maximum load: the UTS point in tension, the point of
// largest stress magnitude in compression; −1 for an empty curve.
func peakIndex(c Curve) int {
	if c.Loading != Compression {
		_, i := UTS(c)
		return i
	}
	best, idx := math.Inf(-1), -1
	for i, s := range c.Stress {
		if -s > best {
			best, idx = -s, i
		}
	}
	return idx
}

// Settings of LoadingBranch, as fractions of the peak stress.
const (
	// UnloadFraction is the fall of stress that LoadingBranch takes as an
	// unloading: smaller dips are noise.
	UnloadFraction = 0.05
	// ValleyFraction is the band above the lowest stress within which the points
	// at the start of the branch are taken as still unloaded.
	ValleyFraction = 0.005
)

// LoadingBranch returns c without the points before its final loading branch, and
// sets LeadingDropped to their number. Test machines often record preload cycles
// (loading to a small stress and unloading, sometimes several times) or a long
// zero-load stretch before the test proper. The final loading branch is the longest
// stretch ending at the peak load in which the stress never falls by more than
// UnloadFraction of the peak below a value it had earlier in the stretch. It starts
// at its point of lowest stress, moved on past the following points whose stress
// stays within ValleyFraction of the peak above that lowest stress (a flat stretch
// at zero load). The returned curve has its own data slices.
func LoadingBranch(c Curve) Curve {
	out := c.clone()
	p := peakIndex(c)
	if p < 0 {
		return out
	}
	s := sign(c)
	tol := UnloadFraction * s * c.Stress[p]
	if !(tol > 0) {
		return out
	}
	// Walk back from the peak: a point higher than the minimum of the points after it
	// by more than tol is the end of an earlier cycle.
	lo := s * c.Stress[p]
	start := 0
	for k := p - 1; k >= 0; k-- {
		v := s * c.Stress[k]
		if v > lo+tol {
			start = k + 1
			break
		}
		lo = math.Min(lo, v)
	}
	// Begin at the lowest point of the branch (the valley before loading), or at the
	// end of a flat stretch of zero load that follows it.
	minI := start
	for k := start; k <= p; k++ {
		if s*c.Stress[k] < s*c.Stress[minI] {
			minI = k
		}
	}
	floor := s*c.Stress[minI] + ValleyFraction*s*c.Stress[p]
	for minI < p && s*c.Stress[minI+1] <= floor {
		minI++
	}
	out.Strain = out.Strain[minI:]
	out.Stress = out.Stress[minI:]
	out.LeadingDropped = c.LeadingDropped + minI
	if out.ElasticLimitIndex >= 0 {
		out.ElasticLimitIndex -= minI
		if out.ElasticLimitIndex < 0 {
			out.ElasticLimitIndex = -1
			out.ElasticModulus = math.NaN()
		}
	}
	return out
}

// DropAfterUTS returns a tension curve cut at its ultimate tensile strength (see
// UTS), with the number of points removed. After the UTS the specimen necks: strain
// and stress are no longer uniform over the gauge length and the conversion from
// engineering values (ToTrue) no longer holds. NeckingStrain is set to the true
// strain at the UTS, UltimateStrength to the UTS and NeckingDropped to the count.
// If the maximum is the last point, nothing is dropped and NeckingStrain and
// UltimateStrength are NaN: the data end before necking.
// A compression curve does not neck; it is returned unchanged with 0. The returned
// curve has its own data slices.
func DropAfterUTS(c Curve) (Curve, int) {
	out := c.clone()
	uts, i := UTS(c)
	if i < 0 || i == len(c.Strain)-1 {
		if c.Loading != Compression {
			out.NeckingStrain = math.NaN()
			out.UltimateStrength = math.NaN()
			out.NeckingDropped = 0
		}
		return out, 0
	}
	dropped := len(c.Strain) - 1 - i
	out.Strain = out.Strain[:i+1]
	out.Stress = out.Stress[:i+1]
	out.NeckingStrain = c.Strain[i]
	out.UltimateStrength = uts
	out.NeckingDropped = dropped
	return out, dropped
}

// Settings of the elastic fit; see FitElasticLine.
const (
	// ElasticMinPoints is the fewest points an elastic segment may have.
	ElasticMinPoints = 5
	// ElasticToeFraction is the fraction of the peak stress below which the first
	// points (toe region: seating of grips and extensometer, slack) are left out of
	// the fit.
	ElasticToeFraction = 0.10
)

// elasticR2Thresholds are the smallest coefficients of determination accepted for
// the elastic segment, tried in order: the first at which some segment qualifies is
// used. Curves with few, noisy points in the elastic range reach 0.998 but not 0.999.
var elasticR2Thresholds = [...]float64{0.999, 0.998, 0.995}

// ElasticFit is the straight line σ = Modulus·ε + Intercept fitted to the elastic
// segment First..Last (inclusive indices) of a curve, in the loading direction's
// magnitudes.
type ElasticFit struct {
	Modulus   float64 // MPa
	Intercept float64 // MPa
	R2        float64 // coefficient of determination of the fit
	MinR2     float64 // the threshold it passed: 0.999, 0.998 or 0.995
	First     int
	Last      int
}

// ZeroStressStrain returns the strain at which the fitted line has zero stress,
// −Intercept/Modulus: the toe correction of ASTM E8/E646.
func (f ElasticFit) ZeroStressStrain() float64 { return -f.Intercept / f.Modulus }

// errNoElastic is returned when no initial segment is linear enough.
var errNoElastic = errors.New("no initial segment is linear")

// FitElasticLine fits the elastic part of c by least squares.
//
// The segment starts at the first point whose stress reaches ElasticToeFraction of
// the peak stress (the toe below it is seating of grips and extensometer, not
// material response). Its end is the largest index k, no later than the peak, such
// that the straight-line fit over the segment has at least ElasticMinPoints points,
// a positive slope and R² ≥ 0.999. Lengthening the segment into the plastic range
// bends it and R² falls, so the longest passing segment ends near the proportional
// limit. If no segment passes 0.999, the thresholds 0.998 and then 0.995 are tried
// (MinR2 tells which one was used; measured curves with only five to eight points in
// the elastic range need it). R² still tolerates a few points past the proportional
// limit, which would bias the modulus low (by about 1 % on a bilinear curve sampled
// every 0.01 % strain), so the segment is then trimmed: while its last point lies
// below the fitted line by more than twice the RMS residual, that point is removed
// and the line refitted. The fit returned is that of the final segment.
//
// For a compression curve the fit is made on magnitudes and the modulus is positive.
// It returns an error when no segment passes even 0.995.
func FitElasticLine(c Curve) (ElasticFit, error) {
	p := peakIndex(c)
	if p < 0 {
		return ElasticFit{}, fmt.Errorf("specimen %q: %w: the curve is empty", c.Specimen, errNoElastic)
	}
	s := sign(c)
	peak := s * c.Stress[p]
	a := 0
	for a < p && s*c.Stress[a] < ElasticToeFraction*peak {
		a++
	}
	// fits[k-a] is the fit of a..k; computed once with running sums.
	type seg struct{ slope, icept, r2 float64 }
	var (
		fits                  []seg
		sx, sy, sxx, syy, sxy float64
		n                     float64
	)
	for k := a; k <= p; k++ {
		x, y := s*c.Strain[k], s*c.Stress[k]
		n++
		sx += x
		sy += y
		sxx += x * x
		syy += y * y
		sxy += x * y
		vx := sxx - sx*sx/n
		vy := syy - sy*sy/n
		cxy := sxy - sx*sy/n
		f := seg{r2: math.NaN()}
		if int(n) >= ElasticMinPoints && vx > 0 && vy > 0 && cxy > 0 {
			f.slope = cxy / vx
			f.icept = (sy - f.slope*sx) / n
			f.r2 = cxy * cxy / (vx * vy)
		}
		fits = append(fits, f)
	}
	for _, thr := range elasticR2Thresholds {
		for j := len(fits) - 1; j >= 0; j-- {
			if fits[j].r2 >= thr {
				return trimElastic(c, a, a+j, thr, peak), nil
			}
		}
	}
	return ElasticFit{}, fmt.Errorf("specimen %q: %w: no run of %d or more points from %.3g MPa up to the peak fits a straight line with R² ≥ %v",
		c.Specimen, errNoElastic, ElasticMinPoints, ElasticToeFraction*peak, elasticR2Thresholds[len(elasticR2Thresholds)-1])
}

// trimElastic refines the segment first..last that passed the R² threshold minR2:
// while the last point lies below the fitted line by more than twice the RMS
// residual (the start of curvature), it is removed and the line refitted.
func trimElastic(c Curve, first, last int, minR2, peak float64) ElasticFit {
	s := sign(c)
	floor := 1e-9 * peak
	for {
		var sx, sy, sxx, syy, sxy, n float64
		for k := first; k <= last; k++ {
			x, y := s*c.Strain[k], s*c.Stress[k]
			n++
			sx += x
			sy += y
			sxx += x * x
			syy += y * y
			sxy += x * y
		}
		vx, vy, cxy := sxx-sx*sx/n, syy-sy*sy/n, sxy-sx*sy/n
		f := ElasticFit{Modulus: cxy / vx, R2: cxy * cxy / (vx * vy), MinR2: minR2, First: first, Last: last}
		f.Intercept = (sy - f.Modulus*sx) / n
		if last-first+1 <= ElasticMinPoints || !(f.Modulus > 0) {
			return f
		}
		var ss float64
		for k := first; k <= last; k++ {
			r := s*c.Stress[k] - (f.Modulus*s*c.Strain[k] + f.Intercept)
			ss += r * r
		}
		rms := math.Sqrt(ss / n)
		rLast := s*c.Stress[last] - (f.Modulus*s*c.Strain[last] + f.Intercept)
		if rLast >= -math.Max(2*rms, floor) {
			return f
		}
		last--
	}
}

// FitElastic returns the elastic modulus E of c in MPa and the index of the last
// point of the elastic segment, found as FitElasticLine describes. When no segment
// qualifies it returns NaN and −1.
func FitElastic(c Curve) (E float64, lastIndex int) {
	f, err := FitElasticLine(c)
	if err != nil {
		return math.NaN(), -1
	}
	return f.Modulus, f.Last
}

// YieldOffset is the plastic strain offset of the conventional yield strength (0.2 %).
const YieldOffset = 0.002

// Yield02 returns the 0.2 % offset yield strength of c in MPa: the stress where the
// curve first crosses the line σ = E·(ε − 0.002), interpolated linearly between the
// two points that bracket the crossing. The line passes through the origin, so c
// should be toe-compensated (Prepare does it). For a compression curve the result is
// a magnitude. ok is false if E is not positive or the curve never crosses the line.
func Yield02(c Curve, E float64) (yield float64, ok bool) {
	if !(E > 0) || math.IsInf(E, 0) {
		return math.NaN(), false
	}
	s := sign(c)
	prev := math.NaN()
	for i := range c.Stress {
		x, y := s*c.Strain[i], s*c.Stress[i]
		f := y - E*(x-YieldOffset)
		if f <= 0 && prev > 0 {
			yp := s * c.Stress[i-1]
			t := prev / (prev - f)
			return yp + t*(y-yp), true
		}
		prev = f
	}
	return math.NaN(), false
}

// PrepareOptions changes what Prepare does; the zero value (and nil) is the default.
type PrepareOptions struct {
	// KeepAfterUTS keeps the points after the ultimate tensile strength. They are
	// not uniform deformation, so their true stress is an estimate; NeckingStrain
	// still marks where necking began. At 200 °C, 6061-T6 reaches its maximum load
	// within 0.5–2.5 % strain and then softens slowly, so cutting there leaves
	// little plastic flow.
	KeepAfterUTS bool
}

// Prepare processes a measured tension curve as a materials engineer would before
// using it: it keeps the final loading branch (LoadingBranch), cuts the data after the
// ultimate tensile strength (DropAfterUTS; see PrepareOptions), fits the elastic part
// (FitElasticLine) and shifts all strains by the fitted line's zero-stress strain so
// that the elastic line passes through the origin (toe compensation as in ASTM E8 and
// E646; ToeStrain records the shift and NeckingStrain moves with the data; the
// UltimateStrength found before the shift is kept, as the shift changes σ·exp(−ε)
// by a factor exp(ToeStrain)).
// If no elastic segment is found the curve is returned with ElasticModulus NaN and
// ElasticLimitIndex −1, unshifted, together with the fit's error; the other steps are
// done. A compression curve is returned unchanged apart from a copy of its data:
// flow curves from hot compression have no resolved elastic part and do not neck.
// opts may be nil.
func Prepare(c Curve, opts *PrepareOptions) (Curve, error) {
	if opts == nil {
		opts = &PrepareOptions{}
	}
	if c.Loading == Compression {
		return c.clone(), nil
	}
	out := LoadingBranch(c)
	if opts.KeepAfterUTS {
		uts, i := UTS(out)
		out.NeckingStrain, out.UltimateStrength = math.NaN(), math.NaN()
		if i >= 0 && i < out.Len()-1 {
			out.NeckingStrain, out.UltimateStrength = out.Strain[i], uts
		}
		out.NeckingDropped = 0
	} else {
		out, _ = DropAfterUTS(out)
	}
	out.ElasticModulus = math.NaN()
	out.ElasticLimitIndex = -1
	fit, err := FitElasticLine(out)
	if err != nil {
		return out, err
	}
	out.ElasticModulus = fit.Modulus
	out.ElasticLimitIndex = fit.Last
	out.ElasticFitR2 = fit.R2
	e0 := fit.ZeroStressStrain()
	for i := range out.Strain {
		out.Strain[i] -= e0
	}
	out.ToeStrain += e0
	if !math.IsNaN(out.NeckingStrain) {
		out.NeckingStrain -= e0
	}
	return out, nil
}

// Resample returns c interpolated linearly onto n strains evenly spaced from its
// first to its largest strain. Measured strain jitters at small increments and may
// step back; only the points that raise the largest strain reached so far are used,
// so the interpolation is well defined. For a compression curve the grid runs in the
// loading direction (to the most negative strain). It returns an error if fewer than
// two such points exist. ElasticLimitIndex of the result is −1. It panics if n < 2.
func Resample(c Curve, n int) (Curve, error) {
	if n < 2 {
		panic("curves: Resample: n < 2")
	}
	s := sign(c)
	var xs, ys []float64
	for i := range c.Strain {
		x := s * c.Strain[i]
		if len(xs) == 0 || x > xs[len(xs)-1] {
			xs = append(xs, x)
			ys = append(ys, s*c.Stress[i])
		}
	}
	if len(xs) < 2 {
		return Curve{}, fmt.Errorf("specimen %q: cannot resample: strain never increases", c.Specimen)
	}
	out := c
	out.Strain = make([]float64, n)
	out.Stress = make([]float64, n)
	lo, hi := xs[0], xs[len(xs)-1]
	j := 0
	for i := 0; i < n; i++ {
		x := lo + (hi-lo)*float64(i)/float64(n-1)
		if i == n-1 {
			x = hi
		}
		for j < len(xs)-2 && xs[j+1] < x {
			j++
		}
		t := (x - xs[j]) / (xs[j+1] - xs[j])
		out.Strain[i] = s * x
		out.Stress[i] = s * (ys[j] + t*(ys[j+1]-ys[j]))
	}
	out.ElasticLimitIndex = -1 // indices no longer refer to the same points
	return out, nil
}
