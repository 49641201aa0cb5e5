package bio

import (
	"encoding/json"
	"math"

	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/bio/metrics"
	"github.com/sciadapt/sciadapt/nn"
)

// Metrics are the scores of a model on a set of pairs. Binary models fill AUROC
// and AUPRC, affinity models MSE (unit²), CI and Pearson; a metric that is not
// defined (one class only, no pairs) is NaN and written as null in JSON.
type Metrics struct {
	Task      dtidata.Task
	Pairs     int
	Positives int // binary only
	AUROC     float64
	AUPRC     float64
	// MacroAUROC is the mean AUROC per protein over the MacroProteins proteins
	// whose pairs hold both classes (binary only; see MacroAUROC).
	MacroAUROC    float64
	MacroProteins int
	MSE           float64
	CI            float64
	Pearson       float64
}

// Score computes the metrics of outputs y (logits or affinities) for the given
// pairs of d.
func Score(d *dtidata.Dataset, pairs []int, y []float64) Metrics {
	mt := Metrics{Task: d.Task, Pairs: len(pairs), AUROC: math.NaN(), AUPRC: math.NaN(), MacroAUROC: math.NaN(),
		MSE: math.NaN(), CI: math.NaN(), Pearson: math.NaN()}
	if len(pairs) == 0 {
		return mt
	}
	t := make([]float64, len(pairs))
	for i, k := range pairs {
		t[i] = d.Pairs[k].Value
	}
	if d.Task == dtidata.Binary {
		cls := make([]bool, len(t))
		for i, v := range t {
			cls[i] = v == 1
			if cls[i] {
				mt.Positives++
			}
		}
		mt.AUROC = metrics.AUROC(cls, y)
		mt.AUPRC = metrics.AUPRC(cls, y)
		mt.MacroAUROC, mt.MacroProteins = MacroAUROC(d, pairs, y)
		return mt
	}
	mt.MSE = metrics.MSE(t, y)
	mt.CI = metrics.ConcordanceIndex(t, y)
	mt.Pearson = metrics.Pearson(t, y)
	return mt
}

// Evaluate predicts the given pairs with m and scores them.
func Evaluate(m *Model, ctx *nn.Context, data *Data, pairs []int) Metrics {
	return Score(data.Set, pairs, Predict(m, ctx, data, pairs))
}

func jsonNum(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// MarshalJSON writes n_pairs and n_positive, auroc, auprc, macro_auroc,
// macro_proteins (binary) or mse, ci, pearson (affinity), with null for undefined
// values.
func (mt Metrics) MarshalJSON() ([]byte, error) {
	if mt.Task == dtidata.Binary {
		return json.Marshal(struct {
			Pairs     int      `json:"n_pairs"`
			Positives int      `json:"n_positive"`
			AUROC     *float64 `json:"auroc"`
			AUPRC     *float64 `json:"auprc"`
			Macro     *float64 `json:"macro_auroc"`
			MacroN    int      `json:"macro_proteins"`
		}{mt.Pairs, mt.Positives, jsonNum(mt.AUROC), jsonNum(mt.AUPRC), jsonNum(mt.MacroAUROC), mt.MacroProteins})
	}
	return json.Marshal(struct {
		Pairs   int      `json:"n_pairs"`
		MSE     *float64 `json:"mse"`
		CI      *float64 `json:"ci"`
		Pearson *float64 `json:"pearson"`
	}{mt.Pairs, jsonNum(mt.MSE), jsonNum(mt.CI), jsonNum(mt.Pearson)})
}

// String formats the metrics for a log line.
func (mt Metrics) String() string {
	b, _ := mt.MarshalJSON()
	return string(b)
}

// MacroAUROC returns the mean over proteins of the AUROC of the given pairs of
// that protein, over the proteins whose pairs hold both classes, and the number
// of such proteins. Unlike the pooled AUROC it gives no credit for ranking whole
// proteins by their base rates. It returns NaN and 0 when no protein has both
// classes.
func MacroAUROC(d *dtidata.Dataset, pairs []int, y []float64) (mean float64, proteins int) {
	idx := map[int][]int{}
	var order []int
	for i, k := range pairs {
		p := d.Pairs[k].Protein
		if _, ok := idx[p]; !ok {
			order = append(order, p)
		}
		idx[p] = append(idx[p], i)
	}
	sum := 0.0
	for _, p := range order {
		cls := make([]bool, len(idx[p]))
		ys := make([]float64, len(idx[p]))
		for j, i := range idx[p] {
			cls[j] = d.Pairs[pairs[i]].Value == 1
			ys[j] = y[i]
		}
		if a := metrics.AUROC(cls, ys); !math.IsNaN(a) {
			sum += a
			proteins++
		}
	}
	if proteins == 0 {
		return math.NaN(), 0
	}
	return sum / float64(proteins), proteins
}
