package datasets

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/sciadapt/sciadapt/elements"
)

// ImportMeta returns the metadata that an import of inputs with o records: the
// level of theory given (for ANI-1x without one, the method of the energy key:
// "wb97x_dz" for "wb97x_dz.energy"), and a source naming the format, the input
// files, the program (such as "sciadapt v1.2.0") and the units o.Units read.
func ImportMeta(inputs []string, o ImportOptions, levelOfTheory, program string) Meta {
	names := make([]string, len(inputs))
	for i, in := range inputs {
		names[i] = filepath.Base(in)
	}
	m := Meta{LevelOfTheory: levelOfTheory,
		Source: fmt.Sprintf("%s import of %s by %s (energies read as %s, lengths as %s)",
			o.Format, strings.Join(names, ", "), program, o.Units.Energy.Name, o.Units.Length.Name)}
	if m.LevelOfTheory == "" && o.Format == FormatANI1x {
		m.LevelOfTheory = strings.TrimSuffix(o.EnergyKey, ".energy")
	}
	return m
}

// WriteSummary writes what ImportFiles read from each of inputs with o (frames,
// or for ANI-1x the systems and frames kept and skipped) and what it wrote to
// out: totals, the units, then up to 20 systems in name order. Its hints name
// the flags and commands of sciadapt (--forces-key, sciadapt inspect data).
func (r *ImportReport) WriteSummary(w io.Writer, inputs []string, out string, o ImportOptions) {
	for i, n := range r.Frames {
		fmt.Fprintf(w, "%s: %d frames\n", inputs[i], n)
	}
	for i, rep := range r.ANI1x {
		rep.writeSummary(w, inputs[i], o)
	}
	frames := 0
	seen := map[int]bool{}
	for _, l := range r.Systems {
		frames += l.Frames
		for _, z := range l.Numbers {
			seen[z] = true
		}
	}
	var syms []string
	for z := 1; z <= elements.Count; z++ {
		if seen[z] {
			syms = append(syms, elements.Symbol(z))
		}
	}
	fmt.Fprintf(w, "wrote %s: %d %s, %d frames, elements %s\n", out, len(r.Systems), plural(len(r.Systems), "system", "systems"), frames, strings.Join(syms, " "))
	fmt.Fprintf(w, "  read as %s, stored as eV and angstrom\n", r.Units)
	sorted := slices.Clone(r.Systems)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	for i, l := range sorted {
		if i == 20 {
			fmt.Fprintf(w, "  … and %d more systems (sciadapt inspect data %s --systems lists them)\n", len(sorted)-20, out)
			break
		}
		extra := ""
		for _, p := range []struct {
			on   bool
			name string
		}{{l.Forces, "forces"}, {l.Cell, "cell"}, {l.Stress, "stress"}} {
			if p.on {
				extra += ", " + p.name
			}
		}
		fmt.Fprintf(w, "  system %-20s %-12s %4d atoms %7d frames%s\n", l.Name, Formula(l.Numbers), len(l.Numbers), l.Frames, extra)
	}
}

// writeSummary writes what the ANI-1x importer kept and skipped of the file in,
// and the forces key to add when the file has forces that were not imported.
func (rep ANI1xReport) writeSummary(w io.Writer, in string, o ImportOptions) {
	fmt.Fprintf(w, "%s: %d %s, %d %s kept", in, rep.Systems, plural(rep.Systems, "system", "systems"), rep.Frames, plural(rep.Frames, "frame", "frames"))
	fmt.Fprintf(w, "; skipped %d %s with no %s", rep.SkippedEnergy, plural(rep.SkippedEnergy, "frame", "frames"), o.EnergyKey)
	if o.ForcesKey != "" {
		fmt.Fprintf(w, " and %d with no %s", rep.SkippedForces, o.ForcesKey)
	}
	if rep.EmptySystems > 0 {
		fmt.Fprintf(w, " (%d groups had no usable frame)", rep.EmptySystems)
	}
	fmt.Fprintln(w)
	if o.ForcesKey == "" {
		if f := strings.TrimSuffix(o.EnergyKey, ".energy") + ".forces"; slices.Contains(rep.Keys, f) {
			fmt.Fprintf(w, "  forces not imported: add --forces-key %s to import them\n", f)
		}
	}
}

// plural returns one for n = 1, many otherwise.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
