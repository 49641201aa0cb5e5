package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/internal/atomicfile"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
)

// RelaxOptions are the flags of "relax".
type RelaxOptions struct {
	Model, Adapter, Structure, Out, Report string
	FMax, Skin                             float64 // eV/Å, Å
	Steps                                  int
	Seed                                   uint64 // unused: relaxation is deterministic
	Stdout                                 io.Writer
	Stderr                                 io.Writer // a progress bar goes here if it is a terminal
}

// NewCmdRelax returns the "relax" command.
func NewCmdRelax(out io.Writer) *cobra.Command {
	o := &RelaxOptions{Stdout: out}
	cmd := &cobra.Command{
		Use:   "relax --model M [--adapter A] --structure IN.xyz --fmax 0.05 --out OUT.xyz",
		Short: "Relax atomic positions to a minimum of a potential",
		Long: `Relax the atomic positions of one structure (the first frame of an extended XYZ
file, eV and Å) with a potential and optional add-element adapter, by FIRE (Bitzek et
al., Phys. Rev. Lett. 97, 170201 (2006)), until the largest atomic force is below
--fmax (eV/Å). The cell stays fixed. The relaxed structure is written as extended XYZ
that ASE reads, with its energy and forces. If the forces do not fall below --fmax
within --steps steps, nothing is written and the command fails (exit code 1).`,
		Example: `  sciadapt relax --model hcn.model --adapter O.adapter --structure ethanol.xyz --fmax 0.05 --out ethanol_relaxed.xyz
  sciadapt relax --model alloy.model --structure cu_vacancy.xyz --fmax 0.01 --steps 5000 --out relaxed.xyz --report relax.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Stderr = cmd.ErrOrStderr()
			return runRelax(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Model, "model", "", "potential model file")
	f.StringVar(&o.Adapter, "adapter", "", "add-element adapter file")
	f.StringVar(&o.Structure, "structure", "", "structure to relax (extended XYZ, eV and Å)")
	f.StringVar(&o.Out, "out", "", "relaxed structure to write (extended XYZ)")
	f.StringVar(&o.Report, "report", "", "write a JSON report here")
	f.Float64Var(&o.FMax, "fmax", 0.05, "stop when the largest atomic force is below this, eV/Å")
	f.IntVar(&o.Steps, "steps", 1000, "largest number of FIRE steps")
	f.Float64Var(&o.Skin, "skin", 1, "neighbour-list skin in Å")
	f.Uint64Var(&o.Seed, "seed", 1, "unused: relaxation involves no random choice")
	for _, n := range []string{"model", "structure", "out"} {
		cmd.MarkFlagRequired(n)
	}
	return cmd
}

func runRelax(o *RelaxOptions) error {
	start := time.Now()
	if !(o.FMax > 0) || o.Steps < 0 || !(o.Skin >= 0 && o.Skin <= 10) {
		return usagef("need --fmax > 0 eV/Å, --steps ≥ 0 and 0 ≤ --skin ≤ 10 Å")
	}
	m, err := loadPotential(o.Model, o.Adapter)
	if err != nil {
		return err
	}
	s, first, err := readStructure(o.Structure)
	if err != nil {
		return err
	}
	calc, err := potentials.NewMDCalculator(m, o.Skin)
	if err != nil {
		return usagef("--skin: %v", err)
	}
	bar := newStepBar(o.Stderr, o.Steps, "relax")
	var e0, f0 float64
	res, err := potentials.FIRE(calc, s, o.FMax, o.Steps, &potentials.FIREOptions{Observe: func(step int, e, fmax float64) {
		if step == 0 {
			e0, f0 = e, fmax
		} else {
			bar.add(1)
		}
	}})
	bar.finish()
	if err != nil {
		return fmt.Errorf("%s: %v", o.Structure, err)
	}
	r, err := calc.Compute(s)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Structure, err)
	}
	out := datasets.Frame{System: first.System, Numbers: s.Numbers, Positions: s.Positions, Cell: s.Cell, PBC: s.PBC,
		Energy: r.Energy, Forces: r.Forces}
	if err := atomicfile.Write(o.Out, func(w io.Writer) error { return datasets.WriteExtXYZ(w, []datasets.Frame{out}) }); err != nil {
		return err
	}
	fmt.Fprintf(o.Stdout, "relaxed %d atoms in %d FIRE steps: energy %.6f → %.6f eV, largest force %.4f → %.4f eV/Å; wrote %s\n",
		s.Len(), res.Steps, e0, res.Energy, f0, res.FMax, o.Out)
	rep := relaxReport{Steps: res.Steps, Converged: res.Converged, InitialEnergy: e0, FinalEnergy: res.Energy,
		InitialFMax: f0, FinalFMax: res.FMax, NeighborListBuilds: calc.Builds()}
	rep.TotalParameters, _ = nn.Counts(m)
	rep.Seconds = time.Since(start).Seconds()
	return writeReport(o.Report, rep)
}

// relaxReport is the report of "relax".
type relaxReport struct {
	reportHeader
	Steps              int     `json:"steps"`
	Converged          bool    `json:"converged"`
	InitialEnergy      float64 `json:"initial_energy_ev"`
	FinalEnergy        float64 `json:"final_energy_ev"`
	InitialFMax        float64 `json:"initial_fmax_ev_per_angstrom"`
	FinalFMax          float64 `json:"final_fmax_ev_per_angstrom"`
	NeighborListBuilds int     `json:"neighbor_list_builds"`
}
