package cli

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/demodata"
	"github.com/sciadapt/sciadapt/constitutive"
	"github.com/sciadapt/sciadapt/constitutive/curves"
	"github.com/sciadapt/sciadapt/internal/progress"
	"github.com/sciadapt/sciadapt/nn"
)

// demoCurves parses the embedded Al 6061 curves (see internal/demodata).
func demoCurves() ([]curves.Curve, error) {
	b, err := demodata.ReadFile(demodata.AlCurves)
	if err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", demodata.AlCurves, err)
	}
	var cs []curves.Curve
	for i, r := range rows[1:] {
		if len(r) != 6 {
			return nil, fmt.Errorf("%s: line %d: %d fields, want 6", demodata.AlCurves, i+2, len(r))
		}
		var v [4]float64
		for j, s := range []string{r[1], r[3], r[4], r[5]} {
			if v[j], err = strconv.ParseFloat(s, 64); err != nil {
				return nil, fmt.Errorf("%s: line %d: %v", demodata.AlCurves, i+2, err)
			}
		}
		if len(cs) == 0 || cs[len(cs)-1].Specimen != r[0] {
			c := curves.NewCurve(r[0], v[0], nil, nil)
			c.Direction, c.ElasticLimitIndex = r[2], int(v[1])
			cs = append(cs, c)
		}
		c := &cs[len(cs)-1]
		c.Strain = append(c.Strain, v[2])
		c.Stress = append(c.Stress, v[3])
	}
	return cs, nil
}

// demoConstRow is one line of the constitutive demo table.
type demoConstRow struct {
	Method       string  `json:"method"`
	Trainable    int     `json:"trainable_parameters"`
	AdapterBytes int     `json:"adapter_bytes,omitempty"`
	RMSE         float64 `json:"stress_rmse_mpa"`
	NRMSE        float64 `json:"stress_nrmse"`
	Seconds      float64 `json:"seconds"`
}

// fitReporter adapts progress.Reporter to constitutive.FitOptions.OnEpoch.
func fitReporter(p progress.Reporter, start time.Time) func(int, float64) {
	return func(n int, loss float64) {
		p.Step(progress.Fields{Epoch: n, Loss: loss, Seconds: time.Since(start).Seconds()})
	}
}

