package demo

import (
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/sciadapt/sciadapt/bio"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/demodata"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/train"
)

// DTIRow is one line of the drug–target table: a model scored on the rat test pairs.
type DTIRow struct {
	Method       string      `json:"method"`
	Trainable    int         `json:"trainable_parameters"`
	AdapterBytes int         `json:"adapter_bytes,omitempty"`
	Test         bio.Metrics `json:"rat_test"`
	Seconds      float64     `json:"seconds"`
}

// DTIReport is the report of the drug–target scenario.
type DTIReport struct {
	BaseTrainableParameters int      `json:"base_trainable_parameters"`
	HumanPairs              int      `json:"human_pairs"`
	RatAdaptPairs           int      `json:"rat_adapt_pairs"`
	RatTestPairs            int      `json:"rat_test_pairs"`
	Rows                    []DTIRow `json:"rows"`
	Seconds                 float64  `json:"seconds"`
}

// dtiRun holds the data and settings of one run of the drug–target scenario.
type dtiRun struct {
	o                       Options
	dir                     string
	d, od                   *dtidata.Dataset
	baseEpochs, adaptEpochs int
	embed, maxLen           int
	human                   []int
	baseFile                string
}

// runDTI trains a drug–target model on the human pairs of the embedded GPCR
// subset and moves it to the rat receptors (see the package documentation).
func runDTI(o Options, dir string, paths map[string]string) (*DTIReport, error) {
	start := time.Now()
	s := &dtiRun{o: o, dir: dir, baseEpochs: 6, adaptEpochs: 30, embed: 16, maxLen: 600}
	var err error
	if s.d, err = dtidata.Read(paths[demodata.GPCR]); err != nil {
		return nil, err
	}
	if s.od, err = dtidata.Read(paths[demodata.Orthologs]); err != nil {
		return nil, err
	}
	s.human = s.d.PairsBySpecies("human")
	if o.Quick {
		s.baseEpochs, s.adaptEpochs = 1, 2
		s.human, s.embed, s.maxLen = s.human[:min(len(s.human), 64)], 4, 200
	}
	fmt.Fprintf(o.Out, "\n== Scenario 3: move a human GPCR drug–target model to rat ==\n")
	r := &DTIReport{HumanPairs: len(s.human)}
	frozen, total, err := s.trainBase(r)
	if err != nil {
		return nil, err
	}
	prompt, pr, rep, err := s.adapt("prompt", bio.MethodPrompt, false)
	if err != nil {
		return nil, err
	}
	r.RatAdaptPairs, r.RatTestPairs = rep.AdaptPairs, rep.Test.Pairs
	fmt.Fprintf(o.Out, "human model: %d pairs on %d proteins, %d parameters [%.0fs]; rat: %d receptors, K = %d pairs each (%d adapt, %d test pairs)\n",
		len(s.human), len(s.d.ProteinsOf(s.human)), total, frozen.Seconds, len(rep.Targets), o.PerTarget, r.RatAdaptPairs, r.RatTestPairs)
	aligned, _, _, err := s.adapt("adapter + ortholog alignment", bio.MethodAdapter, true)
	if err != nil {
		return nil, err
	}
	frozen.Test = rep.FrozenTest
	r.Rows = []DTIRow{frozen, {Method: "receptor base rate (control)", Test: rep.ControlReceptorRateTest}, prompt, aligned}
	scratch, err := s.scratch(pr.Adapt, pr.Test)
	if err != nil {
		return nil, err
	}
	r.Rows = append(r.Rows, scratch)
	printDTITable(o.Out, r.Rows)
	fmt.Fprintf(o.Out, "The GPCR set was built for a label-reversal test: only the protein branch can carry signal, and the receptor base rate is the bar to clear. Total %.0fs.\n",
		time.Since(start).Seconds())
	r.Seconds = time.Since(start).Seconds()
	return r, nil
}

// newModel returns an untrained model for the scenario with the SMILES
// vocabulary of every drug of the file (tokens only, no labels) and its data.
func (s *dtiRun) newModel() (*bio.Model, *bio.Data, error) {
	vocab, err := bio.DrugVocabulary(s.d, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", demodata.GPCR, err)
	}
	cfg := bio.DefaultConfig(s.d.Task)
	cfg.Embed, cfg.MaxProteinLength, cfg.Seed, cfg.DrugVocabulary = s.embed, s.maxLen, s.o.Seed, vocab
	m, err := bio.New(cfg)
	if err != nil {
		return nil, nil, err
	}
	data, err := m.Tokenize(s.d)
	return m, data, err
}

