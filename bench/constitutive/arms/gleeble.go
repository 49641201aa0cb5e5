package main

import (
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/sciadapt/sciadapt/constitutive"
	"github.com/sciadapt/sciadapt/constitutive/curves"
)

// gleebleMain runs the arms on the Gleeble hot-compression flow curves of a medium
// carbon steel, scored on held-out curves as for the aluminium. There is one
// specimen per temperature and strain rate, and the model is rate-independent,
// so the curves of the different strain rates at one temperature play the part
// of the aluminium's specimens: the base is fitted at 1050 °C to the curves of
// every rate in rates; at each target temperature, the curve of each rate in turn
// supplies the K points and every arm is scored on the curves of the OTHER rates
// at that temperature. The floor is their scatter (each curve against the mean of
// the others): a rate-independent model can at best predict the mean. Compression
// curves are fitted as |σ| against |ε|: small-strain J2 with isotropic hardening
// responds symmetrically in tension and compression.
func gleebleMain(path string, rates, targets []float64, ks []int, iters int) {
	all, err := curves.Read(path)
	if err != nil {
		log.Fatal(err)
	}
	at := func(tC float64) []curves.Curve {
		var out []curves.Curve
		for _, rate := range rates {
			c, ok := findCurve(all, tC, rate)
			if !ok {
				log.Fatalf("%s: no %g °C curve at %g /s", path, tC, rate)
			}
			out = append(out, c)
		}
		return out
	}
	basePath := gleebleBase(at(1050), iters)
	var rows []row
	var scatter []map[string]any
	for _, tC := range targets {
		cs := at(tC)
		T := fmt.Sprintf("%gC", tC)
		sc, err := constitutive.Scatter(cs)
		if err != nil {
			log.Fatal(err)
		}
		scatter = append(scatter, map[string]any{"temperature": T, "stress_rmse_mpa": sc.RMSE, "stress_nrmse": sc.NRMSE, "specimens": len(cs)})
		for _, k := range ks {
			for si, src := range cs {
				others := append(append([]curves.Curve{}, cs[:si]...), cs[si+1:]...)
				rows = append(rows, gleebleRuns(basePath, T, k, si, src, others, iters)...)
			}
		}
	}
	printGleebleTable(rows, scatter)
}

// findCurve returns the curve at tC and rate, as the equivalent tension curve.
func findCurve(all []curves.Curve, tC, rate float64) (curves.Curve, bool) {
	for _, c := range all {
		if math.Abs(curves.KelvinToCelsius(c.TemperatureK)-tC) < 1 && math.Abs(c.StrainRate-rate) < 1e-9 {
			return asTension(c), true
		}
	}
	return curves.Curve{}, false
}

// gleebleBase fits the base to the 1050 °C curves and saves it in a temporary
// file, whose path it returns.
func gleebleBase(cs []curves.Curve, iters int) string {
	base, err := constitutive.New(constitutive.Config{BaseTemperatureK: cs[0].TemperatureK, Seed: 1,
		ModulusRefMPa: 100000, YieldRefMPa: 100, HardeningRefMPa: 50})
	if err != nil {
		log.Fatal(err)
	}
	fit, err := base.Fit(cs, &constitutive.FitOptions{MaxIterations: iters, MaxPointsPerCurve: 100})
	if err != nil {
		log.Fatalf("base at 1050 °C: %v", err)
	}
	ev, _ := base.Evaluate(cs)
	sc, _ := constitutive.Scatter(cs)
	fmt.Printf("base at 1050 C: %d curves (one per strain rate), stress RMSE %.2f MPa (NRMSE %.4f), L-BFGS converged %v; scatter %.2f MPa\n",
		len(cs), ev.RMSE, ev.NRMSE, fit.Converged, sc.RMSE)
	dir, err := os.MkdirTemp("", "gleeble-arms-")
	if err != nil {
		log.Fatal(err)
	}
	p := filepath.Join(dir, "base.model")
	if err := base.Save(p); err != nil {
		log.Fatal(err)
	}
	return p
}

// gleebleRuns trains every arm on K points of src and scores it on others.
func gleebleRuns(basePath, T string, k, si int, src curves.Curve, others []curves.Curve, iters int) []row {
	idx, err := constitutive.SelectPoints(src, k)
	if err != nil {
		log.Fatal(err)
	}
	eps, sig := make([]float64, len(idx)), make([]float64, len(idx))
	for j, i := range idx {
		eps[j], sig[j] = src.Strain[i], src.Stress[i]
	}
	arms, err := runArms(basePath, eps, sig, src.TemperatureK, iters, uint64(si+1), filmSettings{})
	if err != nil {
		log.Fatal(err)
	}
	var rows []row
	for _, a := range arms {
		if a.name == "johnson-cook" { // published parameters are for 6061-T6 only
			continue
		}
		if a.failed != nil {
			log.Printf("%s %s K=%d %s failed: %v", T, src.Specimen, k, a.name, a.failed)
			rows = append(rows, row{Temperature: T, K: k, Source: src.Specimen, Arm: a.name, Failed: a.failed.Error()})
			continue
		}
		s, err := evaluate(a.pred, others)
		if err != nil {
			log.Fatal(err)
		}
		rows = append(rows, row{Temperature: T, K: k, Source: src.Specimen, Arm: a.name, Trained: a.trained, RMSE: s.RMSE,
			NRMSE: s.NRMSE, EErr: math.NaN(), YieldErr: math.NaN(), UTSErr: math.NaN(), Points: s.points, IterationLimit: a.limit})
	}
	return rows
}

// printGleebleTable prints the Gleeble rows as printTable does, without the
// elastic and strength columns (hot compression curves have no usable elastic
// part).
func printGleebleTable(rows []row, scatter []map[string]any) {
	for _, s := range scatter {
		fmt.Printf("scatter at %s: %.2f MPa (NRMSE %.4f) over %d curves (strain rates)\n", s["temperature"], s["stress_rmse_mpa"], s["stress_nrmse"], s["specimens"])
	}
	fmt.Println("| T | K | arm | runs (source rates) | failed | L-BFGS at its limit | stress RMSE MPa on the other rates, median of all runs (a failed run counts as worst) | mean ± sd (min–max) over the runs that did not fail | NRMSE | trained |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|")
	for _, g := range groupRows(rows, func(r row) string { return r.Temperature }) {
		ok, failed, limit := split(g.rows)
		if len(ok) == 0 {
			fmt.Printf("| %s | %d | %s | %d | %d | | all failed | | | |\n", g.T, g.K, g.Arm, len(g.rows), failed)
			continue
		}
		st := stats(ok)
		nr := 0.0
		for _, r := range ok {
			nr += r.NRMSE
		}
		fmt.Printf("| %s | %d | %s | %d | %d | %d | %s | %.2f ± %.2f (%.2f–%.2f) | %.4f | %d |\n", g.T, g.K, g.Arm, len(g.rows),
			failed, limit, medianText(ok, failed), st.mean, st.sd, st.min, st.max, nr/float64(len(ok)), ok[0].Trained)
	}
}

// asTension returns a compression curve as the equivalent tension curve (|ε|, |σ|).
func asTension(c curves.Curve) curves.Curve {
	if c.Loading != curves.Compression {
		return c
	}
	e, s := make([]float64, c.Len()), make([]float64, c.Len())
	for i := range e {
		e[i], s[i] = -c.Strain[i], -c.Stress[i]
	}
	t := curves.NewCurve(c.Specimen, c.TemperatureK, e, s)
	t.StrainRate = c.StrainRate
	return t
}
