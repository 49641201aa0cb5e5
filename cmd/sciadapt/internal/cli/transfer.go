package cli

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/bio"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/internal/progress"
	"github.com/sciadapt/sciadapt/train"
)

// TransferOptions are the flags of "transfer".
type TransferOptions struct {
	Base, Species, Data, Orthologs, Out, Report, Method, Control, HumanData string
	// PromptLength 0 chooses the length by the saturation rule (--prompt-length auto).
	PerTarget, Epochs, PromptLength, Rank, Reduction int
	Align, LR                                        float64
	LRSchedule                                       string // "constant" (or "") or "cosine"
	ShuffleOrthologs                                 bool
	Seed                                             uint64
	Plot                                             string // --plot: directory for figures
	Log                                              io.Writer
	Progress                                         progress.Reporter // epochs and notes; nil reports nothing
	Checkpoint                                       CheckpointFlags
}

// NewCmdTransfer returns the "transfer" command.
func NewCmdTransfer(out io.Writer) *cobra.Command {
	o := &TransferOptions{Log: out}
	cmd := &cobra.Command{
		Use:   "transfer --base HUMAN.model --species rat --data RAT.h5 --out RAT.adapter",
		Short: "Move a human drug–target model to another species with a small adapter",
		Long: `Adapt a drug–target model trained on human proteins to the proteins of another
species. Only the adapter trains; the human model is frozen and, with the adapter
disabled, predicts every human pair exactly as before (the report shows the human
test metrics before and after).

Methods: prompt (soft residues prepended to every protein, default), adapter
(bottleneck adapters after the protein convolutions), lora (LoRA on the protein
convolutions), head (only the interaction head trains), full (every parameter
trains; the reference) and frozen (nothing trains: the human model as it is).

--prompt-length auto chooses the prompt's length by the saturation rule: prompts of
1, 2, 4, … 32 soft residues train on three quarters of each protein's K pairs and
are scored by their loss on the other quarter, the search stops after two lengths
in a row that improve the best loss by no more than 0.01 nats, and the shortest
length within 0.01 nats of the best is chosen and trained on all K pairs (the
report's prompt_length_search lists the lengths tried). It needs K ≥ 2.

The pairs of --species in --data are split per protein: --per-target K labelled
pairs adapt, the rest is the test set, with no compound scaffold on both sides
where a protein has more than one (otherwise no compound on both sides).

--orthologs names a sciadapt-dti file with human–other ortholog links (sciadapt
import fasta --orthologs): a term λ·mean(1 − cos) pulls the adapted representation
of each protein towards the human model's representation of its human ortholog
(--align λ). --shuffle-orthologs pairs each protein with a wrong human protein: the
control. --control names a drug-only model (train dti --drug-only), fine-tuned on
the same K pairs and scored on the same test pairs beside the result.

The report gives, for the test pairs of the species, n_pairs, auroc and auprc
pooled over all proteins, and macro_auroc, the mean AUROC per protein over the
proteins whose test pairs hold both classes (pooled AUROC also rewards telling
mostly-active receptors from mostly-inactive ones). Beside them: the frozen human
model (frozen_test), the drug-only control, and the receptor base rate (every test
pair scored with the fraction of positives among its protein's K pairs).`,
		Example: `  sciadapt transfer --base human_gpcr.model --species rat --data GPCR.h5 --per-target 16 --out rat.adapter
  sciadapt transfer --base human_gpcr.model --species rat --data GPCR.h5 --prompt-length auto --out rat_prompt.adapter
  sciadapt transfer --base human_gpcr.model --species rat --data GPCR.h5 --method adapter \
      --orthologs ORTHOLOGS.h5 --align 1 --control drug_only.model --report rat.json --out rat.adapter`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Progress = progressFor(cmd, "transfer")
			return runTransfer(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Base, "base", "", "human model file (train dti)")
	f.StringVar(&o.Species, "species", "rat", "species to adapt to")
	f.StringVar(&o.Data, "data", "", "pairs of the species (sciadapt-dti HDF5; other species are ignored)")
	f.StringVar(&o.HumanData, "human-data", "", "file with the human test pairs (default --data)")
	f.StringVar(&o.Orthologs, "orthologs", "", "ortholog links with sequences (sciadapt-dti HDF5)")
	f.StringVar(&o.Out, "out", "", "adapter file to write")
	f.StringVar(&o.Report, "report", "", "write a JSON report here")
	f.StringVar(&o.Method, "method", bio.MethodPrompt, "prompt, adapter, lora, head, full or frozen")
	f.StringVar(&o.Control, "control", "", "drug-only model to fine-tune and score beside the result")
	f.IntVar(&o.PerTarget, "per-target", 16, "labelled pairs K per protein to adapt on")
	f.IntVar(&o.Epochs, "epochs", 30, "passes over the K pairs")
	o.PromptLength = 8
	f.Var(promptLengthValue{&o.PromptLength}, "prompt-length", "soft residues of a prompt, or auto (the saturation rule)")
	f.IntVar(&o.Rank, "rank", 4, "LoRA rank")
	f.IntVar(&o.Reduction, "reduction", 4, "bottleneck reduction factor")
	f.Float64Var(&o.Align, "align", 1, "weight λ of the ortholog alignment term (with --orthologs)")
	f.Float64Var(&o.LR, "lr", 3e-3, "Adam step size")
	f.StringVar(&o.LRSchedule, "lr-schedule", "constant", "constant, or cosine (decay from --lr to --lr/100 over the epochs)")
	f.BoolVar(&o.ShuffleOrthologs, "shuffle-orthologs", false, "pair proteins with wrong human orthologs (control)")
	f.Uint64Var(&o.Seed, "seed", 1, "seed for the split, the adapter's initialisation and shuffling")
	o.Checkpoint.register(f)
	f.StringVar(&o.Plot, "plot", "", plotFlagUsage)
	for _, n := range []string{"base", "data", "out"} {
		cmd.MarkFlagRequired(n)
	}
	return cmd
}

// promptLengthValue is the pflag.Value of --prompt-length: a positive integer, or
// "auto" (stored as 0).
type promptLengthValue struct{ n *int }

func (v promptLengthValue) String() string {
	if v.n == nil || *v.n == 0 {
		return "auto"
	}
	return strconv.Itoa(*v.n)
}

func (v promptLengthValue) Set(s string) error {
	if s == "auto" {
		*v.n = 0
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return fmt.Errorf("want a positive number of soft residues or auto")
	}
	*v.n = n
	return nil
}

func (v promptLengthValue) Type() string { return "int|auto" }

// parseSchedule reads --lr-schedule: constant (also for ""), or cosine.
func parseSchedule(s string) (train.Schedule, error) {
	if s == "" {
		return train.Constant, nil
	}
	sc, err := train.ParseSchedule(s)
	if err != nil {
		return 0, usagef("--lr-schedule: %v", err)
	}
	return sc, nil
}

// validate checks the flags of transfer that need no file.
func (o *TransferOptions) validate() (train.Schedule, error) {
	if err := checkOutputs("out", o.Out, "report", o.Report); err != nil {
		return 0, err
	}
	if !slices.Contains(bio.Methods, o.Method) {
		return 0, usagef("--method %q: want one of %s", o.Method, strings.Join(bio.Methods, ", "))
	}
	if o.PerTarget < 0 || o.Epochs < 0 || o.Align < 0 || o.PromptLength < 0 {
		return 0, usagef("--per-target, --epochs and --align must not be negative")
	}
	if dtidata.NormalizeSpecies(o.Species) == "human" {
		return 0, usagef("--species human: the base is human; name the species to adapt to")
	}
	if o.Method != bio.MethodFrozen {
		if _, err := bio.AdapterConfig(o.Method, bio.AdapterOptions{PromptLength: o.PromptLength, Rank: o.Rank, Reduction: o.Reduction}); err != nil {
			return 0, usagef("%v", err)
		}
	}
	return parseSchedule(o.LRSchedule)
}

func runTransfer(o *TransferOptions) error {
	start := time.Now()
	sched, err := o.validate()
	if err != nil {
		return err
	}
	ck, stop, err := o.Checkpoint.saver()
	if err != nil {
		return err
	}
	defer stop()
	prog := orDiscard(o.Progress)
	p, err := o.protocol(bio.ProtocolOptions{Species: o.Species, Method: o.Method, PerTarget: o.PerTarget,
		PromptLength: o.PromptLength, Rank: o.Rank, Reduction: o.Reduction, Epochs: o.Epochs, LR: o.LR, Schedule: sched,
		Seed: o.Seed, ShuffleOrthologs: o.ShuffleOrthologs, Checkpoint: ck, Progress: bioProgress(prog)})
	if err != nil {
		return err
	}
	byScaffold := 0
	for _, s := range p.Splits {
		if s.ByScaffold {
			byScaffold++
		}
	}
	fmt.Fprintf(o.Log, "%s: %d %s pairs on %d proteins: %d adapt (K = %d per protein), %d test; %d proteins split by scaffold\n",
		o.Data, len(p.Pairs), dtidata.NormalizeSpecies(o.Species), len(p.Splits), len(p.Adapt), o.PerTarget, len(p.Test), byScaffold)
	prog.Start(o.Epochs, "epochs")
	r, err := p.Run()
	prog.Done()
	printCheckpoints(o.Log, ck)
	if errors.Is(err, bio.ErrNoValidationPairs) {
		return usagef("--prompt-length auto needs at least two labelled pairs per protein (--per-target %d gives no validation pairs)", o.PerTarget)
	}
	if err != nil {
		return err
	}
	if err := o.finish(p, r); err != nil {
		return err
	}
	r.Seconds = time.Since(start).Seconds()
	return writeReport(o.Report, r)
}

// protocol reads the files of o and sets up the transfer protocol.
func (o *TransferOptions) protocol(po bio.ProtocolOptions) (*bio.Protocol, error) {
	m, meta, err := bio.Load(o.Base)
	if err != nil {
		return nil, err
	}
	if m.Config.DrugOnly {
		return nil, fmt.Errorf("%s: a drug-only model has no protein branch to adapt (give it as --control)", o.Base)
	}
	d, data, err := readDTIData(o.Data, m)
	if err != nil {
		return nil, err
	}
	hd := d
	if o.HumanData != "" {
		if hd, po.Human, err = readDTIData(o.HumanData, m); err != nil {
			return nil, err
		}
	}
	species := dtidata.NormalizeSpecies(o.Species)
	if po.HumanTest, err = bio.HeldOutHumanPairs(hd, meta, species); err != nil {
		return nil, fmt.Errorf("%s: %v", o.Base, err)
	}
	if o.Orthologs != "" && o.Method != bio.MethodFrozen {
		od, err := dtidata.Read(o.Orthologs)
		if err != nil {
			return nil, err
		}
		if po.Alignment, err = bio.OrthologAlignment(od, species, m, o.Align, o.Seed); err != nil {
			return nil, fmt.Errorf("%s: %v", o.Orthologs, err)
		}
	}
	if o.Control != "" {
		if po.Control, _, err = bio.Load(o.Control); err != nil {
			return nil, err
		}
		if !po.Control.Config.DrugOnly {
			return nil, fmt.Errorf("%s: --control must be a drug-only model (train dti --drug-only)", o.Control)
		}
	}
	p, err := bio.NewProtocol(m, data, po)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", o.Data, err)
	}
	return p, nil
}

