package curves

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/sciadapt/sciadapt/internal/h5io"
)

// Format and Version identify the HDF5 layout written by Write (see the package
// documentation).
const (
	Format  = "sciadapt-curves"
	Version = 1
)

// Write stores curves in a new HDF5 file at path in the "sciadapt-curves" layout,
// one group per curve named by its Specimen. The file is written atomically: on any
// error nothing is left at path. Every curve is checked with Validate first, and two
// curves with the same Specimen are an error. The root "source" attribute names the
// source files of the curves.
func Write(path string, curves []Curve) error {
	seen := make(map[string]string, len(curves))
	var sources []string
	for _, c := range curves {
		if err := c.Validate(); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if prev, dup := seen[c.Specimen]; dup {
			return fmt.Errorf("%s: two curves are named %q (from %s and %s); specimen names must be unique", path, c.Specimen, prev, c.Source)
		}
		seen[c.Specimen] = c.Source
		if c.Source != "" && (len(sources) == 0 || sources[len(sources)-1] != c.Source) {
			sources = append(sources, c.Source)
		}
	}
	return h5io.WriteAtomic(path, func(f *h5io.File) error {
		root := f.Root()
		for _, a := range []struct{ k, v string }{
			{"format", Format},
			{"stress_unit", "MPa"},
			{"temperature_unit", "K"},
			{"strain", "true (logarithmic), dimensionless"},
			{"stress", "true (Cauchy)"},
			{"sign_convention", "tension positive"},
			{"source", strings.Join(sources, ", ")},
		} {
			if err := root.WriteStringAttr(a.k, a.v); err != nil {
				return err
			}
		}
		if err := root.WriteIntAttr("version", Version); err != nil {
			return err
		}
		for _, c := range curves {
			if err := writeCurve(root, c); err != nil {
				return err
			}
		}
		return nil
	})
}

func writeCurve(root *h5io.Group, c Curve) error {
	g, err := root.CreateGroup(c.Specimen)
	if err != nil {
		return err
	}
	defer g.Close()
	if err := g.WriteFloat64("strain", c.Strain); err != nil {
		return err
	}
	if err := g.WriteFloat64("stress", c.Stress); err != nil {
		return err
	}
	strs := []struct{ k, v string }{
		{"specimen", c.Specimen},
		{"direction", c.Direction},
		{"loading", c.Loading},
		{"lab", c.Lab},
		{"source_file", c.Source},
		{"source_stress_unit", c.SourceStressUnit},
		{"source_temperature_unit", c.SourceTemperatureUnit},
		{"source_direction", c.SourceDirection},
		{"measure", c.Measure},
		{"processing", processingNote(c)},
	}
	for _, a := range strs {
		if err := g.WriteStringAttr(a.k, a.v); err != nil {
			return err
		}
	}
	floats := []struct {
		k string
		v float64
	}{
		{"temperature_K", c.TemperatureK},
		{"strain_rate_per_s", c.StrainRate},
		{"toe_strain", c.ToeStrain},
		{"measured_temperature_K", c.MeasuredTemperatureK},
		{"necking_strain", c.NeckingStrain},
		{"ultimate_strength_MPa", c.UltimateStrength},
		{"elastic_modulus_MPa", c.ElasticModulus},
		{"elastic_fit_r2", c.ElasticFitR2},
	}
	for _, a := range floats {
		if math.IsNaN(a.v) || (a.k == "strain_rate_per_s" && a.v == 0) {
			continue // absent means not known / not done
		}
		if err := g.WriteFloatAttr(a.k, a.v); err != nil {
			return err
		}
	}
	ints := []struct {
		k string
		v int
	}{
		{"leading_points_dropped", c.LeadingDropped},
		{"necking_points_dropped", c.NeckingDropped},
		{"elastic_limit_index", c.ElasticLimitIndex},
	}
	for _, a := range ints {
		if a.v < 0 {
			continue
		}
		if err := g.WriteIntAttr(a.k, int64(a.v)); err != nil {
			return err
		}
	}
	return nil
}

