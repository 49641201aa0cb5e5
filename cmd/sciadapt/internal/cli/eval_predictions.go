package cli

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/constitutive"
	"github.com/sciadapt/sciadapt/constitutive/curves"
	"github.com/sciadapt/sciadapt/internal/atomicfile"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
)

// writePredictions writes frames again with the model's energies and forces in
// place of the references (atoms HDF5, eV and Å, atomically), so that predictions
// can be compared with the data by any HDF5 reader. Stress is not written.
func writePredictions(path string, m *potentials.Model, frames []datasets.Frame, ctx func(*potentials.Batch) *nn.Context, model, data string) error {
	p, err := potentials.PredictFrames(m, frames, 64, ctx)
	if err != nil {
		return fmt.Errorf("%s: %v", data, err)
	}
	out := make([]datasets.Frame, len(frames))
	off := 0
	for i, f := range frames {
		g := f
		g.Energy = p.Energy[i]
		g.Stress = nil
		if f.Forces != nil {
			g.Forces = p.Force[off : off+len(f.Forces)]
			off += len(f.Forces)
		} else {
			g.Forces = nil
		}
		out[i] = g
	}
	meta := datasets.Meta{LevelOfTheory: "predicted by " + model, Source: "sciadapt eval --predictions on " + data}
	return datasets.Write(path, meta, out)
}

// writeCurvePredictions writes the curves again with the model's uniaxial stress in
// place of the measured one (curves HDF5, MPa, atomically).
func writeCurvePredictions(path string, m *constitutive.Model, cs []curves.Curve, data string) error {
	out := make([]curves.Curve, len(cs))
	for i, c := range cs {
		s, err := m.UniaxialStress(c.Strain, c.TemperatureK)
		if err != nil {
			return fmt.Errorf("%s: curve %s: %v", data, c.Specimen, err)
		}
		p := c
		p.Stress = s
		out[i] = p
	}
	return curves.Write(path, out)
}

// writePairPredictions writes one CSV line per scored pair: protein, accession,
// species, drug, split, value (label or affinity) and the model's output (a logit
// for binary labels, the predicted affinity otherwise), atomically.
func writePairPredictions(path string, d *dtidata.Dataset, pairs []int, y []float64) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"protein", "accession", "species", "drug", "split", "value", "output"})
		for i, k := range pairs {
			p := d.Pairs[k]
			pr := d.Proteins[p.Protein]
			cw.Write([]string{pr.ID, pr.Accession, pr.Species, d.Drugs[p.Drug].ID, p.Split,
				strconv.FormatFloat(p.Value, 'g', -1, 64), strconv.FormatFloat(y[i], 'g', 17, 64)})
		}
		cw.Flush()
		return cw.Error()
	})
}
