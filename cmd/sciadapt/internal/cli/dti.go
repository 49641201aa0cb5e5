package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/bio"
	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/internal/progress"
	"github.com/sciadapt/sciadapt/internal/sysmem"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/train"
)

// metaTrainData is the metadata key of drug–target model files written by "train
// dti" that names the training file (the held-out proteins are under
// bio.MetaTestProteins).
const metaTrainData = "dti.train_data"

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
	// Memory is the machine's memory; nil means this machine's (sysmem.System).
	Memory     *sysmem.Machine
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

// trainDTIReport is the report of "train dti".
type trainDTIReport struct {
	TrainableParameters int         `json:"trainable_parameters"`
	TotalParameters     int         `json:"total_parameters"`
	Seconds             float64     `json:"seconds"`
	DrugOnly            bool        `json:"drug_only"`
	Species             []string    `json:"species"`
	Train               bio.Metrics `json:"train"`
	Test                bio.Metrics `json:"test"`
}

// validate checks the flags of train dti that need no file.
func (o *TrainDTIOptions) validate() (train.Schedule, error) {
	if err := checkOutputs("out", o.Out, "report", o.Report); err != nil {
		return 0, err
	}
	if !(o.TestFraction >= 0 && o.TestFraction < 1) {
		return 0, usagef("--test-fraction %v: want a fraction in [0, 1)", o.TestFraction)
	}
	if o.Epochs < 1 {
		return 0, usagef("--epochs %d: want at least 1", o.Epochs)
	}
	if o.UseTestFold && o.TestSplit != "" {
		return 0, usagef("--test-fold and --test-split: give one")
	}
	if len(splitList(o.Species)) == 0 {
		return 0, usagef("--species is empty")
	}
	switch o.DrugEncoder {
	case "", bio.DrugEncoderCNN:
	case bio.DrugEncoderGIN:
		if o.DrugFilters != nil || o.DrugWidths != nil {
			return 0, usagef("--drug-filters and --drug-widths size the SMILES CNN; the gin drug encoder has none")
		}
	default:
		return 0, usagef("--drug-encoder %q: want cnn or gin", o.DrugEncoder)
	}
	return parseSchedule(o.LRSchedule)
}

func runTrainDTI(o *TrainDTIOptions) error {
	start := time.Now()
	sched, err := o.validate()
	if err != nil {
		return err
	}
	d, err := dtidata.Read(o.Data)
	if err != nil {
		return err
	}
	if d.Task == dtidata.NoPairs {
		return fmt.Errorf("%s: holds proteins only, no pairs to train on", o.Data)
	}
	species := splitList(o.Species)
	train, test, testIDs, err := bio.HoldOut{Species: species, Split: o.Split, TestSplit: o.TestSplit, UseTestFold: o.UseTestFold,
		TestFold: o.TestFold, TestFraction: o.TestFraction, Seed: o.Seed}.Pairs(d)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Data, err)
	}
	if err := o.checkMemory(d, len(train)); err != nil {
		return err
	}
	m, data, err := o.newModel(d, train)
	if err != nil {
		return err
	}
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
		PairsPerProtein: o.PairsPerProtein, LR: o.LR, Schedule: sched, Seed: o.Seed, Progress: bioProgress(prog), Checkpoint: ck})
	prog.Done()
	printCheckpoints(o.Log, ck)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Data, err)
	}
	ids, _ := json.Marshal(testIDs)
	if err := m.Save(o.Out, map[string]string{bio.MetaTestProteins: string(ids), metaTrainData: o.Data}); err != nil {
		return err
	}
	r := trainDTIReport{DrugOnly: o.DrugOnly, Species: species,
		Train: bio.Evaluate(m, nil, data, train), Test: bio.Evaluate(m, nil, data, test)}
	r.TotalParameters, r.TrainableParameters = nn.Counts(m)
	fmt.Fprintf(o.Log, "wrote %s\ntrain %v\ntest  %v\n", o.Out, r.Train, r.Test)
	if o.Plot != "" {
		if err := plotTrainDTI(o, d, m, data, train, test, hist); err != nil {
			return err
		}
	}
	r.Seconds = time.Since(start).Seconds()
	return writeReport(o.Report, r)
}

// checkMemory refuses training that would not fit in the machine's memory
// (bio.TrainingMemory) and, with AutoBatchSize, lowers BatchProteins to what fits
// in half the free memory.
func (o *TrainDTIOptions) checkMemory(d *dtidata.Dataset, pairs int) error {
	mem := machineOr(o.Memory)
	data, perPair := bio.TrainingMemory(len(d.Proteins), len(d.Drugs), len(d.Pairs), o.MaxProteinLength, o.Embed)
	if o.AutoBatchSize && o.PairsPerProtein > 0 {
		o.BatchProteins = mem.BatchSize(o.BatchProteins, perPair*uint64(o.PairsPerProtein))
	}
	return mem.Check(sysmem.Need{What: fmt.Sprintf("training on %d pairs of %s", pairs, o.Data), Data: data,
		Activations: uint64(o.BatchProteins*o.PairsPerProtein) * perPair,
		Hint:        "lower --max-protein-length, --embed or --batch-proteins, or use a machine with more memory"})
}

// newModel builds the model of the flags, with the SMILES vocabulary of the
// training drugs and the output bias at their base rate, and tokenises d for it.
func (o *TrainDTIOptions) newModel(d *dtidata.Dataset, train []int) (*bio.Model, *bio.Data, error) {
	cfg := bio.DefaultConfig(d.Task)
	cfg.Embed, cfg.MaxProteinLength, cfg.DrugOnly, cfg.Seed = o.Embed, o.MaxProteinLength, o.DrugOnly, o.Seed
	if err := o.layerSizes(&cfg); err != nil {
		return nil, nil, err
	}
	vocab, err := bio.DrugVocabulary(d, train)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", o.Data, err)
	}
	cfg.DrugVocabulary = vocab
	if o.DrugEncoder == bio.DrugEncoderGIN {
		cfg.DrugEncoder, cfg.DrugFilters, cfg.DrugWidths, cfg.DrugVocabulary = bio.DrugEncoderGIN, nil, nil, nil
	}
	m, err := bio.New(cfg)
	if err != nil {
		return nil, nil, usagef("%v", err)
	}
	data, err := m.Tokenize(d)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", o.Data, err)
	}
	m.SetOutputBias(bio.BaseRate(d, train))
	return m, data, nil
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
