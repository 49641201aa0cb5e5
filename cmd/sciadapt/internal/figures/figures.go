// Package figures draws the figures that the commands write with --plot: the
// training loss, parity plots of energies, forces, stresses and affinities,
// stress–strain curves and ROC curves, from models and data, as PNG files
// (5 × 4 in, 150 dpi) through internal/plots. It is part of the application: it
// knows the models of each domain but holds no science of its own.
package figures

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/bio"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/constitutive"
	"github.com/sciadapt/sciadapt/constitutive/curves"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/internal/plots"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
	"github.com/sciadapt/sciadapt/train"
)

// Names of the figure files.
const (
	Loss           = "loss.png"            // training loss per epoch
	ParityEnergy   = "parity_energy.png"   // potentials: energies
	ParityForces   = "parity_forces.png"   // potentials: force components
	StressStrain   = "stress_strain.png"   // constitutive: curves, measured and model
	ParityStress   = "parity_stress.png"   // constitutive: stress at every measured point
	ROC            = "roc.png"             // drug–target, binary labels
	ParityAffinity = "parity_affinity.png" // drug–target, affinities
)

// figures collects the figures of one command in a directory made on first use.
type figures struct {
	dir   string
	log   io.Writer
	wrote []string
}

// path returns the path of a figure, making the directory if needed.
func (f *figures) path(name string) (string, error) {
	if err := os.MkdirAll(f.dir, 0o755); err != nil {
		return "", fmt.Errorf("--plot: %v", err)
	}
	return filepath.Join(f.dir, name), nil
}

// do runs draw with the path of figure name and records it.
func (f *figures) do(name string, draw func(path string) error) error {
	p, err := f.path(name)
	if err != nil {
		return err
	}
	if err := draw(p); err != nil {
		return fmt.Errorf("%s: %v", p, err)
	}
	f.wrote = append(f.wrote, p)
	return nil
}

// done prints the figures written.
func (f *figures) done() {
	if len(f.wrote) > 0 {
		fmt.Fprintf(f.log, "wrote figures %s\n", strings.Join(f.wrote, ", "))
	}
}

// Potential writes the training loss (if hist is not empty) and parity plots
// of energies and force components of m on frames; set names the frames in the
// titles ("training" or "test") and file the data file. Energies are shown
// relative to the mean reference energy of their system, the same offset taken
// from prediction and reference, so that molecules of very different total
// energy share the axes; the errors are unchanged.
func Potential(dir string, log io.Writer, m *potentials.Model, frames []datasets.Frame,
	ctx func(*potentials.Batch) *nn.Context, hist []train.EpochStats, set, file string) error {
	f := &figures{dir: dir, log: log}
	defer f.done()
	if len(hist) > 0 {
		loss := make([]float64, len(hist))
		for i, s := range hist {
			loss[i] = s.Loss
		}
		if err := f.do(Loss, func(p string) error {
			return plots.Loss(p, loss, nil, &plots.LossOptions{Title: "training on " + filepath.Base(file),
				YLabel: "weighted loss (dimensionless)"})
		}); err != nil {
			return err
		}
	}
	pr, err := potentials.PredictFrames(m, frames, 64, ctx)
	if err != nil {
		return err
	}
	mean := map[string]float64{}
	count := map[string]float64{}
	for i, s := range pr.System {
		mean[s] += pr.EnergyRef[i]
		count[s]++
	}
	ref, pred := make([]float64, len(pr.Energy)), make([]float64, len(pr.Energy))
	for i, s := range pr.System {
		mu := mean[s] / count[s]
		ref[i], pred[i] = pr.EnergyRef[i]-mu, pr.Energy[i]-mu
	}
	title := set + ": " + filepath.Base(file)
	if err := f.do(ParityEnergy, func(p string) error {
		return plots.Parity(p, ref, pred, &plots.ParityOptions{Title: title, Quantity: "energy − system mean",
			Unit: "eV", Points: set + " frames"})
	}); err != nil {
		return err
	}
	if len(pr.Force) == 0 {
		return nil
	}
	return f.do(ParityForces, func(p string) error {
		return plots.Parity(p, pr.ForceRef, pr.Force, &plots.ParityOptions{Title: title, Quantity: "force component",
			Unit: "eV/Å", Points: "components"})
	})
}

