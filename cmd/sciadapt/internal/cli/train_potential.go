package cli

import (
	"fmt"
	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/figures"
	"io"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/elements"
	"github.com/sciadapt/sciadapt/internal/progress"
	"github.com/sciadapt/sciadapt/internal/sysmem"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
)

// TrainPotentialOptions are the flags of "train potential".
type TrainPotentialOptions struct {
	// Data are the training files; DataWeights, if set, weigh each file's frames
	// in the loss (one weight per file).
	Data        []string
	DataWeights []float64
	Out, Report string
	// Model names the architecture (potentials.ArchSchNet …); Precision the
	// precision its network computes in ("float64" or "float32").
	Model, Precision string
	// Init, if set, is a model file to continue training from: its architecture,
	// weights and reference energies replace Model, Features, Interactions, RBF and
	// Cutoff.
	Init                        string
	Epochs, BatchSize, Frames   int
	TotalFrames                 int
	Features, Interactions, RBF int
	Cutoff, LR, ForceWeight     float64
	EnergyWeight                float64
	StressWeight                float64
	Seed                        uint64
	Plot                        string // --plot: directory for figures
	Log                         io.Writer
	Distributed                 bool              // one rank of an MPI job (train_distributed.go)
	Sharded                     bool              // --sharded: each rank reads only its block of frames
	Progress                    progress.Reporter // epochs and notes; nil reports nothing
	// AutoBatchSize lowers BatchSize to what fits in half the free memory (set
	// when --batch-size is not given).
	AutoBatchSize bool
	// Memory is the machine's memory; nil means this machine's (sysmem.System).
	Memory     *sysmem.Machine
	Checkpoint CheckpointFlags
}

func newCmdTrainPotential(out io.Writer) *cobra.Command {
	o := &TrainPotentialOptions{Log: out}
	cmd := &cobra.Command{
		Use:   "potential --data TRAIN.h5 --out BASE.model",
		Short: "Train a base interatomic potential on energies and forces",
		Long: `Train an interatomic potential on the frames of one or more atoms HDF5 files
(energies, and forces and stress when present). Reference energies per element are
fitted by least squares on composition first; then Adam trains on the weighted
energy and force loss, differentiating the forces again (create-graph). Several
--data files train one model; --data-weights weigh each file's frames in the loss.

With --distributed, under MPI (a binary from "make build-mpi"), every rank reads its
share of the frames and the gradients are summed over ranks before each step; the
result equals one process's to rounding. Every rank reads all frames and computes its
share of each batch, split by cost (atoms and neighbour pairs) so that ranks wait
little; --sharded makes each rank read only its block of the frames instead:

  mpirun -np 4 sciadapt train potential --data hcn_train.h5 --out hcn.model --distributed`,
		Example: `  sciadapt train potential --data hcn_train.h5 --out hcn.model --epochs 200
  sciadapt train potential --data hcn_xtb.h5 --data hcn_train.h5 --data-weights 1,4 --out broad.model
  sciadapt train potential --data cuagau_train.h5 --out alloy.model --stress-weight 100 --report train.json
  sciadapt train potential --data cuagau_train.h5 --total-frames 400 --out alloy.model
  sciadapt train potential --data hcn_train.h5 --out hcn.model --epochs 200 --checkpoint hcn.ckpt
  sciadapt train potential --data hcn_train.h5 --out hcn.model --epochs 200 --resume hcn.ckpt
  sciadapt train potential --data hcn_train.h5 --init hcn.model --lr 3e-4 --epochs 50 --out hcn_longer.model`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Progress = progressFor(cmd, "train potential")
			o.AutoBatchSize = !cmd.Flags().Changed("batch-size")
			return runTrainPotential(o)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.Data, "data", nil, "training frames (atoms HDF5); repeat or separate by commas for several files")
	f.Float64SliceVar(&o.DataWeights, "data-weights", nil, "loss weight of each --data file's frames, in order (default 1 each)")
	f.StringVar(&o.Out, "out", "", "model file to write")
	f.StringVar(&o.Report, "report", "", "write a JSON report here")
	f.StringVar(&o.Model, "model", potentials.ArchSchNet, "architecture: "+archList())
	f.StringVar(&o.Precision, "precision", "float64", "precision the network computes in: float64 or float32 (half the memory, sgemm)")
	f.IntVar(&o.Epochs, "epochs", 100, "passes over the data")
	f.IntVar(&o.BatchSize, "batch-size", 32, "structures per step")
	f.IntVar(&o.Frames, "frames", 0, "use only this many frames per system (0 = all)")
	f.IntVar(&o.TotalFrames, "total-frames", 0, "use only this many frames in all per file, drawn across systems with --seed (for one-frame-per-system alloy data)")
	f.StringVar(&o.Init, "init", "", "continue training this model (its architecture and weights; the size flags are ignored)")
	f.IntVar(&o.Features, "features", 64, "atom feature width")
	f.IntVar(&o.Interactions, "interactions", 3, "interaction blocks")
	f.IntVar(&o.RBF, "rbf", 32, "radial basis functions")
	f.Float64Var(&o.Cutoff, "cutoff", 5, "cutoff radius in Å")
	f.Float64Var(&o.LR, "lr", 1e-3, "initial learning rate (cosine decay to 1/100)")
	f.Float64Var(&o.ForceWeight, "force-weight", 10, "weight of the force loss, per (eV/Å)²")
	f.Float64Var(&o.EnergyWeight, "energy-weight", 1, "weight of the energy loss, per (eV/atom)²")
	f.Float64Var(&o.StressWeight, "stress-weight", 0, "weight of the stress loss, per (eV/Å³)²")
	f.Uint64Var(&o.Seed, "seed", 1, "seed for initialisation and shuffling")
	f.BoolVar(&o.Distributed, "distributed", false, "data-parallel over MPI: run under mpirun or srun --mpi=pmix (binary from make build-mpi)")
	f.BoolVar(&o.Sharded, "sharded", false, "with --distributed: each rank reads only its block of the frames (less memory; ranks wait on uneven batches)")
	o.Checkpoint.register(f)
	f.StringVar(&o.Plot, "plot", "", plotFlagUsage)
	cmd.MarkFlagRequired("data")
	cmd.MarkFlagRequired("out")
	return cmd
}

