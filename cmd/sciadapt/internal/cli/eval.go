package cli

import (
	"fmt"
	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/figures"
	"io"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/bio"
	"github.com/sciadapt/sciadapt/constitutive"
	"github.com/sciadapt/sciadapt/constitutive/curves"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
)

// EvalOptions are the flags of "eval".
type EvalOptions struct {
	Model, Adapter, Data, Report string
	Species, Split               string // drug–target models: only these pairs
	Predictions                  string // potentials: write predicted energies and forces here
	Plot                         string // --plot: directory for figures
	Out                          io.Writer
}

// NewCmdEval returns the "eval" command.
func NewCmdEval(out io.Writer) *cobra.Command {
	o := &EvalOptions{Out: out}
	cmd := &cobra.Command{
		Use:   "eval --model BASE.model [--adapter A] --data TEST.h5",
		Short: "Measure a model's errors on a test set",
		Long: `Evaluate a model, with an adapter applied if given, on a test file and print its
errors; --report writes them as JSON. For potentials: energy MAE (eV and eV/atom) and
force MAE (eV/Å, over all components), and stress MAE for periodic frames. For
constitutive models: stress RMSE (MPa) and NRMSE over every curve at its own
temperature. For drug–target models: AUROC, AUPRC and the per-protein mean AUROC
(binary labels) or MSE, concordance index and Pearson r (affinities), over the
pairs of --species and --split if given.`,
		Example: `  sciadapt eval --model hcn.model --data hcn_test.h5
  sciadapt eval --model hcn.model --adapter O.adapter --data o_test.h5 --report o_eval.json
  sciadapt eval --model hcn.model --data hcn_test.h5 --predictions hcn_pred.h5 --plot figures
  sciadapt eval --model human_gpcr.model --adapter rat.adapter --data GPCR.h5 --species rat --report rat_eval.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runEval(o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Model, "model", "", "model file")
	f.StringVar(&o.Adapter, "adapter", "", "adapter file to apply")
	f.StringVar(&o.Data, "data", "", "test data (HDF5)")
	f.StringVar(&o.Report, "report", "", "write a JSON report here")
	f.StringVar(&o.Predictions, "predictions", "", "potentials: write the frames with predicted energies and forces to this atoms HDF5 file")
	f.StringVar(&o.Species, "species", "", "drug–target models: score only the pairs of this species")
	f.StringVar(&o.Split, "split", "", "drug–target models: score only the pairs of this split (e.g. test)")
	f.StringVar(&o.Plot, "plot", "", plotFlagUsage)
	cmd.MarkFlagRequired("model")
	cmd.MarkFlagRequired("data")
	return cmd
}

func runEval(o *EvalOptions) error {
	start := time.Now()
	if err := checkOutputs("report", o.Report, "predictions", o.Predictions); err != nil {
		return err
	}
	mf, err := nn.ReadModelFile(o.Model)
	if err != nil {
		return err
	}
	switch mf.Kind {
	case potentials.Kind:
	case constitutive.Kind:
		return runEvalConstitutive(o, start)
	case bio.Kind:
		return runEvalDTI(o, start)
	default:
		return fmt.Errorf("%s: eval does not know models of kind %q yet", o.Model, mf.Kind)
	}
	m, err := potentials.Load(o.Model)
	if err != nil {
		return err
	}
	var ctx func(*potentials.Batch) *nn.Context
	trainable := 0
	if o.Adapter != "" {
		a, err := potentials.LoadElementAdapter(o.Adapter, m)
		if err != nil {
			return err
		}
		ctx = m.ElementContext
		for _, p := range a.Params() {
			trainable += p.Size()
		}
	}
	frames, err := loadFrames(o.Data, 0, 0)
	if err != nil {
		return err
	}
	ev, systems, err := potentials.EvaluateBySystem(m, frames, 64, ctx)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Data, err)
	}
	total, _ := nn.Counts(m)
	fmt.Fprintf(o.Out, "%s on %s (%d frames): energy MAE %.4f eV (%.4f eV/atom), force MAE %.4f eV/Å\n",
		o.Model, o.Data, ev.Frames, ev.EnergyMAE, ev.EnergyMAEPerAtom, ev.ForceMAE)
	if len(systems) > 1 {
		printSystemErrors(o.Out, systems)
	}
	if ev.StressMAE > 0 {
		fmt.Fprintf(o.Out, "stress MAE %.3g eV/Å³\n", ev.StressMAE)
	}
	if o.Predictions != "" {
		if err := writePredictions(o.Predictions, m, frames, ctx, o.Model, o.Data); err != nil {
			return err
		}
	}
	if o.Plot != "" {
		if err := figures.Potential(o.Plot, o.Out, m, frames, ctx, nil, "test", o.Data); err != nil {
			return err
		}
	}
	report := map[string]any{
		"trainable_parameters": trainable, "total_parameters": total + trainable,
		"seconds": time.Since(start).Seconds(), "n_frames": ev.Frames, "energy_mae_ev": ev.EnergyMAE,
		"energy_mae_ev_per_atom": ev.EnergyMAEPerAtom, "force_mae_ev_per_angstrom": ev.ForceMAE,
		"stress_mae_ev_per_angstrom3": ev.StressMAE,
	}
	if len(systems) > 1 {
		report["systems"] = systems // per system (molecule), when the file has several
	}
	return writeReport(o.Report, report)
}

// printSystemErrors prints one line of errors per system (per molecule of rMD17).
func printSystemErrors(w io.Writer, systems []potentials.SystemErrors) {
	for _, s := range systems {
		fmt.Fprintf(w, "  %-16s %5d frames: energy MAE %.4f eV (%.4f eV/atom), force MAE %.4f eV/Å",
			s.System, s.Frames, s.EnergyMAE, s.EnergyMAEPerAtom, s.ForceMAE)
		if s.StressMAE > 0 {
			fmt.Fprintf(w, ", stress MAE %.3g eV/Å³", s.StressMAE)
		}
		fmt.Fprintln(w)
	}
}

// runEvalConstitutive evaluates a constitutive model, with a temperature adapter if
// given, on every curve of a curves file at its own temperature.
func runEvalConstitutive(o *EvalOptions, start time.Time) error {
	m, err := constitutive.Load(o.Model)
	if err != nil {
		return err
	}
	trainable, err := attachAdapter(o.Adapter, m)
	if err != nil {
		return err
	}
	cs, err := curves.Read(o.Data)
	if err != nil {
		return err
	}
	ev, err := m.Evaluate(cs)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Data, err)
	}
	if o.Predictions != "" {
		if err := writeCurvePredictions(o.Predictions, m, cs, o.Data); err != nil {
			return err
		}
	}
	total, _ := nn.Counts(m)
	fmt.Fprintf(o.Out, "%s on %s (%d curves, %d points): stress RMSE %.2f MPa, NRMSE %.4f\n",
		o.Model, o.Data, len(cs), ev.Points, ev.RMSE, ev.NRMSE)
	if o.Plot != "" {
		if err := figures.Constitutive(o.Plot, o.Out, m, cs, figures.ConstitutiveOptions{Title: filepath.Base(o.Data)}); err != nil {
			return err
		}
	}
	return writeReport(o.Report, evalConstitutiveReport{reportHeader: reportHeader{TrainableParameters: trainable,
		TotalParameters: total + trainable, Seconds: time.Since(start).Seconds()}, Errors: ev})
}

// evalConstitutiveReport is the report of "eval" for a constitutive model:
// n_points, stress_rmse_mpa, stress_nrmse (constitutive.Errors).
type evalConstitutiveReport struct {
	reportHeader
	constitutive.Errors
}