// modelCurve returns the model's uniaxial curve at tK from zero to maxStrain.
func modelCurve(m *constitutive.Model, tK, maxStrain float64) (plots.Curve, error) {
	const n = 200
	eps := make([]float64, n)
	for i := range eps {
		eps[i] = maxStrain * float64(i) / (n - 1)
	}
	sig, err := m.UniaxialStress(eps, tK)
	if err != nil {
		return plots.Curve{}, err
	}
	return plots.Curve{Strain: eps, Stress: sig}, nil
}

// byTemperature groups curves by temperature (to 0.1 K), in increasing order.
func byTemperature(cs []curves.Curve) [][]curves.Curve {
	idx := map[float64]int{}
	var groups [][]curves.Curve
	for _, c := range cs {
		k := math.Round(c.TemperatureK * 10)
		i, ok := idx[k]
		if !ok {
			i = len(groups)
			idx[k] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], c)
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i][0].TemperatureK < groups[j][0].TemperatureK })
	return groups
}

// maxStrain is the largest strain of the curves.
func maxStrain(cs []curves.Curve) float64 {
	hi := 0.0
	for _, c := range cs {
		for _, e := range c.Strain {
			hi = math.Max(hi, e)
		}
	}
	return hi
}

// ConstitutiveOptions are the title and extras of the constitutive figures.
type ConstitutiveOptions struct {
	Title string
	// Reference, if set, computes a dashed comparison curve at a temperature
	// (the base model before tuning), labelled ReferenceLabel.
	Reference      func(tK, maxStrain float64) (plots.Curve, error)
	ReferenceAt    float64 // the only temperature (K) given a reference curve
	ReferenceLabel string
	ModelLabel     string
	Selected       plots.Curve // points tuned on
	SelectedAt     float64
	Parity         []curves.Curve // curves of the stress parity plot (default all)
}

// Constitutive writes the stress–strain figure of the measured curves cs
// with the model's curve at each of their temperatures, and the parity plot of
// the model's stress at every measured point of extra.Parity (default cs).
func Constitutive(dir string, log io.Writer, m *constitutive.Model, cs []curves.Curve, extra ConstitutiveOptions) error {
	f := &figures{dir: dir, log: log}
	defer f.done()
	var temps []plots.Temperature
	for _, g := range byTemperature(cs) {
		tK := g[0].TemperatureK
		t := plots.Temperature{Celsius: math.Round(curves.KelvinToCelsius(tK)*10) / 10}
		for _, c := range g {
			t.Measured = append(t.Measured, plots.Curve{Strain: c.Strain, Stress: c.Stress})
		}
		mc, err := modelCurve(m, tK, maxStrain(g))
		if err != nil {
			return err
		}
		t.Model = []plots.Curve{mc}
		if extra.Reference != nil && math.Abs(tK-extra.ReferenceAt) <= curves.TemperatureTolerance {
			rc, err := extra.Reference(tK, maxStrain(g))
			if err != nil {
				return err
			}
			t.Reference = []plots.Curve{rc}
		}
		if math.Abs(tK-extra.SelectedAt) <= curves.TemperatureTolerance {
			t.Selected = extra.Selected
		}
		temps = append(temps, t)
	}
	if err := f.do(StressStrain, func(p string) error {
		return plots.StressStrain(p, temps, &plots.StressStrainOptions{Title: extra.Title,
			ModelLabel: extra.ModelLabel, ReferenceLabel: extra.ReferenceLabel, SelectedLabel: "tuning points"})
	}); err != nil {
		return err
	}
	pcs := extra.Parity
	if pcs == nil {
		pcs = cs
	}
	if len(pcs) == 0 {
		return nil
	}
	var ref, pred []float64
	for _, c := range pcs {
		s, err := m.UniaxialStress(c.Strain, c.TemperatureK)
		if err != nil {
			return fmt.Errorf("curve %s: %v", c.Specimen, err)
		}
		ref = append(ref, c.Stress...)
		pred = append(pred, s...)
	}
	return f.do(ParityStress, func(p string) error {
		return plots.Parity(p, ref, pred, &plots.ParityOptions{Title: extra.Title, Quantity: "true stress", Unit: "MPa", Reference: "measured",
			Points: fmt.Sprintf("points of %d curves", len(pcs))})
	})
}

