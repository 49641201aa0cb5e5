package cli

import (
	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/figures"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/potentials"
	"github.com/sciadapt/sciadapt/train"
)

// plotFlagUsage is the help text of every command's --plot flag.
const plotFlagUsage = "write figures (PNG) into this directory"

// plotAddElement writes the figures of add-element: the training loss and the
// parity plots on the --test frames, or on the training frames without --test.
func plotAddElement(o *AddElementOptions, base *potentials.Model, frames []datasets.Frame, hist []train.EpochStats) error {
	set, file := "training", o.Data
	if o.Test != "" {
		test, err := loadFrames(o.Test, 0, 0)
		if err != nil {
			return err
		}
		frames, set, file = test, "test", o.Test
	}
	return figures.Potential(o.Plot, o.Log, base, frames, base.ElementContext, hist, set, file)
}