// readDTIData reads a drug–target file and tokenises it for m.
func readDTIData(path string, m *bio.Model) (*dtidata.Dataset, *bio.Data, error) {
	d, err := dtidata.Read(path)
	if err != nil {
		return nil, nil, err
	}
	data, err := m.Tokenize(d)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	return d, data, nil
}

// finish writes the adapter and the figures and prints the results of a transfer.
func (o *TransferOptions) finish(p *bio.Protocol, r *bio.TransferReport) error {
	if c := r.PromptLengthSearch; c != nil {
		fmt.Fprintf(o.Log, "prompt length %d chosen by the saturation rule (validation loss %v)\n", c.Length, c.Tried)
	}
	if p.Adapter != nil {
		if err := p.Adapter.Save(o.Out); err != nil {
			return err
		}
		fmt.Fprintf(o.Log, "wrote %s (%d trained parameters)\n", o.Out, r.TrainableParameters)
	} else {
		fmt.Fprintf(o.Log, "method frozen: nothing trained, %s not written\n", o.Out)
	}
	fmt.Fprintf(o.Log, "%s test: %v (frozen human model: %v)\n", r.Species, r.Test, r.FrozenTest)
	if r.HumanTestBefore != nil {
		fmt.Fprintf(o.Log, "human test (held-out proteins of the base): before %v, after %v\n", r.HumanTestBefore, r.HumanTestAfter)
	}
	if r.ControlDrugOnlyTest != nil {
		fmt.Fprintf(o.Log, "drug-only control on the same test pairs: %v\n", r.ControlDrugOnlyTest)
	}
	if o.Plot != "" {
		return plotTransfer(o, p)
	}
	return nil
}
