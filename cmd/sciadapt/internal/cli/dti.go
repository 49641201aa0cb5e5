package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/bio"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/bio/seq"
	"github.com/sciadapt/sciadapt/internal/membudget"
	"github.com/sciadapt/sciadapt/internal/progress"
	"github.com/sciadapt/sciadapt/nn"
)

// Metadata keys of drug–target model files written by "train dti".
const (
	metaTestProteins = "dti.test_proteins" // JSON list of the ids of held-out proteins
	metaTrainData    = "dti.train_data"    // the training file
)

// TrainDTIOptions are the flags of "train dti".
type TrainDTIOptions struct {
	Data, Out, Report, Species, Split, TestSplit string
	TestFraction, LR                             float64
	// With UseTestFold, test on the pairs of Split in cross-validation fold
	// TestFold and train on the others (validation on DeepDTA's training folds).
	UseTestFold                            bool
	TestFold                               int
	Epochs, BatchProteins, PairsPerProtein int
	Embed, MaxProteinLength                int
	// Layer sizes of the model; nil takes bio.DefaultConfig's.
	ProteinFilters, ProteinWidths, DrugFilters, DrugWidths, Hidden []int
	DrugOnly                                                       bool
	DrugEncoder                                                    string // "cnn" (or "") or "gin"
	LRSchedule                                                     string // "constant" (or "") or "cosine"
	Seed                                                           uint64
	Plot                                                           string // --plot: directory for figures
	Log                                                            io.Writer
	Progress                                                       progress.Reporter // epochs and notes; nil reports nothing
	// AutoBatchSize lowers BatchProteins to what fits in half the free memory
	// (set when --batch-proteins is not given).
	AutoBatchSize bool
	// Memory is the machine's memory; nil means this machine's (membudget.System).
	Memory     *membudget.Machine
	Checkpoint CheckpointFlags
}

