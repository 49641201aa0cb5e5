package metrics

import (
	"fmt"
	"math"
	"sort"
)

func checkLen(fn string, a, b int) {
	if a != b {
		panic(fmt.Sprintf("metrics: %s: lengths differ (%d and %d)", fn, a, b))
	}
}

func hasNaN(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) {
			return true
		}
	}
	return false
}

// BinaryClasses converts labels stored as 0 and 1 (the /pairs/label dataset of a
// sciadapt-dti file) to classes, true for 1. It returns an error naming the first
// label that is neither 0 nor 1.
func BinaryClasses(labels []float64) ([]bool, error) {
	c := make([]bool, len(labels))
	for i, v := range labels {
		switch v {
		case 0:
		case 1:
			c[i] = true
		default:
			return nil, fmt.Errorf("label %d is %v, want 0 or 1", i, v)
		}
	}
	return c, nil
}

// AUROC returns the area under the ROC curve of scores for the true/false classes,
// with ties in score counted one half (Mann–Whitney; see the package
// documentation). It returns NaN if only one class is present or a score is NaN.
// It panics if the lengths differ.
func AUROC(classes []bool, scores []float64) float64 {
	checkLen("AUROC", len(classes), len(scores))
	if hasNaN(scores) {
		return math.NaN()
	}
	idx := sortedIndex(scores, false)
	var n1, n0 int
	var r1 float64 // sum of the average ranks of the positives
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		avg := float64(i+1+j) / 2 // mean of ranks i+1 … j
		for _, k := range idx[i:j] {
			if classes[k] {
				n1++
				r1 += avg
			} else {
				n0++
			}
		}
		i = j
	}
	if n1 == 0 || n0 == 0 {
		return math.NaN()
	}
	return (r1 - float64(n1)*float64(n1+1)/2) / (float64(n1) * float64(n0))
}

// AUPRC returns the average precision of scores for the classes (see the package
// documentation): precision at each distinct threshold weighted by the gain in
// recall, tied scores entering together. It returns NaN if there is no positive
// or a score is NaN. It panics if the lengths differ.
func AUPRC(classes []bool, scores []float64) float64 {
	checkLen("AUPRC", len(classes), len(scores))
	if hasNaN(scores) {
		return math.NaN()
	}
	npos := 0
	for _, c := range classes {
		if c {
			npos++
		}
	}
	if npos == 0 {
		return math.NaN()
	}
	idx := sortedIndex(scores, true)
	var tp, fp int
	var ap, prevRecall float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			if classes[idx[j]] {
				tp++
			} else {
				fp++
			}
			j++
		}
		recall := float64(tp) / float64(npos)
		ap += (recall - prevRecall) * float64(tp) / float64(tp+fp)
		prevRecall = recall
		i = j
	}
	return ap
}

// MSE returns the mean squared error (1/n) Σ (pred[i] − y[i])², in the squared unit
// of y. It returns NaN for empty input. It panics if the lengths differ.
func MSE(y, pred []float64) float64 {
	checkLen("MSE", len(y), len(pred))
	if len(y) == 0 {
		return math.NaN()
	}
	var s float64
	for i := range y {
		d := pred[i] - y[i]
		s += d * d
	}
	return s / float64(len(y))
}

// Pearson returns Pearson's correlation coefficient of x and y. It returns NaN if
// fewer than two values are given or either vector is constant. It panics if the
// lengths differ.
func Pearson(x, y []float64) float64 {
	checkLen("Pearson", len(x), len(y))
	n := len(x)
	if n < 2 {
		return math.NaN()
	}
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(n)
	my /= float64(n)
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	r := sxy / math.Sqrt(sxx*syy)
	return math.Max(-1, math.Min(1, r)) // rounding can step a hair past ±1
}

// ConcordanceIndex returns the concordance index of predictions pred for measured
// values y: over all pairs with y[i] > y[j], the fraction with pred[i] > pred[j],
// a tie in pred counting one half (DeepDTA's definition; see the package
// documentation). Pairs with equal y are left out. It returns NaN if no pair is
// comparable or a value is NaN. It takes O(n log n) time. It panics if the
// lengths differ.
func ConcordanceIndex(y, pred []float64) float64 {
	checkLen("ConcordanceIndex", len(y), len(pred))
	if hasNaN(y) || hasNaN(pred) {
		return math.NaN()
	}
	n := len(y)
	// Rank the predictions densely: equal predictions share a rank 1 … m.
	byPred := sortedIndex(pred, false)
	rank := make([]int, n)
	m := 0
	for i, k := range byPred {
		if i == 0 || pred[k] != pred[byPred[i-1]] {
			m++
		}
		rank[k] = m
	}
	// Sweep y from low to high. A Fenwick tree counts, by prediction rank, the
	// items of strictly lower y; for each item of the current y group, those with a
	// lower prediction are concordant and those with an equal one are ties.
	tree := make([]int, m+1)
	add := func(r int) {
		for ; r <= m; r += r & -r {
			tree[r]++
		}
	}
	below := func(r int) int { // number of inserted items with rank <= r
		s := 0
		for ; r > 0; r -= r & -r {
			s += tree[r]
		}
		return s
	}
	byY := sortedIndex(y, false)
	var concordant, ties, pairs float64
	inserted := 0
	for i := 0; i < n; {
		j := i
		for j < n && y[byY[j]] == y[byY[i]] {
			j++
		}
		for _, k := range byY[i:j] {
			lt := below(rank[k] - 1)
			le := below(rank[k])
			concordant += float64(lt)
			ties += float64(le - lt)
			pairs += float64(inserted)
		}
		for _, k := range byY[i:j] {
			add(rank[k])
		}
		inserted += j - i
		i = j
	}
	if pairs == 0 {
		return math.NaN()
	}
	return (concordant + ties/2) / pairs
}

// sortedIndex returns the permutation that sorts x ascending (descending if desc),
// stable so the result is deterministic.
func sortedIndex(x []float64, desc bool) []int {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		if desc {
			return x[idx[a]] > x[idx[b]]
		}
		return x[idx[a]] < x[idx[b]]
	})
	return idx
}
