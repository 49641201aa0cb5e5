package cli

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/constitutive"
	"github.com/sciadapt/sciadapt/constitutive/curves"
	"github.com/sciadapt/sciadapt/internal/progress"
	"github.com/sciadapt/sciadapt/nn"
)

// temperatureToleranceK is how far a curve's nominal temperature may lie from the
// requested one and still count as "at" it.
const temperatureToleranceK = 2.0

// curvesAt reads a curves file and returns the curves at tK (± temperatureToleranceK),
// sorted by specimen name, or an error listing the temperatures present.
func curvesAt(path string, tK float64) ([]curves.Curve, error) {
	all, err := curves.Read(path)
	if err != nil {
		return nil, err
	}
	var at []curves.Curve
	seen := map[float64]bool{}
	var temps []float64
	for _, c := range all {
		if math.Abs(c.TemperatureK-tK) <= temperatureToleranceK {
			at = append(at, c)
		}
		t := math.Round(curves.KelvinToCelsius(c.TemperatureK)*10) / 10
		if !seen[t] {
			seen[t] = true
			temps = append(temps, t)
		}
	}
	if len(at) == 0 {
		sort.Float64s(temps)
		s := make([]string, len(temps))
		for i, t := range temps {
			s[i] = fmt.Sprintf("%gC", t)
		}
		return nil, fmt.Errorf("%s: no curve at %g °C (%.2f K); the file holds %s", path, curves.KelvinToCelsius(tK), tK, strings.Join(s, ", "))
	}
	sort.Slice(at, func(i, j int) bool { return at[i].Specimen < at[j].Specimen })
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
	fit, err := m.Fit(cs, &constitutive.FitOptions{MaxIterations: o.MaxIterations, MaxPointsPerCurve: o.PointsPerCurve,
		OnEpoch: fitReporter(prog, time.Now()), Checkpoint: ck})
	prog.Done()
	printCheckpoints(o.Log, ck)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Data, err)
	}
	ev, err := m.Evaluate(cs)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Data, err)
	}
	if err := m.Save(o.Out); err != nil {
		return err
	}
	if o.Plot != "" {
		if err := plotConstitutive(o.Plot, o.Log, m, cs, constitutivePlot{title: "training on " + filepath.Base(o.Data)}); err != nil {
			return err
		}
	}
	p := m.Properties(tK)
	total, trainable := nn.Counts(m)
	fmt.Fprintf(o.Log, "wrote %s: E %.1f GPa, σ_y0 %.1f MPa; training stress RMSE %.2f MPa (NRMSE %.4f) on %d points\n",
		o.Out, p.ModulusMPa/1000, p.YieldMPa, ev.RMSE, ev.NRMSE, ev.Points)
	if !fit.Converged {
		fmt.Fprintf(o.Log, "note: L-BFGS stopped after %d iterations before its gradient tolerance; the best point found was kept\n", fit.Iterations)
	}
	report := map[string]any{
		"trainable_parameters": trainable, "total_parameters": total,
		"n_points": ev.Points, "stress_rmse_mpa": ev.RMSE, "stress_nrmse": ev.NRMSE,
		"n_curves": len(cs), "base_temperature_K": tK, "modulus_mpa": p.ModulusMPa, "yield_mpa": p.YieldMPa,
		"iterations": fit.Iterations, "converged": fit.Converged, "loss": fit.Loss,
	}
	if len(cs) >= 2 {
		if sc, err := constitutive.Scatter(cs); err == nil {
			report["scatter"] = sc
			fmt.Fprintf(o.Log, "specimen-to-specimen scatter (each against the mean of the others): RMSE %.2f MPa, NRMSE %.4f\n", sc.RMSE, sc.NRMSE)
		}
	}
	report["seconds"] = time.Since(start).Seconds()
	return writeReport(o.Report, report)
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