func newCmdTrainDTI(out io.Writer) *cobra.Command {
	o := &TrainDTIOptions{Log: out}
	cmd := &cobra.Command{
		Use:   "dti --data TRAIN.h5 --out BASE.model",
		Short: "Train a base drug–target model on human pairs",
		Long: `Train a DeepDTA-like drug–target model (a CNN over residues and a CNN over SMILES
tokens, each max-pooled, and an MLP head) on the pairs of a sciadapt-dti file whose
protein is of one of --species (default human and unknown: every protein not known to
be of another species; rat, mouse, guinea pig and bovine proteins stay out).

Binary files train a logistic head (binary cross-entropy), affinity files a
regression head (squared error in pKd). Test pairs are held out by protein
(--test-fraction of the proteins, never the same protein on both sides), or are the
pairs of --test-split (DeepDTA's Davis fold: --split train --test-split test).
The ids of held-out proteins are stored in the model file, so that "transfer" can
report the human test metrics after adaptation.

--drug-only trains the drug-only control: the same model without the protein branch.
On the GPCR set, built for a label-reversal test, it should score below chance on
held-out proteins; only the protein branch can carry the signal.`,
		Example: `  sciadapt train dti --data GPCR.h5 --out human_gpcr.model --epochs 10 --report train.json
  sciadapt train dti --data GPCR.h5 --drug-only --out drug_only.model
  sciadapt train dti --data davis.h5 --split train --test-split test --out davis.model
  sciadapt train dti --data davis.h5 --split train --test-split test --out davis.model \
      --protein-filters 32,64,96 --drug-filters 32,64,96 --drug-widths 4,6,8 --hidden 1024,1024,512`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Progress = progressFor(cmd, "train dti")
			o.AutoBatchSize = !cmd.Flags().Changed("batch-proteins")
			o.UseTestFold = cmd.Flags().Changed("test-fold")
			return runTrainDTI(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Data, "data", "", "training pairs (sciadapt-dti HDF5)")
	f.StringVar(&o.Out, "out", "", "model file to write")
	f.StringVar(&o.Report, "report", "", "write a JSON report here")
	f.StringVar(&o.Species, "species", "human,unknown", "comma-separated species whose pairs train")
	f.StringVar(&o.Split, "split", "", "use only pairs of this split (default all)")
	f.StringVar(&o.TestSplit, "test-split", "", "test on the pairs of this split instead of held-out proteins")
	f.IntVar(&o.TestFold, "test-fold", 0, "test on the pairs of --split in this fold and train on its other folds (validation on DeepDTA's training folds)")
	f.Float64Var(&o.TestFraction, "test-fraction", 0.1, "fraction of the proteins held out for testing")
	f.IntVar(&o.Epochs, "epochs", 10, "passes over the pairs")
	f.IntVar(&o.BatchProteins, "batch-proteins", 8, "proteins per batch")
	f.IntVar(&o.PairsPerProtein, "pairs-per-protein", 8, "pairs per protein per batch")
	f.Float64Var(&o.LR, "lr", 1e-3, "Adam step size")
	f.StringVar(&o.LRSchedule, "lr-schedule", "constant", "constant, or cosine (decay from --lr to --lr/100 over the epochs)")
	f.IntVar(&o.Embed, "embed", 32, "embedding width of residues and SMILES tokens")
	f.IntVar(&o.MaxProteinLength, "max-protein-length", 1000, "truncate proteins to this many residues")
	f.IntSliceVar(&o.ProteinFilters, "protein-filters", nil, "output channels of the protein CNN layers (default 32,64)")
	f.IntSliceVar(&o.ProteinWidths, "protein-widths", nil, "window widths in residues of the protein CNN layers (default 8 for every layer)")
	f.IntSliceVar(&o.DrugFilters, "drug-filters", nil, "output channels of the SMILES CNN layers (default 32,64)")
	f.IntSliceVar(&o.DrugWidths, "drug-widths", nil, "window widths in tokens of the SMILES CNN layers (default 4,6)")
	f.IntSliceVar(&o.Hidden, "hidden", nil, "widths of the interaction head's hidden layers (default 64)")
	f.BoolVar(&o.DrugOnly, "drug-only", false, "train the drug-only control (no protein branch)")
	f.StringVar(&o.DrugEncoder, "drug-encoder", bio.DrugEncoderCNN, "drug branch: cnn (a CNN over SMILES characters) or gin (a graph network over the molecule's atoms and bonds)")
	f.Uint64Var(&o.Seed, "seed", 1, "seed for initialisation, the protein split and shuffling")
	o.Checkpoint.register(f)
	f.StringVar(&o.Plot, "plot", "", plotFlagUsage)
	cmd.MarkFlagRequired("data")
	cmd.MarkFlagRequired("out")
	return cmd
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, dtidata.NormalizeSpecies(f))
		}
	}
	return out
}

// pairsOfSpecies returns the pairs of d whose protein is of one of species and,
// if split is not empty, in that split.
func pairsOfSpecies(d *dtidata.Dataset, species []string, split string) []int {
	var out []int
	for k, p := range d.Pairs {
		if slices.Contains(species, d.Proteins[p.Protein].Species) && (split == "" || p.Split == split) {
			out = append(out, k)
		}
	}
	return out
}

