package curves

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// TemperatureTolerance is how far, in K, a curve's nominal temperature may lie
// from a requested one and still count as "at" it.
const TemperatureTolerance = 2.0

// At returns the curves of cs within TemperatureTolerance of tK, sorted by
// specimen name, or an error listing the temperatures present (in °C).
func At(cs []Curve, tK float64) ([]Curve, error) {
	var at []Curve
	seen := map[float64]bool{}
	var temps []float64
	for _, c := range cs {
		if math.Abs(c.TemperatureK-tK) <= TemperatureTolerance {
			at = append(at, c)
		}
		t := math.Round(KelvinToCelsius(c.TemperatureK)*10) / 10
		if !seen[t] {
			seen[t] = true
			temps = append(temps, t)
		}
	}
	if len(at) == 0 {
		sort.Float64s(temps)
		s := make([]string, len(temps))
		for i, t := range temps {
			s[i] = fmt.Sprintf("%gC", t)
		}
		return nil, fmt.Errorf("no curve at %g °C (%.2f K); there are curves at %s", KelvinToCelsius(tK), tK, strings.Join(s, ", "))
	}
	sort.Slice(at, func(i, j int) bool { return at[i].Specimen < at[j].Specimen })
	return at, nil
}
