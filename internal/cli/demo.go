package cli

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/internal/demodata"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
)

// DemoOptions are the flags of "demo".
type DemoOptions struct {
	BaseEpochs, AdaptEpochs, K int
	Seed                       uint64
	Report                     string
	Out                        io.Writer
}

// NewCmdDemo returns the "demo" command.
func NewCmdDemo(out io.Writer) *cobra.Command {
	o := &DemoOptions{Out: out}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Add oxygen to a small H/C/N potential, on data built into the binary",
		Long: `Run the add-element scenario end to end on rMD17 subsets embedded in the binary:
train a small SchNet-like potential on H/C/N molecules (azobenzene, benzene, toluene,
naphthalene), then teach it oxygen from K frames per molecule of ethanol,
malonaldehyde and salicylic acid, by several methods, and print one comparison table:
zero-shot (placed embedding and fitted reference only), embedding only, the default
element-gated LoRA adapter, full fine-tuning, and a model trained from scratch on the
same frames. The demo is small by design (a minute or two on 2 cores), so its errors
are far from what the full data give; see the README for the measured evidence.`,
		Example: `  sciadapt demo
  sciadapt demo --k 10 --adapt-epochs 40 --report demo.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDemo(o) },
	}
	f := cmd.Flags()
	f.IntVar(&o.BaseEpochs, "base-epochs", 40, "epochs of base training")
	f.IntVar(&o.AdaptEpochs, "adapt-epochs", 60, "epochs of each adaptation")
	f.IntVar(&o.K, "k", 10, "O frames per molecule to adapt on (at most 50)")
	f.Uint64Var(&o.Seed, "seed", 1, "seed")
	f.StringVar(&o.Report, "report", "", "write a JSON report here")
	return cmd
}

type demoRow struct {
	Method      string             `json:"method"`
	K           int                `json:"k"`
	Trainable   int                `json:"trainable_parameters"`
	Test        potentials.Errors  `json:"o_test"`
	HCNAfter    *potentials.Errors `json:"hcn_test_after,omitempty"`
	AdapterSize int                `json:"adapter_bytes,omitempty"`
	Seconds     float64            `json:"seconds"`
}

func runDemo(o *DemoOptions) error {
	if o.K < 1 || o.K > 50 {
		return usagef("--k must be between 1 and 50 (the embedded data hold 50 O frames per molecule)")
	}
	start := time.Now()
	dir, err := os.MkdirTemp("", "sciadapt-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	paths, err := demodata.WriteTo(dir)
	if err != nil {
		return err
	}
	load := func(name string, k int) ([]datasets.Frame, error) { return loadFrames(paths[name], k, o.Seed) }
	hcnTrain, err := load(demodata.HCNTrain, 0)
	if err != nil {
		return err
	}
	hcnTest, _ := load(demodata.HCNTest, 0)
	oTrain, _ := load(demodata.OTrain, o.K)
	oTest, _ := load(demodata.OTest, 0)

	cfg := potentials.Config{Species: []int{1, 6, 7}, Cutoff: 5, Features: 32, RBF: 16, Interactions: 2, Seed: o.Seed}
	newBase := func() (*potentials.Model, error) {
		m, err := potentials.New(cfg)
		if err != nil {
			return nil, err
		}
		return m, m.FitReferences(hcnTrain)
	}
	base, err := newBase()
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Out, "1. base potential on H/C/N: %d training frames, %d epochs\n", len(hcnTrain), o.BaseEpochs)
	if _, err := potentials.Train(base, hcnTrain, potentials.TrainOptions{Epochs: o.BaseEpochs, BatchSize: 16, LR: 3e-3, Seed: o.Seed}); err != nil {
		return err
	}
	if _, _, err := base.RefitReferences(hcnTrain); err != nil {
		return err
	}
	baseFile := dir + "/base.model"
	if err := base.Save(baseFile); err != nil {
		return err
	}
	hcnErr, err := potentials.Evaluate(base, hcnTest, 64, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Out, "   H/C/N test (%d frames): energy MAE %.1f meV/atom, force MAE %.0f meV/Å  [%.0fs]\n",
		hcnErr.Frames, 1000*hcnErr.EnergyMAEPerAtom, 1000*hcnErr.ForceMAE, time.Since(start).Seconds())

	fmt.Fprintf(o.Out, "2. add O from K=%d frames per molecule (%d frames), %d epochs each\n", o.K, len(oTrain), o.AdaptEpochs)
	train := potentials.TrainOptions{Epochs: o.AdaptEpochs, BatchSize: 16, LR: 3e-3, Seed: o.Seed}
	var rows []demoRow
	for _, method := range []string{potentials.MethodZeroShot, potentials.MethodEmbedding, potentials.MethodAdapter, potentials.MethodFull} {
		t0 := time.Now()
		m, err := potentials.Load(baseFile)
		if err != nil {
			return err
		}
		ec := potentials.DefaultElementConfig(8)
		ec.Method = method
		a, _, err := potentials.AddElement(m, oTrain, potentials.AddElementOptions{Config: ec, Train: train})
		if err != nil {
			return err
		}
		row := demoRow{Method: method, K: o.K}
		for _, p := range a.Params() {
			row.Trainable += p.Size()
		}
		if method == potentials.MethodFull {
			_, tr := nn.Counts(m)
			row.Trainable += tr
		} else if method != potentials.MethodZeroShot {
			path := dir + "/" + method + ".adapter"
			if err := a.Save(path); err != nil {
				return err
			}
			if st, err := os.Stat(path); err == nil {
				row.AdapterSize = int(st.Size())
			}
		}
		if row.Test, err = potentials.Evaluate(m, oTest, 64, a.Context); err != nil {
			return err
		}
		after, err := potentials.Evaluate(m, hcnTest, 64, a.Context)
		if err != nil {
			return err
		}
		row.HCNAfter = &after
		row.Seconds = time.Since(t0).Seconds()
		rows = append(rows, row)
	}
	// From scratch: a model of the same size trained on the same O frames only.
	t0 := time.Now()
	scfg := cfg
	scfg.Species = []int{1, 6, 8}
	scratch, err := potentials.New(scfg)
	if err != nil {
		return err
	}
	if err := scratch.FitReferences(oTrain); err != nil {
		return err
	}
	if _, err := potentials.Train(scratch, oTrain, train); err != nil {
		return err
	}
	if _, _, err := scratch.RefitReferences(oTrain); err != nil {
		return err
	}
	srow := demoRow{Method: "from-scratch", K: o.K}
	_, srow.Trainable = nn.Counts(scratch)
	if srow.Test, err = potentials.Evaluate(scratch, oTest, 64, nil); err != nil {
		return err
	}
	srow.Seconds = time.Since(t0).Seconds()
	rows = append(rows, srow)

	st, _ := os.Stat(baseFile)
	fmt.Fprintf(o.Out, "\nO test set: %d frames; base model file %d bytes\n", len(oTest), st.Size())
	tw := tabwriter.NewWriter(o.Out, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "method\tK\ttrained params\tadapter bytes\tE MAE meV/atom\tF MAE meV/Å\tH/C/N F MAE after\tseconds\t")
	for _, r := range rows {
		after := "—"
		if r.HCNAfter != nil {
			after = fmt.Sprintf("%.0f", 1000*r.HCNAfter.ForceMAE)
		}
		size := "—"
		if r.AdapterSize > 0 {
			size = fmt.Sprint(r.AdapterSize)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%.1f\t%.0f\t%s\t%.0f\t\n", r.Method, r.K, r.Trainable, size,
			1000*r.Test.EnergyMAEPerAtom, 1000*r.Test.ForceMAE, after, r.Seconds)
	}
	tw.Flush()
	fmt.Fprintf(o.Out, "\nH/C/N force MAE before adapting: %.0f meV/Å (adapters leave it bit-identical; full fine-tuning may move it). Total %.0fs.\n",
		1000*hcnErr.ForceMAE, time.Since(start).Seconds())
	_, baseTrainable := nn.Counts(base)
	return writeReport(o.Report, map[string]any{
		"trainable_parameters": baseTrainable, "total_parameters": baseTrainable,
		"seconds": time.Since(start).Seconds(), "hcn_test": hcnErr, "add_oxygen": rows,
	})
}
