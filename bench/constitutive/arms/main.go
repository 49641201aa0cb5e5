// Command arms compares ways of moving the base Al 6061-T6 model to a new
// temperature from K measured points, on the Sandia MatCal tension curves: FiLM
// temperature tuning (what sciadapt temperature-tune does), full fine-tuning of
// every base parameter, training from scratch on the K points, Johnson–Cook with its
// published 6061-T6 parameters, and a two-scalar rescaling of the base curve.
//
// For each temperature, K and source specimen ("seed": which specimen supplies the
// K points), every arm is scored on the OTHER specimens at that temperature: pooled
// stress RMSE and NRMSE, and mean absolute errors in the elastic modulus E, the 0.2 %
// offset yield strength and the ultimate tensile strength (engineering), each
// computed from the predicted curve on the measured strains exactly as from the
// measured curve (curves.FitElastic, curves.Yield02, curves.UTS).
//
//	go run ./bench/constitutive/arms -data bench/out/constitutive/al6061.h5 \
//	    -base bench/out/constitutive/base.model -out bench/out/constitutive/arms
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sciadapt/sciadapt/constitutive"
	"github.com/sciadapt/sciadapt/constitutive/curves"
)

// Johnson–Cook parameters for 6061-T6 aluminium: G. R. Johnson and W. H. Cook
// (1983), "A constitutive model and data for metals subjected to large strains, high
// strain rates and high temperatures", Proc. 7th Int. Symp. on Ballistics, The
// Hague, pp. 541–547, Table 1: A 324 MPa, B 114 MPa, n 0.42, C 0.002, m 1.34,
// T_melt 925 K, with room temperature 294 K. Quasi-static data: the rate term is 1.
// E = 68.9 GPa is the handbook modulus of 6061-T6 (ASM Handbook vol. 2); JC has no
// elastic part of its own.
const (
	jcA, jcB, jcN, jcM = 324.0, 114.0, 0.42, 1.34
	jcTmelt, jcTroom   = 925.0, 294.0
	jcE                = 68900.0
)

// jcStress is the uniaxial true stress (MPa) of an elastic–Johnson–Cook solid at true
// strain eps and temperature tK: σ = E·ε below yield, else σ = (A + B·εₚⁿ)(1 − T*ᵐ)
// with εₚ = ε − σ/E, solved by bisection.
func jcStress(eps, tK float64) float64 {
	ts := (tK - jcTroom) / (jcTmelt - jcTroom)
	soft := 1.0
	if ts > 0 {
		soft = 1 - math.Pow(ts, jcM)
	}
	flow := func(ep float64) float64 { return (jcA + jcB*math.Pow(math.Max(ep, 0), jcN)) * soft }
	if jcE*eps <= flow(0) {
		return jcE * eps
	}
	lo, hi := flow(0), jcE*eps // g(σ) = σ − flow(ε − σ/E) is increasing
	for i := 0; i < 200 && hi-lo > 1e-10; i++ {
		mid := (lo + hi) / 2
		if mid-flow(eps-mid/jcE) > 0 {
			hi = mid
		} else {
			lo = mid
		}
	}
	return (lo + hi) / 2
}

// predictor gives the uniaxial true stress (MPa) at the strains of a curve.
type predictor func(eps []float64, tK float64) ([]float64, error)

// score holds one arm's errors on a set of curves.
type score struct {
	RMSE, NRMSE              float64 // MPa, 1
	EErr, YieldErr, UTSErr   float64 // mean absolute: GPa, MPa, MPa
	nE, nYield, nUTS, points int
}

