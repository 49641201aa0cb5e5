package cli

import (
	"fmt"
	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/figures"
	"io"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/constitutive"
	"github.com/sciadapt/sciadapt/constitutive/curves"
	"github.com/sciadapt/sciadapt/internal/progress"
	"github.com/sciadapt/sciadapt/nn"
)

// curvesAt reads a curves file and returns the curves at tK (curves.At), or an
// error naming the file and listing the temperatures present.
func curvesAt(path string, tK float64) ([]curves.Curve, error) {
	all, err := curves.Read(path)
	if err != nil {
		return nil, err
	}
	at, err := curves.At(all, tK)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return at, nil
}

// TrainConstitutiveOptions are the flags of "train constitutive".
type TrainConstitutiveOptions struct {
	Data, Out, Report, Temperature string
	MaxIterations, PointsPerCurve  int
	Seed                           uint64
	Plot                           string // --plot: directory for figures
	Log                            io.Writer
	Progress                       progress.Reporter // L-BFGS evaluations and notes; nil reports nothing
	Checkpoint                     CheckpointFlags
}

func newCmdTrainConstitutive(out io.Writer) *cobra.Command {
	o := &TrainConstitutiveOptions{Log: out}
	cmd := &cobra.Command{
		Use:   "constitutive --data TRAIN.h5 --out BASE.model",
		Short: "Train a base thermo-elasto-plastic model on tension curves at one temperature",
		Long: `Train a small-strain J2 elasto-plastic model with a learned free energy
ψ = ψᵉ(εᵉ, T) + ψᵖ(α, T) on the uniaxial tension curves of a curves file (see
"sciadapt import matcal") at the base temperature, all specimens and directions.
Stress is ∂ψ/∂εᵉ and hardening ∂ψᵖ/∂α by automatic differentiation. All
parameters train by L-BFGS on the mean squared stress error, curves weighted equally.
The report gives the fit error on the training curves.`,
		Example: `  sciadapt import matcal al6061/*.csv --out al.h5
  sciadapt train constitutive --data al.h5 --out al6061.model --report base.json
  sciadapt train constitutive --data al.h5 --temperature 23C --points-per-curve 60 --out al6061.model`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Progress = progressFor(cmd, "train constitutive")
			return runTrainConstitutive(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Data, "data", "", "tension curves (sciadapt-curves HDF5)")
	f.StringVar(&o.Out, "out", "", "model file to write")
	f.StringVar(&o.Report, "report", "", "write a JSON report here")
	f.StringVar(&o.Temperature, "temperature", "23C", "base temperature: the curves at it train (200C, 473.15K, 851.67R)")
	f.IntVar(&o.MaxIterations, "max-iterations", 300, "L-BFGS iterations")
	f.IntVar(&o.PointsPerCurve, "points-per-curve", 0, "subsample each curve to at most this many points (0 = all)")
	f.Uint64Var(&o.Seed, "seed", 1, "seed for the initial weights")
	o.Checkpoint.register(f)
	f.StringVar(&o.Plot, "plot", "", plotFlagUsage)
	cmd.MarkFlagRequired("data")
	cmd.MarkFlagRequired("out")
	return cmd
}

func runTrainConstitutive(o *TrainConstitutiveOptions) error {
	start := time.Now()
	if err := checkOutputs("out", o.Out, "report", o.Report); err != nil {
		return err
	}
	tK, err := curves.ParseTemperature(o.Temperature)
	if err != nil {
		return usagef("--temperature: %v", err)
	}
	if o.MaxIterations < 1 {
		return usagef("--max-iterations must be at least 1, not %d", o.MaxIterations)
	}
	if o.PointsPerCurve < 0 || o.PointsPerCurve == 1 {
		return usagef("--points-per-curve must be 0 (all) or at least 2, not %d", o.PointsPerCurve)
	}
	cs, err := curvesAt(o.Data, tK)
	if err != nil {
		return err
	}
	m, err := constitutive.New(constitutive.Config{BaseTemperatureK: tK, Seed: o.Seed})
	if err != nil {
		return err
	}
	ck, stop, err := o.Checkpoint.saver()
	if err != nil {
		return err
	}
	defer stop()
	prog := orDiscard(o.Progress)
	prog.Notef("training on %d curves of %s at %g °C", len(cs), o.Data, curves.KelvinToCelsius(tK))
	prog.Start(o.MaxIterations, "L-BFGS evaluations")
	r, err := m.FitBase(cs, &constitutive.FitOptions{MaxIterations: o.MaxIterations, MaxPointsPerCurve: o.PointsPerCurve,
		OnEpoch: fitReporter(prog, time.Now()), Checkpoint: ck})
	prog.Done()
	printCheckpoints(o.Log, ck)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Data, err)
	}
	if err := m.Save(o.Out); err != nil {
		return err
	}
	if o.Plot != "" {
		if err := figures.Constitutive(o.Plot, o.Log, m, cs, figures.ConstitutiveOptions{Title: "training on " + filepath.Base(o.Data)}); err != nil {
			return err
		}
	}
	fmt.Fprintf(o.Log, "wrote %s: E %.1f GPa, σ_y0 %.1f MPa; training stress RMSE %.2f MPa (NRMSE %.4f) on %d points\n",
		o.Out, r.ModulusMPa/1000, r.YieldMPa, r.RMSE, r.NRMSE, r.Points)
	if !r.Converged {
		fmt.Fprintf(o.Log, "note: L-BFGS stopped after %d iterations before its gradient tolerance; the best point found was kept\n", r.Iterations)
	}
	if sc := r.Scatter; sc != nil {
		fmt.Fprintf(o.Log, "specimen-to-specimen scatter (each against the mean of the others): RMSE %.2f MPa, NRMSE %.4f\n", sc.RMSE, sc.NRMSE)
	}
	r.Seconds = time.Since(start).Seconds()
	return writeReport(o.Report, r)
}

