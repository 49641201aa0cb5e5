package demo

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/demodata"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
)

// PotentialsRow is one line of the potentials table: a way of adding O, scored
// on the O test frames and, after it, on the H/C/N test frames.
type PotentialsRow struct {
	Method      string             `json:"method"`
	K           int                `json:"k"`
	Trainable   int                `json:"trainable_parameters"`
	Test        potentials.Errors  `json:"o_test"`
	HCNAfter    *potentials.Errors `json:"hcn_test_after,omitempty"`
	AdapterSize int                `json:"adapter_bytes,omitempty"`
	Seconds     float64            `json:"seconds"`
}

// PotentialsReport is the report of the potentials scenario.
type PotentialsReport struct {
	BaseTrainableParameters int               `json:"base_trainable_parameters"`
	Seconds                 float64           `json:"seconds"`
	HCNTest                 potentials.Errors `json:"hcn_test"` // the base before adapting
	AddOxygen               []PotentialsRow   `json:"add_oxygen"`
}

// potentialsRun holds the data and settings of one run of the potentials scenario.
type potentialsRun struct {
	o                                Options
	dir                              string
	cfg                              potentials.Config
	hcnTrain, hcnTest, oTrain, oTest []datasets.Frame
	train                            potentials.TrainOptions // of every adaptation
}