// TemperatureTune writes the figures of temperature-tune: every curve of
// dataFile at the base and the new temperature with the model (tuned at tK, the
// base elsewhere), the base model unchanged at tK dashed, the tuning points, and
// the stress parity on the other specimens at tK.
func TemperatureTune(dir string, log io.Writer, m *constitutive.Model, a *adapters.Adapter, dataFile string,
	tK float64, train curves.Curve, idx []int, others []curves.Curve) error {
	all, err := curves.Read(dataFile)
	if err != nil {
		return err
	}
	t0 := m.Config().BaseTemperatureK
	var cs []curves.Curve
	for _, c := range all {
		if math.Abs(c.TemperatureK-tK) <= curves.TemperatureTolerance || math.Abs(c.TemperatureK-t0) <= curves.TemperatureTolerance {
			cs = append(cs, c)
		}
	}
	sel := plots.Curve{}
	for _, i := range idx {
		sel.Strain = append(sel.Strain, train.Strain[i])
		sel.Stress = append(sel.Stress, train.Stress[i])
	}
	base := func(t, hi float64) (plots.Curve, error) {
		a.Enable(false)
		defer a.Enable(true)
		return modelCurve(m, t, hi)
	}
	return Constitutive(dir, log, m, cs, ConstitutiveOptions{
		Title:     fmt.Sprintf("tuned to %g °C on %d measured points", curves.KelvinToCelsius(tK), len(idx)),
		Reference: base, ReferenceAt: tK, ReferenceLabel: "base model, untuned", ModelLabel: "model",
		Selected: sel, SelectedAt: tK, Parity: others,
	})
}

// Set is a named set of drug–target pairs with a model's outputs for them.
type Set struct {
	Label string
	Pairs []int     // indices into the dataset's pairs
	Y     []float64 // logits or affinities, one per pair
}

// DTI writes the training loss per epoch (with the extra term when it is not
// zero) and, for binary data, the ROC curves of the sets, or for affinities the
// parity plot of the first set.
func DTI(dir string, log io.Writer, d *dtidata.Dataset, hist []bio.EpochStats, title string, sets []Set) error {
	f := &figures{dir: dir, log: log}
	defer f.done()
	if len(hist) > 0 {
		x := make([]float64, len(hist))
		loss, extra := make([]float64, len(hist)), make([]float64, len(hist))
		hasExtra := false
		for i, s := range hist {
			x[i], loss[i], extra[i] = float64(s.Epoch), s.Loss, s.Extra
			hasExtra = hasExtra || s.Extra != 0
		}
		ylabel := "binary cross-entropy (nats)"
		if d.Task == dtidata.Affinity {
			ylabel = fmt.Sprintf("squared error (%s²)", d.AffinityUnit)
		}
		style := plots.Lines
		if len(hist) < 30 {
			style = plots.LineMarkers
		}
		series := []plots.Series{{Label: "training data term", X: x, Y: loss, Style: style}}
		if hasExtra {
			ylabel = "loss terms"
			series = append(series, plots.Series{Label: "alignment term 1 − cos", X: x, Y: extra, Style: style})
		}
		if err := f.do(Loss, func(p string) error {
			return plots.Curves(p, series, &plots.CurvesOptions{Title: title, XLabel: "epoch", YLabel: ylabel,
				XScale: plots.ScaleLinear})
		}); err != nil {
			return err
		}
	}
	if len(sets) == 0 {
		return nil
	}
	if d.Task == dtidata.Binary {
		var rc []plots.ROCCurve
		for _, s := range sets {
			labels := make([]bool, len(s.Pairs))
			for i, k := range s.Pairs {
				labels[i] = d.Pairs[k].Value == 1
			}
			rc = append(rc, plots.ROCCurve{Label: s.Label, Labels: labels, Scores: s.Y})
		}
		return f.do(ROC, func(p string) error { return plots.ROC(p, rc, &plots.ROCOptions{Title: title}) })
	}
	s := sets[0]
	ref := make([]float64, len(s.Pairs))
	for i, k := range s.Pairs {
		ref[i] = d.Pairs[k].Value
	}
	return f.do(ParityAffinity, func(p string) error {
		return plots.Parity(p, ref, s.Y, &plots.ParityOptions{Title: title, Quantity: "affinity", Unit: d.AffinityUnit, Reference: "measured",
			Points: s.Label + " pairs"})
	})
}