func evaluate(pred predictor, cs []curves.Curve) (score, error) {
	var s score
	var se float64
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range cs {
		p, err := pred(c.Strain, c.TemperatureK)
		if err != nil {
			return s, fmt.Errorf("curve %s: %v", c.Specimen, err)
		}
		for i, v := range p {
			d := v - c.Stress[i]
			se += d * d
			lo, hi = math.Min(lo, c.Stress[i]), math.Max(hi, c.Stress[i])
			s.points++
		}
		pc := curves.NewCurve(c.Specimen, c.TemperatureK, c.Strain, p)
		mE, _ := curves.FitElastic(c)
		pE, _ := curves.FitElastic(pc)
		if !math.IsNaN(mE) && !math.IsNaN(pE) {
			s.EErr += math.Abs(pE-mE) / 1000
			s.nE++
		}
		my, ok1 := curves.Yield02(c, mE)
		py, ok2 := curves.Yield02(pc, pE)
		if ok1 && ok2 {
			s.YieldErr += math.Abs(py - my)
			s.nYield++
		}
		mu, _ := curves.UTS(c)
		pu, _ := curves.UTS(pc)
		if !math.IsNaN(mu) && !math.IsNaN(pu) {
			s.UTSErr += math.Abs(pu - mu)
			s.nUTS++
		}
	}
	s.RMSE = math.Sqrt(se / float64(s.points))
	s.NRMSE = s.RMSE / (hi - lo)
	s.EErr /= math.Max(float64(s.nE), 1)
	s.YieldErr /= math.Max(float64(s.nYield), 1)
	s.UTSErr /= math.Max(float64(s.nUTS), 1)
	return s, nil
}

// row is one (temperature, K, source specimen, arm) result.
type row struct {
	Temperature string  `json:"temperature"`
	K           int     `json:"k"`
	Source      string  `json:"source_specimen"`
	Arm         string  `json:"arm"`
	Trained     int     `json:"trainable_parameters"`
	RMSE        float64 `json:"stress_rmse_mpa"`
	NRMSE       float64 `json:"stress_nrmse"`
	EErr        float64 `json:"e_abs_err_gpa"`
	YieldErr    float64 `json:"yield_abs_err_mpa"`
	UTSErr      float64 `json:"uts_abs_err_mpa"`
	Points      int     `json:"n_points"`
	// Failed is the error of a run whose fit failed (the return mapping did not
	// converge): it counts as a failure in the table, with no error to average.
	Failed string `json:"failed,omitempty"`
	// IterationLimit is true when L-BFGS stopped at its iteration bound or in a
	// failed line search (the best point found is scored).
	IterationLimit bool `json:"iteration_limit,omitempty"`
}

