package cli

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

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
	Seed                                        uint64
	Stdout                                      io.Writer
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
to stdout (or --log).`,
		Example: `  sciadapt md --model hcn.model --adapter O.adapter --structure ethanol.xyz --steps 2000 --dt 0.5fs --temperature 300K --out traj.xyz
  sciadapt md --model alloy.model --structure cu.xyz --steps 1000 --temperature 600K --friction 0.01 --out hot.xyz`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runMD(o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Model, "model", "", "potential model file")
	f.StringVar(&o.Adapter, "adapter", "", "add-element adapter file")
	f.StringVar(&o.Structure, "structure", "", "starting structure (extended XYZ, eV and Å)")
	f.StringVar(&o.Out, "out", "", "trajectory to write (extended XYZ)")
	f.StringVar(&o.Log, "log", "", "energy log file (default: standard output)")
	f.StringVar(&o.Report, "report", "", "write a JSON report here")
	f.IntVar(&o.Steps, "steps", 1000, "number of steps")
	f.IntVar(&o.Every, "every", 10, "write a frame and a log line every this many steps")
	f.StringVar(&o.DT, "dt", "0.5fs", "time step, e.g. 0.5fs")
	f.StringVar(&o.Temperature, "temperature", "300K", "initial (and thermostat) temperature, e.g. 300K or 26.85C")
	f.StringVar(&o.Friction, "friction", "0", "Langevin friction in 1/fs (0: NVE)")
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

func runMD(o *MDOptions) error {
	start := time.Now()
	if err := checkOutputs("out", o.Out, "log", o.Log, "report", o.Report); err != nil {
		return err
	}
	dt, err := parseQuantity("dt", o.DT, map[string]float64{"fs": 1, "ps": 1000}, nil)
	if err != nil {
		return err
	}
	T, err := parseQuantity("temperature", o.Temperature, map[string]float64{"K": 1, "C": 1}, map[string]float64{"C": 273.15})
	if err != nil {
		return err
	}
	gamma, err := parseQuantity("friction", o.Friction, map[string]float64{"/fs": 1}, nil)
	if err != nil {
		return err
	}
	if dt <= 0 || dt > 10 || T < 0 || gamma < 0 || o.Steps < 0 || o.Every < 1 {
		return usagef("need 0 < --dt ≤ 10 fs, --temperature ≥ 0 K, --friction ≥ 0, --steps ≥ 0 and --every ≥ 1")
	}
	m, err := potentials.Load(o.Model)
	if err != nil {
		return err
	}
	if o.Adapter != "" {
		if _, err := potentials.LoadElementAdapter(o.Adapter, m); err != nil {
			return err
		}
	}
	fin, err := os.Open(o.Structure)
	if err != nil {
		return err
	}
	if st, err := fin.Stat(); err == nil && st.IsDir() {
		fin.Close()
		return fmt.Errorf("%s: is a directory, not an extended XYZ file", o.Structure)
	}
	frames, err := datasets.ReadExtXYZ(fin, o.Structure, &datasets.ExtXYZOptions{EnergyOptional: true})
	fin.Close()
	if err != nil {
		return err
	}
	if len(frames) == 0 {
		return fmt.Errorf("%s: no structure", o.Structure)
	}
	s := potentials.StructureOf(&frames[0])
	if err := s.Validate(); err != nil {
		return fmt.Errorf("%s: %v", o.Structure, err)
	}
	masses, err := potentials.Masses(s)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Structure, err)
	}
	v := potentials.MaxwellBoltzmann(masses, T, o.Seed)
	logw := o.Stdout
	var logBuf strings.Builder
	if o.Log != "" {
		logw = &logBuf
	}
	fmt.Fprintf(logw, "# step  time_fs  potential_eV  kinetic_eV  total_eV  temperature_K\n")
	var traj []datasets.Frame
	var last potentials.Step
	record := func(st potentials.Step) {
		last = st
		if st.Step%o.Every != 0 {
			return
		}
		traj = append(traj, datasets.Frame{System: frames[0].System, Index: st.Step, Numbers: s.Numbers,
			Positions: append([]float64(nil), s.Positions...), Energy: st.Potential, Forces: append([]float64(nil), st.Forces...),
			Cell: s.Cell, PBC: s.PBC})
		fmt.Fprintf(logw, "%6d %9.2f %14.6f %11.6f %14.6f %8.1f\n", st.Step, st.TimeFS, st.Potential, st.Kinetic,
			st.Total(), potentials.Temperature(st.Kinetic, 3*len(masses)))
	}
	if gamma > 0 {
		err = potentials.Langevin(m, s, v, dt, T, gamma, o.Steps, o.Seed, record)
	} else {
		err = potentials.VelocityVerlet(m, s, v, dt, o.Steps, record)
	}
	if err != nil {
		return fmt.Errorf("%s: %v", o.Structure, err)
	}
	if err := atomicfile.Write(o.Out, func(w io.Writer) error { return datasets.WriteExtXYZ(w, traj) }); err != nil {
		return err
	}
	if o.Log != "" {
		if err := atomicfile.Write(o.Log, func(w io.Writer) error { _, err := io.WriteString(w, logBuf.String()); return err }); err != nil {
			return err
		}
	}
	total, _ := nn.Counts(m)
	return writeReport(o.Report, map[string]any{
		"trainable_parameters": 0, "total_parameters": total, "seconds": time.Since(start).Seconds(),
		"steps": o.Steps, "final_total_energy_ev": last.Total(), "frames_written": len(traj),
	})
}
