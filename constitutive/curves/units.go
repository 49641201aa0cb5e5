package curves

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// MPaPerKsi is the number of megapascals in one ksi (1000 lbf/in²), exact from the
// definitions 1 lbf = 4.4482216152605 N and 1 in = 0.0254 m.
const MPaPerKsi = 6.894757293168361

// Temperature conversions to kelvin. All are exact.

// CelsiusToKelvin returns the temperature t (°C) in kelvin: t + 273.15.
func CelsiusToKelvin(t float64) float64 { return t + 273.15 }

// RankineToKelvin returns the temperature t (°R) in kelvin: t·5/9.
func RankineToKelvin(t float64) float64 { return t * 5 / 9 }

// FahrenheitToKelvin returns the temperature t (°F) in kelvin: (t + 459.67)·5/9.
func FahrenheitToKelvin(t float64) float64 { return (t + 459.67) * 5 / 9 }

// KelvinToCelsius returns the temperature t (K) in °C: t − 273.15.
func KelvinToCelsius(t float64) float64 { return t - 273.15 }

// ParseTemperature parses a temperature written with its unit and returns it in
// kelvin. The number may be followed by optional spaces, an optional degree sign and
// one of the units C (Celsius), K (kelvin), R (Rankine) or F (Fahrenheit), in either
// case: "200C", "473.15K", "851.67R", "392F", "200 °C" all give 473.15 K.
// A number without a unit, an unknown unit, a non-finite number and a temperature
// below absolute zero are errors.
func ParseTemperature(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("empty temperature: write it with a unit, as 200C, 473.15K, 851.67R or 392F")
	}
	// Split at the last character that can belong to a number.
	end := len(t)
	for end > 0 {
		r := rune(t[end-1])
		if unicode.IsDigit(r) || r == '.' {
			break
		}
		end--
	}
	num := strings.TrimSpace(t[:end])
	unit := strings.TrimSpace(t[end:])
	unit = strings.TrimPrefix(unit, "°")
	unit = strings.TrimPrefix(unit, "º") // masculine ordinal, often typed for a degree sign
	unit = strings.TrimSpace(unit)
	if num == "" {
		return 0, fmt.Errorf("temperature %q has no number: write it as 200C, 473.15K, 851.67R or 392F", s)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, fmt.Errorf("temperature %q: %q is not a number", s, num)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("temperature %q is not finite", s)
	}
	var k float64
	switch strings.ToUpper(unit) {
	case "C":
		k = CelsiusToKelvin(v)
	case "K":
		k = v
	case "R":
		k = RankineToKelvin(v)
	case "F":
		k = FahrenheitToKelvin(v)
	case "":
		return 0, fmt.Errorf("temperature %q has no unit: write %sC, %sK, %sR or %sF", s, num, num, num, num)
	default:
		return 0, fmt.Errorf("temperature %q has unknown unit %q: use C, K, R or F (as 200C, 473.15K, 851.67R, 392F)", s, unit)
	}
	if k < 0 {
		return 0, fmt.Errorf("temperature %q is below absolute zero (%.6g K)", s, k)
	}
	if math.IsInf(k, 0) {
		return 0, fmt.Errorf("temperature %q is too large", s)
	}
	return k, nil
}
