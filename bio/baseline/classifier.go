package baseline

import (
	"fmt"

	"github.com/sciadapt/sciadapt/bio/dtidata"
)

// Method names a fingerprint classifier.
type Method string

// Methods.
const (
	MethodForest   Method = "forest"   // FitForest with its defaults
	MethodLogistic Method = "logistic" // FitLogistic with its defaults
)

// Classifier is a fitted model that scores a feature vector.
type Classifier interface {
	// Prob returns the probability that x is positive.
	Prob(x []float64) float64
}

var (
	_ Classifier = (*Forest)(nil)
	_ Classifier = (*Logistic)(nil)
)

// Fit fits the classifier of method on samples x and labels y (0 or 1) with its
// default options (the forest seeded by seed).
func Fit(method Method, x [][]float64, y []float64, seed uint64) (Classifier, error) {
	switch method {
	case MethodForest:
		return FitForest(x, y, &ForestOptions{Seed: seed})
	case MethodLogistic:
		return FitLogistic(x, y, nil)
	}
	return nil, fmt.Errorf("unknown baseline %q (want %q or %q)", method, MethodForest, MethodLogistic)
}

// PairScores fits method on the training pairs of a binary dataset d — each pair
// a sample with its drug's features and its label, the protein ignored — and
// returns the probability for the drug of every test pair: the fingerprint
// baseline fitted on the same K pairs as an adapted model. drugFeatures[j] are
// the features of drug j (Fingerprint.DrugVectors).
func PairScores(method Method, d *dtidata.Dataset, drugFeatures [][]float64, train, test []int, seed uint64) ([]float64, error) {
	x := make([][]float64, len(train))
	y := make([]float64, len(train))
	for i, k := range train {
		x[i], y[i] = drugFeatures[d.Pairs[k].Drug], d.Pairs[k].Value
	}
	c, err := Fit(method, x, y, seed)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(test))
	for i, k := range test {
		out[i] = c.Prob(drugFeatures[d.Pairs[k].Drug])
	}
	return out, nil
}
