package kim

import (
	"fmt"
	"io"
	"strings"

	"github.com/sciadapt/sciadapt/potentials"
)

// Report is the report of "export kim".
type Report struct {
	potentials.Parameters
	Seconds                   float64  `json:"seconds"` // set by the caller
	Name                      string   `json:"name"`
	Directory                 string   `json:"directory"`
	Species                   []string `json:"species"`
	Driver                    string   `json:"driver"`
	CutoffAngstrom            float64  `json:"cutoff_angstrom"`
	InfluenceDistanceAngstrom float64  `json:"influence_distance_angstrom"`
	EnergyShiftEV             float64  `json:"energy_shift_ev"` // E_0, subtracted from the model's energies
}

// Report returns the report of the export.
func (e *Exported) Report() Report {
	r := Report{Name: e.Name, Directory: e.Dir, Species: e.Species, Driver: DriverName,
		CutoffAngstrom: e.Cutoff, InfluenceDistanceAngstrom: e.InfluenceDistance, EnergyShiftEV: e.Shift}
	r.Total = e.Parameters
	return r
}

// WriteSummary writes what was exported, the energy shift E_0 and how to
// install the model and run it in LAMMPS.
func (e *Exported) WriteSummary(w io.Writer) {
	fmt.Fprintf(w, "wrote %s: KIM portable model %s for %s (driver %s; cutoff %g Å, influence distance %g Å)\n",
		e.Dir, e.Name, strings.Join(e.Species, " "), DriverName, e.Cutoff, e.InfluenceDistance)
	fmt.Fprintf(w, "KIM energies are the model's minus E_0 = %g eV\n", e.Shift)
	fmt.Fprintf(w, "install: kim-api-collections-management install user %s   (driver first: make kim-driver)\n", e.Dir)
	fmt.Fprintf(w, "LAMMPS:  kim init %s metal … kim interactions <element of each atom type>\n", e.Name)
}
