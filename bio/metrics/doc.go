// Package metrics scores drug–target predictions: AUROC and AUPRC for binary
// labels, and MSE, the concordance index and Pearson's r for affinities.
//
// # Binary labels
//
// classes[i] is true for an interacting (positive) pair; scores[i] is the model's
// score, larger meaning more likely positive. With n₁ positives and n₀ negatives,
//
//	AUROC = (R₁ − n₁(n₁+1)/2) / (n₁ n₀)
//
// where R₁ is the sum of the ranks of the positive scores among all scores, tied
// scores sharing their average rank. This is the Mann–Whitney U statistic over
// n₁n₀: the probability that a random positive scores above a random negative,
// a tie counting one half. It equals the trapezoidal area under the ROC curve.
//
// AUPRC is the average precision over the distinct score thresholds t taken from
// high to low:
//
//	AUPRC = Σₜ (Rₜ − Rₜ₋₁) Pₜ,   Pₜ = TPₜ / (TPₜ + FPₜ),   Rₜ = TPₜ / n₁,  R₀ = 0
//
// with all pairs that tie at a score entering at the same threshold. This is
// scikit-learn's average_precision_score; it is not the trapezoidal area, which is
// optimistic for precision–recall curves.
//
// # Affinities
//
// y[i] is the measured affinity (pKd for the Davis set: pKd = −log10(Kd / 1 M)) and
// p[i] the prediction, in the same unit.
//
//	MSE     = (1/n) Σ (pᵢ − yᵢ)²                                     unit²
//	CI      = (1/Z) Σ_{yᵢ > yⱼ} h(pᵢ − pⱼ),   h(x) = 1 if x > 0, ½ if x = 0, 0 if x < 0
//	Pearson = Σ (yᵢ − ȳ)(pᵢ − p̄) / √(Σ (yᵢ − ȳ)² Σ (pᵢ − p̄)²)
//
// The concordance index is the one of DeepDTA (Öztürk et al., Bioinformatics 34,
// i821 (2018), after Pahikkala et al. 2015): the sum runs over all Z pairs with
// different measured affinities; pairs with equal y are not comparable and are
// left out, and a tie in prediction counts one half. ConcordanceIndex runs in
// O(n log n). (DeepDTA's emetrics.get_cindex loops over i > j only, which counts
// each comparable pair only when the larger y comes later in the data order; that
// is a subsample of the pairs above, equal in expectation on shuffled data.)
//
// # Conventions
//
// Every function panics if its two slices differ in length. A metric that is not
// defined for the input returns NaN: no data, a single class (AUROC), no positive
// (AUPRC), no comparable pair (CI), a constant vector (Pearson), or a NaN among
// the inputs.
package metrics
