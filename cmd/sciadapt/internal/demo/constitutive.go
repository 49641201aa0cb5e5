package demo

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/demodata"
	"github.com/sciadapt/sciadapt/constitutive"
	"github.com/sciadapt/sciadapt/constitutive/curves"
	"github.com/sciadapt/sciadapt/nn"
)

// Curves parses the embedded Al 6061 curves (see package demodata).
func Curves() ([]curves.Curve, error) {
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

// ConstitutiveRow is one line of the constitutive table: a model scored on the
// other 200 °C specimens.
type ConstitutiveRow struct {
	Method       string  `json:"method"`
	Trainable    int     `json:"trainable_parameters"`
	AdapterBytes int     `json:"adapter_bytes,omitempty"`
	RMSE         float64 `json:"stress_rmse_mpa"`
	NRMSE        float64 `json:"stress_nrmse"`
	Seconds      float64 `json:"seconds"`
}

// ConstitutiveReport is the report of the constitutive scenario.
type ConstitutiveReport struct {
	BaseTrainableParameters int                 `json:"base_trainable_parameters"`
	BaseFit23C              constitutive.Errors `json:"base_fit_23C"` // on the training curves
	TunedOn                 string              `json:"tuned_on"`     // the specimen of the K points
	K                       int                 `json:"k"`
	TestSpecimens           int                 `json:"test_specimens"`
	Scatter                 constitutive.Errors `json:"scatter"` // of the test specimens
	Rows                    []ConstitutiveRow   `json:"rows"`
	Seconds                 float64             `json:"seconds"`
}

// Temperatures of the constitutive scenario, K: 23 °C and 200 °C.
const baseT, hotT = 296.15, 473.15

// runConstitutive fits a base model to the 23 °C curves, tunes it to 200 °C on K
// points of one specimen (constitutive.TuneToSpecimen, as temperature-tune does)
// and compares it with the base and with a model fitted from scratch on the same K
// points, on the other 200 °C specimens.
func runConstitutive(o Options, dir string) (*ConstitutiveReport, error) {
	start, p := time.Now(), o.Progress
	all, err := Curves()
	if err != nil {
		return nil, err
	}
	var room, hot []curves.Curve
	for _, c := range all {
		switch c.TemperatureK {
		case baseT:
			room = append(room, c)
		case hotT:
			hot = append(hot, c)
		}
	}
	iters := 300
	if o.Quick {
		iters = 60
	}
	fmt.Fprintf(o.Out, "\n== Scenario 2: tune an Al 6061-T6 model from 23 °C to 200 °C ==\n")
	r := &ConstitutiveReport{K: o.Points}
	base, baseSeconds, err := fitBase(o, room, iters, r)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	p.Notef("tuning to 200 °C on %d points of a specimen drawn with the seed", o.Points)
	p.Start(iters, "L-BFGS evaluations")
	s, err := base.TuneToSpecimen(hot, hotT, constitutive.SpecimenTuneOptions{Points: o.Points, Name: "T473.15K",
		TuneOptions: constitutive.TuneOptions{Seed: o.Seed, FitOptions: constitutive.FitOptions{MaxIterations: iters, OnEpoch: fitProgress(p, t0)}}})
	p.Done()
	if err != nil {
		return nil, err
	}
	film := ConstitutiveRow{Method: "FiLM temperature adapter", Trainable: s.Report.TrainableParameters,
		RMSE: *s.Report.RMSE, NRMSE: *s.Report.NRMSE, Seconds: time.Since(t0).Seconds()}
	adapterFile := filepath.Join(dir, "al200.adapter")
	if err := s.Adapter.Save(adapterFile); err != nil {
		return nil, err
	}
	film.AdapterBytes = fileSize(adapterFile)
	r.Rows = []ConstitutiveRow{{Method: "base, untuned", RMSE: s.Report.Base.RMSE, NRMSE: s.Report.Base.NRMSE, Seconds: baseSeconds}, film}
	scratch, err := fitScratch(o, s, iters)
	if err != nil {
		return nil, err
	}
	r.Rows = append(r.Rows, scratch)
	r.TunedOn, r.TestSpecimens, r.Scatter = s.Train.Specimen, len(s.Others), *s.Report.Scatter
	fmt.Fprintf(o.Out, "tuned on K = %d points of specimen %s; tested on the other %d specimens at 200 °C; base model %d parameters\n",
		o.Points, r.TunedOn, r.TestSpecimens, r.BaseTrainableParameters)
	printConstitutiveTable(o.Out, r.Rows)
	fmt.Fprintf(o.Out, "specimen-to-specimen scatter at 200 °C (each against the mean of the others): %.2f MPa. Total %.0fs.\n",
		r.Scatter.RMSE, time.Since(start).Seconds())
	r.Seconds = time.Since(start).Seconds()
	return r, nil
}

// fitBase fits the base model to the 23 °C curves and records its fit in r.
func fitBase(o Options, room []curves.Curve, iters int, r *ConstitutiveReport) (*constitutive.Model, float64, error) {
	p, t0 := o.Progress, time.Now()
	p.Notef("fitting the base to %d curves at 23 °C (L-BFGS, at most %d iterations)", len(room), iters)
	base, err := constitutive.New(constitutive.Config{BaseTemperatureK: baseT, Seed: o.Seed})
	if err != nil {
		return nil, 0, err
	}
	p.Start(iters, "L-BFGS evaluations")
	_, err = base.Fit(room, &constitutive.FitOptions{MaxIterations: iters, OnEpoch: fitProgress(p, t0)})
	p.Done()
	if err != nil {
		return nil, 0, err
	}
	if r.BaseFit23C, err = base.Evaluate(room); err != nil {
		return nil, 0, err
	}
	r.BaseTrainableParameters, _ = nn.Counts(base)
	seconds := time.Since(t0).Seconds()
	fmt.Fprintf(o.Out, "base fitted to %d curves at 23 °C: stress RMSE %.2f MPa [%.0fs]\n", len(room), r.BaseFit23C.RMSE, seconds)
	return base, seconds, nil
}

// fitScratch fits a model of the base's architecture to the K points of s alone
// and scores it on the other specimens.
func fitScratch(o Options, s *constitutive.SpecimenTune, iters int) (ConstitutiveRow, error) {
	p, t0 := o.Progress, time.Now()
	row := ConstitutiveRow{Method: "from scratch on the K points"}
	m, err := constitutive.New(constitutive.Config{BaseTemperatureK: hotT, Seed: o.Seed})
	if err != nil {
		return row, err
	}
	eps, sig := make([]float64, len(s.Indices)), make([]float64, len(s.Indices))
	for j, i := range s.Indices {
		eps[j], sig[j] = s.Train.Strain[i], s.Train.Stress[i]
	}
	p.Notef("fitting a model from scratch on the same %d points", len(eps))
	p.Start(iters, "L-BFGS evaluations")
	_, err = m.Fit([]curves.Curve{curves.NewCurve(s.Train.Specimen+"-K", hotT, eps, sig)},
		&constitutive.FitOptions{MaxIterations: iters, OnEpoch: fitProgress(p, t0)})
	p.Done()
	if err != nil {
		return row, err
	}
	ev, err := m.Evaluate(s.Others)
	if err != nil {
		return row, err
	}
	_, row.Trainable = nn.Counts(m)
	row.RMSE, row.NRMSE, row.Seconds = ev.RMSE, ev.NRMSE, time.Since(t0).Seconds()
	return row, nil
}

// printConstitutiveTable prints the rows of the constitutive scenario.
func printConstitutiveTable(w io.Writer, rows []ConstitutiveRow) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "method\ttrained params\tadapter bytes\tstress RMSE MPa\tNRMSE\tseconds\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%.2f\t%.4f\t%.1f\t\n", r.Method, r.Trainable, dash(r.AdapterBytes), r.RMSE, r.NRMSE, r.Seconds)
	}
	tw.Flush()
}
