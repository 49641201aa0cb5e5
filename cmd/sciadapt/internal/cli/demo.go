package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/demo"
)

// DemoOptions are the flags of "demo".
type DemoOptions struct {
	demo.Options
	Report string // --report: write the JSON report here
	Export string // --export: write the embedded data here and stop
}

// NewCmdDemo returns the "demo" command.
func NewCmdDemo(out io.Writer) *cobra.Command {
	o := &DemoOptions{Options: demo.Options{Out: out}}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Tour the three adaptation scenarios on data built into the binary",
		Long: `Run the three scenarios end to end on small real data sets embedded in the
binary, and print one comparison table for each (trained parameters, adapter bytes,
errors, seconds):

1. potentials: train a small SchNet-like potential on H/C/N molecules of rMD17
   (azobenzene, benzene, toluene, naphthalene), then teach it oxygen from --k frames
   per molecule of ethanol, malonaldehyde and salicylic acid: zero-shot, embedding
   only, the element-gated LoRA adapter, full fine-tuning, and from scratch.
2. constitutive: fit a thermo-elasto-plastic model to Al 6061-T6 tension curves at
   23 °C (Sandia MatCal), tune it to 200 °C on --points points of one specimen with
   the FiLM temperature adapter, and compare with the base and with a model fitted
   from scratch on the same points, on the other 200 °C specimens.
3. dti: train a drug–target model on human GPCR pairs (TransformerCPI set) and move
   it to rat receptors with --per-target labelled pairs each: frozen human model,
   receptor base rate, prompt, bottleneck adapter with human–rat ortholog
   alignment, and a model trained from scratch on the rat pairs.

The demo is small by design (a few minutes on 2 cores for all three; --quick cuts
every training to a few steps, for tests), so its errors are far from what the full
data give; see the README for the measured evidence.`,
		Example: `  sciadapt demo
  sciadapt demo --scenario constitutive --points 5
  sciadapt demo --scenario potentials --k 10 --adapt-epochs 40 --report demo.json
  sciadapt demo --quick
  sciadapt demo --export demo-data`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Progress = progressFor(cmd, "demo")
			return runDemo(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Scenario, "scenario", demo.All, "potentials, constitutive, dti or all")
	f.BoolVar(&o.Quick, "quick", false, "train every model for a few steps only (seconds, for tests)")
	f.IntVar(&o.Points, "points", 10, "measured points K at 200 °C to tune on (constitutive)")
	f.IntVar(&o.PerTarget, "per-target", 16, "labelled pairs K per rat receptor to adapt on (dti)")
	f.IntVar(&o.BaseEpochs, "base-epochs", 40, "epochs of base training (potentials)")
	f.IntVar(&o.AdaptEpochs, "adapt-epochs", 60, "epochs of each adaptation (potentials)")
	f.IntVar(&o.K, "k", 10, "O frames per molecule to adapt on, at most 50 (potentials)")
	f.Uint64Var(&o.Seed, "seed", 1, "seed")
	f.StringVar(&o.Report, "report", "", "write a JSON report here")
	f.StringVar(&o.Export, "export", "", "write the embedded data sets into this directory and stop (for the notebooks)")
	return cmd
}

func runDemo(o *DemoOptions) error {
	if o.Export != "" {
		return demo.Export(o.Export, func(format string, args ...any) { fmt.Fprintf(o.Out, format+"\n", args...) })
	}
	if err := o.Validate(); err != nil {
		return usagef("%v", err)
	}
	if err := checkOutputs("report", o.Report); err != nil {
		return err
	}
	r, err := demo.Run(o.Options)
	if err != nil {
		return err
	}
	return writeReport(o.Report, r)
}