func runTrainDTI(o *TrainDTIOptions) error {
	start := time.Now()
	if err := checkOutputs("out", o.Out, "report", o.Report); err != nil {
		return err
	}
	if !(o.TestFraction >= 0 && o.TestFraction < 1) {
		return usagef("--test-fraction %v: want a fraction in [0, 1)", o.TestFraction)
	}
	if o.Epochs < 1 {
		return usagef("--epochs %d: want at least 1", o.Epochs)
	}
	if o.LRSchedule != "" && o.LRSchedule != "constant" && o.LRSchedule != "cosine" {
		return usagef("--lr-schedule %q: want constant or cosine", o.LRSchedule)
	}
	switch o.DrugEncoder {
	case "", bio.DrugEncoderCNN:
	case bio.DrugEncoderGIN:
		if o.DrugFilters != nil || o.DrugWidths != nil {
			return usagef("--drug-filters and --drug-widths size the SMILES CNN; the gin drug encoder has none")
		}
	default:
		return usagef("--drug-encoder %q: want cnn or gin", o.DrugEncoder)
	}
	species := splitList(o.Species)
	if len(species) == 0 {
		return usagef("--species is empty")
	}
	d, err := dtidata.Read(o.Data)
	if err != nil {
		return err
	}
	if d.Task == dtidata.NoPairs {
		return fmt.Errorf("%s: holds proteins only, no pairs to train on", o.Data)
	}
	all := pairsOfSpecies(d, species, o.Split)
	if len(all) == 0 {
		return fmt.Errorf("%s: no pairs of species %s%s", o.Data, strings.Join(species, ", "), splitNote(o.Split))
	}
	var train, test []int
	if o.UseTestFold && o.TestSplit != "" {
		return usagef("--test-fold and --test-split: give one")
	}
	switch {
	case o.UseTestFold:
		for _, k := range all {
			if d.Pairs[k].Fold == o.TestFold {
				test = append(test, k)
			} else {
				train = append(train, k)
			}
		}
		if len(test) == 0 || len(train) == 0 {
			return fmt.Errorf("%s: fold %d of split %q leaves %d pairs to test and %d to train", o.Data, o.TestFold, o.Split, len(test), len(train))
		}
	case o.TestSplit != "":
		train = all
		test = pairsOfSpecies(d, species, o.TestSplit)
		if len(test) == 0 {
			return fmt.Errorf("%s: no pairs in split %q (splits: %s)", o.Data, o.TestSplit, strings.Join(d.Splits(), ", "))
		}
	default:
		train, test = d.SplitByProtein(all, o.TestFraction, o.Seed)
	}
	var testIDs []string
	if o.TestSplit == "" && !o.UseTestFold {
		for _, p := range d.ProteinsOf(test) {
			testIDs = append(testIDs, d.Proteins[p].ID)
		}
	}
	// The SMILES vocabulary of the training drugs.
	var corpus [][]string
	for _, j := range d.DrugsOf(train) {
		toks, err := seq.TokenizeSMILES(d.Drugs[j].SMILES)
		if err != nil {
			return fmt.Errorf("%s: drug %s: %v", o.Data, d.Drugs[j].ID, err)
		}
		corpus = append(corpus, toks)
	}
	mem := machineOr(o.Memory)
	need, perPair := membudget.DTITraining(fmt.Sprintf("training on %d pairs of %s", len(train), o.Data),
		len(d.Proteins), len(d.Drugs), len(d.Pairs), o.MaxProteinLength, o.Embed, o.BatchProteins, o.PairsPerProtein)
	need.Hint = "lower --max-protein-length, --embed or --batch-proteins, or use a machine with more memory"
	if o.AutoBatchSize && o.PairsPerProtein > 0 {
		o.BatchProteins = mem.BatchSize(o.BatchProteins, perPair*uint64(o.PairsPerProtein))
		need.Activations = uint64(o.BatchProteins*o.PairsPerProtein) * perPair
	}
	if err := mem.Check(need); err != nil {
		return err
	}
	cfg := bio.DefaultConfig(d.Task)
	cfg.Embed, cfg.MaxProteinLength, cfg.DrugOnly, cfg.Seed = o.Embed, o.MaxProteinLength, o.DrugOnly, o.Seed
	if err := o.layerSizes(&cfg); err != nil {
		return err
	}
	cfg.DrugVocabulary = seq.BuildVocabulary(corpus, 1)
	if o.DrugEncoder == bio.DrugEncoderGIN {
		cfg.DrugEncoder, cfg.DrugFilters, cfg.DrugWidths, cfg.DrugVocabulary = bio.DrugEncoderGIN, nil, nil, nil
	}
	m, err := bio.New(cfg)
	if err != nil {
		return usagef("%v", err)
	}
	data, err := m.Tokenize(d)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Data, err)
	}
	m.SetOutputBias(bio.BaseRate(d, train))
	what := "model"
	if o.DrugOnly {
		what = "drug-only control"
	}
	prog := orDiscard(o.Progress)
	prog.Notef("training a %s on %d pairs (%d proteins, %d drugs) of %s; testing on %d pairs (%d proteins)",
		what, len(train), len(d.ProteinsOf(train)), len(d.DrugsOf(train)), o.Data, len(test), len(d.ProteinsOf(test)))
	ck, stop, err := o.Checkpoint.saver()
	if err != nil {
		return err
	}
	defer stop()
	prog.Start(o.Epochs, "epochs")
	hist, err := bio.Train(m, data, train, bio.TrainOptions{Epochs: o.Epochs, BatchProteins: o.BatchProteins,
		PairsPerProtein: o.PairsPerProtein, LR: o.LR, Cosine: o.LRSchedule == "cosine", Seed: o.Seed, Progress: bioProgress(prog), Checkpoint: ck})
	prog.Done()
	printCheckpoints(o.Log, ck)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Data, err)
	}
	ids, _ := json.Marshal(testIDs)
	if err := m.Save(o.Out, map[string]string{metaTestProteins: string(ids), metaTrainData: o.Data}); err != nil {
		return err
	}
	trainM := bio.Evaluate(m, nil, data, train)
	testM := bio.Evaluate(m, nil, data, test)
	total, trainable := nn.Counts(m)
	fmt.Fprintf(o.Log, "wrote %s\ntrain %v\ntest  %v\n", o.Out, trainM, testM)
	if o.Plot != "" {
		if err := plotTrainDTI(o, d, m, data, train, test, hist); err != nil {
			return err
		}
	}
	return writeReport(o.Report, map[string]any{
		"trainable_parameters": trainable, "total_parameters": total, "seconds": time.Since(start).Seconds(),
		"drug_only": o.DrugOnly, "species": species, "train": trainM, "test": testM,
	})
}