func main() {
	data := flag.String("data", "bench/out/constitutive/al6061.h5", "curves HDF5 (sciadapt import matcal)")
	basePath := flag.String("base", "bench/out/constitutive/base.model", "base model trained at 23 °C")
	out := flag.String("out", "bench/out/constitutive/arms", "output directory")
	temps := flag.String("temperatures", "100C,200C", "target temperatures")
	ks := flag.String("k", "5,10,20", "points per tuning")
	iters := flag.Int("max-iterations", 300, "L-BFGS iterations for every trained arm")
	var film filmSettings
	flag.Float64Var(&film.ridge, "film-ridge", 0, "ridge of the FiLM arm (0: temperature-tune's default)")
	flag.IntVar(&film.hidden, "film-hidden", 0, "hidden width of the FiLM generator (0: linear in T)")
	gleeble := flag.String("gleeble", "", "run the Gleeble steel study on this curves file instead (sciadapt import gleeble)")
	flag.Parse()
	if *gleeble != "" {
		var kk []int
		for _, x := range strings.Split(*ks, ",") {
			var k int
			fmt.Sscan(x, &k)
			kk = append(kk, k)
		}
		gleebleMain(*gleeble, []float64{0.1, 1, 2, 5}, []float64{1150, 1200}, kk, *iters)
		return
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	all, err := curves.Read(*data)
	if err != nil {
		log.Fatal(err)
	}
	var rows []row
	var scatter []map[string]any
	for _, T := range strings.Split(*temps, ",") {
		tK, err := curves.ParseTemperature(T)
		if err != nil {
			log.Fatal(err)
		}
		var at []curves.Curve
		for _, c := range all {
			if math.Abs(c.TemperatureK-tK) < 2 {
				at = append(at, c)
			}
		}
		sort.Slice(at, func(i, j int) bool { return at[i].Specimen < at[j].Specimen })
		sc, err := constitutive.Scatter(at)
		if err != nil {
			log.Fatal(err)
		}
		scatter = append(scatter, map[string]any{"temperature": T, "stress_rmse_mpa": sc.RMSE, "stress_nrmse": sc.NRMSE, "specimens": len(at)})
		for _, kStr := range strings.Split(*ks, ",") {
			var k int
			fmt.Sscan(kStr, &k)
			for si, src := range at {
				others := append(append([]curves.Curve{}, at[:si]...), at[si+1:]...)
				idx, err := constitutive.SelectPoints(src, k)
				if err != nil {
					log.Printf("%s K=%d: %v (skipped)", src.Specimen, k, err)
					continue
				}
				eps, sig := make([]float64, len(idx)), make([]float64, len(idx))
				for j, i := range idx {
					eps[j], sig[j] = src.Strain[i], src.Stress[i]
				}
				arms, err := runArms(*basePath, eps, sig, tK, *iters, uint64(si+1), film)
				if err != nil {
					log.Fatalf("%s %s K=%d: %v", T, src.Specimen, k, err)
				}
				for _, a := range arms {
					if a.failed != nil {
						log.Printf("%s %s K=%d %s failed: %v", T, src.Specimen, k, a.name, a.failed)
						rows = append(rows, row{Temperature: T, K: k, Source: src.Specimen, Arm: a.name, Failed: a.failed.Error()})
						continue
					}
					s, err := evaluate(a.pred, others)
					if err != nil {
						log.Fatalf("%s %s K=%d %s: %v", T, src.Specimen, k, a.name, err)
					}
					rows = append(rows, row{T, k, src.Specimen, a.name, a.trained, s.RMSE, s.NRMSE, s.EErr, s.YieldErr, s.UTSErr, s.points, "", a.limit})
					if k == 10 && si == 0 {
						writeCurves(filepath.Join(*out, fmt.Sprintf("curves_%s_k%d_%s.csv", T, k, a.name)), a.pred, others, eps, sig)
					}
				}
				log.Printf("%s K=%d source %s done", T, k, src.Specimen)
			}
		}
	}
	b, _ := json.MarshalIndent(map[string]any{"rows": rows, "scatter": scatter}, "", " ")
	if err := os.WriteFile(filepath.Join(*out, "arms.json"), b, 0o644); err != nil {
		log.Fatal(err)
	}
	printTable(rows, scatter)
}

// arm is one way of predicting at the new temperature; failed is set when its
// training failed (counted and reported, not scored).
// filmSettings are the FiLM arm's ridge (0: temperature-tune's default) and
// generator hidden width (0: linear in T).
type filmSettings struct {
	ridge  float64
	hidden int
}

type arm struct {
	name    string
	trained int
	pred    predictor
	failed  error
	limit   bool // L-BFGS stopped before its gradient tolerance
}

// runArms trains every arm on the K points (eps, sig) at tK.
func runArms(basePath string, eps, sig []float64, tK float64, iters int, seed uint64, fs filmSettings) ([]arm, error) {
	var arms []arm
	pts := curves.NewCurve("K-points", tK, eps, sig)
	fit := &constitutive.FitOptions{MaxIterations: iters}

	// Base applied as is.
	base, err := constitutive.Load(basePath)
	if err != nil {
		return nil, err
	}
	arms = append(arms, arm{"base", 0, base.UniaxialStress, nil, false})

	// FiLM temperature tuning: only the temperature subnetworks train.
	film, err := constitutive.Load(basePath)
	if err != nil {
		return nil, err
	}
	a, fr, err := film.TemperatureTune("T", eps, sig, tK, &constitutive.TuneOptions{FitOptions: constitutive.FitOptions{MaxIterations: iters, Ridge: fs.ridge}, Hidden: fs.hidden, Seed: seed})
	if err != nil {
		arms = append(arms, arm{name: "film", failed: err})
	} else {
		arms = append(arms, arm{"film", constitutive.TrainableValues(a), film.UniaxialStress, nil, !fr.Converged})
	}

	// Full fine-tune: every base parameter, from the base, on the K points.
	full, err := constitutive.Load(basePath)
	if err != nil {
		return nil, err
	}
	if fr, err := full.Fit([]curves.Curve{pts}, fit); err != nil {
		arms = append(arms, arm{name: "full", failed: err})
	} else {
		arms = append(arms, arm{"full", countParams(full), full.UniaxialStress, nil, !fr.Converged})
	}

	// From scratch on the K points, base temperature = tK.
	scratch, err := constitutive.New(constitutive.Config{BaseTemperatureK: tK, Seed: seed})
	if err != nil {
		return nil, err
	}
	if fr, err := scratch.Fit([]curves.Curve{pts}, fit); err != nil {
		arms = append(arms, arm{name: "scratch", failed: err})
	} else {
		arms = append(arms, arm{"scratch", countParams(scratch), scratch.UniaxialStress, nil, !fr.Converged})
	}

	// Johnson–Cook, published parameters, no data used.
	arms = append(arms, arm{"johnson-cook", 0, func(e []float64, t float64) ([]float64, error) {
		out := make([]float64, len(e))
		for i, x := range e {
			out[i] = jcStress(x, t)
		}
		return out, nil
	}, nil, false})

	// Two-scalar rescaling of the base curve at its own temperature:
	// σ(ε) = a·σ_base(b·ε), a and b by least squares on the K points.
	t0 := base.Config().BaseTemperatureK
	sa, sb, err := fitRescale(base, eps, sig, t0)
	if err != nil {
		return nil, fmt.Errorf("rescale: %v", err)
	}
	arms = append(arms, arm{"rescale", 2, func(e []float64, _ float64) ([]float64, error) {
		se := make([]float64, len(e))
		for i := range e {
			se[i] = sb * e[i]
		}
		p, err := base.UniaxialStress(se, t0)
		for i := range p {
			p[i] *= sa
		}
		return p, err
	}, nil, false})
	return arms, nil
}

func countParams(m *constitutive.Model) int {
	n := 0
	for _, p := range m.Params() {
		n += p.Size()
	}
	return n
}

// fitRescale finds a, b minimising Σ (a·σ_base(b·εᵢ) − σᵢ)²: for each b the best a
// is closed-form; b by a log grid over [0.25, 4] refined by golden-section search.
func fitRescale(base *constitutive.Model, eps, sig []float64, t0 float64) (a, b float64, err error) {
	cost := func(b float64) (float64, float64) {
		se := make([]float64, len(eps))
		for i := range eps {
			se[i] = b * eps[i]
		}
		p, e := base.UniaxialStress(se, t0)
		if e != nil {
			err = e
			return math.Inf(1), 0
		}
		var fy, ff float64
		for i := range p {
			fy += p[i] * sig[i]
			ff += p[i] * p[i]
		}
		a := fy / ff
		var r float64
		for i := range p {
			d := a*p[i] - sig[i]
			r += d * d
		}
		return r, a
	}
	best, bestB := math.Inf(1), 1.0
	for i := 0; i <= 80; i++ {
		bb := math.Exp(math.Log(0.25) + float64(i)/80*math.Log(16))
		if c, _ := cost(bb); c < best {
			best, bestB = c, bb
		}
	}
	lo, hi := bestB/math.Exp(math.Log(16)/80), bestB*math.Exp(math.Log(16)/80)
	g := (math.Sqrt(5) - 1) / 2
	for i := 0; i < 60; i++ {
		x1, x2 := hi-g*(hi-lo), lo+g*(hi-lo)
		c1, _ := cost(x1)
		c2, _ := cost(x2)
		if c1 < c2 {
			hi = x2
		} else {
			lo = x1
		}
	}
	b = (lo + hi) / 2
	_, a = cost(b)
	return a, b, err
}

// writeCurves writes measured and predicted stresses of the other specimens, and
// the K points, as CSV: specimen, strain, measured_mpa, predicted_mpa.
func writeCurves(path string, pred predictor, others []curves.Curve, eps, sig []float64) {
	var sb strings.Builder
	sb.WriteString("specimen,strain,measured_mpa,predicted_mpa\n")
	for i := range eps {
		fmt.Fprintf(&sb, "K-points,%g,%g,\n", eps[i], sig[i])
	}
	for _, c := range others {
		p, err := pred(c.Strain, c.TemperatureK)
		if err != nil {
			continue
		}
		for i := range p {
			fmt.Fprintf(&sb, "%s,%g,%g,%g\n", c.Specimen, c.Strain[i], c.Stress[i], p[i])
		}
	}
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		log.Fatal(err)
	}
}

