package curves

import (
	"fmt"
	"math"
)

// Values of Curve.Measure.
const (
	// MeasureTrue marks a curve whose source already gave true strain and true stress.
	MeasureTrue = "true"
	// MeasureEngineeringToTrue marks a curve converted from engineering values with
	// ε = ln(1+e), σ = s·(1+e) (see ToTrue).
	MeasureEngineeringToTrue = "engineering converted to true"
)

// Values of Curve.Loading.
const (
	Tension     = "tension"
	Compression = "compression"
)

// Curve is one measured uniaxial stress–strain curve of one specimen at one
// temperature.
//
// Strain and Stress have equal length n ≥ 1. Strain is true (logarithmic) strain,
// dimensionless; Stress is true (Cauchy) stress in MPa. Both are signed with tension
// positive, so a compression test holds negative values (see Loading).
//
// Fields after Stress describe where the curve came from and what processing found;
// a NaN float or a −1 index means "not known" or "not done".
type Curve struct {
	// Specimen names the specimen; it is the HDF5 group name, so it must be
	// non-empty and must not contain '/' or '.' alone.
	Specimen string
	// TemperatureK is the nominal test temperature in kelvin.
	TemperatureK float64
	// Direction is the loading direction in the plate: "LT", "RD", "ST" or "".
	Direction string
	// Strain is the true strain (dimensionless), shape (n).
	Strain []float64
	// Stress is the true stress in MPa, shape (n).
	Stress []float64
	// StrainRate is the nominal true strain rate magnitude in 1/s, 0 if not known.
	StrainRate float64
	// Loading is Tension or Compression.
	Loading string
	// Source is the base name of the file the curve was read from.
	Source string
	// Lab is the testing laboratory as named by the source, or "".
	Lab string
	// SourceStressUnit and SourceTemperatureUnit are the units of the source file
	// ("ksi", "MPa"; "R", "C").
	SourceStressUnit      string
	SourceTemperatureUnit string
	// SourceDirection is the direction label exactly as the source wrote it
	// ("R11"), or "".
	SourceDirection string
	// Measure is MeasureTrue or MeasureEngineeringToTrue.
	Measure string
	// MeasuredTemperatureK is the mean of a thermocouple column in kelvin, NaN if the
	// source has none.
	MeasuredTemperatureK float64

	// LeadingDropped is the number of points removed before the final loading
	// branch (preload cycles, zero-load toe); see LoadingBranch.
	LeadingDropped int
	// NeckingStrain is the true strain at the ultimate tensile strength, where
	// necking begins and after which DropAfterUTS removed the data; NaN if the data
	// were not cut there (not processed, or the curve ends before its maximum load).
	NeckingStrain float64
	// NeckingDropped is the number of points that DropAfterUTS removed.
	NeckingDropped int
	// UltimateStrength is the ultimate tensile strength in MPa (engineering, see
	// UTS) as found where NeckingStrain was set, before any strain shift; NaN if the
	// curve ends before its maximum load or was not processed.
	UltimateStrength float64
	// ToeStrain is the strain that toe compensation subtracted from every point so
	// that the fitted elastic line passes through the origin; 0 if none.
	ToeStrain float64
	// ElasticModulus is the slope of the fitted elastic line in MPa, NaN if not fitted.
	ElasticModulus float64
	// ElasticLimitIndex is the index of the last point of the fitted elastic segment,
	// −1 if not fitted.
	ElasticLimitIndex int
	// ElasticFitR2 is the coefficient of determination of the elastic fit, NaN if
	// not fitted.
	ElasticFitR2 float64
}

// NewCurve returns a curve with the given identity and data and every processing
// field set to "not done" (NaN and −1). Strain and stress are used, not copied.
func NewCurve(specimen string, temperatureK float64, strain, stress []float64) Curve {
	return Curve{
		Specimen:             specimen,
		TemperatureK:         temperatureK,
		Strain:               strain,
		Stress:               stress,
		Loading:              Tension,
		Measure:              MeasureTrue,
		MeasuredTemperatureK: math.NaN(),
		NeckingStrain:        math.NaN(),
		UltimateStrength:     math.NaN(),
		ElasticModulus:       math.NaN(),
		ElasticLimitIndex:    -1,
		ElasticFitR2:         math.NaN(),
	}
}

// Len returns the number of points of c.
func (c Curve) Len() int { return len(c.Strain) }

// clone returns c with its own copies of Strain and Stress.
func (c Curve) clone() Curve {
	c.Strain = append([]float64(nil), c.Strain...)
	c.Stress = append([]float64(nil), c.Stress...)
	return c
}

// Validate reports the first problem that makes c unfit to store: an empty or
// unusable specimen name, unequal or empty data, a non-finite value, a non-positive
// temperature or an unknown loading, direction or measure.
func (c Curve) Validate() error {
	if err := checkSpecimenName(c.Specimen); err != nil {
		return err
	}
	if len(c.Strain) != len(c.Stress) {
		return fmt.Errorf("specimen %q: %d strains but %d stresses", c.Specimen, len(c.Strain), len(c.Stress))
	}
	if len(c.Strain) == 0 {
		return fmt.Errorf("specimen %q: no data points", c.Specimen)
	}
	for i := range c.Strain {
		if !finite(c.Strain[i]) || !finite(c.Stress[i]) {
			return fmt.Errorf("specimen %q: point %d is not finite (strain %v, stress %v)", c.Specimen, i, c.Strain[i], c.Stress[i])
		}
	}
	if !(c.TemperatureK > 0) || math.IsInf(c.TemperatureK, 0) {
		return fmt.Errorf("specimen %q: temperature %v K is not a positive finite number", c.Specimen, c.TemperatureK)
	}
	if c.StrainRate < 0 || !finite(c.StrainRate) {
		return fmt.Errorf("specimen %q: strain rate %v 1/s is not a finite non-negative number", c.Specimen, c.StrainRate)
	}
	switch c.Loading {
	case Tension, Compression:
	default:
		return fmt.Errorf("specimen %q: loading %q is not %q or %q", c.Specimen, c.Loading, Tension, Compression)
	}
	switch c.Direction {
	case "", "LT", "RD", "ST":
	default:
		return fmt.Errorf("specimen %q: direction %q is not LT, RD, ST or empty", c.Specimen, c.Direction)
	}
	switch c.Measure {
	case MeasureTrue, MeasureEngineeringToTrue:
	default:
		return fmt.Errorf("specimen %q: measure %q is not %q or %q", c.Specimen, c.Measure, MeasureTrue, MeasureEngineeringToTrue)
	}
	if c.ElasticLimitIndex >= len(c.Strain) {
		return fmt.Errorf("specimen %q: elastic limit index %d is past the last point %d", c.Specimen, c.ElasticLimitIndex, len(c.Strain)-1)
	}
	return nil
}

func checkSpecimenName(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("specimen name is empty")
	case s == "." || s == "..":
		return fmt.Errorf("specimen name %q is not allowed", s)
	}
	for _, r := range s {
		if r == '/' || r < ' ' {
			return fmt.Errorf("specimen name %q contains %q, which an HDF5 group name cannot hold", s, r)
		}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
