package curves

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/internal/h5io"
)

// sameFloat reports whether a and b are equal bit for bit or both NaN.
func sameFloat(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || (math.IsNaN(a) && math.IsNaN(b))
}

func curvesEqual(t *testing.T, got, want Curve) {
	t.Helper()
	if !reflect.DeepEqual(got.Strain, want.Strain) || !reflect.DeepEqual(got.Stress, want.Stress) {
		t.Errorf("%s: data differ after the round trip", want.Specimen)
	}
	g, w := got, want
	g.Strain, g.Stress, w.Strain, w.Stress = nil, nil, nil, nil
	floats := [][2]float64{
		{g.TemperatureK, w.TemperatureK}, {g.StrainRate, w.StrainRate},
		{g.MeasuredTemperatureK, w.MeasuredTemperatureK}, {g.NeckingStrain, w.NeckingStrain}, {g.UltimateStrength, w.UltimateStrength},
		{g.ToeStrain, w.ToeStrain}, {g.ElasticModulus, w.ElasticModulus}, {g.ElasticFitR2, w.ElasticFitR2},
	}
	for i, f := range floats {
		if !sameFloat(f[0], f[1]) {
			t.Errorf("%s: float field %d is %v, want %v", w.Specimen, i, f[0], f[1])
		}
	}
	g.TemperatureK, g.StrainRate, g.MeasuredTemperatureK, g.NeckingStrain, g.UltimateStrength, g.ToeStrain, g.ElasticModulus, g.ElasticFitR2 = 0, 0, 0, 0, 0, 0, 0, 0
	w.TemperatureK, w.StrainRate, w.MeasuredTemperatureK, w.NeckingStrain, w.UltimateStrength, w.ToeStrain, w.ElasticModulus, w.ElasticFitR2 = 0, 0, 0, 0, 0, 0, 0, 0
	if !reflect.DeepEqual(g, w) {
		t.Errorf("round trip changed the curve:\n got %+v\nwant %+v", g, w)
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	var want []Curve
	for _, f := range []string{"cleaned_CA-LT-01.csv", "cleaned_NM-LT-03.csv", "cleaned_6061-02-06-200C-LT_first120.csv"} {
		c, err := ReadMatCalCSV(filepath.Join(testdata, f))
		if err != nil {
			t.Fatal(err)
		}
		p, err := Prepare(c, nil)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, p)
	}
	raw, err := ReadMatCalCSV(filepath.Join(testdata, "cleaned_CA-LT-01.csv"))
	if err != nil {
		t.Fatal(err)
	}
	raw.Specimen = "CA-LT-01 raw" // unprocessed: NaN and −1 fields
	want = append(want, raw)
	gl, err := ReadGleeble(filepath.Join(testdata, "gleeble_subset.h5"))
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, gl[0])

	path := filepath.Join(t.TempDir(), "AL6061.h5")
	if err := Write(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("read %d curves, wrote %d", len(got), len(want))
	}
	byName := map[string]Curve{}
	for _, c := range got {
		byName[c.Specimen] = c
	}
	for _, w := range want {
		curvesEqual(t, byName[w.Specimen], w)
	}
	// Read returns groups in byte order of their names.
	for i := 1; i < len(got); i++ {
		if got[i-1].Specimen >= got[i].Specimen {
			t.Errorf("order: %q before %q", got[i-1].Specimen, got[i].Specimen)
		}
	}

	// Root attributes say the units.
	f, err := h5io.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for k, v := range map[string]string{"format": "sciadapt-curves", "stress_unit": "MPa", "temperature_unit": "K"} {
		if s, err := f.Root().ReadStringAttr(k); err != nil || s != v {
			t.Errorf("root attribute %s = %q, %v; want %q", k, s, err, v)
		}
	}
	g, err := f.Root().OpenGroup("CA-LT-01")
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if s, _ := g.ReadStringAttr("processing"); !strings.Contains(s, "115 points after the ultimate tensile strength (necking from true strain") {
		t.Errorf("processing note %q does not say what was dropped", s)
	}
}

