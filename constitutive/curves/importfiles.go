package curves

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// ImportMatCal reads MatCal tension-test CSV files (ReadMatCalCSV) and prepares
// each curve (Prepare with opts; a failed elastic fit leaves the curve
// uncompensated, with a NaN ElasticModulus, and is not an error). onFile, if
// set, is called before reading file i (from 1). Every unreadable file is named
// in the error, and then no curve is returned.
func ImportMatCal(files []string, opts *PrepareOptions, onFile func(i int)) ([]Curve, error) {
	var (
		out  []Curve
		errs []error
	)
	for i, f := range files {
		if onFile != nil {
			onFile(i + 1)
		}
		c, err := ReadMatCalCSV(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p, _ := Prepare(c, opts)
		out = append(out, p)
	}
	if err := joinFileErrors(errs, len(files)); err != nil {
		return nil, err
	}
	return out, nil
}

// ImportGleeble reads the Gleeble table dataset of every file
// (ReadGleebleDataset). Every unreadable file is named in the error, and then no
// curve is returned.
func ImportGleeble(files []string, dataset string) ([]Curve, error) {
	var (
		out  []Curve
		errs []error
	)
	for _, f := range files {
		cs, err := ReadGleebleDataset(f, dataset)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, cs...)
	}
	if err := joinFileErrors(errs, len(files)); err != nil {
		return nil, err
	}
	return out, nil
}

// joinFileErrors combines the errors of several input files into one, so that a
// user sees every bad file at once (the first ten, and how many more).
func joinFileErrors(errs []error, nFiles int) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	const show = 10
	msgs := make([]string, 0, show+1)
	for i, e := range errs {
		if i == show {
			msgs = append(msgs, fmt.Sprintf("and %d more", len(errs)-show))
			break
		}
		msgs = append(msgs, e.Error())
	}
	return fmt.Errorf("%d of %d files could not be read, nothing written: %s", len(errs), nFiles, strings.Join(msgs, "; "))
}

// Points returns the number of points of all curves.
func Points(cs []Curve) int {
	n := 0
	for _, c := range cs {
		n += c.Len()
	}
	return n
}

// specimenWidth is the width of the specimen column of a summary of cs.
func specimenWidth(cs []Curve) int {
	width := len("specimen")
	for _, c := range cs {
		width = max(width, len(c.Specimen))
	}
	return width
}

// WriteTensionSummary writes one line per tension curve: temperature, direction,
// points, the elastic modulus, the 0.2 % offset yield as true stress (as
// stored), the UTS as engineering stress (maximum load over the original area)
// and where necking began, all stresses in MPa; then notes for the values that
// could not be found.
func WriteTensionSummary(w io.Writer, cs []Curve) {
	var noYield, noE []string
	width := specimenWidth(cs)
	fmt.Fprintf(w, "%-*s  %6s  %-3s  %6s  %6s  %10s  %8s  %s\n", width, "specimen", "T(°C)", "dir", "points", "E(GPa)", "Rp0.2 true", "UTS eng.", "necking")
	for _, c := range cs {
		dir, E, yield := c.Direction, "n/a", "n/a"
		if dir == "" {
			dir = "-"
		}
		if math.IsNaN(c.ElasticModulus) {
			noE = append(noE, c.Specimen)
		} else {
			E = fmt.Sprintf("%.1f", c.ElasticModulus/1000)
		}
		if y, ok := Yield02(c, c.ElasticModulus); ok {
			yield = fmt.Sprintf("%.1f", y)
		} else if !math.IsNaN(c.ElasticModulus) {
			noYield = append(noYield, c.Specimen)
		}
		uts, neck := necking(c)
		fmt.Fprintf(w, "%-*s  %6.1f  %-3s  %6d  %6s  %10s  %8s  %s\n", width, c.Specimen,
			KelvinToCelsius(c.TemperatureK), dir, c.Len(), E, yield, uts, neck)
	}
	if len(noE) > 0 {
		fmt.Fprintf(w, "note: E and Rp0.2 n/a for %s: no straight initial segment (R² ≥ 0.995); strains not toe-compensated\n", strings.Join(noE, ", "))
	}
	if len(noYield) > 0 {
		fmt.Fprintf(w, "note: Rp0.2 n/a for %s: the maximum load comes before 0.2 %% plastic strain (--keep-after-uts keeps the later points)\n", strings.Join(noYield, ", "))
	}
}

// necking returns the UTS column (MPa; "≥" the largest load reached when the data
// end before the maximum) and the necking column of a tension summary.
func necking(c Curve) (uts, neck string) {
	switch {
	case math.IsNaN(c.NeckingStrain):
		u, _ := UTS(c) // the largest load reached: a lower bound
		return fmt.Sprintf("≥%.1f", u), "not reached: the data end before the maximum load"
	case c.NeckingDropped > 0:
		return fmt.Sprintf("%.1f", c.UltimateStrength), fmt.Sprintf("from true strain %.4f; %d later points dropped", c.NeckingStrain, c.NeckingDropped)
	}
	return fmt.Sprintf("%.1f", c.UltimateStrength), fmt.Sprintf("from true strain %.4f; later points kept", c.NeckingStrain)
}

// WriteFlowSummary writes one line per compression flow curve: temperature,
// strain rate, points, and the peak flow stress magnitude (MPa) with the strain
// magnitude where it is reached.
func WriteFlowSummary(w io.Writer, cs []Curve) {
	width := specimenWidth(cs)
	fmt.Fprintf(w, "%-*s  %7s  %9s  %6s  %15s  %s\n", width, "specimen", "T(°C)", "rate(1/s)", "points", "peak |σ| (MPa)", "at |ε|")
	for _, c := range cs {
		peak, at := 0.0, 0.0
		for i, s := range c.Stress {
			if -s > peak {
				peak, at = -s, -c.Strain[i]
			}
		}
		fmt.Fprintf(w, "%-*s  %7.1f  %9g  %6d  %15.1f  %.3f\n", width, c.Specimen,
			KelvinToCelsius(c.TemperatureK), c.StrainRate, c.Len(), peak, at)
	}
}
