package cli

import (
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/constitutive/curves"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/internal/atomicfile"
	"github.com/sciadapt/sciadapt/nn"
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

// loadPotential reads a potential and, if adapter is not empty, attaches an
// add-element adapter to it.
func loadPotential(model, adapter string) (*potentials.Model, error) {
	m, err := potentials.Load(model)
	if err != nil {
		return nil, err
	}
	if adapter != "" {
		if _, err := potentials.LoadElementAdapter(adapter, m); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// readStructure reads the first frame of an extended XYZ file (eV and Å).
func readStructure(path string) (*potentials.Structure, datasets.Frame, error) {
	fin, err := os.Open(path)
	if err != nil {
		return nil, datasets.Frame{}, err
	}
	if st, err := fin.Stat(); err == nil && st.IsDir() {
		fin.Close()
		return nil, datasets.Frame{}, fmt.Errorf("%s: is a directory, not an extended XYZ file", path)
	}
	frames, err := datasets.ReadExtXYZ(fin, path, &datasets.ExtXYZOptions{EnergyOptional: true})
	fin.Close()
	if err != nil {
		return nil, datasets.Frame{}, err
	}
	if len(frames) == 0 {
		return nil, datasets.Frame{}, fmt.Errorf("%s: no structure", path)
	}
	s := potentials.StructureOf(&frames[0])
	if err := s.Validate(); err != nil {
		return nil, datasets.Frame{}, fmt.Errorf("%s: %v", path, err)
	}
	return s, frames[0], nil
}

// mdSettings are the parsed quantities of the md flags.
type mdSettings struct {
	dt, T, gamma float64 // fs, K, 1/fs
}

// parse checks and converts the flags of md that need no file.
func (o *MDOptions) parse() (mdSettings, error) {
	var q mdSettings
	if err := checkOutputs("out", o.Out, "log", o.Log, "report", o.Report); err != nil {
		return q, err
	}
	var err error
	if q.dt, err = parseQuantity("dt", o.DT, map[string]float64{"fs": 1, "ps": 1000}, nil); err != nil {
		return q, err
	}
	if q.T, err = parseTemperature("temperature", o.Temperature); err != nil {
		return q, err
	}
	if q.gamma, err = parseQuantity("friction", o.Friction, map[string]float64{"/fs": 1}, nil); err != nil {
		return q, err
	}
	if !(q.dt > 0 && q.dt <= 10) || !(q.gamma >= 0) || o.Steps < 0 || o.Every < 1 || !(o.Skin >= 0 && o.Skin <= 10) {
		return q, usagef("need 0 < --dt ≤ 10 fs, --friction ≥ 0, 0 ≤ --skin ≤ 10 Å, --steps ≥ 0 and --every ≥ 1")
	}
	return q, nil
}

// mdRecorder keeps every --every-th step as a trajectory frame and a log line.
type mdRecorder struct {
	o           *MDOptions
	s           *potentials.Structure
	system      string
	dof         int // degrees of freedom, 3N
	bar         *stepBar
	log         strings.Builder
	traj        []datasets.Frame
	first, last potentials.Step
}

func (r *mdRecorder) record(st potentials.Step) {
	r.last = st
	if st.Step == 0 {
		r.first = st
	} else {
		r.bar.add(1)
	}
	if st.Step%r.o.Every != 0 {
		return
	}
	s := r.s
	r.traj = append(r.traj, datasets.Frame{System: r.system, Index: st.Step, Numbers: s.Numbers,
		Positions: slices.Clone(s.Positions), Energy: st.Potential, Forces: slices.Clone(st.Forces), Cell: s.Cell, PBC: s.PBC})
	tK := potentials.Temperature(st.Kinetic, r.dof)
	if r.o.Log != "" {
		g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) } // round-trips exactly
		fmt.Fprintf(&r.log, "%d,%s,%s,%s,%s,%.4f\n", st.Step, g(st.TimeFS), g(st.Potential), g(st.Kinetic), g(st.Total()), tK)
	} else {
		fmt.Fprintf(r.o.Stdout, "%6d %9.2f %14.6f %11.6f %14.6f %8.1f\n", st.Step, st.TimeFS, st.Potential, st.Kinetic, st.Total(), tK)
	}
}

func runMD(o *MDOptions) error {
	start := time.Now()
	q, err := o.parse()
	if err != nil {
		return err
	}
	m, err := loadPotential(o.Model, o.Adapter)
	if err != nil {
		return err
	}
	s, first, err := readStructure(o.Structure)
	if err != nil {
		return err
	}
	masses, err := potentials.Masses(s)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Structure, err)
	}
	calc, err := potentials.NewMDCalculator(m, o.Skin)
	if err != nil {
		return usagef("--skin: %v", err)
	}
	v := potentials.MaxwellBoltzmann(masses, q.T, o.Seed)
	rec := &mdRecorder{o: o, s: s, system: first.System, dof: 3 * len(masses), bar: newStepBar(o.Stderr, o.Steps, "md")}
	if o.Log != "" {
		fmt.Fprintf(&rec.log, "step,time_fs,potential_ev,kinetic_ev,total_ev,temperature_k\n")
	} else {
		fmt.Fprintf(o.Stdout, "# step  time_fs  potential_eV  kinetic_eV  total_eV  temperature_K\n")
	}
	if q.gamma > 0 {
		err = potentials.Langevin(calc, s, v, q.dt, q.T, q.gamma, o.Steps, o.Seed, rec.record)
	} else {
		err = potentials.VelocityVerlet(calc, s, v, q.dt, o.Steps, rec.record)
	}
	rec.bar.finish()
	if err != nil {
		return fmt.Errorf("%s: %v", o.Structure, err)
	}
	if err := atomicfile.Write(o.Out, func(w io.Writer) error { return datasets.WriteExtXYZ(w, rec.traj) }); err != nil {
		return err
	}
	if o.Log != "" {
		if err := atomicfile.Write(o.Log, func(w io.Writer) error { _, err := io.WriteString(w, rec.log.String()); return err }); err != nil {
			return err
		}
		fmt.Fprintf(o.Stdout, "%d steps of %g fs: total energy %.6f → %.6f eV; %d frames in %s, energy log in %s\n",
			o.Steps, q.dt, rec.first.Total(), rec.last.Total(), len(rec.traj), o.Out, o.Log)
	}
	r := mdReport{Steps: o.Steps, FinalTotalEnergy: rec.last.Total(), FramesWritten: len(rec.traj), NeighborListBuilds: calc.Builds()}
	r.TotalParameters, _ = nn.Counts(m)
	r.Seconds = time.Since(start).Seconds()
	return writeReport(o.Report, r)
}

// mdReport is the report of "md".
type mdReport struct {
	reportHeader
	Steps              int     `json:"steps"`
	FinalTotalEnergy   float64 `json:"final_total_energy_ev"`
	FramesWritten      int     `json:"frames_written"`
	NeighborListBuilds int     `json:"neighbor_list_builds"`
}