func TestWriteRefuses(t *testing.T) {
	dir := t.TempDir()
	a := NewCurve("A", 296.15, []float64{0, 0.001}, []float64{0, 70})
	for _, tc := range []struct {
		name    string
		curves  []Curve
		errPart string
	}{
		{"dup", []Curve{a, a}, `two curves are named "A"`},
		{"nan", []Curve{NewCurve("B", 296.15, []float64{0, math.NaN()}, []float64{0, 1})}, "point 1 is not finite"},
		{"len", []Curve{NewCurve("B", 296.15, []float64{0}, []float64{0, 1})}, "1 strains but 2 stresses"},
		{"slash", []Curve{NewCurve("a/b", 296.15, []float64{0}, []float64{0})}, "contains '/'"},
		{"temp", []Curve{NewCurve("B", 0, []float64{0}, []float64{0})}, "temperature 0 K"},
		{"empty", []Curve{NewCurve("B", 296.15, nil, nil)}, "no data points"},
	} {
		path := filepath.Join(dir, tc.name+".h5")
		err := Write(path, tc.curves)
		if err == nil || !strings.Contains(err.Error(), tc.errPart) || !strings.HasPrefix(err.Error(), path) {
			t.Errorf("%s: error %v, want one naming the file and containing %q", tc.name, err, tc.errPart)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("%s: a file was left behind", tc.name)
		}
	}
}

func TestReadRefuses(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, fill func(r *h5io.Group) error) string {
		path := filepath.Join(dir, name)
		if err := h5io.WriteAtomic(path, func(f *h5io.File) error { return fill(f.Root()) }); err != nil {
			t.Fatal(err)
		}
		return path
	}
	header := func(r *h5io.Group, format string, version int64, stressUnit string) error {
		if err := r.WriteStringAttr("format", format); err != nil {
			return err
		}
		if err := r.WriteIntAttr("version", version); err != nil {
			return err
		}
		if err := r.WriteStringAttr("stress_unit", stressUnit); err != nil {
			return err
		}
		return r.WriteStringAttr("temperature_unit", "K")
	}
	text := filepath.Join(dir, "notes.h5")
	os.WriteFile(text, []byte("not hdf5 at all"), 0o644)
	for _, tc := range []struct {
		path, errPart string
	}{
		{text, "not an HDF5 file"},
		{filepath.Join(testdata, "gleeble_subset.h5"), `no "format" attribute: not a sciadapt-curves file`},
		{write("atoms.h5", func(r *h5io.Group) error { return header(r, "sciadapt-atoms", 1, "MPa") }), `format is "sciadapt-atoms"`},
		{write("v2.h5", func(r *h5io.Group) error { return header(r, Format, 2, "MPa") }), "version 2"},
		{write("ksi.h5", func(r *h5io.Group) error { return header(r, Format, 1, "ksi") }), `stress_unit is "ksi"`},
		{write("shape.h5", func(r *h5io.Group) error {
			if err := header(r, Format, 1, "MPa"); err != nil {
				return err
			}
			g, err := r.CreateGroup("S1")
			if err != nil {
				return err
			}
			defer g.Close()
			if err := g.WriteFloat64("strain", []float64{0, 1, 2}); err != nil {
				return err
			}
			return g.WriteFloat64("stress", []float64{0, 1})
		}), `group "S1": stress has shape [2] but strain (3)`},
		{write("notemp.h5", func(r *h5io.Group) error {
			if err := header(r, Format, 1, "MPa"); err != nil {
				return err
			}
			g, err := r.CreateGroup("S1")
			if err != nil {
				return err
			}
			defer g.Close()
			if err := g.WriteFloat64("strain", []float64{0, 1}); err != nil {
				return err
			}
			return g.WriteFloat64("stress", []float64{0, 1})
		}), `group "S1": attribute "temperature_K" is missing`},
		{write("nostress.h5", func(r *h5io.Group) error {
			if err := header(r, Format, 1, "MPa"); err != nil {
				return err
			}
			g, err := r.CreateGroup("S1")
			if err != nil {
				return err
			}
			defer g.Close()
			return g.WriteFloat64("strain", []float64{0, 1})
		}), `group "S1": dataset "stress" is missing`},
	} {
		_, err := Read(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.errPart) || !strings.HasPrefix(err.Error(), tc.path) {
			t.Errorf("Read(%s): %v; want an error naming the file and containing %q", filepath.Base(tc.path), err, tc.errPart)
		}
	}
}