func splitNote(split string) string {
	if split == "" {
		return ""
	}
	return fmt.Sprintf(" in split %q", split)
}

// TransferOptions are the flags of "transfer".
type TransferOptions struct {
	Base, Species, Data, Orthologs, Out, Report, Method, Control, HumanData string
	// PromptLength 0 chooses the length by the saturation rule (--prompt-length auto).
	PerTarget, Epochs, PromptLength, Rank, Reduction int
	Align, LR                                        float64
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
	f.BoolVar(&o.ShuffleOrthologs, "shuffle-orthologs", false, "pair proteins with wrong human orthologs (control)")
	f.Uint64Var(&o.Seed, "seed", 1, "seed for the split, the adapter's initialisation and shuffling")
	o.Checkpoint.register(f)
	f.StringVar(&o.Plot, "plot", "", plotFlagUsage)
	for _, n := range []string{"base", "data", "out"} {
		cmd.MarkFlagRequired(n)
	}
	return cmd
}

// readAlignment reads ortholog links from path and returns the token sequences of
// the pairs whose other protein is of species.
func readAlignment(path, species string, m *bio.Model, weight float64, seed uint64) (*bio.Alignment, error) {
	od, err := dtidata.Read(path)
	if err != nil {
		return nil, err
	}
	al := &bio.Alignment{Weight: weight, Seed: seed}
	for _, l := range od.Orthologs {
		if od.Proteins[l.Other].Species != species {
			continue
		}
		al.Other = append(al.Other, m.ProteinTokens(od.Proteins[l.Other].Sequence))
		al.Human = append(al.Human, m.ProteinTokens(od.Proteins[l.Human].Sequence))
	}
	if len(al.Other) == 0 {
		return nil, fmt.Errorf("%s: no human–%s ortholog links (%d links in all)", path, species, len(od.Orthologs))
	}
	return al, nil
}