func runTemperatureTune(o *TemperatureTuneOptions) error {
	start := time.Now()
	if err := checkOutputs("out", o.Out, "report", o.Report); err != nil {
		return err
	}
	tK, err := curves.ParseTemperature(o.Temperature)
	if err != nil {
		return usagef("--temperature: %v", err)
	}
	if o.Points < 1 {
		return usagef("--points must be at least 1, not %d", o.Points)
	}
	if o.MaxIterations < 1 {
		return usagef("--max-iterations must be at least 1, not %d", o.MaxIterations)
	}
	if o.Hidden < 0 {
		return usagef("--hidden must be 0 or more, not %d", o.Hidden)
	}
	m, err := constitutive.Load(o.Base)
	if err != nil {
		return err
	}
	cs, err := curvesAt(o.Data, tK)
	if err != nil {
		return err
	}
	pick := -1
	if o.Specimen != "" {
		var names []string
		for i, c := range cs {
			names = append(names, c.Specimen)
			if c.Specimen == o.Specimen {
				pick = i
			}
		}
		if pick < 0 {
			return fmt.Errorf("%s: no specimen %q at %g °C; there are %s", o.Data, o.Specimen, curves.KelvinToCelsius(tK), strings.Join(names, ", "))
		}
		if cs[pick].Len() < o.Points {
			return fmt.Errorf("%s: specimen %s has %d points, fewer than --points %d", o.Data, o.Specimen, cs[pick].Len(), o.Points)
		}
	} else {
		var ok []int
		for i, c := range cs {
			if c.Len() >= o.Points {
				ok = append(ok, i)
			}
		}
		if len(ok) == 0 {
			return fmt.Errorf("%s: no curve at %g °C has %d points", o.Data, curves.KelvinToCelsius(tK), o.Points)
		}
		rng := rand.New(rand.NewPCG(o.Seed, 0x7e3a))
		pick = ok[rng.IntN(len(ok))]
	}
	train := cs[pick]
	others := append(append([]curves.Curve{}, cs[:pick]...), cs[pick+1:]...)
	idx, err := constitutive.SelectPoints(train, o.Points)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Data, err)
	}
	eps, sig := make([]float64, len(idx)), make([]float64, len(idx))
	for j, i := range idx {
		eps[j], sig[j] = train.Strain[i], train.Stress[i]
	}
	report := map[string]any{"temperature_K": tK, "specimen": train.Specimen, "train_indices": idx}
	if len(others) > 0 {
		baseEv, err := m.Evaluate(others)
		if err != nil {
			return fmt.Errorf("%s: %v", o.Data, err)
		}
		report["base"] = baseEv
	}
	prog := orDiscard(o.Progress)
	prog.Notef("tuning %s to %g °C on %d points of %s (%s)", o.Base, curves.KelvinToCelsius(tK), len(idx), train.Specimen, o.Data)
	name := fmt.Sprintf("T%gK", tK)
	ck, stop, err := o.Checkpoint.saver()
	if err != nil {
		return err
	}
	defer stop()
	ck.Config = "base=" + nn.Fingerprint(m) // the frozen base enters the objective
	prog.Start(o.MaxIterations, "L-BFGS evaluations")
	a, fit, err := m.TemperatureTune(name, eps, sig, tK, &constitutive.TuneOptions{
		FitOptions: constitutive.FitOptions{MaxIterations: o.MaxIterations, OnEpoch: fitReporter(prog, time.Now()), Checkpoint: ck},
		Hidden:     o.Hidden, Seed: o.Seed})
	prog.Done()
	printCheckpoints(o.Log, ck)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Data, err)
	}
	if err := a.Save(o.Out); err != nil {
		return err
	}
	baseTotal, _ := nn.Counts(m)
	trainable := constitutive.TrainableValues(a)
	adapterSize := 0
	for _, p := range a.Params() {
		adapterSize += p.Size()
	}
	p := m.Properties(tK)
	report["trainable_parameters"] = trainable
	report["total_parameters"] = baseTotal + adapterSize
	report["modulus_mpa"], report["yield_mpa"] = p.ModulusMPa, p.YieldMPa
	report["train_loss"], report["iterations"], report["converged"] = fit.Loss, fit.Iterations, fit.Converged
	fmt.Fprintf(o.Log, "wrote %s (%d trained parameters): E %.1f GPa, σ_y0 %.1f MPa at %g °C\n", o.Out, trainable,
		p.ModulusMPa/1000, p.YieldMPa, curves.KelvinToCelsius(tK))
	if len(others) == 0 {
		fmt.Fprintf(o.Log, "note: no other specimen at %g °C to test on\n", curves.KelvinToCelsius(tK))
		report["n_points"], report["stress_rmse_mpa"], report["stress_nrmse"] = 0, nil, nil
	} else {
		ev, err := m.Evaluate(others)
		if err != nil {
			return fmt.Errorf("%s: %v", o.Data, err)
		}
		report["n_points"], report["stress_rmse_mpa"], report["stress_nrmse"] = ev.Points, ev.RMSE, ev.NRMSE
		report["test_specimens"] = len(others)
		fmt.Fprintf(o.Log, "on the %d other specimens (%d points): stress RMSE %.2f MPa, NRMSE %.4f (base model unchanged: %.2f MPa, %.4f)\n",
			len(others), ev.Points, ev.RMSE, ev.NRMSE, report["base"].(constitutive.Errors).RMSE, report["base"].(constitutive.Errors).NRMSE)
		if len(others) >= 2 {
			if sc, err := constitutive.Scatter(others); err == nil {
				report["scatter"] = sc
				fmt.Fprintf(o.Log, "specimen-to-specimen scatter (each against the mean of the others): RMSE %.2f MPa, NRMSE %.4f\n", sc.RMSE, sc.NRMSE)
			}
		}
	}
	if o.Plot != "" {
		if err := plotTemperatureTune(o.Plot, o.Log, m, a, o.Data, tK, train, idx, others); err != nil {
			return err
		}
	}
	report["seconds"] = time.Since(start).Seconds()
	return writeReport(o.Report, report)
}