// runDemoConstitutive fits a base model to the 23 °C curves, tunes it to 200 °C on K
// points of one specimen and compares it with the base and with a model fitted from
// scratch on the same K points, on the other 200 °C specimens.
func runDemoConstitutive(o *DemoOptions, dir string, p progress.Reporter) (map[string]any, error) {
	start := time.Now()
	all, err := demoCurves()
	if err != nil {
		return nil, err
	}
	const baseT, hotT = 296.15, 473.15 // 23 °C and 200 °C
	var room, hot []curves.Curve
	for _, c := range all {
		switch c.TemperatureK {
		case baseT:
			room = append(room, c)
		case hotT:
			hot = append(hot, c)
		}
	}
	iters, k := 300, o.Points
	if o.Quick {
		iters = 60
	}
	fmt.Fprintf(o.Out, "\n== Scenario 2: tune an Al 6061-T6 model from 23 °C to 200 °C ==\n")
	p.Notef("fitting the base to %d curves at 23 °C (L-BFGS, at most %d iterations)", len(room), iters)
	base, err := constitutive.New(constitutive.Config{BaseTemperatureK: baseT, Seed: o.Seed})
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	p.Start(iters, "L-BFGS evaluations")
	_, err = base.Fit(room, &constitutive.FitOptions{MaxIterations: iters, OnEpoch: fitReporter(p, t0)})
	p.Done()
	if err != nil {
		return nil, err
	}
	baseFit, err := base.Evaluate(room)
	if err != nil {
		return nil, err
	}
	baseFile := filepath.Join(dir, "al6061.model")
	if err := base.Save(baseFile); err != nil {
		return nil, err
	}
	baseSeconds := time.Since(t0).Seconds()
	fmt.Fprintf(o.Out, "base fitted to %d curves at 23 °C: stress RMSE %.2f MPa [%.0fs]\n", len(room), baseFit.RMSE, baseSeconds)

	// The specimen to tune on, drawn with the seed among the 200 °C curves.
	rng := rand.New(rand.NewPCG(o.Seed, 0x7e3a))
	pick := rng.IntN(len(hot))
	train := hot[pick]
	others := append(append([]curves.Curve{}, hot[:pick]...), hot[pick+1:]...)
	idx, err := constitutive.SelectPoints(train, k)
	if err != nil {
		return nil, err
	}
	eps, sig := make([]float64, len(idx)), make([]float64, len(idx))
	for j, i := range idx {
		eps[j], sig[j] = train.Strain[i], train.Stress[i]
	}
	total, _ := nn.Counts(base)
	var rows []demoConstRow
	add := func(method string, trainable, bytes int, m *constitutive.Model, t0 time.Time) error {
		ev, err := m.Evaluate(others)
		if err != nil {
			return err
		}
		rows = append(rows, demoConstRow{method, trainable, bytes, ev.RMSE, ev.NRMSE, time.Since(t0).Seconds()})
		return nil
	}
	if err := add("base, untuned", 0, 0, base, time.Now()); err != nil {
		return nil, err
	}
	rows[0].Seconds = baseSeconds

	// FiLM temperature adapter on the K points.
	t0 = time.Now()
	p.Notef("tuning to 200 °C on %d points of %s", k, train.Specimen)
	p.Start(iters, "L-BFGS evaluations")
	a, _, err := base.TemperatureTune("T473.15K", eps, sig, hotT, &constitutive.TuneOptions{
		FitOptions: constitutive.FitOptions{MaxIterations: iters, OnEpoch: fitReporter(p, t0)}, Seed: o.Seed})
	p.Done()
	if err != nil {
		return nil, err
	}
	adapterFile := filepath.Join(dir, "al200.adapter")
	if err := a.Save(adapterFile); err != nil {
		return nil, err
	}
	st, err := os.Stat(adapterFile)
	if err != nil {
		return nil, err
	}
	if err := add("FiLM temperature adapter", constitutive.TrainableValues(a), int(st.Size()), base, t0); err != nil {
		return nil, err
	}

	// From scratch: a model of the same architecture fitted to the same K points.
	t0 = time.Now()
	scratch, err := constitutive.New(constitutive.Config{BaseTemperatureK: hotT, Seed: o.Seed})
	if err != nil {
		return nil, err
	}
	kc := curves.NewCurve(train.Specimen+"-K", hotT, eps, sig)
	p.Notef("fitting a model from scratch on the same %d points", k)
	p.Start(iters, "L-BFGS evaluations")
	_, err = scratch.Fit([]curves.Curve{kc}, &constitutive.FitOptions{MaxIterations: iters, OnEpoch: fitReporter(p, t0)})
	p.Done()
	if err != nil {
		return nil, err
	}
	_, scratchTrainable := nn.Counts(scratch)
	if err := add("from scratch on the K points", scratchTrainable, 0, scratch, t0); err != nil {
		return nil, err
	}
	sc, err := constitutive.Scatter(others)
	if err != nil {
		return nil, err
	}

	fmt.Fprintf(o.Out, "tuned on K = %d points of specimen %s; tested on the other %d specimens at 200 °C; base model %d parameters\n",
		k, train.Specimen, len(others), total)
	tw := tabwriter.NewWriter(o.Out, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "method\ttrained params\tadapter bytes\tstress RMSE MPa\tNRMSE\tseconds\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%.2f\t%.4f\t%.1f\t\n", r.Method, r.Trainable, dash(r.AdapterBytes), r.RMSE, r.NRMSE, r.Seconds)
	}
	tw.Flush()
	fmt.Fprintf(o.Out, "specimen-to-specimen scatter at 200 °C (each against the mean of the others): %.2f MPa. Total %.0fs.\n",
		sc.RMSE, time.Since(start).Seconds())
	return map[string]any{"base_trainable_parameters": total, "base_fit_23C": baseFit, "tuned_on": train.Specimen, "k": k, "test_specimens": len(others),
		"scatter": sc, "rows": rows, "seconds": time.Since(start).Seconds()}, nil
}

// dash prints n, or an em dash for 0.
func dash(n int) string {
	if n == 0 {
		return "—"
	}
	return strconv.Itoa(n)
}