// TemperatureTuneOptions are the flags of "temperature-tune".
type TemperatureTuneOptions struct {
	Base, Data, Out, Report, Temperature, Specimen string
	Points, MaxIterations, Hidden                  int
	Seed                                           uint64
	Plot                                           string // --plot: directory for figures
	Log                                            io.Writer
	Progress                                       progress.Reporter // L-BFGS evaluations and notes; nil reports nothing
	Checkpoint                                     CheckpointFlags
}

// NewCmdTemperatureTune returns the "temperature-tune" command.
func NewCmdTemperatureTune(out io.Writer) *cobra.Command {
	o := &TemperatureTuneOptions{Log: out}
	cmd := &cobra.Command{
		Use:   "temperature-tune --base BASE.model --temperature 200C --data T.h5 --out T.adapter",
		Short: "Re-tune a constitutive model to a new temperature from a few measured points",
		Long: `Re-tune a base constitutive model to a new temperature from K points of ONE
measured tension curve at that temperature: one point in the elastic range, the rest
spread evenly in strain over the plastic part. Only small FiLM subnetworks train:
they scale (γ > 0) and shift the hidden units of the property and hardening networks
as functions of c = (T − T₀)/ΔT, with γ = 1 and β = 0 exactly at the base
temperature T₀. Every base parameter stays frozen; the adapter file holds only the
FiLM weights and the base's fingerprint.

The specimen is --specimen, or one drawn with --seed among the curves at the
temperature with at least K points. Errors are reported on the OTHER specimens at
that temperature, for the tuned model and for the base model unchanged, beside the
specimen-to-specimen scatter (each other specimen against the mean of the rest).`,
		Example: `  sciadapt temperature-tune --base al6061.model --temperature 200C --data al.h5 --points 10 --out al200.adapter
  sciadapt temperature-tune --base al6061.model --temperature 100C --data al.h5 --specimen 6061-02-03-100C-LT --points 5 --report t100.json --out al100.adapter`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Progress = progressFor(cmd, "temperature-tune")
			return runTemperatureTune(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Base, "base", "", "base model file")
	f.StringVar(&o.Temperature, "temperature", "", "the new temperature (200C, 473.15K, 851.67R)")
	f.StringVar(&o.Data, "data", "", "tension curves (sciadapt-curves HDF5) holding curves at that temperature")
	f.StringVar(&o.Out, "out", "", "adapter file to write")
	f.StringVar(&o.Report, "report", "", "write a JSON report here")
	f.StringVar(&o.Specimen, "specimen", "", "the specimen to take the points from (default: drawn with --seed)")
	f.IntVar(&o.Points, "points", 10, "number K of measured points to tune on")
	f.IntVar(&o.MaxIterations, "max-iterations", 300, "L-BFGS iterations")
	f.IntVar(&o.Hidden, "hidden", 0, "hidden width of the FiLM generators (0 = linear in temperature)")
	f.Uint64Var(&o.Seed, "seed", 1, "seed choosing the specimen and initialising the adapter")
	o.Checkpoint.register(f)
	f.StringVar(&o.Plot, "plot", "", plotFlagUsage)
	for _, n := range []string{"base", "temperature", "data", "out"} {
		cmd.MarkFlagRequired(n)
	}
	return cmd
}

// validate checks the flags of temperature-tune that need no file.
func (o *TemperatureTuneOptions) validate() (float64, error) {
	if err := checkOutputs("out", o.Out, "report", o.Report); err != nil {
		return 0, err
	}
	tK, err := curves.ParseTemperature(o.Temperature)
	if err != nil {
		return 0, usagef("--temperature: %v", err)
	}
	switch {
	case o.Points < 1:
		return 0, usagef("--points must be at least 1, not %d", o.Points)
	case o.MaxIterations < 1:
		return 0, usagef("--max-iterations must be at least 1, not %d", o.MaxIterations)
	case o.Hidden < 0:
		return 0, usagef("--hidden must be 0 or more, not %d", o.Hidden)
	}
	return tK, nil
}

func runTemperatureTune(o *TemperatureTuneOptions) error {
	start := time.Now()
	tK, err := o.validate()
	if err != nil {
		return err
	}
	m, err := constitutive.Load(o.Base)
	if err != nil {
		return err
	}
	cs, err := curvesAt(o.Data, tK)
	if err != nil {
		return err
	}
	ck, stop, err := o.Checkpoint.saver()
	if err != nil {
		return err
	}
	defer stop()
	ck.Config = "base=" + nn.Fingerprint(m) // the frozen base enters the objective
	prog := orDiscard(o.Progress)
	prog.Notef("tuning %s to %g °C on %d points of a specimen of %s", o.Base, curves.KelvinToCelsius(tK), o.Points, o.Data)
	prog.Start(o.MaxIterations, "L-BFGS evaluations")
	s, err := m.TuneToSpecimen(cs, tK, constitutive.SpecimenTuneOptions{Points: o.Points, Specimen: o.Specimen,
		TuneOptions: constitutive.TuneOptions{Hidden: o.Hidden, Seed: o.Seed, FitOptions: constitutive.FitOptions{
			MaxIterations: o.MaxIterations, OnEpoch: fitReporter(prog, time.Now()), Checkpoint: ck}}})
	prog.Done()
	printCheckpoints(o.Log, ck)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Data, err)
	}
	if err := s.Adapter.Save(o.Out); err != nil {
		return err
	}
	printTune(o.Log, o.Out, s)
	if o.Plot != "" {
		if err := figures.TemperatureTune(o.Plot, o.Log, m, s.Adapter, o.Data, tK, s.Train, s.Indices, s.Others); err != nil {
			return err
		}
	}
	s.Report.Seconds = time.Since(start).Seconds()
	return writeReport(o.Report, s.Report)
}

// printTune prints the result of temperature-tune.
func printTune(w io.Writer, out string, s *constitutive.SpecimenTune) {
	r := s.Report
	tC := curves.KelvinToCelsius(r.TemperatureK)
	fmt.Fprintf(w, "wrote %s (%d trained parameters, tuned on %d points of %s): E %.1f GPa, σ_y0 %.1f MPa at %g °C\n", out,
		r.TrainableParameters, len(r.TrainIndices), r.Specimen, r.ModulusMPa/1000, r.YieldMPa, tC)
	if r.RMSE == nil {
		fmt.Fprintf(w, "note: no other specimen at %g °C to test on\n", tC)
		return
	}
	fmt.Fprintf(w, "on the %d other specimens (%d points): stress RMSE %.2f MPa, NRMSE %.4f (base model unchanged: %.2f MPa, %.4f)\n",
		r.TestSpecimens, r.Points, *r.RMSE, *r.NRMSE, r.Base.RMSE, r.Base.NRMSE)
	if sc := r.Scatter; sc != nil {
		fmt.Fprintf(w, "specimen-to-specimen scatter (each against the mean of the others): RMSE %.2f MPa, NRMSE %.4f\n", sc.RMSE, sc.NRMSE)
	}
}
