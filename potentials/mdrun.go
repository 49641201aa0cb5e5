package potentials

import (
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/internal/atomicfile"
)

// MDOptions configure RunMD.
type MDOptions struct {
	TimeStep    float64 // fs, > 0
	Temperature float64 // K: of the initial velocities and, with Friction, of the thermostat
	Friction    float64 // Langevin γ in 1/fs; 0 integrates NVE by velocity Verlet
	Steps       int     // steps after the start
	Every       int     // keep a frame and a sample every this many steps (≥ 1)
	Skin        float64 // Verlet skin of the neighbour lists, Å (NewMDCalculator)
	Seed        uint64  // of the initial velocities and the thermostat's noise
	System      string  // system name of the frames kept
	// OnStep, if set, is called at the start (step 0) and after every step.
	OnStep func(Step)
	// OnSample, if set, is called for every step kept (a multiple of Every).
	OnSample func(MDSample)
}

// MDSample is one line of the energy log of a run: energies in eV, the time in
// fs and the kinetic temperature in K.
type MDSample struct {
	Step                             int
	TimeFS                           float64
	Potential, Kinetic, Total, TempK float64
}

// MDRun is the outcome of RunMD.
type MDRun struct {
	Frames             []datasets.Frame // every Every-th step: positions, energy and forces
	Samples            []MDSample       // the log lines of those steps
	First, Last        Step             // the start and the last step
	NeighborListBuilds int
}

// RunMD runs molecular dynamics of s (modified in place) with m (and its attached
// adapter): velocities drawn from the Maxwell–Boltzmann distribution at
// o.Temperature, then velocity Verlet (o.Friction = 0) or BAOAB Langevin dynamics,
// with neighbour lists of skin o.Skin. Every o.Every steps (from step 0) it keeps
// the structure as a frame with its energy and forces, and a log sample. It
// returns an error for options out of range, an element without a standard mass
// or a failed or diverging step.
func RunMD(m *Model, s *Structure, o MDOptions) (*MDRun, error) {
	if !(o.TimeStep > 0) || !(o.Friction >= 0) || o.Steps < 0 || o.Every < 1 {
		return nil, fmt.Errorf("molecular dynamics needs a time step > 0, a friction ≥ 0, steps ≥ 0 and every ≥ 1")
	}
	masses, err := Masses(s)
	if err != nil {
		return nil, err
	}
	calc, err := NewMDCalculator(m, o.Skin)
	if err != nil {
		return nil, err
	}
	run := &MDRun{}
	observe := func(st Step) {
		if st.Step == 0 {
			run.First = st
		}
		run.Last = st
		if o.OnStep != nil {
			o.OnStep(st)
		}
		if st.Step%o.Every != 0 {
			return
		}
		run.Frames = append(run.Frames, datasets.Frame{System: o.System, Index: st.Step, Numbers: s.Numbers,
			Positions: slices.Clone(s.Positions), Energy: st.Potential, Forces: slices.Clone(st.Forces), Cell: s.Cell, PBC: s.PBC})
		x := MDSample{Step: st.Step, TimeFS: st.TimeFS, Potential: st.Potential, Kinetic: st.Kinetic, Total: st.Total(),
			TempK: Temperature(st.Kinetic, 3*len(masses))}
		run.Samples = append(run.Samples, x)
		if o.OnSample != nil {
			o.OnSample(x)
		}
	}
	v := MaxwellBoltzmann(masses, o.Temperature, o.Seed)
	if o.Friction > 0 {
		err = Langevin(calc, s, v, o.TimeStep, o.Temperature, o.Friction, o.Steps, o.Seed, observe)
	} else {
		err = VelocityVerlet(calc, s, v, o.TimeStep, o.Steps, observe)
	}
	run.NeighborListBuilds = calc.Builds()
	return run, err
}

// MDLogHeader is the header line of the energy log CSV that WriteMDLog writes.
const MDLogHeader = "step,time_fs,potential_ev,kinetic_ev,total_ev,temperature_k"

// WriteMDLog writes samples as CSV: MDLogHeader, then one line per sample with
// the energies in the shortest form that reads back to the same number and the
// temperature to 0.0001 K.
func WriteMDLog(w io.Writer, samples []MDSample) error {
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	if _, err := fmt.Fprintln(w, MDLogHeader); err != nil {
		return err
	}
	for _, x := range samples {
		if _, err := fmt.Fprintf(w, "%d,%s,%s,%s,%s,%.4f\n", x.Step, g(x.TimeFS), g(x.Potential), g(x.Kinetic), g(x.Total), x.TempK); err != nil {
			return err
		}
	}
	return nil
}

// Report returns the report of the run (the "md" command's), without the
// command's seconds.
func (r *MDRun) Report(m *Model) MDReport {
	rep := MDReport{Steps: r.Last.Step, FinalTotalEnergy: r.Last.Total(), FramesWritten: len(r.Frames), NeighborListBuilds: r.NeighborListBuilds}
	rep.Total = parameterCount(m)
	return rep
}

// MDReport is the report of "md".
type MDReport struct {
	Parameters
	Seconds            float64 `json:"seconds"`
	Steps              int     `json:"steps"`
	FinalTotalEnergy   float64 `json:"final_total_energy_ev"`
	FramesWritten      int     `json:"frames_written"`
	NeighborListBuilds int     `json:"neighbor_list_builds"`
}

// Save writes the frames kept to traj as extended XYZ and, if log is not "",
// the samples to log as CSV (WriteMDLog), each file atomically.
func (r *MDRun) Save(traj, log string) error {
	if err := atomicfile.Write(traj, func(w io.Writer) error { return datasets.WriteExtXYZ(w, r.Frames) }); err != nil {
		return err
	}
	if log == "" {
		return nil
	}
	return atomicfile.Write(log, func(w io.Writer) error { return WriteMDLog(w, r.Samples) })
}
