package kim

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// kimspec is the OpenKIM metadata of the portable model, in EDN.
func kimspec(e *Exported, opt ExportOptions) []byte {
	var b bytes.Buffer
	species := make([]string, len(e.Species))
	for i, s := range e.Species {
		species[i] = strconv.Quote(s)
	}
	desc := fmt.Sprintf("sciadapt message-passing potential (%d interaction blocks, cutoff %g Å, influence distance %g Å) from %s",
		e.Interactions, e.Cutoff, e.InfluenceDistance, filepath.Base(opt.Model))
	if opt.Adapter != "" {
		desc += " with the add-element adapter " + filepath.Base(opt.Adapter)
	}
	desc += fmt.Sprintf(". Energies exclude the model's per-structure constant E_0 = %s eV.", strconv.FormatFloat(e.Shift, 'g', -1, 64))
	fmt.Fprintf(&b, "{\n")
	fmt.Fprintf(&b, "  \"extended-id\" %q\n", e.Name)
	fmt.Fprintf(&b, "  \"title\" %q\n", "sciadapt potential for "+strings.Join(e.Species, ", "))
	fmt.Fprintf(&b, "  \"description\" %q\n", desc)
	fmt.Fprintf(&b, "  \"species\" [%s]\n", strings.Join(species, " "))
	fmt.Fprintf(&b, "  \"model-driver\" %q\n", DriverName)
	fmt.Fprintf(&b, "  \"kim-api-version\" \"2.2\"\n")
	fmt.Fprintf(&b, "  \"potential-type\" \"ml\"\n")
	fmt.Fprintf(&b, "  \"domain\" \"local\"\n")
	fmt.Fprintf(&b, "}\n")
	return b.Bytes()
}

// readme tells where the model came from and how to run it in LAMMPS.
func readme(e *Exported, opt ExportOptions) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n", e.Name)
	fmt.Fprintf(&b, "A KIM-API portable model written by `sciadapt export kim` from the model file `%s`", filepath.Base(opt.Model))
	if opt.Adapter != "" {
		fmt.Fprintf(&b, " and the add-element adapter `%s`", filepath.Base(opt.Adapter))
	}
	fmt.Fprintf(&b, ", copied here as `%s`", ModelFile)
	if opt.Adapter != "" {
		fmt.Fprintf(&b, " and `%s`", AdapterFile)
	}
	fmt.Fprintf(&b, ".\n\n")
	fmt.Fprintf(&b, "- species: %s\n", strings.Join(e.Species, " "))
	fmt.Fprintf(&b, "- %d interaction blocks, cutoff %g Å, influence distance %g Å\n", e.Interactions, e.Cutoff, e.InfluenceDistance)
	fmt.Fprintf(&b, "- model driver: %s; units: Å and eV, converted to the simulator's\n", DriverName)
	fmt.Fprintf(&b, "- energies are the model's minus its per-structure constant E_0 = %s eV, which belongs to no atom;\n  forces, virials and dynamics do not depend on it\n\n",
		strconv.FormatFloat(e.Shift, 'g', -1, 64))
	fmt.Fprintf(&b, "Install (the driver first, once: `make kim-driver` in the sciadapt repository):\n\n")
	fmt.Fprintf(&b, "    kim-api-collections-management install user .\n\n")
	fmt.Fprintf(&b, "Use in LAMMPS (with `atom_style atomic` and one atom type per element):\n\n")
	fmt.Fprintf(&b, "    kim init %s metal\n    read_data system.data\n    kim interactions %s\n",
		e.Name, strings.Join(e.Species, " "))
	return b.Bytes()
}
