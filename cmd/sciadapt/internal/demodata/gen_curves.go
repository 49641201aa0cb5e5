//go:build ignore

// gen_curves writes al6061.csv, the tension curves of "sciadapt demo --scenario
// constitutive": from a curves file imported from ../shared/data (sciadapt import
// matcal al6061_sandia/processed_data/*.csv --out al.h5), the LT curves at 23 °C and
// every curve at 200 °C, each thinned by index to at most maxPoints points (the
// elastic segment keeps its last point and its midpoint, so ElasticLimitIndex stays
// meaningful). One line per point: specimen, temperature K, direction, elastic limit
// index, true strain, true stress MPa (printed with %.6g: 6 significant digits).
//
//	go run gen_curves.go al.h5 > al6061.csv
package main

import (
	"fmt"
	"math"
	"os"

	"github.com/sciadapt/sciadapt/constitutive/curves"
)

const maxPoints = 30

func thin(c curves.Curve) curves.Curve {
	n := c.Len()
	if n <= maxPoints {
		return c
	}
	keep := map[int]bool{}
	for j := 0; j < maxPoints; j++ {
		keep[int(math.Round(float64(j)*float64(n-1)/float64(maxPoints-1)))] = true
	}
	if c.ElasticLimitIndex >= 0 {
		keep[c.ElasticLimitIndex] = true
		keep[c.ElasticLimitIndex/2] = true
	}
	out := c
	out.Strain, out.Stress = nil, nil
	out.ElasticLimitIndex = -1
	for i := 0; i < n; i++ {
		if !keep[i] {
			continue
		}
		if i == c.ElasticLimitIndex {
			out.ElasticLimitIndex = len(out.Strain)
		}
		out.Strain = append(out.Strain, c.Strain[i])
		out.Stress = append(out.Stress, c.Stress[i])
	}
	return out
}

func main() {
	all, err := curves.Read(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var out []curves.Curve
	for _, c := range all {
		t := curves.KelvinToCelsius(c.TemperatureK)
		switch {
		case math.Abs(t-23) < 2 && c.Direction == "LT":
		case math.Abs(t-200) < 2:
		default:
			continue
		}
		out = append(out, thin(c))
	}
	fmt.Println("specimen,temperature_K,direction,elastic_limit_index,true_strain,true_stress_MPa")
	for _, c := range out {
		for i := range c.Strain {
			fmt.Printf("%s,%.2f,%s,%d,%.6g,%.6g\n", c.Specimen, c.TemperatureK, c.Direction, c.ElasticLimitIndex, c.Strain[i], c.Stress[i])
		}
	}
}
