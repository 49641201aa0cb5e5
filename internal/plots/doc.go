// Package plots draws the figures that sciadapt commands write with --plot: parity
// plots, training-loss and learning curves, stress–strain curves and ROC curves.
// It turns numbers into PNG files and knows nothing of models or data sets; the
// commands pass it plain slices and the labels, with units, to put on the axes.
//
// # Figures
//
// Every figure is a PNG of 5 × 4 inches at 150 dots per inch (750 × 600 pixels),
// white background, with 12-point tick labels and legend, 13-point axis labels and
// a 14-point title, and a colour-blind-safe palette (Okabe and Ito). Files are
// written atomically (a temporary file renamed into place), so an error never
// leaves a partial image behind.
//
// The legend goes in the corner of the data area where it covers fewest data
// points and line samples; if every corner would cover some, the vertical axis is
// extended upwards (both axes for parity plots, which stay square) until the
// legend sits above all data.
//
// # Quantities
//
// Parity draws predicted against reference values with the line y = x over
// identical axis ranges and gives the mean absolute error
//
//	MAE = (1/n) Σᵢ |predᵢ − refᵢ|
//
// in the legend, in the unit of the axes. ROC draws the true-positive rate
// TPR(t) = #{score ≥ t, positive}/#positive against the false-positive rate
// FPR(t) = #{score ≥ t, negative}/#negative over all thresholds t, tied scores
// stepping together (a diagonal segment), and gives the area under it,
//
//	AUROC = Σ (FPRₖ₊₁ − FPRₖ)(TPRₖ₊₁ + TPRₖ)/2,
//
// which equals the probability that a random positive scores above a random
// negative, ties counting one half. The dashed diagonal is a classifier that
// guesses (AUROC 0.5).
//
// # Bad values
//
// Points with a NaN or infinite coordinate (or a non-positive one on a
// logarithmic axis) are left out and counted in the legend; a figure with no
// point left returns an error. Slices of different lengths are a programming
// error: the functions panic.
package plots