// runPotentials runs the add-element scenario (see the package documentation).
func runPotentials(o Options, dir string, paths map[string]string) (*PotentialsReport, error) {
	start := time.Now()
	fmt.Fprintf(o.Out, "== Scenario 1: teach a H/C/N potential oxygen (rMD17) ==\n")
	s, err := newPotentialsRun(o, dir, paths)
	if err != nil {
		return nil, err
	}
	base, baseFile, hcnErr, err := s.trainBase(start)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(o.Out, "2. add O from K=%d frames per molecule (%d frames), %d epochs each\n", o.K, len(s.oTrain), o.AdaptEpochs)
	var rows []PotentialsRow
	for _, method := range []string{"zero-shot", "embedding", "adapter", "full"} {
		row, err := s.addOxygen(baseFile, method)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	srow, err := s.scratch()
	if err != nil {
		return nil, err
	}
	rows = append(rows, srow)
	fmt.Fprintf(o.Out, "\nO test set: %d frames; base model file %d bytes\n", len(s.oTest), fileSize(baseFile))
	printPotentialsTable(o.Out, rows)
	fmt.Fprintf(o.Out, "H/C/N force MAE before adapting: %.0f meV/Å (adapters leave it bit-identical; full fine-tuning may move it). Total %.0fs.\n",
		1000*hcnErr.ForceMAE, time.Since(start).Seconds())
	_, baseTrainable := nn.Counts(base)
	return &PotentialsReport{BaseTrainableParameters: baseTrainable, Seconds: time.Since(start).Seconds(),
		HCNTest: hcnErr, AddOxygen: rows}, nil
}

// newPotentialsRun reads the frames of the scenario (fewer with Quick).
func newPotentialsRun(o Options, dir string, paths map[string]string) (*potentialsRun, error) {
	baseFrames, testFrames := 0, 0 // all: 40 per molecule, and every test frame
	cfg := potentials.Config{Species: []int{1, 6, 7}, Cutoff: 5, Features: 32, RBF: 16, Interactions: 2, Seed: o.Seed}
	if o.Quick {
		baseFrames, testFrames = 5, 3
		cfg.Features, cfg.RBF, cfg.Interactions = 8, 8, 1
	}
	s := &potentialsRun{o: o, dir: dir, cfg: cfg, train: potentials.TrainOptions{Epochs: o.AdaptEpochs, BatchSize: 16,
		LR: 3e-3, Seed: o.Seed, Progress: potentialProgress(o.Progress)}}
	for _, f := range []struct {
		dst  *[]datasets.Frame
		name string
		k    int
	}{{&s.hcnTrain, demodata.HCNTrain, baseFrames}, {&s.hcnTest, demodata.HCNTest, testFrames},
		{&s.oTrain, demodata.OTrain, o.K}, {&s.oTest, demodata.OTest, testFrames}} {
		fr, err := loadFrames(paths[f.name], f.k, o.Seed)
		if err != nil {
			return nil, err
		}
		*f.dst = fr
	}
	return s, nil
}

// trainBase trains the H/C/N base, saves it and scores it on the H/C/N test frames.
func (s *potentialsRun) trainBase(start time.Time) (*potentials.Model, string, potentials.Errors, error) {
	o, p := s.o, s.o.Progress
	base, err := potentials.New(s.cfg)
	if err == nil {
		err = base.FitReferences(s.hcnTrain)
	}
	if err != nil {
		return nil, "", potentials.Errors{}, err
	}
	fmt.Fprintf(o.Out, "1. base potential on H/C/N: %d training frames, %d epochs\n", len(s.hcnTrain), o.BaseEpochs)
	p.Start(o.BaseEpochs, "epochs")
	_, err = potentials.Train(base, s.hcnTrain, potentials.TrainOptions{Epochs: o.BaseEpochs, BatchSize: 16, LR: 3e-3, Seed: o.Seed,
		Progress: potentialProgress(p)})
	p.Done()
	if err == nil {
		_, _, err = base.RefitReferences(s.hcnTrain)
	}
	baseFile := s.dir + "/base.model"
	if err == nil {
		err = base.Save(baseFile)
	}
	if err != nil {
		return nil, "", potentials.Errors{}, err
	}
	hcnErr, err := potentials.Evaluate(base, s.hcnTest, 64, nil)
	if err != nil {
		return nil, "", potentials.Errors{}, err
	}
	fmt.Fprintf(o.Out, "   H/C/N test (%d frames): energy MAE %.1f meV/atom, force MAE %.0f meV/Å  [%.0fs]\n",
		hcnErr.Frames, 1000*hcnErr.EnergyMAEPerAtom, 1000*hcnErr.ForceMAE, time.Since(start).Seconds())
	return base, baseFile, hcnErr, nil
}

// addOxygen adds O to a fresh copy of the base by method and scores it.
func (s *potentialsRun) addOxygen(baseFile, method string) (PotentialsRow, error) {
	t0, p := time.Now(), s.o.Progress
	row := PotentialsRow{Method: method, K: s.o.K}
	m, err := potentials.Load(baseFile)
	if err != nil {
		return row, err
	}
	ec := potentials.DefaultElementConfig(8)
	var zeroShot bool
	if ec.Method, zeroShot, err = potentials.ParseElementMethod(method); err != nil {
		return row, err
	}
	p.Notef("adding O by method %s", method)
	p.Start(s.o.AdaptEpochs, "epochs")
	a, _, err := potentials.AddElement(m, s.oTrain, potentials.AddElementOptions{Config: ec, Train: s.train, ZeroShot: zeroShot})
	p.Done()
	if err != nil {
		return row, err
	}
	for _, p := range a.Params() {
		row.Trainable += p.Size()
	}
	if !zeroShot && method != "full" {
		path := s.dir + "/" + method + ".adapter"
		if err := a.Save(path); err != nil {
			return row, err
		}
		row.AdapterSize = fileSize(path)
	}
	if row.Test, err = potentials.Evaluate(m, s.oTest, 64, m.ElementContext); err != nil {
		return row, err
	}
	after, err := potentials.Evaluate(m, s.hcnTest, 64, m.ElementContext)
	if err != nil {
		return row, err
	}
	row.HCNAfter = &after
	row.Seconds = time.Since(t0).Seconds()
	return row, nil
}

// scratch trains a model of the same size on the same O frames only.
func (s *potentialsRun) scratch() (PotentialsRow, error) {
	t0, p := time.Now(), s.o.Progress
	row := PotentialsRow{Method: "from-scratch", K: s.o.K}
	scfg := s.cfg
	scfg.Species = []int{1, 6, 8}
	m, err := potentials.New(scfg)
	if err == nil {
		err = m.FitReferences(s.oTrain)
	}
	if err != nil {
		return row, err
	}
	p.Notef("training from scratch on the same O frames")
	p.Start(s.o.AdaptEpochs, "epochs")
	_, err = potentials.Train(m, s.oTrain, s.train)
	p.Done()
	if err == nil {
		_, _, err = m.RefitReferences(s.oTrain)
	}
	if err != nil {
		return row, err
	}
	_, row.Trainable = nn.Counts(m)
	if row.Test, err = potentials.Evaluate(m, s.oTest, 64, nil); err != nil {
		return row, err
	}
	row.Seconds = time.Since(t0).Seconds()
	return row, nil
}

// printPotentialsTable prints the rows of the potentials scenario.
func printPotentialsTable(w io.Writer, rows []PotentialsRow) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "method\tK\ttrained params\tadapter bytes\tE MAE meV/atom\tF MAE meV/Å\tH/C/N F MAE after\tseconds\t")
	for _, r := range rows {
		after := "—"
		if r.HCNAfter != nil {
			after = fmt.Sprintf("%.0f", 1000*r.HCNAfter.ForceMAE)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%.1f\t%.0f\t%s\t%.0f\t\n", r.Method, r.K, r.Trainable, dash(r.AdapterSize),
			1000*r.Test.EnergyMAEPerAtom, 1000*r.Test.ForceMAE, after, r.Seconds)
	}
	tw.Flush()
}
