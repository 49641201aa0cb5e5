package datasets

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/sciadapt/sciadapt/elements"
)

// evPerA3InGPa is 1 eV/Å³ in GPa: 1.602176634e-19 J / 1e-30 m³ = 160.2176634 GPa.
const evPerA3InGPa = 160.2176634

// WriteSummary writes what the file holds, as two tables: its provenance, units,
// systems, frames, atoms per frame, elements, whether it is periodic and has
// forces and stress, and the ranges of the energies, energies per atom, force
// and stress components (in eV and Å whatever the stored units); then, if it
// has systems, one line per system, the first 20 unless all. s is the file's
// Summary.
func (f *File) WriteSummary(w io.Writer, s *Summary, all bool) error {
	if err := f.writeFileInfo(w, s); err != nil {
		return err
	}
	if len(s.Systems) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	return writeSystems(w, s, all)
}

// writeFileInfo writes the first table of WriteSummary.
func (f *File) writeFileInfo(w io.Writer, s *Summary) error {
	minN, maxN := math.MaxInt, 0
	nForces, nCell, nStress := 0, 0, 0
	for _, sys := range s.Systems {
		minN, maxN = min(minN, sys.Atoms()), max(maxN, sys.Atoms())
		nForces, nCell, nStress = nForces+count(sys.HasForces), nCell+count(sys.HasCell), nStress+count(sys.HasStress)
	}
	syms := make([]string, len(s.Elements))
	for i, z := range s.Elements {
		syms[i] = elements.Symbol(z)
	}
	some := func(n int) string {
		switch {
		case len(s.Systems) == 0 || n == 0:
			return "no"
		case n == len(s.Systems):
			return "yes"
		}
		return fmt.Sprintf("in %d of %d systems", n, len(s.Systems))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "file\t%s (%s, version %d)\n", f.Path(), Format, Version)
	fmt.Fprintf(tw, "level of theory\t%s\n", orNotRecorded(f.meta.LevelOfTheory))
	fmt.Fprintf(tw, "source\t%s\n", orNotRecorded(f.meta.Source))
	if f.units == EVAngstrom {
		fmt.Fprintf(tw, "stored units\teV and angstrom\n")
	} else {
		fmt.Fprintf(tw, "stored units\t%s (shown below converted to eV and Å)\n", f.units)
	}
	fmt.Fprintf(tw, "systems\t%d\nframes\t%d\n", len(s.Systems), s.All.Frames)
	if minN == maxN {
		fmt.Fprintf(tw, "atoms per frame\t%d\n", minN)
	} else if len(s.Systems) > 0 {
		fmt.Fprintf(tw, "atoms per frame\t%d to %d\n", minN, maxN)
	}
	fmt.Fprintf(tw, "elements\t%s\nperiodic\t%s\nforces\t%s\nstress\t%s\n", strings.Join(syms, " "), some(nCell), some(nForces), some(nStress))
	if s.All.Frames > 0 {
		fmt.Fprintf(tw, "energy\t%.4f to %.4f eV\n", s.All.Energy.Min, s.All.Energy.Max)
		fmt.Fprintf(tw, "energy per atom\t%.6f to %.6f eV/atom\n", s.All.EnergyPerAtom.Min, s.All.EnergyPerAtom.Max)
	}
	if !math.IsNaN(s.All.ForceMaxAbs) {
		fmt.Fprintf(tw, "force components\tmax |F| %.4g eV/Å, RMS %.4g eV/Å\n", s.All.ForceMaxAbs, s.All.ForceRMS)
	}
	if r := s.All.Stress; !math.IsNaN(r.Min) {
		fmt.Fprintf(tw, "stress components\t%.6g to %.6g eV/Å³ (%.6g to %.6g GPa, + = tensile)\n", r.Min, r.Max, r.Min*evPerA3InGPa, r.Max*evPerA3InGPa)
	}
	return tw.Flush()
}

// writeSystems writes the second table of WriteSummary.
func writeSystems(w io.Writer, s *Summary, all bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "system\tformula\tatoms\tframes\tforces\tcell\tstress\tenergy/atom (eV)\n")
	yes := map[bool]string{true: "yes", false: "no"}
	for i, sys := range s.Systems {
		if i == 20 && !all {
			tw.Flush()
			fmt.Fprintf(w, "… and %d more systems (--systems lists them all)\n", len(s.Systems)-20)
			return nil
		}
		e := "-"
		if sys.Frames > 0 {
			e = fmt.Sprintf("%.6f to %.6f", sys.Stats.EnergyPerAtom.Min, sys.Stats.EnergyPerAtom.Max)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n", sys.Name, Formula(sys.Numbers), sys.Atoms(), sys.Frames,
			yes[sys.HasForces], yes[sys.HasCell], yes[sys.HasStress], e)
	}
	return tw.Flush()
}

func count(b bool) int {
	if b {
		return 1
	}
	return 0
}

func orNotRecorded(s string) string {
	if s == "" {
		return "(not recorded)"
	}
	return s
}