// processingNote says in words what was done to c, for people reading the file.
func processingNote(c Curve) string {
	var parts []string
	if c.Measure == MeasureEngineeringToTrue {
		parts = append(parts, "engineering strain and stress converted to true")
	}
	if c.LeadingDropped > 0 {
		parts = append(parts, fmt.Sprintf("%d points before the final loading branch dropped", c.LeadingDropped))
	}
	switch {
	case c.NeckingDropped > 0:
		parts = append(parts, fmt.Sprintf("%d points after the ultimate tensile strength (necking from true strain %.4g) dropped", c.NeckingDropped, c.NeckingStrain))
	case !math.IsNaN(c.NeckingStrain):
		parts = append(parts, fmt.Sprintf("necking begins at true strain %.4g; later points kept", c.NeckingStrain))
	}
	if !math.IsNaN(c.ElasticModulus) {
		parts = append(parts, fmt.Sprintf("elastic part fitted to points up to index %d (E = %.0f MPa, R² = %.4f)", c.ElasticLimitIndex, c.ElasticModulus, c.ElasticFitR2))
	}
	if c.ToeStrain != 0 {
		parts = append(parts, fmt.Sprintf("strain shifted by %.3g (toe compensation)", -c.ToeStrain))
	}
	if len(parts) == 0 {
		return "as measured"
	}
	return strings.Join(parts, "; ")
}

// Read reads every curve of an HDF5 file in the "sciadapt-curves" layout, in the byte
// order of their group names. A file of another format or version, with units other
// than MPa and K, or with a curve that does not pass Validate, is an error naming the
// file and the group.
func Read(path string) ([]Curve, error) {
	f, err := h5io.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	root := f.Root()
	if !root.HasAttr("format") {
		return nil, fmt.Errorf("%s: no \"format\" attribute: not a %s file (import measured curves with \"sciadapt import matcal\" or \"sciadapt import gleeble\")", path, Format)
	}
	format, err := root.ReadStringAttr("format")
	if err != nil {
		return nil, err
	}
	if format != Format {
		return nil, fmt.Errorf("%s: format is %q, want %q", path, format, Format)
	}
	version, err := root.ReadIntAttr("version")
	if err != nil {
		return nil, err
	}
	if version != Version {
		return nil, fmt.Errorf("%s: %s version %d; this sciadapt reads version %d", path, Format, version, Version)
	}
	for _, u := range []struct{ k, want string }{{"stress_unit", "MPa"}, {"temperature_unit", "K"}} {
		v, err := root.ReadStringAttr(u.k)
		if err != nil {
			return nil, err
		}
		if v != u.want {
			return nil, fmt.Errorf("%s: %s is %q; a %s file holds %s", path, u.k, v, Format, u.want)
		}
	}
	names, err := root.Groups()
	if err != nil {
		return nil, err
	}
	curves := make([]Curve, 0, len(names))
	for _, name := range names {
		c, err := readCurve(root, name)
		if err != nil {
			return nil, err
		}
		curves = append(curves, c)
	}
	return curves, nil
}

func readCurve(root *h5io.Group, name string) (Curve, error) {
	g, err := root.OpenGroup(name)
	if err != nil {
		return Curve{}, err
	}
	defer g.Close()
	strain, sh, err := g.ReadFloat64("strain")
	if err != nil {
		return Curve{}, err
	}
	if len(sh) != 1 {
		return Curve{}, g.Errorf("strain has shape %v, want (n)", sh)
	}
	stress, sh2, err := g.ReadFloat64("stress")
	if err != nil {
		return Curve{}, err
	}
	if len(sh2) != 1 || sh2[0] != sh[0] {
		return Curve{}, g.Errorf("stress has shape %v but strain (%d)", sh2, sh[0])
	}
	c := NewCurve(name, 0, strain, stress)
	str := func(k string, dst *string) error {
		if !g.HasAttr(k) {
			return nil
		}
		v, err := g.ReadStringAttr(k)
		*dst = v
		return err
	}
	flt := func(k string, dst *float64, required bool) error {
		if !g.HasAttr(k) {
			if required {
				return g.Errorf("attribute %q is missing", k)
			}
			return nil
		}
		v, err := g.ReadFloatAttr(k)
		*dst = v
		return err
	}
	num := func(k string, dst *int) error {
		if !g.HasAttr(k) {
			return nil
		}
		v, err := g.ReadIntAttr(k)
		*dst = int(v)
		return err
	}
	var ignored string
	for _, err := range []error{
		flt("temperature_K", &c.TemperatureK, true),
		str("specimen", &ignored),
		str("direction", &c.Direction),
		str("loading", &c.Loading),
		str("lab", &c.Lab),
		str("source_file", &c.Source),
		str("source_stress_unit", &c.SourceStressUnit),
		str("source_temperature_unit", &c.SourceTemperatureUnit),
		str("source_direction", &c.SourceDirection),
		str("measure", &c.Measure),
		flt("strain_rate_per_s", &c.StrainRate, false),
		flt("toe_strain", &c.ToeStrain, false),
		flt("measured_temperature_K", &c.MeasuredTemperatureK, false),
		flt("necking_strain", &c.NeckingStrain, false),
		flt("ultimate_strength_MPa", &c.UltimateStrength, false),
		flt("elastic_modulus_MPa", &c.ElasticModulus, false),
		flt("elastic_fit_r2", &c.ElasticFitR2, false),
		num("leading_points_dropped", &c.LeadingDropped),
		num("necking_points_dropped", &c.NeckingDropped),
		num("elastic_limit_index", &c.ElasticLimitIndex),
	} {
		if err != nil {
			return Curve{}, err
		}
	}
	if err := c.Validate(); err != nil {
		return Curve{}, g.Errorf("%v", err)
	}
	return c, nil
}

