package bio

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/internal/atomicfile"
	"github.com/sciadapt/sciadapt/nn"
)

// EvalReport is the report of "eval" for a drug–target model: the parameters,
// the command's seconds and, after n_pairs, auroc, auprc and macro_auroc
// (binary labels) or mse, ci and pearson (affinities), null when undefined
// (DESIGN.md).
type EvalReport struct {
	TrainableParameters int
	TotalParameters     int
	Seconds             float64
	Metrics             Metrics
}

// MarshalJSON writes the keys of the report in the order of the fields above.
func (r EvalReport) MarshalJSON() ([]byte, error) {
	type header struct {
		Trainable int     `json:"trainable_parameters"`
		Total     int     `json:"total_parameters"`
		Seconds   float64 `json:"seconds"`
		Pairs     int     `json:"n_pairs"`
	}
	h, mt := header{r.TrainableParameters, r.TotalParameters, r.Seconds, r.Metrics.Pairs}, r.Metrics
	if mt.Task == dtidata.Binary {
		return json.Marshal(struct {
			header
			AUROC      *float64 `json:"auroc"`
			AUPRC      *float64 `json:"auprc"`
			MacroAUROC *float64 `json:"macro_auroc"` // mean over proteins with both classes
		}{h, jsonNum(mt.AUROC), jsonNum(mt.AUPRC), jsonNum(mt.MacroAUROC)})
	}
	return json.Marshal(struct {
		header
		MSE     *float64 `json:"mse"` // unit²
		CI      *float64 `json:"ci"`
		Pearson *float64 `json:"pearson"`
	}{h, jsonNum(mt.MSE), jsonNum(mt.CI), jsonNum(mt.Pearson)})
}

// WritePredictions writes one CSV line per pair of pairs: protein, accession,
// species, drug, split, value (label or affinity) and the model's output y[i]
// (a logit for binary labels, the predicted affinity otherwise), after a header.
// Values are written in the shortest form that reads back to the same number,
// outputs with 17 significant digits.
func WritePredictions(w io.Writer, d *dtidata.Dataset, pairs []int, y []float64) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"protein", "accession", "species", "drug", "split", "value", "output"})
	for i, k := range pairs {
		p := d.Pairs[k]
		pr := d.Proteins[p.Protein]
		cw.Write([]string{pr.ID, pr.Accession, pr.Species, d.Drugs[p.Drug].ID, p.Split,
			strconv.FormatFloat(p.Value, 'g', -1, 64), strconv.FormatFloat(y[i], 'g', 17, 64)})
	}
	cw.Flush()
	return cw.Error()
}

// Evaluation is a drug–target model scored on pairs of a file (the "eval"
// command's protocol, EvaluateFile).
type Evaluation struct {
	Model   *Model
	Dataset *dtidata.Dataset
	Pairs   []int     // the pairs scored
	Y       []float64 // the model's outputs for them
	Metrics Metrics
	Report  EvalReport // without the command's seconds
}

// EvaluateFile reads the model file at model, attaches the adapter file at
// adapter if it is not "", and scores them on the pairs of the drug–target file
// at data of species and split ("" for all; dtidata.Dataset.PairsWhere). The
// report counts the adapter's values as trainable; the total is that of the
// model with the adapter. Errors name the file.
func EvaluateFile(model, adapter, data, species, split string) (*Evaluation, error) {
	m, _, err := Load(model)
	if err != nil {
		return nil, err
	}
	trainable := 0
	if adapter != "" {
		a, err := adapters.Load(adapter, m)
		if err != nil {
			return nil, err
		}
		for _, p := range a.Params() {
			trainable += p.Size()
		}
	}
	d, err := dtidata.Read(data)
	if err != nil {
		return nil, err
	}
	if d.Task != m.Config.Task {
		return nil, fmt.Errorf("%s: %s pairs, but %s is a %s model", data, d.Task, model, m.Config.Task)
	}
	e := &Evaluation{Model: m, Dataset: d}
	if e.Pairs, err = d.PairsWhere(species, split); err != nil {
		return nil, fmt.Errorf("%s: %v", data, err)
	}
	tok, err := m.Tokenize(d)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", data, err)
	}
	e.Y = Predict(m, nil, tok, e.Pairs)
	e.Metrics = Score(d, e.Pairs, e.Y)
	total, _ := nn.Counts(m)
	e.Report = EvalReport{TrainableParameters: trainable, TotalParameters: total, Metrics: e.Metrics}
	return e, nil
}

// WritePredictions writes the pairs scored with the model's outputs to the CSV
// file at path (WritePredictions), atomically.
func (e *Evaluation) WritePredictions(path string) error {
	return atomicfile.Write(path, func(w io.Writer) error { return WritePredictions(w, e.Dataset, e.Pairs, e.Y) })
}
