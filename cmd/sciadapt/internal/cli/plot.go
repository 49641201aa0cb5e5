package cli

import (
	"fmt"
	"path/filepath"

	"github.com/sciadapt/sciadapt/bio"
	"github.com/sciadapt/sciadapt/bio/dtidata"
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

// plotTrainDTI writes the figures of train dti: the loss per epoch and the ROC
// curves (binary) of the test and training pairs, or the affinity parity plot of
// the test pairs.
func plotTrainDTI(o *TrainDTIOptions, d *dtidata.Dataset, m *bio.Model, data *bio.Data, train, test []int, hist []bio.EpochStats) error {
	sets := []figures.Set{{Label: "test", Pairs: test, Y: bio.Predict(m, nil, data, test)}}
	if d.Task == dtidata.Binary {
		sets = append(sets, figures.Set{Label: "training", Pairs: train, Y: bio.Predict(m, nil, data, train)})
	}
	return figures.DTI(o.Plot, o.Log, d, hist, "training on "+filepath.Base(o.Data), sets)
}

// plotTransfer writes the figures of transfer: the loss per epoch and, on the
// test pairs of the species, the ROC curves of the adapted model, of the frozen
// human model and of the receptor base rate (binary), or the affinity parity
// plot of the adapted model.
func plotTransfer(o *TransferOptions, p *bio.Protocol) error {
	m, a, data, test := p.Model, p.Adapter, p.Data, p.Test
	d := data.Set
	y := bio.Predict(m, nil, data, test)
	frozen := y
	if a != nil {
		a.Enable(false)
		frozen = bio.Predict(m, nil, data, test)
		a.Enable(true)
	}
	species := dtidata.NormalizeSpecies(o.Species)
	sets := []figures.Set{{Label: "adapted (" + o.Method + ")", Pairs: test, Y: y}}
	if d.Task == dtidata.Binary {
		if a != nil {
			sets = append(sets, figures.Set{Label: "frozen human model", Pairs: test, Y: frozen})
		}
		sets = append(sets, figures.Set{Label: "receptor base rate", Pairs: test, Y: bio.ReceptorRate(d, p.Adapt, test)})
	}
	title := fmt.Sprintf("%s test pairs, K = %d per target", species, o.PerTarget)
	return figures.DTI(o.Plot, o.Log, d, p.History, title, sets)
}