// Columns of the Gleeble table.
const gleebleColumns = 4

// ReadGleeble reads the hot-compression flow curves of a Gleeble HDF5 file from its
// dataset "all"; see ReadGleebleDataset.
func ReadGleeble(path string) ([]Curve, error) { return ReadGleebleDataset(path, "all") }

// ReadGleebleDataset reads the flow curves of a Gleeble hot-compression HDF5 file
// (as published with Tize Mha et al., Metals 13:633, 2023) from the named dataset of
// shape (N, 4) with columns true strain, strain rate (1/s), temperature (°C) and flow
// stress (MPa), strain and stress as positive magnitudes in compression. Consecutive
// rows with the same temperature and strain rate form one curve, named like
// "T1050C_rate0.001" ("_2", "_3" … are added if the same pair comes back later in the
// table). The curves have Loading Compression, so strain and stress are negative
// (tension positive), TemperatureK = T + 273.15 and StrainRate the table's rate.
// Malformed data (wrong shape, non-finite values, non-positive rate, temperature
// below absolute zero) are errors naming the file, the dataset and the row.
func ReadGleebleDataset(path, dataset string) ([]Curve, error) {
	f, err := h5io.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, shape, err := f.Root().ReadFloat64(dataset)
	if err != nil {
		return nil, err
	}
	if len(shape) != 2 || shape[1] != gleebleColumns {
		return nil, fmt.Errorf("%s: dataset %q has shape %v, want (N, 4): strain, strain rate (1/s), temperature (°C), flow stress (MPa)", path, dataset, shape)
	}
	return gleebleCurves(fmt.Sprintf("%s: dataset %q", path, dataset), filepath.Base(path), data, shape[0])
}

// gleebleCurves splits a row-major (n, 4) Gleeble table into curves; where names
// the table in errors and source is stored as Curve.Source.
func gleebleCurves(where, source string, data []float64, n int) ([]Curve, error) {
	if n == 0 {
		return nil, fmt.Errorf("%s: no rows", where)
	}
	var (
		curves []Curve
		count  = map[string]int{}
	)
	for i := 0; i < n; i++ {
		row := data[i*gleebleColumns : (i+1)*gleebleColumns]
		eps, rate, tC, sig := row[0], row[1], row[2], row[3]
		for j, v := range row {
			if !finite(v) {
				return nil, fmt.Errorf("%s: row %d: column %d (%s) is %v", where, i, j, [...]string{"strain", "strain rate", "temperature", "flow stress"}[j], v)
			}
		}
		if !(rate > 0) {
			return nil, fmt.Errorf("%s: row %d: strain rate %v 1/s is not positive", where, i, rate)
		}
		if tC <= -273.15 {
			return nil, fmt.Errorf("%s: row %d: temperature %v °C is below absolute zero", where, i, tC)
		}
		if len(curves) > 0 {
			last := &curves[len(curves)-1]
			if last.StrainRate == rate && last.TemperatureK == CelsiusToKelvin(tC) {
				last.Strain = append(last.Strain, 0-eps) // 0−x: no −0 for a zero
				last.Stress = append(last.Stress, 0-sig)
				continue
			}
		}
		name := fmt.Sprintf("T%gC_rate%g", tC, rate)
		count[name]++
		if k := count[name]; k > 1 {
			name = fmt.Sprintf("%s_%d", name, k)
		}
		c := NewCurve(name, CelsiusToKelvin(tC), []float64{0 - eps}, []float64{0 - sig})
		c.Loading = Compression
		c.StrainRate = rate
		c.Source = source
		c.SourceStressUnit = "MPa"
		c.SourceTemperatureUnit = "C"
		c.Measure = MeasureTrue
		curves = append(curves, c)
	}
	return curves, nil
}
