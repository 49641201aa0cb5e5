package cli

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/constitutive/curves"
	"github.com/sciadapt/sciadapt/internal/progress"
	"github.com/sciadapt/sciadapt/potentials"
)

// MDOptions are the flags of "md".
type MDOptions struct {
	Model, Adapter, Structure, Out, Log, Report string
	Steps, Every                                int
	DT, Temperature, Friction                   string
	Skin                                        float64 // Verlet skin of the neighbour lists, Å
	Seed                                        uint64
	Stdout                                      io.Writer
	Stderr                                      io.Writer // a progress bar goes here if it is a terminal
}

// NewCmdMD returns the "md" command.
func NewCmdMD(out io.Writer) *cobra.Command {
	o := &MDOptions{Stdout: out}
	cmd := &cobra.Command{
		Use:   "md --model M [--adapter A] --structure IN.xyz --steps N --out TRAJ.xyz",
		Short: "Run molecular dynamics with a potential",
		Long: `Run molecular dynamics of one structure (the first frame of an extended XYZ file,
eV and Å) with a potential and optional add-element adapter: velocity Verlet (NVE)
without --friction, Langevin dynamics (NVT, BAOAB) with it. Velocities start from a
Maxwell–Boltzmann distribution at --temperature. The trajectory is written as extended
XYZ that ASE reads, every --every steps, with energies and forces; the energy log goes
to stdout, or with --log to a CSV file with the columns step, time_fs, potential_ev,
kinetic_ev, total_ev, temperature_k. Neighbour lists carry a --skin and are rebuilt
only when some atom has moved more than half of it. A progress bar is drawn on
standard error when it is a terminal.`,
		Example: `  sciadapt md --model hcn.model --adapter O.adapter --structure ethanol.xyz --steps 2000 --dt 0.5fs --temperature 300K --out traj.xyz
  sciadapt md --model alloy.model --structure cu.xyz --steps 1000 --temperature 600K --friction 0.01 --out hot.xyz --log hot.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Stderr = cmd.ErrOrStderr()
			return runMD(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Model, "model", "", "potential model file")
	f.StringVar(&o.Adapter, "adapter", "", "add-element adapter file")
	f.StringVar(&o.Structure, "structure", "", "starting structure (extended XYZ, eV and Å)")
	f.StringVar(&o.Out, "out", "", "trajectory to write (extended XYZ)")
	f.StringVar(&o.Log, "log", "", "energy log CSV file (default: a table on standard output)")
	f.StringVar(&o.Report, "report", "", "write a JSON report here")
	f.IntVar(&o.Steps, "steps", 1000, "number of steps")
	f.IntVar(&o.Every, "every", 10, "write a frame and a log line every this many steps")
	f.StringVar(&o.DT, "dt", "0.5fs", "time step, e.g. 0.5fs")
	f.StringVar(&o.Temperature, "temperature", "300K", "initial (and thermostat) temperature, e.g. 300K, 26.85C or 540R")
	f.StringVar(&o.Friction, "friction", "0", "Langevin friction in 1/fs (0: NVE)")
	f.Float64Var(&o.Skin, "skin", 1, "neighbour-list skin in Å")
	f.Uint64Var(&o.Seed, "seed", 1, "seed for velocities and the thermostat")
	for _, n := range []string{"model", "structure", "out"} {
		cmd.MarkFlagRequired(n)
	}
	return cmd
}

// parseQuantity parses a number with an optional unit suffix from units (factor to
// the base unit); a bare number is in the base unit.
func parseQuantity(flag, s string, units map[string]float64, offsets map[string]float64) (float64, error) {
	t := strings.TrimSpace(s)
	for u, f := range units {
		if strings.HasSuffix(t, u) {
			v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(t, u)), 64)
			if err != nil {
				return 0, usagef("--%s %q: not a number with a unit", flag, s)
			}
			return v*f + offsets[u], nil
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return 0, usagef("--%s %q: not a number", flag, s)
	}
	return v, nil
}

// parseTemperature reads a temperature with its unit (300K, 26.85C, 540R, 80.33F;
// see curves.ParseTemperature) or a bare number of kelvin.
func parseTemperature(flag, s string) (float64, error) {
	if v, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
		if !(v >= 0) || math.IsInf(v, 0) {
			return 0, usagef("--%s %q: need a temperature ≥ 0 K", flag, s)
		}
		return v, nil
	}
	t, err := curves.ParseTemperature(s)
	if err != nil {
		return 0, usagef("--%s: %v", flag, err)
	}
	return t, nil
}

// parse checks and converts the flags of md that need no file.
func (o *MDOptions) parse() (q potentials.MDOptions, err error) {
	if err := checkOutputs("out", o.Out, "log", o.Log, "report", o.Report); err != nil {
		return q, err
	}
	if q.TimeStep, err = parseQuantity("dt", o.DT, map[string]float64{"fs": 1, "ps": 1000}, nil); err != nil {
		return q, err
	}
	if q.Temperature, err = parseTemperature("temperature", o.Temperature); err != nil {
		return q, err
	}
	if q.Friction, err = parseQuantity("friction", o.Friction, map[string]float64{"/fs": 1}, nil); err != nil {
		return q, err
	}
	if !(q.TimeStep > 0 && q.TimeStep <= 10) || !(q.Friction >= 0) || o.Steps < 0 || o.Every < 1 || !(o.Skin >= 0 && o.Skin <= 10) {
		return q, usagef("need 0 < --dt ≤ 10 fs, --friction ≥ 0, 0 ≤ --skin ≤ 10 Å, --steps ≥ 0 and --every ≥ 1")
	}
	q.Steps, q.Every, q.Skin, q.Seed = o.Steps, o.Every, o.Skin, o.Seed
	return q, nil
}

func runMD(o *MDOptions) error {
	start := time.Now()
	mo, err := o.parse()
	if err != nil {
		return err
	}
	m, err := potentials.LoadAdapted(o.Model, o.Adapter)
	if err != nil {
		return err
	}
	s, system, err := potentials.ReadStructure(o.Structure)
	if err != nil {
		return err
	}
	bar := progress.NewStepBar(o.Stderr, o.Steps, "md")
	mo.System, mo.OnStep = system, func(st potentials.Step) {
		if st.Step > 0 {
			bar.Add(1)
		}
	}
	if o.Log == "" {
		fmt.Fprintf(o.Stdout, "# step  time_fs  potential_eV  kinetic_eV  total_eV  temperature_K\n")
		mo.OnSample = func(x potentials.MDSample) {
			fmt.Fprintf(o.Stdout, "%6d %9.2f %14.6f %11.6f %14.6f %8.1f\n", x.Step, x.TimeFS, x.Potential, x.Kinetic, x.Total, x.TempK)
		}
	}
	run, err := potentials.RunMD(m, s, mo)
	bar.Finish()
	if err != nil {
		return fmt.Errorf("%s: %v", o.Structure, err)
	}
	if err := run.Save(o.Out, o.Log); err != nil {
		return err
	}
	if o.Log != "" {
		fmt.Fprintf(o.Stdout, "%d steps of %g fs: total energy %.6f → %.6f eV; %d frames in %s, energy log in %s\n",
			o.Steps, mo.TimeStep, run.First.Total(), run.Last.Total(), len(run.Frames), o.Out, o.Log)
	}
	r := run.Report(m)
	r.Seconds = time.Since(start).Seconds()
	return writeReport(o.Report, r)
}