// trainBase trains the human model and saves it; it returns the frozen model's
// row (without its metrics) and the model's parameter count.
func (s *dtiRun) trainBase(r *DTIReport) (DTIRow, int, error) {
	p, t0 := s.o.Progress, time.Now()
	base, data, err := s.newModel()
	if err != nil {
		return DTIRow{}, 0, err
	}
	base.SetOutputBias(bio.BaseRate(s.d, s.human))
	p.Notef("training the human model on %d pairs (%d proteins), %d epochs", len(s.human), len(s.d.ProteinsOf(s.human)), s.baseEpochs)
	p.Start(s.baseEpochs, "epochs")
	_, err = bio.Train(base, data, s.human, bio.TrainOptions{Epochs: s.baseEpochs, Schedule: train.Constant, Seed: s.o.Seed,
		Progress: bioProgress(p)})
	p.Done()
	if err != nil {
		return DTIRow{}, 0, err
	}
	s.baseFile = filepath.Join(s.dir, "human_gpcr.model")
	if err := base.Save(s.baseFile, nil); err != nil {
		return DTIRow{}, 0, err
	}
	total, trainable := nn.Counts(base)
	r.BaseTrainableParameters = trainable
	return DTIRow{Method: "frozen human model", Seconds: time.Since(t0).Seconds()}, total, nil
}

// adapt moves a fresh copy of the human model to rat by method through the
// transfer protocol, with the ortholog alignment term (λ = 1) if align.
func (s *dtiRun) adapt(name, method string, align bool) (DTIRow, *bio.Protocol, *bio.TransferReport, error) {
	p, t0 := s.o.Progress, time.Now()
	m, _, err := bio.Load(s.baseFile)
	if err != nil {
		return DTIRow{}, nil, nil, err
	}
	data, err := m.Tokenize(s.d)
	if err != nil {
		return DTIRow{}, nil, nil, err
	}
	po := bio.ProtocolOptions{Species: "rat", Method: method, PerTarget: s.o.PerTarget, PromptLength: 8, Rank: 4, Reduction: 4,
		Epochs: s.adaptEpochs, LR: 3e-3, Schedule: train.Constant, Seed: s.o.Seed, Progress: bioProgress(p)}
	if align {
		if po.Alignment, err = bio.OrthologAlignment(s.od, "rat", m, 1, s.o.Seed); err != nil {
			return DTIRow{}, nil, nil, fmt.Errorf("%s: %v", demodata.Orthologs, err)
		}
	}
	pr, err := bio.NewProtocol(m, data, po)
	if err != nil {
		return DTIRow{}, nil, nil, err
	}
	p.Notef("adapting to rat: %s", name)
	p.Start(s.adaptEpochs, "epochs")
	rep, err := pr.Run()
	p.Done()
	if err != nil {
		return DTIRow{}, nil, nil, err
	}
	row := DTIRow{Method: name, Trainable: rep.TrainableParameters, Test: rep.Test}
	path := filepath.Join(s.dir, "rat_"+method+".adapter")
	if err := pr.Adapter.Save(path); err != nil {
		return DTIRow{}, nil, nil, err
	}
	row.AdapterBytes = fileSize(path)
	row.Seconds = time.Since(t0).Seconds()
	return row, pr, rep, nil
}

// scratch trains the same architecture on the rat adaptation pairs only and
// scores it on the rat test pairs.
func (s *dtiRun) scratch(adapt, test []int) (DTIRow, error) {
	p, t0 := s.o.Progress, time.Now()
	m, data, err := s.newModel()
	if err != nil {
		return DTIRow{}, err
	}
	m.SetOutputBias(bio.BaseRate(s.d, adapt))
	p.Notef("training a model from scratch on the %d rat adaptation pairs", len(adapt))
	p.Start(s.adaptEpochs, "epochs")
	_, err = bio.Train(m, data, adapt, bio.TrainOptions{Epochs: s.adaptEpochs, LR: 3e-3, Schedule: train.Constant, Seed: s.o.Seed,
		Progress: bioProgress(p)})
	p.Done()
	if err != nil {
		return DTIRow{}, err
	}
	_, trainable := nn.Counts(m)
	return DTIRow{Method: "from scratch on the rat pairs", Trainable: trainable, Test: bio.Evaluate(m, nil, data, test),
		Seconds: time.Since(t0).Seconds()}, nil
}

// printDTITable prints the rows of the drug–target scenario.
func printDTITable(w io.Writer, rows []DTIRow) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "method\ttrained params\tadapter bytes\trat AUROC\tAUPRC\tmacro AUROC\tseconds\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%.3f\t%.3f\t%.3f\t%.1f\t\n", r.Method, r.Trainable, dash(r.AdapterBytes),
			r.Test.AUROC, r.Test.AUPRC, r.Test.MacroAUROC, r.Seconds)
	}
	tw.Flush()
}