func runTransfer(o *TransferOptions) error {
	start := time.Now()
	if err := checkOutputs("out", o.Out, "report", o.Report); err != nil {
		return err
	}
	if !slices.Contains(bio.Methods, o.Method) {
		return usagef("--method %q: want one of %s", o.Method, strings.Join(bio.Methods, ", "))
	}
	if o.PerTarget < 0 || o.Epochs < 0 || o.Align < 0 || o.PromptLength < 0 {
		return usagef("--per-target, --epochs and --align must not be negative")
	}
	species := dtidata.NormalizeSpecies(o.Species)
	if species == "human" {
		return usagef("--species human: the base is human; name the species to adapt to")
	}
	m, meta, err := bio.Load(o.Base)
	if err != nil {
		return err
	}
	if m.Config.DrugOnly {
		return fmt.Errorf("%s: a drug-only model has no protein branch to adapt (give it as --control)", o.Base)
	}
	d, err := dtidata.Read(o.Data)
	if err != nil {
		return err
	}
	if d.Task != m.Config.Task {
		return fmt.Errorf("%s: task %q, but %s predicts %q", o.Data, d.Task, o.Base, m.Config.Task)
	}
	pairs := d.PairsBySpecies(species)
	if len(pairs) == 0 {
		sp, _ := d.SpeciesCounts()
		return fmt.Errorf("%s: no pairs of species %q (species: %s)", o.Data, species, strings.Join(sp, ", "))
	}
	_, groups, err := d.DrugFrameworks()
	if err != nil {
		return fmt.Errorf("%s: %v", o.Data, err)
	}
	splits := bio.SplitPerTarget(d, pairs, groups, o.PerTarget, o.Seed)
	var adapt, test []int
	byScaffold := 0
	perTarget := make([]map[string]any, 0, len(splits))
	for _, s := range splits {
		adapt = append(adapt, s.Adapt...)
		test = append(test, s.Test...)
		if s.ByScaffold {
			byScaffold++
		}
		perTarget = append(perTarget, map[string]any{"protein": d.Proteins[s.Protein].ID,
			"adapt": len(s.Adapt), "test": len(s.Test), "dropped": s.Dropped, "by_scaffold": s.ByScaffold})
	}
	data, err := m.Tokenize(d)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Data, err)
	}
	// Human test pairs: the proteins the base held out, found in --human-data.
	hd, hdata := d, data
	if o.HumanData != "" {
		if hd, err = dtidata.Read(o.HumanData); err != nil {
			return err
		}
		if hdata, err = m.Tokenize(hd); err != nil {
			return fmt.Errorf("%s: %v", o.HumanData, err)
		}
	}
	var humanTest []int
	var testIDs []string
	if s := meta[metaTestProteins]; s != "" {
		if err := json.Unmarshal([]byte(s), &testIDs); err != nil {
			return fmt.Errorf("%s: metadata %s: %v", o.Base, metaTestProteins, err)
		}
	}
	for k, p := range hd.Pairs {
		if pr := hd.Proteins[p.Protein]; slices.Contains(testIDs, pr.ID) && pr.Species != species {
			humanTest = append(humanTest, k)
		}
	}
	fmt.Fprintf(o.Log, "%s: %d %s pairs on %d proteins: %d adapt (K = %d per protein), %d test; %d proteins split by scaffold\n",
		o.Data, len(pairs), species, len(splits), len(adapt), o.PerTarget, len(test), byScaffold)

	report := map[string]any{"method": o.Method, "species": species, "per_target": o.PerTarget,
		"adapt_pairs": len(adapt), "targets": perTarget, "seed": o.Seed}
	frozenRat := bio.Evaluate(m, nil, data, test)
	report["frozen_test"] = frozenRat
	var humanBefore bio.Metrics
	var humanBeforeY []float64
	if len(humanTest) > 0 {
		humanBeforeY = bio.Predict(m, nil, hdata, humanTest)
		humanBefore = bio.Score(hd, humanTest, humanBeforeY)
		report["human_test_before"] = humanBefore
	}
	total, _ := nn.Counts(m)
	trainable := 0
	var al *bio.Alignment
	if o.Orthologs != "" && o.Method != bio.MethodFrozen {
		if al, err = readAlignment(o.Orthologs, species, m, o.Align, o.Seed); err != nil {
			return err
		}
		if o.ShuffleOrthologs {
			al = al.Shuffled(o.Seed)
		}
		report["ortholog_pairs"] = len(al.Other)
		report["align_weight"] = o.Align
		report["shuffled_orthologs"] = o.ShuffleOrthologs
	}
	ratM := frozenRat
	var a *adapters.Adapter
	var hist []bio.EpochStats
	if o.Method == bio.MethodPrompt && o.PromptLength == 0 {
		choice, err := choosePromptLength(o, m, data, adapt, al, species)
		if err != nil {
			return err
		}
		o.PromptLength = choice.Length
		report["prompt_length_search"] = choice
		fmt.Fprintf(o.Log, "prompt length %d chosen by the saturation rule (validation loss %v)\n", choice.Length, choice.Tried)
	}
	if o.Method == bio.MethodPrompt {
		report["prompt_length"] = o.PromptLength
	}
	if o.Method != bio.MethodFrozen {
		cfg, err := bio.AdapterConfig(o.Method, bio.AdapterOptions{PromptLength: o.PromptLength, Rank: o.Rank,
			Reduction: o.Reduction, Seed: o.Seed})
		if err != nil {
			return usagef("%v", err)
		}
		if a, err = adapters.New(species, cfg); err != nil {
			return usagef("%v", err)
		}
		if err := a.Attach(m); err != nil {
			return fmt.Errorf("%s: %v", o.Base, err)
		}
		if al != nil {
			report["alignment_cosine_before"] = bio.AlignmentCosine(m, a, nil, al)
		}
		ck, stop, err := o.Checkpoint.saver()
		if err != nil {
			return err
		}
		defer stop()
		// The base and the alignment term are not visible to the loop: they enter the
		// checkpoint's fingerprint here.
		ck.Config = fmt.Sprintf("base=%s orthologs=%q align=%v shuffle=%v", nn.Fingerprint(m), o.Orthologs, o.Align, o.ShuffleOrthologs)
		prog := orDiscard(o.Progress)
		prog.Start(o.Epochs, "epochs")
		hist, err = bio.Transfer(m, a, data, adapt, al, bio.TrainOptions{Epochs: o.Epochs, LR: o.LR, Seed: o.Seed,
			Progress: bioProgress(prog), Checkpoint: ck})
		prog.Done()
		printCheckpoints(o.Log, ck)
		if err != nil {
			return err
		}
		if al != nil {
			report["alignment_cosine_after"] = bio.AlignmentCosine(m, a, nil, al)
		}
		for _, p := range a.Params() {
			trainable += p.Size()
		}
		if o.Method != bio.MethodHead && o.Method != bio.MethodFull {
			total += trainable
		}
		ratM = bio.Evaluate(m, nil, data, test)
		if len(humanTest) > 0 {
			report["human_test_with_adapter"] = bio.Evaluate(m, nil, hdata, humanTest)
			a.Enable(false)
			y := bio.Predict(m, nil, hdata, humanTest)
			a.Enable(true)
			report["human_test_after"] = bio.Score(hd, humanTest, y)
			report["human_predictions_unchanged"] = slices.Equal(y, humanBeforeY)
		}
		if err := a.Save(o.Out); err != nil {
			return err
		}
		fmt.Fprintf(o.Log, "wrote %s (%d trained parameters)\n", o.Out, trainable)
	} else {
		fmt.Fprintf(o.Log, "method frozen: nothing trained, %s not written\n", o.Out)
		if len(humanTest) > 0 {
			report["human_test_after"] = humanBefore
			report["human_predictions_unchanged"] = true
		}
	}
	report["test"] = ratM
	// Receptor base rate: every test pair of a protein scores the fraction of
	// positives among that protein's adaptation pairs (the rate of all adaptation
	// pairs for a protein without any). Pooled AUROC rewards this alone.
	report["control_receptor_rate_test"] = bio.Score(d, test, receptorRate(d, adapt, test))
	fmt.Fprintf(o.Log, "%s test: %v (frozen human model: %v)\n", species, ratM, frozenRat)
	if len(humanTest) > 0 {
		fmt.Fprintf(o.Log, "human test (held-out proteins of the base): before %v, after %v\n", humanBefore, report["human_test_after"])
	}
	if o.Control != "" {
		cm, _, err := bio.Load(o.Control)
		if err != nil {
			return err
		}
		if !cm.Config.DrugOnly {
			return fmt.Errorf("%s: --control must be a drug-only model (train dti --drug-only)", o.Control)
		}
		cdata, err := cm.Tokenize(d)
		if err != nil {
			return fmt.Errorf("%s: %v", o.Data, err)
		}
		if o.Method != bio.MethodFrozen && len(adapt) > 0 {
			if _, err := bio.Train(cm, cdata, adapt, bio.TrainOptions{Epochs: o.Epochs, LR: o.LR, Seed: o.Seed}); err != nil {
				return fmt.Errorf("%s: %v", o.Control, err)
			}
		}
		cM := bio.Evaluate(cm, nil, cdata, test)
		report["control_drug_only_test"] = cM
		fmt.Fprintf(o.Log, "drug-only control on the same test pairs: %v\n", cM)
	}
	if o.Plot != "" {
		if err := plotTransfer(o, d, m, a, data, adapt, test, hist); err != nil {
			return err
		}
	}
	report["trainable_parameters"], report["total_parameters"] = trainable, total
	report["seconds"] = time.Since(start).Seconds()
	return writeReport(o.Report, report)
}

