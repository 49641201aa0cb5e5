package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/potentials/kim"
)

// ExportKIMOptions are the flags of "export kim".
type ExportKIMOptions struct {
	Model, Adapter, Out, Name, Report string
	Seed                              uint64 // unused: exporting involves no random choice
	Stdout                            io.Writer
}

func newCmdExportKIM() *cobra.Command {
	o := &ExportKIMOptions{}
	cmd := &cobra.Command{
		Use:   "kim --model M [--adapter A] --out DIR",
		Short: "Write a potential as a KIM-API portable model (for LAMMPS and other KIM simulators)",
		Long: `Write a potential, and optionally its add-element adapter, as a KIM-API
parameterized portable model: a directory that

    kim-api-collections-management install user DIR

builds and installs, after which LAMMPS (and ASE, GULP, DL_POLY, … through the
KIM-API) runs it:

    kim init NAME metal
    read_data system.data
    kim interactions Cu Ag Au        (the element of each atom type)

The model runs on the "Sciadapt" KIM model driver, which must be installed first,
once per machine: "make kim-driver" in the sciadapt repository (again after
updating sciadapt). The directory holds copies of the model and adapter files.
--name sets the KIM name (a C identifier); the default is
Sciadapt_<elements>_<8 hex digits of the files' SHA-256>.

KIM energies are the model's minus its per-structure constant E_0, which
belongs to no atom and so cannot be shared between the processes of a parallel
run; forces, stresses and dynamics are the model's. The command prints E_0.`,
		Example: `  sciadapt export kim --model alloy.model --out kim/alloy
  sciadapt export kim --model hcn.model --adapter O.adapter --name Sciadapt_HCNO_ethanol --out kim/hcno`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Stdout = cmd.OutOrStdout()
			return runExportKIM(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Model, "model", "", "potential model file (required)")
	f.StringVar(&o.Adapter, "adapter", "", "add-element adapter file of that model")
	f.StringVarP(&o.Out, "out", "o", "", "directory to write; must not exist or be empty (required)")
	f.StringVar(&o.Name, "name", "", "KIM name of the model (default Sciadapt_<elements>_<hash>)")
	f.StringVar(&o.Report, "report", "", "write a JSON report here")
	f.Uint64Var(&o.Seed, "seed", 1, "unused: exporting involves no random choice")
	for _, n := range []string{"model", "out"} {
		_ = cmd.MarkFlagRequired(n)
	}
	return cmd
}

func runExportKIM(o *ExportKIMOptions) error {
	start := time.Now()
	w := o.Stdout
	if w == nil {
		w = io.Discard
	}
	if err := checkOutputs("report", o.Report); err != nil {
		return usagef("%v", err)
	}
	if o.Name != "" {
		if err := kim.CheckName(o.Name); err != nil {
			return usagef("--name: %v", err)
		}
	}
	e, err := kim.Export(kim.ExportOptions{Model: o.Model, Adapter: o.Adapter, Out: o.Out, Name: o.Name})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s: KIM portable model %s for %s (driver %s; cutoff %g Å, influence distance %g Å)\n",
		e.Dir, e.Name, strings.Join(e.Species, " "), kim.DriverName, e.Cutoff, e.InfluenceDistance)
	fmt.Fprintf(w, "KIM energies are the model's minus E_0 = %g eV\n", e.Shift)
	fmt.Fprintf(w, "install: kim-api-collections-management install user %s   (driver first: make kim-driver)\n", e.Dir)
	fmt.Fprintf(w, "LAMMPS:  kim init %s metal … kim interactions <element of each atom type>\n", e.Name)
	return writeReport(o.Report, exportKIMReport{reportHeader: reportHeader{TotalParameters: e.Parameters,
		Seconds: time.Since(start).Seconds()}, Name: e.Name, Directory: e.Dir, Species: e.Species, Driver: kim.DriverName,
		CutoffAngstrom: e.Cutoff, InfluenceDistanceAngstrom: e.InfluenceDistance, EnergyShiftEV: e.Shift})
}

// exportKIMReport is the report of "export kim".
type exportKIMReport struct {
	reportHeader
	Name                      string   `json:"name"`
	Directory                 string   `json:"directory"`
	Species                   []string `json:"species"`
	Driver                    string   `json:"driver"`
	CutoffAngstrom            float64  `json:"cutoff_angstrom"`
	InfluenceDistanceAngstrom float64  `json:"influence_distance_angstrom"`
	EnergyShiftEV             float64  `json:"energy_shift_ev"` // E_0, subtracted from the model's energies
}
