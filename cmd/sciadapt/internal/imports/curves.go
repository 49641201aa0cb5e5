package imports

import (
	"fmt"
	"io"
	"math"
	"time"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/paths"
	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/usage"
	"github.com/sciadapt/sciadapt/constitutive/curves"
	"github.com/sciadapt/sciadapt/internal/progress"
)

// MatCal are the inputs of an import of Sandia MatCal tension-test CSV files.
type MatCal struct {
	Inputs       []string // CSV files or glob patterns
	Out          string   // output HDF5 file
	KeepAfterUTS bool     // keep the points after the ultimate tensile strength
	Stdout       io.Writer
	Progress     progress.Reporter // one step per file; nil reports nothing
}

// Run imports and prepares the curves of the inputs (curves.ImportMatCal),
// writes them to Out and prints one line per curve (curves.WriteTensionSummary).
func (opts *MatCal) Run() error {
	if opts.Out == "" {
		return usage.Errorf("--out is required: the HDF5 file to write")
	}
	files, err := paths.Files(opts.Inputs, ".csv")
	if err != nil {
		return err
	}
	if err := paths.CheckOutNotInput(opts.Out, files); err != nil {
		return err
	}
	prog := orDiscard(opts.Progress)
	started := time.Now()
	prog.Start(len(files), "files")
	out, err := curves.ImportMatCal(files, &curves.PrepareOptions{KeepAfterUTS: opts.KeepAfterUTS}, func(i int) {
		prog.Step(progress.Fields{Epoch: i, Loss: math.NaN(), Seconds: time.Since(started).Seconds()})
	})
	prog.Done()
	if err != nil {
		return err
	}
	if err := curves.Write(opts.Out, out); err != nil {
		return err
	}
	w := orDiscardWriter(opts.Stdout)
	curves.WriteTensionSummary(w, out)
	fmt.Fprintf(w, "wrote %d curves (%d points) to %s: true strain, true stress in MPa, temperature in K\n",
		len(out), curves.Points(out), opts.Out)
	return nil
}

// Gleeble are the inputs of an import of Gleeble hot-compression tables.
type Gleeble struct {
	Inputs  []string // Gleeble HDF5 files
	Out     string   // output HDF5 file
	Dataset string   // table to read in each input
	Stdout  io.Writer
}

// Run imports the flow curves of the inputs (curves.ImportGleeble), writes them
// to Out and prints one line per curve (curves.WriteFlowSummary).
func (opts *Gleeble) Run() error {
	if opts.Out == "" {
		return usage.Errorf("--out is required: the HDF5 file to write")
	}
	if opts.Dataset == "" {
		return usage.Errorf("--dataset must name a dataset, such as all")
	}
	files, err := paths.Files(opts.Inputs, ".h5")
	if err != nil {
		return err
	}
	if err := paths.CheckOutNotInput(opts.Out, files); err != nil {
		return err
	}
	out, err := curves.ImportGleeble(files, opts.Dataset)
	if err != nil {
		return err
	}
	if err := curves.Write(opts.Out, out); err != nil {
		return err
	}
	w := orDiscardWriter(opts.Stdout)
	curves.WriteFlowSummary(w, out)
	fmt.Fprintf(w, "wrote %d curves (%d points) to %s: true strain, true stress in MPa (compression negative), temperature in K\n",
		len(out), curves.Points(out), opts.Out)
	return nil
}