// receptorRate scores each test pair with the fraction of positives among the
// adaptation pairs of its protein, or among all adaptation pairs if its protein
// has none (0.5 if there are none at all).
func receptorRate(d *dtidata.Dataset, adapt, test []int) []float64 {
	pos, n := map[int]float64{}, map[int]float64{}
	all, alln := 0.0, 0.0
	for _, k := range adapt {
		p := d.Pairs[k].Protein
		pos[p] += d.Pairs[k].Value
		n[p]++
		all += d.Pairs[k].Value
		alln++
	}
	y := make([]float64, len(test))
	for i, k := range test {
		p := d.Pairs[k].Protein
		switch {
		case n[p] > 0:
			y[i] = pos[p] / n[p]
		case alln > 0:
			y[i] = all / alln
		default:
			y[i] = 0.5
		}
	}
	return y
}

// layerSizes copies the layer sizes given by flag into cfg. A list of filters
// without widths keeps the default width of its branch (the first default width
// beyond the defaults' length) so that --protein-filters 32,64,96 alone works.
func (o *TrainDTIOptions) layerSizes(cfg *bio.Config) error {
	branch := func(name string, filters, widths []int, cf, cw *[]int) error {
		if filters != nil {
			def := *cw
			*cf = filters
			if widths == nil {
				widths = make([]int, len(filters))
				for i := range widths {
					widths[i] = def[min(i, len(def)-1)]
				}
			}
		}
		if widths != nil {
			*cw = widths
		}
		if len(*cf) != len(*cw) {
			return usagef("--%s-filters has %d layers but --%s-widths %d", name, len(*cf), name, len(*cw))
		}
		return nil
	}
	if err := branch("protein", o.ProteinFilters, o.ProteinWidths, &cfg.ProteinFilters, &cfg.ProteinWidths); err != nil {
		return err
	}
	if err := branch("drug", o.DrugFilters, o.DrugWidths, &cfg.DrugFilters, &cfg.DrugWidths); err != nil {
		return err
	}
	if o.Hidden != nil {
		cfg.Hidden = o.Hidden
	}
	return nil
}
