package curves

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const testdata = "../../testdata/constitutive"

// matcalMetrics reads row `row` (0-based, after the header) of a MatCal metrics file:
// yield, max strain, ultimate stress (ksi), strain at ultimate stress.
func matcalMetrics(t *testing.T, name string, row int) [4]float64 {
	t.Helper()
	f, err := os.Open(filepath.Join(testdata, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.TrimLeadingSpace = true
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out [4]float64
	for j := range out {
		out[j], err = strconv.ParseFloat(recs[row+1][j], 64)
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestReadMatCalRoomTemperature(t *testing.T) {
	c, err := ReadMatCalCSV(filepath.Join(testdata, "cleaned_CA-LT-01.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Specimen != "CA-LT-01" || c.Lab != "CA" || c.Direction != "LT" || c.SourceDirection != "R11" ||
		c.Measure != MeasureEngineeringToTrue || c.Source != "cleaned_CA-LT-01.csv" || c.Loading != Tension ||
		c.SourceStressUnit != "ksi" || c.SourceTemperatureUnit != "R" {
		t.Errorf("metadata wrong: %+v", c)
	}
	if c.Len() != 300 {
		t.Errorf("%d points, want 300", c.Len())
	}
	// State line: 533.0699999999999 R = 296.15 K (23 °C).
	if math.Abs(c.TemperatureK-296.15) > 1e-9 || !math.IsNaN(c.MeasuredTemperatureK) {
		t.Errorf("temperature %v K (measured %v), want 296.15 (none)", c.TemperatureK, c.MeasuredTemperatureK)
	}
	// First data row: s = 1.7500584609376507e-01 ksi, e = 1.28398619381187e-06.
	e0, s0 := 1.28398619381187e-06, 1.7500584609376507e-01*MPaPerKsi
	if math.Abs(c.Strain[0]-math.Log1p(e0)) > 1e-20 || math.Abs(c.Stress[0]-s0*(1+e0)) > 1e-13 {
		t.Errorf("first point (%v, %v), want (%v, %v)", c.Strain[0], c.Stress[0], math.Log1p(e0), s0*(1+e0))
	}
	// MatCal's own metrics for this specimen (row 1 of the CA LT metrics file):
	// ultimate stress and the engineering strain where it is reached.
	m := matcalMetrics(t, "LT_aluminum_AL_6061_tension_stress_metrics_CA.csv", 0)
	uts, iu := UTS(c)
	if math.Abs(uts-m[2]*MPaPerKsi) > 1e-9 {
		t.Errorf("UTS %.6f MPa, MatCal %.6f ksi = %.6f MPa", uts, m[2], m[2]*MPaPerKsi)
	}
	if got := math.Expm1(c.Strain[iu]); math.Abs(got-m[3]) > 1e-12 {
		t.Errorf("engineering strain at UTS %v, MatCal %v", got, m[3])
	}
	// The 0.2 % yield is computed independently of MatCal (our own modulus fit, on
	// true stress, which is about 0.5 % above engineering there): agree within 1.5 %.
	p, err := Prepare(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	y, ok := Yield02(p, p.ElasticModulus)
	if !ok || math.Abs(y-m[0]*MPaPerKsi)/(m[0]*MPaPerKsi) > 0.015 {
		t.Errorf("0.2 %% yield %v MPa (E %.0f), MatCal %.2f MPa", y, p.ElasticModulus, m[0]*MPaPerKsi)
	}
	if math.Abs(p.UltimateStrength-m[2]*MPaPerKsi) > 1e-9 {
		t.Errorf("UltimateStrength after Prepare %v, want %v", p.UltimateStrength, m[2]*MPaPerKsi)
	}
	if p.NeckingDropped != 300-1-iu || p.Len() != iu+1 {
		t.Errorf("necking dropped %d, kept %d; UTS at %d", p.NeckingDropped, p.Len(), iu)
	}
	// Apparent modulus of the CA LT specimen: the extensometer curve gives 65–80 GPa
	// for Al 6061 (handbook 68.9 GPa); a fit outside that range is a broken fit.
	if p.ElasticModulus < 65000 || p.ElasticModulus > 80000 {
		t.Errorf("E = %.0f MPa, outside 65–80 GPa", p.ElasticModulus)
	}
}

func TestReadMatCalPreload(t *testing.T) {
	c, err := ReadMatCalCSV(filepath.Join(testdata, "cleaned_NM-LT-03.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Lab != "NM" || c.Len() != 300 || c.Measure != MeasureEngineeringToTrue {
		t.Errorf("lab %q, %d points, measure %q", c.Lab, c.Len(), c.Measure)
	}
	// The README of the fixture: the test proper starts at data row 87 (stress
	// 1.6956864214722982 ksi, strain 1e-7) after elastic preload cycles.
	b := LoadingBranch(c)
	if b.LeadingDropped != 87 {
		t.Errorf("LeadingDropped = %d, want 87", b.LeadingDropped)
	}
	if want := 1.6956864214722982 * MPaPerKsi * (1 + 1e-7); math.Abs(b.Stress[0]-want) > 1e-12 {
		t.Errorf("branch starts at %v MPa, want %v", b.Stress[0], want)
	}
}

func TestReadMatCalHot(t *testing.T) {
	c, err := ReadMatCalCSV(filepath.Join(testdata, "cleaned_6061-02-06-200C-LT_first120.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Specimen != "6061-02-06-200C-LT_first120" || c.Lab != "" || c.Measure != MeasureTrue || c.Len() != 120 {
		t.Errorf("specimen %q, lab %q, measure %q, %d points", c.Specimen, c.Lab, c.Measure, c.Len())
	}
	if math.Abs(c.TemperatureK-473.15) > 1e-9 {
		t.Errorf("temperature %v K, want 473.15 (851.67 R)", c.TemperatureK)
	}
	// The true columns are used as they are: first row true_strain, true_stress.
	if c.Strain[0] != -5.8343367414965985e-05 || math.Abs(c.Stress[0]-0.05112903947425168*MPaPerKsi) > 1e-15 {
		t.Errorf("first point (%v, %v)", c.Strain[0], c.Stress[0])
	}
	// Mean thermocouple reading of the 120 rows: 395.56883110046317 °F (computed with
	// numpy) = 475.1327 K.
	if want := FahrenheitToKelvin(395.56883110046317); math.Abs(c.MeasuredTemperatureK-want) > 1e-9 {
		t.Errorf("measured temperature %v K, want %v", c.MeasuredTemperatureK, want)
	}
	// The engineering maximum is at data row 59 (README).
	if _, iu := UTS(c); iu != 59 {
		t.Errorf("UTS at row %d, want 59", iu)
	}
}

func TestReadMatCalErrors(t *testing.T) {
	const state = "{'temperature':533.07, 'direction':'R11' }\n"
	for _, tc := range []struct {
		name, text, errPart string
	}{
		{"empty", "", "file is empty"},
		{"badfirst", "temperature,533.07\nengineering_strain,engineering_stress\n0,0\n", ":1: state line \"temperature,533.07\" is not a Python dict such as {'temperature': 533.07, 'direction': 'R11'}: column 1: expected '{'"},
		{"blankfirst", "\nengineering_strain,engineering_stress\n0,0\n", ":1: state line is empty"},
		{"notemp", "{'direction':'R11'}\nengineering_strain,engineering_stress\n0,0\n", ":1: state line has no 'temperature'"},
		{"strtemp", "{'temperature':'hot'}\nengineering_strain,engineering_stress\n0,0\n", ":1: state temperature must be a number"},
		{"negtemp", "{'temperature':-3}\nengineering_strain,engineering_stress\n0,0\n", ":1: state temperature -3 R is not a positive"},
		{"direction", "{'temperature':533.07, 'direction':'R12'}\nengineering_strain,engineering_stress\n0,0\n", ":1: state direction \"R12\" is not R11 (LT)"},
		{"noheader", state, ":2: the file ends after the state line"},
		{"missingcol", state + "time,load,engineering_strain\n1,2,0.1\n", ":2: header \"time,load,engineering_strain\" lacks column engineering_stress"},
		{"missingboth", state + "time,load\n1,2\n", "lacks column engineering_strain and engineering_stress"},
		{"dupcol", state + "engineering_strain,engineering_stress,engineering_strain\n1,2,3\n", ":2: header names column \"engineering_strain\" twice"},
		{"nodata", state + "engineering_strain,engineering_stress\n", ":2: no data rows"},
		{"nonnumeric", state + "engineering_strain,engineering_stress\n0,0\n0.001,7\n0.002,abc\n", ":5: column \"engineering_stress\": \"abc\" is not a number"},
		{"emptycell", state + "engineering_strain,engineering_stress\n0,0\n,7\n", ":4: column \"engineering_strain\" is empty"},
		{"nan", state + "engineering_strain,engineering_stress\n0,nan\n", ":3: column \"engineering_stress\": nan is not a finite number"},
		{"fields", state + "engineering_strain,engineering_stress\n0,0\n0.1,2,3\n", ":4: 3 fields but the header has 2"},
		{"percent", state + "engineering_strain,engineering_stress\n0,0\n14.6,40\n", ":4: engineering_strain 14.6 is implausibly large"},
		{"huge", state + "engineering_strain,engineering_stress\n0,0\n0.1,1e308\n", ":4: engineering_stress 1e+308 ksi is too large"},
		{"minusone", state + "engineering_strain,engineering_stress\n-1,0\n", ":3: engineering strain -1 is not above −1"},
		{"quote", state + "engineering_strain,engineering_stress\n0,0\n1,\"2\n", ":4: "},
		{"unusedcell", state + "time,engineering_strain,engineering_stress\nx,0,0\n", ":3: column \"time\": \"x\" is not a number"},
	} {
		path := filepath.Join(t.TempDir(), tc.name+".csv")
		if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadMatCalCSV(path)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !strings.HasPrefix(err.Error(), path) || !strings.Contains(err.Error(), tc.errPart) {
			t.Errorf("%s: error %q, want it to start with the path and contain %q", tc.name, err, tc.errPart)
		}
	}
	if _, err := ReadMatCalCSV(filepath.Join(t.TempDir(), "missing.csv")); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("missing file: %v", err)
	}
}

func TestReadMatCalVariants(t *testing.T) {
	// CRLF line ends, a byte-order mark, double quotes, blank lines, spaces after
	// commas, and a direction spelled as the plate name.
	text := "\ufeff{\"temperature\": 671.67, \"direction\": \"ST\"}\r\nengineering_stress, engineering_strain\r\n\r\n10, 0.001\r\n20, 0.002\r\n"
	path := filepath.Join(t.TempDir(), "plain.csv")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := ReadMatCalCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Specimen != "plain" || c.Direction != "ST" || c.Len() != 2 || math.Abs(c.TemperatureK-373.15) > 1e-9 {
		t.Errorf("got %+v", c)
	}
	if math.Abs(c.Stress[1]-20*MPaPerKsi*1.002) > 1e-12 {
		t.Errorf("stress %v", c.Stress[1])
	}
}

// FuzzParseMatCal checks that no input makes the reader panic, and that what it
// accepts is a valid curve. The seeds run with every "go test".
func FuzzParseMatCal(f *testing.F) {
	for _, s := range []string{
		"{'temperature':533.07, 'direction':'R11' }\nengineering_strain,engineering_stress\n0,0\n0.01,40\n",
		"{'temperature':851.67}\ntrue_strain,true_stress,temperature\n0,0,395\n0.01,30,396\n",
		"{'temperature': [1, (2, {3: '4'})]}\n",
		"{'a': '\\\n",
		"\xef\xbb\xbf{}\r\n\"a\nb\",c\n",
		"{'temperature':1e308}\nengineering_strain,engineering_stress\n1e-300,1e308\n",
		"{'temperature':1e308}\nengineering_strain,engineering_stress\n0,00", // found by fuzzing: 1e308 R overflows in kelvin
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseMatCal("fuzz.csv", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if c.Len() == 0 || len(c.Strain) != len(c.Stress) {
			t.Fatalf("accepted a curve with %d strains, %d stresses", len(c.Strain), len(c.Stress))
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("accepted a curve that cannot be stored: %v", err)
		}
		p, _ := Prepare(c, nil)
		_, _ = Yield02(p, p.ElasticModulus)
		_, _ = Resample(c, 3)
	})
}
