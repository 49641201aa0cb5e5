package main

import (
	"fmt"
	"log"
	"math"
	"sort"

	"github.com/sciadapt/sciadapt/constitutive"
	"github.com/sciadapt/sciadapt/constitutive/curves"
)

// gleebleMain runs the arms on the Gleeble hot-compression flow curves of a medium
// carbon steel. The model is rate-independent, so each strain rate is its own
// experiment: a base trained on the 1050 °C curve at that rate is moved to 1150 °C
// and 1200 °C with K points of the curve at that temperature and rate, and scored on
// every point of that curve (one curve per temperature and rate: there are no other
// specimens, so the score is the interpolation error along the curve, not
// specimen-to-specimen generalisation as for the aluminium). Compression curves are
// fitted as |σ| against |ε|: small-strain J2 with isotropic hardening responds
// symmetrically in tension and compression.
func gleebleMain(path string, rates []float64, ks []int, iters int) {
	all, err := curves.Read(path)
	if err != nil {
		log.Fatal(err)
	}
	find := func(tC, rate float64) (curves.Curve, bool) {
		for _, c := range all {
			if math.Abs(curves.KelvinToCelsius(c.TemperatureK)-tC) < 1 && math.Abs(c.StrainRate-rate) < 1e-9 {
				return asTension(c), true
			}
		}
		return curves.Curve{}, false
	}
	var rows []row
	for _, rate := range rates {
		base0, ok := find(1050, rate)
		if !ok {
			log.Fatalf("%s: no 1050 °C curve at %g /s", path, rate)
		}
		base, err := constitutive.New(constitutive.Config{BaseTemperatureK: base0.TemperatureK, Seed: 1,
			ModulusRefMPa: 100000, YieldRefMPa: 100, HardeningRefMPa: 50})
		if err != nil {
			log.Fatal(err)
		}
		if _, err := base.Fit([]curves.Curve{base0}, &constitutive.FitOptions{MaxIterations: iters, MaxPointsPerCurve: 100}); err != nil {
			log.Fatalf("base at %g /s: %v", rate, err)
		}
		bErr, _ := base.Evaluate([]curves.Curve{base0})
		log.Printf("rate %g /s: base fit at 1050 °C RMSE %.2f MPa", rate, bErr.RMSE)
		tmp := fmt.Sprintf("/tmp/gleeble_base_%g.model", rate)
		if err := base.Save(tmp); err != nil {
			log.Fatal(err)
		}
		for _, tC := range []float64{1150, 1200} {
			target, ok := find(tC, rate)
			if !ok {
				log.Fatalf("no %g °C curve at %g /s", tC, rate)
			}
			for _, k := range ks {
				idx, err := constitutive.SelectPoints(target, k)
				if err != nil {
					log.Fatal(err)
				}
				eps, sig := make([]float64, len(idx)), make([]float64, len(idx))
				for j, i := range idx {
					eps[j], sig[j] = target.Strain[i], target.Stress[i]
				}
				arms, err := runArms(tmp, eps, sig, target.TemperatureK, iters, 1, filmSettings{})
				if err != nil {
					log.Fatal(err)
				}
				for _, a := range arms {
					if a.name == "johnson-cook" { // published parameters are for 6061-T6 only
						continue
					}
					T := fmt.Sprintf("%gC@%g/s", tC, rate)
					if a.failed != nil {
						rows = append(rows, row{Temperature: T, K: k, Source: target.Specimen, Arm: a.name, Failed: a.failed.Error()})
						continue
					}
					s, err := evaluate(a.pred, []curves.Curve{target})
					if err != nil {
						log.Fatal(err)
					}
					rows = append(rows, row{T, k, target.Specimen, a.name, a.trained, s.RMSE, s.NRMSE, math.NaN(), math.NaN(), math.NaN(), s.points, ""})
				}
			}
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].K != rows[j].K {
			return rows[i].K < rows[j].K
		}
		return rows[i].Temperature[:5] < rows[j].Temperature[:5]
	})
	fmt.Println("| T | K | arm | runs (strain rates) | stress RMSE MPa mean (min–max) | NRMSE | trained |")
	fmt.Println("|---|---|---|---|---|---|---|")
	type key struct {
		T   string
		K   int
		Arm string
	}
	agg := map[key][]row{}
	var order []key
	for _, r := range rows {
		k := key{r.Temperature[:5], r.K, r.Arm}
		if _, ok := agg[k]; !ok {
			order = append(order, k)
		}
		agg[k] = append(agg[k], r)
	}
	for _, k := range order {
		var m, mn, mx float64
		mn, mx = math.Inf(1), math.Inf(-1)
		n, failed, nr, tr := 0, 0, 0.0, 0
		for _, r := range agg[k] {
			if r.Failed != "" {
				failed++
				continue
			}
			m += r.RMSE
			nr += r.NRMSE
			mn, mx = math.Min(mn, r.RMSE), math.Max(mx, r.RMSE)
			n++
			tr = r.Trained
		}
		if n == 0 {
			fmt.Printf("| %s | %d | %s | 0 (+%d failed) | | | |\n", k.T, k.K, k.Arm, failed)
			continue
		}
		runs := fmt.Sprint(n)
		if failed > 0 {
			runs += fmt.Sprintf(" (+%d failed)", failed)
		}
		fmt.Printf("| %s | %d | %s | %s | %.2f (%.2f–%.2f) | %.4f | %d |\n", k.T, k.K, k.Arm, runs, m/float64(n), mn, mx, nr/float64(n), tr)
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
