package constitutive

import (
	"fmt"
	"io"

	"github.com/sciadapt/sciadapt/constitutive/curves"
)

// WriteSummary writes the result of a base fit saved to out: the modulus and
// initial yield stress at the base temperature, the stress error on the training
// curves, a note when L-BFGS stopped at its iteration bound, and the
// specimen-to-specimen scatter of the curves.
func (r *BaseReport) WriteSummary(w io.Writer, out string) {
	fmt.Fprintf(w, "wrote %s: E %.1f GPa, σ_y0 %.1f MPa; training stress RMSE %.2f MPa (NRMSE %.4f) on %d points\n",
		out, r.ModulusMPa/1000, r.YieldMPa, r.RMSE, r.NRMSE, r.Points)
	if !r.Converged {
		fmt.Fprintf(w, "note: L-BFGS stopped after %d iterations before its gradient tolerance; the best point found was kept\n", r.Iterations)
	}
	writeScatter(w, r.Scatter)
}

// WriteSummary writes the result of a temperature tuning whose adapter was saved
// to out: the values trained, the specimen and points tuned on, the modulus and
// initial yield stress at the new temperature, and the stress errors on the
// other specimens, of the tuned and of the base model, beside their scatter.
func (r *SpecimenTuneReport) WriteSummary(w io.Writer, out string) {
	tC := curves.KelvinToCelsius(r.TemperatureK)
	fmt.Fprintf(w, "wrote %s (%d trained parameters, tuned on %d points of %s): E %.1f GPa, σ_y0 %.1f MPa at %g °C\n", out,
		r.TrainableParameters, len(r.TrainIndices), r.Specimen, r.ModulusMPa/1000, r.YieldMPa, tC)
	if r.RMSE == nil {
		fmt.Fprintf(w, "note: no other specimen at %g °C to test on\n", tC)
		return
	}
	fmt.Fprintf(w, "on the %d other specimens (%d points): stress RMSE %.2f MPa, NRMSE %.4f (base model unchanged: %.2f MPa, %.4f)\n",
		r.TestSpecimens, r.Points, *r.RMSE, *r.NRMSE, r.Base.RMSE, r.Base.NRMSE)
	writeScatter(w, r.Scatter)
}

func writeScatter(w io.Writer, sc *Errors) {
	if sc != nil {
		fmt.Fprintf(w, "specimen-to-specimen scatter (each against the mean of the others): RMSE %.2f MPa, NRMSE %.4f\n", sc.RMSE, sc.NRMSE)
	}
}
