package metrics_test

import (
	"fmt"

	"github.com/sciadapt/sciadapt/bio/metrics"
)

func Example() {
	// Binary labels: two positives, two negatives; one positive–negative pair is
	// ordered wrongly.
	classes := []bool{true, false, true, false}
	scores := []float64{0.9, 0.8, 0.7, 0.1}
	fmt.Printf("AUROC %.4f  AUPRC %.4f\n", metrics.AUROC(classes, scores), metrics.AUPRC(classes, scores))

	// Affinities in pKd; two compounds at the inactive ceiling pKd 5.
	y := []float64{5, 5, 7, 6}
	p := []float64{5.1, 5.3, 6.5, 6.5}
	fmt.Printf("MSE %.4f  CI %.4f  r %.4f\n", metrics.MSE(y, p), metrics.ConcordanceIndex(y, p), metrics.Pearson(y, p))
	// Output:
	// AUROC 0.7500  AUPRC 0.8333
	// MSE 0.1500  CI 0.9000  r 0.8992
}
