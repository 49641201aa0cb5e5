package curves

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseTemperature checks that a parsed temperature is finite and not below
// absolute zero, and that writing it back in kelvin parses to the same value.
func FuzzParseTemperature(f *testing.F) {
	for _, s := range []string{"200C", "473.15K", "851.67R", "392F", "200 °C", "-40F", "0K", "1e308R", "NaN", "200furlong", "", "°", "1e-400K", "0x10K", "Inf K", "_1K"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseTemperature(s)
		if err != nil {
			if strings.Contains(err.Error(), "%!") {
				t.Fatalf("garbled message: %v", err)
			}
			return
		}
		if math.IsNaN(k) || math.IsInf(k, 0) || k < 0 {
			t.Fatalf("%q parsed to %v K", s, k)
		}
		back, err := ParseTemperature(strconv.FormatFloat(k, 'g', -1, 64) + "K")
		if err != nil || back != k {
			t.Fatalf("%q → %v K does not parse back: %v, %v", s, k, back, err)
		}
	})
}

// FuzzGleebleCurves feeds a Gleeble table of fuzzed float64 values (the bytes read
// 8 at a time, little-endian, four columns) to gleebleCurves: no panic, errors name
// the table, and accepted curves are consistent, finite and above absolute zero.
func FuzzGleebleCurves(f *testing.F) {
	row := func(v ...float64) []byte {
		var b []byte
		for _, x := range v {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
		}
		return b
	}
	f.Add(row(0, 0.001, 1050, 0, 0.01, 0.001, 1050, 80, 0, 1, 950, 0))
	f.Add(row(0, 0, 1050, 0))
	f.Add(row(0, 0.1, -300, 0))
	f.Add(row(math.NaN(), 0.1, 20, 0))
	f.Add(row(0, 0.1, 20, 0, 0.1, 0.1, 20, 5, 0, 0.1, 20, 0))
	f.Fuzz(func(t *testing.T, b []byte) {
		n := len(b) / 32
		data := make([]float64, 4*n)
		for i := range data {
			data[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		}
		cs, err := gleebleCurves(`g.h5: dataset "all"`, "g.h5", data, n)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "g.h5") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		total := 0
		for _, c := range cs {
			total += c.Len()
			if len(c.Strain) != len(c.Stress) || c.Len() == 0 {
				t.Fatalf("curve %s: %d strains, %d stresses", c.Specimen, len(c.Strain), len(c.Stress))
			}
			if !(c.TemperatureK > 0) || math.IsInf(c.TemperatureK, 0) || !(c.StrainRate > 0) {
				t.Fatalf("curve %s: T = %v K, rate %v", c.Specimen, c.TemperatureK, c.StrainRate)
			}
			for i := range c.Strain {
				if !finite(c.Strain[i]) || !finite(c.Stress[i]) {
					t.Fatalf("curve %s point %d: %v, %v", c.Specimen, i, c.Strain[i], c.Stress[i])
				}
			}
		}
		if total != n {
			t.Fatalf("%d rows became %d points", n, total)
		}
	})
}