// printTable prints one line per (temperature, K, arm) over the source specimens.
// A run whose fit failed is a failure: it is counted in "failed", ranks last in
// the median over all runs, and has no error for the mean, which is therefore
// over the runs that did not fail only (and says so).
func printTable(rows []row, scatter []map[string]any) {
	for _, s := range scatter {
		fmt.Printf("scatter at %s: %.2f MPa (NRMSE %.4f) over %d specimens\n", s["temperature"], s["stress_rmse_mpa"], s["stress_nrmse"], s["specimens"])
	}
	fmt.Println("| T | K | arm | runs | failed | L-BFGS at its limit | stress RMSE MPa, median of all runs (a failed run counts as worst) | mean ± sd (min–max) over the runs that did not fail | NRMSE | |ΔE| GPa | |Δ yield| MPa | |Δ UTS| MPa | trained |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, g := range groupRows(rows, func(r row) string { return r.Temperature }) {
		ok, failed, limit := split(g.rows)
		if len(ok) == 0 {
			fmt.Printf("| %s | %d | %s | %d | %d | | all failed | | | | | | |\n", g.T, g.K, g.Arm, len(g.rows), failed)
			continue
		}
		st := stats(ok)
		var nr, de, dy, du float64
		for _, r := range ok {
			nr, de, dy, du = nr+r.NRMSE, de+r.EErr, dy+r.YieldErr, du+r.UTSErr
		}
		n := float64(len(ok))
		fmt.Printf("| %s | %d | %s | %d | %d | %d | %s | %.2f ± %.2f (%.2f–%.2f) | %.4f | %.2f | %.1f | %.1f | %d |\n",
			g.T, g.K, g.Arm, len(g.rows), failed, limit, medianText(ok, failed), st.mean, st.sd, st.min, st.max,
			nr/n, de/n, dy/n, du/n, ok[0].Trained)
	}
}

