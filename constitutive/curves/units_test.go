package curves

import (
	"math"
	"strings"
	"testing"
)

func TestMPaPerKsi(t *testing.T) {
	// 1 ksi = 1000 lbf/in²; 1 lbf = 4.4482216152605 N (exact), 1 in = 0.0254 m (exact):
	// 1000·4.4482216152605/0.0254² Pa = 6.894757293168361 MPa.
	want := 1000 * 4.4482216152605 / (0.0254 * 0.0254) / 1e6
	if math.Abs(MPaPerKsi-want) > 1e-15 {
		t.Errorf("MPaPerKsi = %.16g, want %.16g", MPaPerKsi, want)
	}
	if math.Abs(MPaPerKsi-6.894757293168) > 1e-12 {
		t.Errorf("MPaPerKsi = %.16g, want 6.894757293168 (NIST SP 811)", MPaPerKsi)
	}
	// 46.20909827530732628 ksi (MatCal's UTS of CA-LT-01) = 318.6005… MPa by hand.
	if got := 46.20909827530732628 * MPaPerKsi; math.Abs(got-318.6004) > 1e-3 {
		t.Errorf("46.209 ksi = %.4f MPa, want 318.6004", got)
	}
}

func TestTemperatureConversions(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  float64
		want float64
	}{
		// Nominal MatCal state temperatures (shared data README): 533.07 R = 23 °C,
		// 671.67 R = 100 °C, 851.67 R = 200 °C.
		{"533.07 R", RankineToKelvin(533.07), 296.15},
		{"671.67 R", RankineToKelvin(671.67), 373.15},
		{"851.67 R", RankineToKelvin(851.67), 473.15},
		{"0 R", RankineToKelvin(0), 0},
		{"392 F", FahrenheitToKelvin(392), 473.15},
		{"-459.67 F", FahrenheitToKelvin(-459.67), 0},
		{"32 F", FahrenheitToKelvin(32), 273.15},
		{"200 C", CelsiusToKelvin(200), 473.15},
		{"473.15 K in C", KelvinToCelsius(473.15), 200},
	} {
		if math.Abs(tc.got-tc.want) > 1e-9 {
			t.Errorf("%s: got %.12g K, want %.12g", tc.name, tc.got, tc.want)
		}
	}
}

func TestParseTemperature(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    float64
		errPart string // non-empty: an error containing this is expected
	}{
		{"200C", 473.15, ""},
		{"473.15K", 473.15, ""},
		{"851.67R", 473.15, ""},
		{"392F", 473.15, ""},
		{"200 °C", 473.15, ""},
		{"200c", 473.15, ""},
		{" 23C ", 296.15, ""},
		{"-40C", 233.15, ""},
		{"-40F", 233.15, ""}, // −40 °F = −40 °C
		{"0K", 0, ""},
		{"1e3K", 1000, ""},
		{"200", 0, "has no unit"},
		{"", 0, "empty temperature"},
		{"C", 0, "has no number"},
		{"200X", 0, "unknown unit"},
		{"200 degC", 0, "unknown unit"},
		{"-300C", 0, "below absolute zero"},
		{"-1K", 0, "below absolute zero"},
		{"abcK", 0, "has no number"},
		{"1.2.3K", 0, "not a number"},
		{"1e308R", 0, "too large"},
	} {
		got, err := ParseTemperature(tc.in)
		if tc.errPart != "" {
			if err == nil || !strings.Contains(err.Error(), tc.errPart) {
				t.Errorf("ParseTemperature(%q) = %v, %v; want error containing %q", tc.in, got, err, tc.errPart)
			}
			continue
		}
		if err != nil || math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("ParseTemperature(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}
