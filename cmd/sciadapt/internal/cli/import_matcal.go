package cli

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/constitutive/curves"
	"github.com/sciadapt/sciadapt/internal/progress"
)

// ImportMatCalOptions are the inputs of "sciadapt import matcal".
type ImportMatCalOptions struct {
	Inputs       []string // CSV files or glob patterns
	Out          string   // output HDF5 file
	KeepAfterUTS bool     // keep the points after the ultimate tensile strength
	Stdout       io.Writer
	Progress     progress.Reporter // one step per file; nil reports nothing
}

// NewCmdImportMatCal returns the "import matcal" command.
func NewCmdImportMatCal() *cobra.Command {
	opts := &ImportMatCalOptions{}
	cmd := &cobra.Command{
		Use:   "matcal FILE.csv... --out OUT.h5",
		Short: "Import Sandia MatCal tension-test CSV files as true stress–strain curves",
		Long: `Import uniaxial tension curves from Sandia MatCal CSV files into one HDF5 file in
the sciadapt-curves layout, one group per specimen.

Each file starts with MatCal's state line, a Python dict such as
{'temperature': 533.07, 'direction': 'R11'} with the temperature in Rankine; stresses
are in ksi. Curves are stored as true strain and true stress in MPa at temperatures
in kelvin, with the source units kept as attributes. Each curve is processed as
follows: preload cycles before the final loading are dropped; the data after the
ultimate tensile strength (necking) are dropped unless --keep-after-uts; the elastic
part is fitted by least squares (longest initial segment with R² ≥ 0.999) and the
strains are toe-compensated so the elastic line passes through the origin.

One line per specimen is printed: temperature, direction, points kept, apparent
elastic modulus, 0.2 % offset yield (true stress), ultimate tensile strength
(engineering) and where necking began. Arguments may be glob patterns.`,
		Example: `  sciadapt import matcal al6061_sandia/processed_data/cleaned_*.csv --out AL6061.h5
  sciadapt import matcal cleaned_CA-LT-01.csv cleaned_6061-02-06-200C-LT.csv --out two.h5
  sciadapt import matcal 'processed_data/*200C*.csv' --out AL6061_200C.h5 --keep-after-uts`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Inputs = args
			opts.Stdout = cmd.OutOrStdout()
			opts.Progress = importProgressFor(cmd, "import matcal")
			return runImportMatCal(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "output HDF5 file (required)")
	cmd.Flags().BoolVar(&opts.KeepAfterUTS, "keep-after-uts", false, "keep the points after the ultimate tensile strength (necking); they are marked, not dropped")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func runImportMatCal(opts *ImportMatCalOptions) error {
	if opts.Out == "" {
		return usagef("--out is required: the HDF5 file to write")
	}
	files, err := curveInputFiles(opts.Inputs, ".csv")
	if err != nil {
		return err
	}
	if err := checkOutNotInput(opts.Out, files); err != nil {
		return err
	}
	popts := &curves.PrepareOptions{KeepAfterUTS: opts.KeepAfterUTS}
	var (
		out  []curves.Curve
		errs []error
	)
	prog := orDiscard(opts.Progress)
	started := time.Now()
	prog.Start(len(files), "files")
	for i, f := range files {
		prog.Step(progress.Fields{Epoch: i + 1, Loss: math.NaN(), Seconds: time.Since(started).Seconds()})
		c, err := curves.ReadMatCalCSV(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p, _ := curves.Prepare(c, popts) // a failed elastic fit is reported per line, not fatal
		out = append(out, p)
	}
	prog.Done()
	if len(errs) > 0 {
		return curveImportErrors(errs, len(files))
	}
	if err := curves.Write(opts.Out, out); err != nil {
		return err
	}
	w := opts.Stdout
	if w == nil {
		w = io.Discard
	}
	printTensionSummary(w, out)
	fmt.Fprintf(w, "wrote %d curves (%d points) to %s: true strain, true stress in MPa, temperature in K\n",
		len(out), curvePoints(out), opts.Out)
	return nil
}

// curveInputFiles turns the arguments into a list of files: an argument with glob
// characters is expanded (the shell may not have done it, if quoted), and every file
// must exist and not be a directory. Duplicates are kept once, in argument order.
func curveInputFiles(args []string, ext string) ([]string, error) {
	var files []string
	seen := make(map[string]bool)
	for _, a := range args {
		matches := []string{a}
		if strings.ContainsAny(a, "*?[") {
			m, err := filepath.Glob(a)
			if err != nil {
				return nil, usagef("bad file pattern %q: %v", a, err)
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("no file matches %q", a)
			}
			matches = m
		}
		for _, f := range matches {
			st, err := os.Stat(f)
			if err != nil {
				var pe *os.PathError
				if errors.As(err, &pe) {
					err = pe.Err
				}
				return nil, fmt.Errorf("%s: %v", f, err)
			}
			if st.IsDir() {
				return nil, fmt.Errorf("%s: is a directory; give the files, for example %s", f, filepath.Join(f, "*"+ext))
			}
			if !seen[f] {
				seen[f] = true
				files = append(files, f)
			}
		}
	}
	return files, nil
}

// checkOutNotInput refuses an output file that is one of the inputs: the import
// would replace its own source.
func checkOutNotInput(out string, inputs []string) error {
	outAbs, err := filepath.Abs(out)
	if err != nil {
		return nil
	}
	outSt, outErr := os.Stat(out)
	for _, in := range inputs {
		a, _ := filepath.Abs(in)
		same := a == outAbs
		if !same && outErr == nil {
			if st, err := os.Stat(in); err == nil {
				same = os.SameFile(st, outSt)
			}
		}
		if same {
			return usagef("--out %s is also an input; write to another file", out)
		}
	}
	return nil
}

// curveImportErrors combines the errors of several input files into one, so that a user
// sees every bad file at once.
func curveImportErrors(errs []error, nFiles int) error {
	if len(errs) == 1 {
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

func curvePoints(cs []curves.Curve) int {
	n := 0
	for _, c := range cs {
		n += c.Len()
	}
	return n
}

// printTensionSummary prints one line per tension curve: stresses in MPa, the 0.2 %
// offset yield as true stress (as stored), the UTS as engineering stress (maximum
// load over the original area), then notes for values that could not be found.
func printTensionSummary(w io.Writer, cs []curves.Curve) {
	var noYield, noE []string
	width := len("specimen")
	for _, c := range cs {
		width = max(width, len(c.Specimen))
	}
	fmt.Fprintf(w, "%-*s  %6s  %-3s  %6s  %6s  %10s  %8s  %s\n", width, "specimen", "T(°C)", "dir", "points", "E(GPa)", "Rp0.2 true", "UTS eng.", "necking")
	for _, c := range cs {
		dir := c.Direction
		if dir == "" {
			dir = "-"
		}
		E := "n/a"
		if !math.IsNaN(c.ElasticModulus) {
			E = fmt.Sprintf("%.1f", c.ElasticModulus/1000)
		}
		yield := "n/a"
		if y, ok := curves.Yield02(c, c.ElasticModulus); ok {
			yield = fmt.Sprintf("%.1f", y)
		} else if !math.IsNaN(c.ElasticModulus) {
			noYield = append(noYield, c.Specimen)
		}
		if math.IsNaN(c.ElasticModulus) {
			noE = append(noE, c.Specimen)
		}
		var utsText, neck string
		switch {
		case math.IsNaN(c.NeckingStrain):
			uts, _ := curves.UTS(c) // the largest load reached: a lower bound
			utsText = fmt.Sprintf("≥%.1f", uts)
			neck = "not reached: the data end before the maximum load"
		case c.NeckingDropped > 0:
			utsText = fmt.Sprintf("%.1f", c.UltimateStrength)
			neck = fmt.Sprintf("from true strain %.4f; %d later points dropped", c.NeckingStrain, c.NeckingDropped)
		default:
			utsText = fmt.Sprintf("%.1f", c.UltimateStrength)
			neck = fmt.Sprintf("from true strain %.4f; later points kept", c.NeckingStrain)
		}
		fmt.Fprintf(w, "%-*s  %6.1f  %-3s  %6d  %6s  %10s  %8s  %s\n", width, c.Specimen,
			curves.KelvinToCelsius(c.TemperatureK), dir, c.Len(), E, yield, utsText, neck)
	}
	if len(noE) > 0 {
		fmt.Fprintf(w, "note: E and Rp0.2 n/a for %s: no straight initial segment (R² ≥ 0.995); strains not toe-compensated\n", strings.Join(noE, ", "))
	}
	if len(noYield) > 0 {
		fmt.Fprintf(w, "note: Rp0.2 n/a for %s: the maximum load comes before 0.2 %% plastic strain (--keep-after-uts keeps the later points)\n", strings.Join(noYield, ", "))
	}
}