// archList names the architectures for help texts.
func archList() string {
	s := ""
	for i, a := range potentials.Architectures() {
		if i > 0 {
			s += ", "
		}
		s += a
	}
	return s
}

func runTrainPotential(o *TrainPotentialOptions) error {
	if err := o.validate(); err != nil {
		return err
	}
	if o.Distributed {
		return runTrainPotentialDistributed(o)
	}
	start := time.Now()
	m, err := o.initModel()
	if err != nil {
		return err
	}
	frames, weights, err := o.loadTrainingFrames(m)
	if err != nil {
		return err
	}
	if m == nil {
		if m, err = potentials.New(o.config(potentials.SpeciesOf(frames))); err != nil {
			return usagef("%v", err)
		}
	}
	ck, stop, err := o.Checkpoint.saver()
	if err != nil {
		return err
	}
	defer stop()
	ck.Config = fmt.Sprintf("cutoff=%v", m.Config.Cutoff) // not visible in the parameters' shapes
	prog := orDiscard(o.Progress)
	prog.Notef("training a %s model on %d frames of %v (elements %v)", m.Config.Model, len(frames), o.Data, elements.Symbols(m.Config.Species))
	prog.Start(o.Epochs, "epochs")
	fit, err := potentials.Fit(m, frames, potentials.FitOptions{Continue: o.Init != "", Train: potentials.TrainOptions{
		Epochs: o.Epochs, BatchSize: o.BatchSize, LR: o.LR, ForceWeight: o.ForceWeight, EnergyWeight: o.EnergyWeight,
		StressWeight: o.StressWeight, Seed: o.Seed, FrameWeights: weights, Progress: potentialProgress(prog), Checkpoint: ck}})
	prog.Done()
	printCheckpoints(o.Log, ck)
	if err != nil {
		return fmt.Errorf("%v: %w", o.Data, err)
	}
	prog.Notef("refitted reference energies: RMS energy residual %.4f → %.4f eV", fit.RefitBefore, fit.RefitAfter)
	if err := m.Save(o.Out); err != nil {
		return err
	}
	if o.Plot != "" {
		if err := figures.Potential(o.Plot, o.Log, m, frames, nil, fit.History, "training", o.Data[0]); err != nil {
			return err
		}
	}
	total, trainable := nn.Counts(m)
	fmt.Fprintf(o.Log, "wrote %s: training MAE energy %.4f eV, forces %.4f eV/Å\n", o.Out, fit.Train.EnergyMAE, fit.Train.ForceMAE)
	return writeReport(o.Report, potentials.TrainReport{Parameters: potentials.Parameters{Trainable: trainable, Total: total},
		Model: m.Config.Model, Seconds: time.Since(start).Seconds(), Train: fit.Train})
}