func TestReadGleeble(t *testing.T) {
	path := filepath.Join(testdata, "gleeble_subset.h5")
	cs, err := ReadGleeble(path)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"T1050C_rate0.001", "T1050C_rate5", "T1250C_rate0.001", "T1250C_rate5"}
	if len(cs) != len(names) {
		t.Fatalf("%d curves, want %d", len(cs), len(names))
	}
	for i, c := range cs {
		if c.Specimen != names[i] || c.Len() != 36 || c.Loading != Compression || c.Measure != MeasureTrue ||
			c.SourceStressUnit != "MPa" || c.SourceTemperatureUnit != "C" || c.Source != "gleeble_subset.h5" {
			t.Errorf("curve %d: %s, %d points, %s, %s", i, c.Specimen, c.Len(), c.Loading, c.Measure)
		}
		if err := c.Validate(); err != nil {
			t.Error(err)
		}
	}
	// Values from the source (h5py): first row 0, 0.001, 1050, 11.75833; the second
	// point of the 5 /s curve is strain 0.02, 75.32761 MPa; last row of the table is
	// 0.7, 5, 1250, 83.27345.
	c := cs[0]
	if c.TemperatureK != 1323.15 || c.StrainRate != 0.001 || c.Strain[0] != 0 || math.Signbit(c.Strain[0]) || c.Stress[0] != -11.75833 {
		t.Errorf("first curve: T %v K, rate %v, first point (%v, %v)", c.TemperatureK, c.StrainRate, c.Strain[0], c.Stress[0])
	}
	if cs[1].Strain[1] != -0.02 || cs[1].Stress[1] != -75.32761 {
		t.Errorf("second curve point 1 = (%v, %v), want (−0.02, −75.32761)", cs[1].Strain[1], cs[1].Stress[1])
	}
	last := cs[3]
	if last.TemperatureK != 1523.15 || last.StrainRate != 5 || last.Strain[35] != -0.7 || last.Stress[35] != -83.27345 {
		t.Errorf("last curve: T %v, rate %v, last point (%v, %v)", last.TemperatureK, last.StrainRate, last.Strain[35], last.Stress[35])
	}
	short, err := ReadGleebleDataset(path, "short")
	if err != nil || len(short) != 1 || short[0].Len() != 9 {
		t.Errorf("dataset short: %d curves, %v", len(short), err)
	}
}

func TestReadGleebleErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []float64, shape ...int) string {
		path := filepath.Join(dir, name)
		err := h5io.WriteAtomic(path, func(f *h5io.File) error { return f.Root().WriteFloat64("all", data, shape...) })
		if err != nil {
			t.Fatal(err)
		}
		return path
	}
	for _, tc := range []struct {
		path, errPart string
	}{
		{write("three.h5", make([]float64, 6), 2, 3), `dataset "all" has shape [2 3], want (N, 4)`},
		{write("nan.h5", []float64{0, 1, 1000, 10, 0.1, 1, 1000, math.NaN()}, 2, 4), `dataset "all": row 1: column 3 (flow stress) is NaN`},
		{write("rate.h5", []float64{0, 0, 1000, 10}, 1, 4), `dataset "all": row 0: strain rate 0 1/s is not positive`},
		{write("cold.h5", []float64{0, 1, -300, 10}, 1, 4), `row 0: temperature -300 °C is below absolute zero`},
		{write("empty.h5", nil, 0, 4), `dataset "all": no rows`},
		{filepath.Join(dir, "absent.h5"), "no such file"},
	} {
		_, err := ReadGleeble(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.errPart) || !strings.HasPrefix(err.Error(), tc.path) {
			t.Errorf("ReadGleeble(%s): %v; want an error naming the file and containing %q", filepath.Base(tc.path), err, tc.errPart)
		}
	}
	if _, err := ReadGleebleDataset(filepath.Join(testdata, "gleeble_subset.h5"), "long"); err == nil || !strings.Contains(err.Error(), `dataset "long" is missing`) {
		t.Errorf("missing dataset: %v", err)
	}
	// A (T, rate) pair that comes back later is a second test, not part of the first.
	rep := write("repeat.h5", []float64{
		0, 1, 1000, 10,
		0.1, 1, 1000, 20,
		0, 1, 1100, 5,
		0, 1, 1000, 11,
	}, 4, 4)
	cs, err := ReadGleeble(rep)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cs {
		got = append(got, c.Specimen)
	}
	if want := []string{"T1000C_rate1", "T1100C_rate1", "T1000C_rate1_2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("specimens %v, want %v", got, want)
	}
}