// group is the runs of one (temperature, K, arm).
type group struct {
	T    string
	K    int
	Arm  string
	rows []row
}

// groupRows groups rows by (key(row), K, arm) in order of first appearance.
func groupRows(rows []row, key func(row) string) []group {
	type k3 struct {
		T   string
		K   int
		Arm string
	}
	at := map[k3]int{}
	var out []group
	for _, r := range rows {
		k := k3{key(r), r.K, r.Arm}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, group{T: k.T, K: k.K, Arm: k.Arm})
		}
		out[i].rows = append(out[i].rows, r)
	}
	return out
}

// split returns the runs that did not fail, the number that failed, and the
// number of those that stopped at L-BFGS's iteration bound.
func split(rows []row) (ok []row, failed, limit int) {
	for _, r := range rows {
		switch {
		case r.Failed != "":
			failed++
		default:
			ok = append(ok, r)
			if r.IterationLimit {
				limit++
			}
		}
	}
	return ok, failed, limit
}

type summary struct{ mean, sd, min, max float64 }

// stats summarises the stress RMSE of rows (sample standard deviation).
func stats(rows []row) summary {
	s := summary{min: math.Inf(1), max: math.Inf(-1)}
	var m2 float64
	for _, r := range rows {
		s.mean += r.RMSE
		m2 += r.RMSE * r.RMSE
		s.min, s.max = math.Min(s.min, r.RMSE), math.Max(s.max, r.RMSE)
	}
	n := float64(len(rows))
	s.mean /= n
	s.sd = math.Sqrt(math.Max(m2/n-s.mean*s.mean, 0) * n / math.Max(n-1, 1))
	return s
}

// medianText is the median stress RMSE over all runs, the failed ones counted as
// worse than any other; "failed" when the median falls on a failed run.
func medianText(ok []row, failed int) string {
	v := make([]float64, 0, len(ok)+failed)
	for _, r := range ok {
		v = append(v, r.RMSE)
	}
	for i := 0; i < failed; i++ {
		v = append(v, math.Inf(1))
	}
	sort.Float64s(v)
	n := len(v)
	m := v[n/2]
	if n%2 == 0 {
		m = (v[n/2-1] + v[n/2]) / 2
	}
	if math.IsInf(m, 1) {
		return "failed"
	}
	return fmt.Sprintf("%.2f", m)
}