// validate checks the flags that need no file.
func (o *TrainPotentialOptions) validate() error {
	switch {
	case len(o.Data) == 0:
		return usagef("--data: give at least one training file")
	case o.DataWeights != nil && len(o.DataWeights) != len(o.Data):
		return usagef("--data-weights: %d weights for %d --data files", len(o.DataWeights), len(o.Data))
	case o.Distributed && o.Init != "":
		return usagef("--init does not work with --distributed yet")
	case o.Distributed && len(o.Data) > 1:
		return usagef("--distributed trains on one --data file")
	case o.Sharded && !o.Distributed:
		return usagef("--sharded goes with --distributed")
	case o.Precision != "" && o.Precision != "float64" && o.Precision != "float32":
		return usagef("--precision %q: want float64 or float32", o.Precision)
	case o.Checkpoint.Every < 0:
		return usagef("--checkpoint-every %d: must be 0 (every epoch) or positive", o.Checkpoint.Every)
	case o.BatchSize < 1:
		return usagef("--batch-size must be at least 1, not %d", o.BatchSize)
	}
	for i, w := range o.DataWeights {
		if !(w >= 0) {
			return usagef("--data-weights: weight %d is %g; weights must be ≥ 0", i+1, w)
		}
	}
	return checkOutputs("out", o.Out, "report", o.Report)
}

// initModel loads the --init model (and takes its architecture for the memory
// check), or returns nil when a new model is to be made.
func (o *TrainPotentialOptions) initModel() (*potentials.Model, error) {
	if o.Init == "" {
		return nil, nil
	}
	m, err := potentials.Load(o.Init)
	if err != nil {
		return nil, err
	}
	c := m.Config
	o.Model, o.Features, o.RBF, o.Interactions, o.Cutoff = c.Model, c.Features, c.RBF, c.Interactions, c.Cutoff
	o.Precision = m.Precision().String()
	return m, nil
}

// config returns the configuration of a new model for the given species.
func (o *TrainPotentialOptions) config(species []int) potentials.Config {
	return potentials.Config{Model: o.Model, Species: species, Cutoff: o.Cutoff, Features: o.Features,
		RBF: o.RBF, Interactions: o.Interactions, Seed: o.Seed, Precision: o.Precision}
}

// loadTrainingFrames reads the frames of every --data file (checking the memory
// they need first) and returns them with one loss weight per frame (nil when all
// are 1). With an --init model, every element must be one it knows.
func (o *TrainPotentialOptions) loadTrainingFrames(init *potentials.Model) ([]datasets.Frame, []float64, error) {
	var frames []datasets.Frame
	var weights []float64
	for i, path := range o.Data {
		fs, err := loadSelected(path, o.Frames, o.TotalFrames, o.Seed,
			potentialMemoryCheck(machineOr(o.Memory), path, &o.BatchSize, o.AutoBatchSize, o.config(nil)))
		if err != nil {
			return nil, nil, err
		}
		if len(fs) == 0 {
			return nil, nil, fmt.Errorf("%s: no frames", path)
		}
		if init != nil {
			for _, z := range potentials.SpeciesOf(fs) {
				if !slices.Contains(init.Species(), z) {
					return nil, nil, fmt.Errorf("%s: element %s is not among the elements %v of --init %s (add it with add-element)",
						path, elements.Symbols([]int{z})[0], elements.Symbols(init.Species()), o.Init)
				}
			}
		}
		frames = append(frames, fs...)
		if o.DataWeights != nil {
			for range fs {
				weights = append(weights, o.DataWeights[i])
			}
		}
	}
	return frames, weights, nil
}
