package bio

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"

	"github.com/sciadapt/sciadapt/bio/dtidata"
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
