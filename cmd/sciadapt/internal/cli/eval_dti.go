package cli

import (
	"fmt"
	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/figures"
	"math"
	"path/filepath"
	"time"

	"github.com/sciadapt/sciadapt/bio"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/nn"
)

// runEvalDTI scores a drug–target model, with an adapter (transfer) if given, on
// the pairs of a sciadapt-dti file, optionally only those of one species and split.
func runEvalDTI(o *EvalOptions, start time.Time) error {
	m, _, err := bio.Load(o.Model)
	if err != nil {
		return err
	}
	trainable, err := attachAdapter(o.Adapter, m)
	if err != nil {
		return err
	}
	d, err := dtidata.Read(o.Data)
	if err != nil {
		return err
	}
	if d.Task != m.Config.Task {
		return fmt.Errorf("%s: %s pairs, but %s is a %s model", o.Data, d.Task, o.Model, m.Config.Task)
	}
	species := ""
	if o.Species != "" {
		species = dtidata.NormalizeSpecies(o.Species)
	}
	var pairs []int
	for i, p := range d.Pairs {
		if species != "" && d.Proteins[p.Protein].Species != species {
			continue
		}
		if o.Split != "" && p.Split != o.Split {
			continue
		}
		pairs = append(pairs, i)
	}
	if len(pairs) == 0 {
		sp, _ := d.SpeciesCounts()
		return fmt.Errorf("%s: no pairs with species %q and split %q (species present: %v; splits: %v)", o.Data, o.Species, o.Split, sp, d.Splits())
	}
	data, err := m.Tokenize(d)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Data, err)
	}
	y := bio.Predict(m, nil, data, pairs)
	mt := bio.Score(d, pairs, y)
	if o.Predictions != "" {
		if err := writePairPredictions(o.Predictions, d, pairs, y); err != nil {
			return err
		}
	}
	if o.Plot != "" {
		label := "pairs"
		if species != "" {
			label = species + " pairs"
		}
		if err := figures.DTI(o.Plot, o.Out, d, nil, filepath.Base(o.Data), []figures.Set{{Label: label, Pairs: pairs, Y: y}}); err != nil {
			return err
		}
	}
	fmt.Fprintf(o.Out, "%s on %s (%d pairs): %v\n", o.Model, o.Data, len(pairs), mt)
	h := reportHeader{TrainableParameters: trainable, Seconds: time.Since(start).Seconds()}
	h.TotalParameters, _ = nn.Counts(m)
	if d.Task == dtidata.Binary {
		return writeReport(o.Report, evalBinaryReport{h, mt.Pairs, jsonNum(mt.AUROC), jsonNum(mt.AUPRC), jsonNum(mt.MacroAUROC)})
	}
	return writeReport(o.Report, evalAffinityReport{h, mt.Pairs, jsonNum(mt.MSE), jsonNum(mt.CI), jsonNum(mt.Pearson)})
}

// evalBinaryReport is the report of "eval" for a drug–target model on binary
// labels; undefined metrics (one class only) are null.
type evalBinaryReport struct {
	reportHeader
	Pairs      int      `json:"n_pairs"`
	AUROC      *float64 `json:"auroc"`
	AUPRC      *float64 `json:"auprc"`
	MacroAUROC *float64 `json:"macro_auroc"` // mean over proteins with both classes
}

// evalAffinityReport is the report of "eval" for a drug–target model on
// affinities; undefined metrics are null.
type evalAffinityReport struct {
	reportHeader
	Pairs   int      `json:"n_pairs"`
	MSE     *float64 `json:"mse"` // unit²
	CI      *float64 `json:"ci"`
	Pearson *float64 `json:"pearson"`
}

// jsonNum returns v for a JSON report, or nil (null) when v is NaN or infinite.
func jsonNum(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// attachAdapter loads the adapter file at path onto m, if path is not "", and
// returns the number of values it holds.
func attachAdapter(path string, m nn.Module) (int, error) {
	if path == "" {
		return 0, nil
	}
	a, err := adapters.Load(path, m)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range a.Params() {
		n += p.Size()
	}
	return n, nil
}
