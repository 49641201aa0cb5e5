package figures

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/sciadapt/sciadapt/bio"
	"github.com/sciadapt/sciadapt/bio/dtidata"
)

// TrainDTI writes the figures of "train dti" on data (the file dataFile): the
// loss per epoch and the ROC curves (binary) of the test and training pairs, or
// the affinity parity plot of the test pairs.
func TrainDTI(dir string, log io.Writer, m *bio.Model, data *bio.Data, dataFile string, train, test []int, hist []bio.EpochStats) error {
	if dir == "" {
		return nil
	}
	d := data.Set
	sets := []Set{{Label: "test", Pairs: test, Y: bio.Predict(m, nil, data, test)}}
	if d.Task == dtidata.Binary {
		sets = append(sets, Set{Label: "training", Pairs: train, Y: bio.Predict(m, nil, data, train)})
	}
	return DTI(dir, log, d, hist, "training on "+filepath.Base(dataFile), sets)
}

// Transfer writes the figures of "transfer" after p ran: the loss per epoch and,
// on the test pairs of the species, the ROC curves of the model adapted by
// method, of the frozen human model and of the receptor base rate (binary), or
// the affinity parity plot of the adapted model.
func Transfer(dir string, log io.Writer, p *bio.Protocol, method, species string, perTarget int) error {
	if dir == "" {
		return nil
	}
	m, a, data, test := p.Model, p.Adapter, p.Data, p.Test
	d := data.Set
	y := bio.Predict(m, nil, data, test)
	frozen := y
	if a != nil {
		a.Enable(false)
		frozen = bio.Predict(m, nil, data, test)
		a.Enable(true)
	}
	sets := []Set{{Label: "adapted (" + method + ")", Pairs: test, Y: y}}
	if d.Task == dtidata.Binary {
		if a != nil {
			sets = append(sets, Set{Label: "frozen human model", Pairs: test, Y: frozen})
		}
		sets = append(sets, Set{Label: "receptor base rate", Pairs: test, Y: bio.ReceptorRate(d, p.Adapt, test)})
	}
	title := fmt.Sprintf("%s test pairs, K = %d per target", dtidata.NormalizeSpecies(species), perTarget)
	return DTI(dir, log, d, p.History, title, sets)
}
