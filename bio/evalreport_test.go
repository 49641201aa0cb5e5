package bio

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/bio/dtidata"
)

func TestEvalReportJSON(t *testing.T) {
	for _, c := range []struct {
		mt   Metrics
		want string
	}{
		{Metrics{Task: dtidata.Binary, Pairs: 4, AUROC: 0.75, AUPRC: math.NaN(), MacroAUROC: 0.5, MSE: 1},
			`{"trainable_parameters":1,"total_parameters":2,"seconds":0.5,"n_pairs":4,"auroc":0.75,"auprc":null,"macro_auroc":0.5}`},
		{Metrics{Task: dtidata.Affinity, Pairs: 3, AUROC: 1, MSE: 0.25, CI: math.Inf(1), Pearson: -1},
			`{"trainable_parameters":1,"total_parameters":2,"seconds":0.5,"n_pairs":3,"mse":0.25,"ci":null,"pearson":-1}`},
	} {
		b, err := json.Marshal(EvalReport{TrainableParameters: 1, TotalParameters: 2, Seconds: 0.5, Metrics: c.mt})
		if err != nil || string(b) != c.want {
			t.Errorf("%s pairs: %s (%v), want %s", c.mt.Task, b, err, c.want)
		}
	}
}

func TestWritePredictions(t *testing.T) {
	d := synthetic(2, 1, 3, 3, 1)
	pairs := []int{0, 4, len(d.Pairs) - 1}
	y := []float64{0.1, -2.5, 1.0 / 3}
	var buf bytes.Buffer
	if err := WritePredictions(&buf, d, pairs, y); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "protein,accession,species,drug,split,value,output" || len(rows) != 4 {
		t.Fatalf("header %q, %d rows", rows[0], len(rows))
	}
	for i, k := range pairs {
		p := d.Pairs[k]
		out, _ := strconv.ParseFloat(rows[i+1][6], 64)
		if rows[i+1][0] != d.Proteins[p.Protein].ID || rows[i+1][2] != d.Proteins[p.Protein].Species ||
			rows[i+1][3] != d.Drugs[p.Drug].ID || rows[i+1][5] != strconv.FormatFloat(p.Value, 'g', -1, 64) || out != y[i] {
			t.Errorf("row %d %q for pair %d %+v, output %v", i, rows[i+1], k, p, y[i])
		}
	}
}
