package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/bio"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/bio/seq"
	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/demodata"
	"github.com/sciadapt/sciadapt/internal/progress"
	"github.com/sciadapt/sciadapt/nn"
)

// demoDTIRow is one line of the drug–target demo table.
type demoDTIRow struct {
	Method       string      `json:"method"`
	Trainable    int         `json:"trainable_parameters"`
	AdapterBytes int         `json:"adapter_bytes,omitempty"`
	Test         bio.Metrics `json:"rat_test"`
	Seconds      float64     `json:"seconds"`
}

// bioProgress forwards the epochs of bio.Train and bio.Transfer to p.
func bioProgress(p progress.Reporter) func(bio.EpochStats) {
	return func(s bio.EpochStats) {
		f := progress.Fields{Epoch: s.Epoch, Loss: s.Loss, Seconds: s.Seconds}
		if s.Extra != 0 {
			f.Extra = map[string]float64{"align": s.Extra}
		}
		p.Step(f)
	}
}

// runDemoDTI trains a drug–target model on the human pairs of the embedded GPCR
// subset and moves it to the rat receptors (see NewCmdDemo).
func runDemoDTI(o *DemoOptions, dir string, paths map[string]string, p progress.Reporter) (map[string]any, error) {
	start := time.Now()
	d, err := dtidata.Read(paths[demodata.GPCR])
	if err != nil {
		return nil, err
	}
	od, err := dtidata.Read(paths[demodata.Orthologs])
	if err != nil {
		return nil, err
	}
	baseEpochs, adaptEpochs := 6, 30
	if o.Quick {
		baseEpochs, adaptEpochs = 1, 2
	}
	fmt.Fprintf(o.Out, "\n== Scenario 3: move a human GPCR drug–target model to rat ==\n")
	human := d.PairsBySpecies("human")
	rat := d.PairsBySpecies("rat")
	embed, maxLen := 16, 600
	if o.Quick {
		human, embed, maxLen = human[:min(len(human), 64)], 4, 200
	}
	// The SMILES vocabulary of every drug in the file (tokens only, no labels).
	var corpus [][]string
	for _, dr := range d.Drugs {
		toks, err := seq.TokenizeSMILES(dr.SMILES)
		if err != nil {
			return nil, fmt.Errorf("%s: drug %s: %v", demodata.GPCR, dr.ID, err)
		}
		corpus = append(corpus, toks)
	}
	vocab := seq.BuildVocabulary(corpus, 1)
	newModel := func() (*bio.Model, *bio.Data, error) {
		cfg := bio.DefaultConfig(d.Task)
		cfg.Embed, cfg.MaxProteinLength, cfg.Seed, cfg.DrugVocabulary = embed, maxLen, o.Seed, vocab
		m, err := bio.New(cfg)
		if err != nil {
			return nil, nil, err
		}
		data, err := m.Tokenize(d)
		return m, data, err
	}
	base, data, err := newModel()
	if err != nil {
		return nil, err
	}
	base.SetOutputBias(bio.BaseRate(d, human))
	p.Notef("training the human model on %d pairs (%d proteins), %d epochs", len(human), len(d.ProteinsOf(human)), baseEpochs)
	t0 := time.Now()
	p.Start(baseEpochs, "epochs")
	_, err = bio.Train(base, data, human, bio.TrainOptions{Epochs: baseEpochs, Seed: o.Seed, Progress: bioProgress(p)})
	p.Done()
	if err != nil {
		return nil, err
	}
	baseSeconds := time.Since(t0).Seconds()
	baseFile := filepath.Join(dir, "human_gpcr.model")
	if err := base.Save(baseFile, nil); err != nil {
		return nil, err
	}
	total, baseTrainable := nn.Counts(base)

	_, groups, err := d.DrugFrameworks()
	if err != nil {
		return nil, err
	}
	splits := bio.SplitPerTarget(d, rat, groups, o.PerTarget, o.Seed)
	var adapt, test []int
	for _, s := range splits {
		adapt = append(adapt, s.Adapt...)
		test = append(test, s.Test...)
	}
	fmt.Fprintf(o.Out, "human model: %d pairs on %d proteins, %d parameters [%.0fs]; rat: %d receptors, K = %d pairs each (%d adapt, %d test pairs)\n",
		len(human), len(d.ProteinsOf(human)), total, baseSeconds, len(splits), o.PerTarget, len(adapt), len(test))

	var rows []demoDTIRow
	rows = append(rows, demoDTIRow{Method: "frozen human model", Test: bio.Evaluate(base, nil, data, test), Seconds: baseSeconds})
	rows = append(rows, demoDTIRow{Method: "receptor base rate (control)", Test: bio.Score(d, test, receptorRate(d, adapt, test))})

	for _, arm := range []struct {
		name, method string
		align        bool
	}{
		{"prompt", bio.MethodPrompt, false},
		{"adapter + ortholog alignment", bio.MethodAdapter, true},
	} {
		t0 := time.Now()
		m, _, err := bio.Load(baseFile)
		if err != nil {
			return nil, err
		}
		cfg, err := bio.AdapterConfig(arm.method, bio.AdapterOptions{PromptLength: 8, Rank: 4, Reduction: 4, Seed: o.Seed})
		if err != nil {
			return nil, err
		}
		a, err := adapters.New("rat", cfg)
		if err != nil {
			return nil, err
		}
		if err := a.Attach(m); err != nil {
			return nil, err
		}
		var al *bio.Alignment
		if arm.align {
			al = &bio.Alignment{Weight: 1, Seed: o.Seed}
			for _, l := range od.Orthologs {
				al.Other = append(al.Other, m.ProteinTokens(od.Proteins[l.Other].Sequence))
				al.Human = append(al.Human, m.ProteinTokens(od.Proteins[l.Human].Sequence))
			}
		}
		p.Notef("adapting to rat: %s", arm.name)
		p.Start(adaptEpochs, "epochs")
		_, err = bio.Transfer(m, a, data, adapt, al, bio.TrainOptions{Epochs: adaptEpochs, LR: 3e-3, Seed: o.Seed, Progress: bioProgress(p)})
		p.Done()
		if err != nil {
			return nil, err
		}
		row := demoDTIRow{Method: arm.name, Test: bio.Evaluate(m, nil, data, test)}
		for _, q := range a.Params() {
			row.Trainable += q.Size()
		}
		path := filepath.Join(dir, "rat_"+arm.method+".adapter")
		if err := a.Save(path); err != nil {
			return nil, err
		}
		if st, err := os.Stat(path); err == nil {
			row.AdapterBytes = int(st.Size())
		}
		row.Seconds = time.Since(t0).Seconds()
		rows = append(rows, row)
	}

	// From scratch: the same architecture trained on the rat adaptation pairs only.
	t0 = time.Now()
	scratch, sdata, err := newModel()
	if err != nil {
		return nil, err
	}
	scratch.SetOutputBias(bio.BaseRate(d, adapt))
	p.Notef("training a model from scratch on the %d rat adaptation pairs", len(adapt))
	p.Start(adaptEpochs, "epochs")
	_, err = bio.Train(scratch, sdata, adapt, bio.TrainOptions{Epochs: adaptEpochs, LR: 3e-3, Seed: o.Seed, Progress: bioProgress(p)})
	p.Done()
	if err != nil {
		return nil, err
	}
	_, st := nn.Counts(scratch)
	rows = append(rows, demoDTIRow{Method: "from scratch on the rat pairs", Trainable: st,
		Test: bio.Evaluate(scratch, nil, sdata, test), Seconds: time.Since(t0).Seconds()})

	tw := tabwriter.NewWriter(o.Out, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "method\ttrained params\tadapter bytes\trat AUROC\tAUPRC\tmacro AUROC\tseconds\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%.3f\t%.3f\t%.3f\t%.1f\t\n", r.Method, r.Trainable, dash(r.AdapterBytes),
			r.Test.AUROC, r.Test.AUPRC, r.Test.MacroAUROC, r.Seconds)
	}
	tw.Flush()
	fmt.Fprintf(o.Out, "The GPCR set was built for a label-reversal test: only the protein branch can carry signal, and the receptor base rate is the bar to clear. Total %.0fs.\n",
		time.Since(start).Seconds())
	return map[string]any{"base_trainable_parameters": baseTrainable, "human_pairs": len(human), "rat_adapt_pairs": len(adapt),
		"rat_test_pairs": len(test), "rows": rows, "seconds": time.Since(start).Seconds()}, nil
}
