package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/elements"
	"github.com/sciadapt/sciadapt/internal/progress"
	"github.com/sciadapt/sciadapt/internal/sysmem"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
)

// loadFrames reads every frame of an atoms file, or the first k of a seeded
// permutation of each system when k > 0 (so smaller k give nested subsets).
func loadFrames(path string, k int, seed uint64) ([]datasets.Frame, error) {
	return loadSelected(path, k, 0, seed, nil)
}

// loadSelected reads the frames chosen by --frames (k per system) or --total-frames
// (total across systems; at most one of the two may be positive); see
// datasets.ReadSelected for check.
func loadSelected(path string, perSystem, total int, seed uint64, check func(atoms []int) error) ([]datasets.Frame, error) {
	if perSystem < 0 || total < 0 {
		return nil, usagef("--frames and --total-frames must be ≥ 0 (got %d and %d)", perSystem, total)
	}
	if perSystem > 0 && total > 0 {
		return nil, usagef("give --frames (per system) or --total-frames, not both")
	}
	return datasets.ReadSelected(path, datasets.Selection{PerSystem: perSystem, Total: total, Seed: seed}, check)
}

// machineOr returns *m, or the memory of this machine if m is nil.
func machineOr(m *sysmem.Machine) sysmem.Machine {
	if m == nil {
		return sysmem.System()
	}
	return *m
}

// potentialMemoryCheck returns a check for loadSelected that refuses training
// a potential that would not fit in the machine's memory and, if auto, lowers
// *batch to what fits in half the free memory.
func potentialMemoryCheck(mem sysmem.Machine, path string, batch *int, auto bool, cfg potentials.Config) func([]int) error {
	return func(atoms []int) error {
		data, per := potentials.TrainingMemory(cfg, atoms)
		need := sysmem.Need{What: fmt.Sprintf("training on %d frames of %s", len(atoms), path), Data: data,
			Activations: uint64(min(*batch, len(atoms))) * per}
		need.Hint = "train on fewer frames (--frames K per system) or a smaller model (--features, --interactions), or use a machine with more memory"
		if auto {
			need.Hint = "train on fewer frames (--frames K per system), or use a machine with more memory"
			*batch = mem.BatchSize(*batch, per)
			need.Activations = uint64(min(*batch, len(atoms))) * per
		}
		return mem.Check(need)
	}
}

// AddElementOptions are the flags of "add-element".
type AddElementOptions struct {
	Base, Element, Data, Out, Report, Test, Method string
	Plan                                           string
	Frames, Epochs, BatchSize, Rank                int
	Replay                                         string  // --replay: frames of the base's chemistry to train alongside
	ReplayFrames                                   int     // per system of --replay (0 = all)
	ReplayWeight                                   float64 // loss weight of the replay frames
	TotalFrames                                    int
	Precision                                      string // --precision: float64 or float32
	LR, EnergyWeight, ForceWeight                  float64
	Seed                                           uint64
	Plot                                           string // --plot: directory for figures
	Log                                            io.Writer
	Progress                                       progress.Reporter // epochs and notes; nil reports nothing
	// AutoBatchSize lowers BatchSize to what fits in half the free memory (set
	// when --batch-size is not given).
	AutoBatchSize bool
	// Memory is the machine's memory; nil means this machine's (sysmem.System).
	Memory     *sysmem.Machine
	Checkpoint CheckpointFlags
}

// NewCmdAddElement returns the "add-element" command.
func NewCmdAddElement(out io.Writer) *cobra.Command {
	o := &AddElementOptions{Log: out}
	cmd := &cobra.Command{
		Use:   "add-element --base BASE.model --element O --data NEW.h5 --out O.adapter",
		Short: "Teach a trained potential a new element from a few structures",
		Long: `Teach a base potential a new element. The element's embedding starts from its
chemical neighbours (a kernel regression from element descriptors to the base's
learned embeddings), its reference energy is fitted by least squares, and then only
the embedding, the reference and a small element-gated LoRA adapter train, so the
base is frozen and every structure without the new element is predicted exactly as
before. The adapter file holds only those tensors and the base's fingerprint.

Methods: adapter (default; also called lora), embedding (the element's embedding
and reference only; also called rows), zero-shot (no training), full (every weight of
the embedding and the network trains too; the adapter file then holds them all).`,
		Example: `  sciadapt add-element --base hcn.model --element O --data o_train.h5 --frames 50 --out O.adapter
  sciadapt add-element --base hcn.model --element O --data o_train.h5 --frames 50 --method full \
      --replay hcn_train.h5 --replay-frames 50 --out O_full.adapter
  sciadapt add-element --base alloy.model --element Pd --data pd_train.h5 --test pd_test.h5 --report pd.json --out Pd.adapter`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Progress = progressFor(cmd, "add-element")
			o.AutoBatchSize = !cmd.Flags().Changed("batch-size")
			return runAddElement(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Base, "base", "", "base model file")
	f.StringVar(&o.Element, "element", "", "symbol of the new element, e.g. O or Pd")
	f.StringVar(&o.Data, "data", "", "frames containing the new element (atoms HDF5)")
	f.StringVar(&o.Test, "test", "", "optional test frames to report errors on")
	f.StringVar(&o.Out, "out", "", "adapter file to write")
	f.StringVar(&o.Report, "report", "", "write a JSON report here")
	f.StringVar(&o.Method, "method", "adapter", "adapter (lora), embedding (rows), zero-shot or full")
	f.IntVar(&o.Frames, "frames", 0, "frames K per system to train on (0 = all)")
	f.StringVar(&o.Replay, "replay", "", "frames of the base's own chemistry to train alongside (full fine-tuning keeps what it knew)")
	f.IntVar(&o.ReplayFrames, "replay-frames", 0, "frames per system of --replay (0 = all)")
	f.Float64Var(&o.ReplayWeight, "replay-weight", 1, "loss weight of the --replay frames")
	f.IntVar(&o.TotalFrames, "total-frames", 0, "frames K in all to train on, drawn across systems with --seed (alloys: one frame per system)")
	f.IntVar(&o.Epochs, "epochs", 100, "passes over the data")
	f.IntVar(&o.BatchSize, "batch-size", 16, "structures per step")
	f.IntVar(&o.Rank, "rank", 2, "LoRA rank")
	f.StringVar(&o.Precision, "precision", "float32", "precision the adapter's values are kept and saved in: float64 or float32 (half the file)")
	f.StringVar(&o.Plan, "plan", "", "placement plan from \"sciadapt plan\": LoRA sites and ranks")
	f.Float64Var(&o.LR, "lr", 3e-3, "initial learning rate")
	f.Float64Var(&o.EnergyWeight, "energy-weight", 100, "weight of the energy loss, per (eV/atom)²")
	f.Float64Var(&o.ForceWeight, "force-weight", 10, "weight of the force loss, per (eV/Å)²")
	f.Uint64Var(&o.Seed, "seed", 1, "seed for frame selection and shuffling")
	o.Checkpoint.register(f)
	f.StringVar(&o.Plot, "plot", "", plotFlagUsage+": loss and parity on --test, else on --data")
	for _, n := range []string{"base", "element", "data", "out"} {
		cmd.MarkFlagRequired(n)
	}
	return cmd
}

func runAddElement(o *AddElementOptions) error {
	start := time.Now()
	if err := checkOutputs("out", o.Out, "report", o.Report); err != nil {
		return err
	}
	if o.BatchSize < 1 {
		return usagef("--batch-size must be at least 1, not %d", o.BatchSize)
	}
	el, err := elements.BySymbol(o.Element)
	if err != nil {
		return usagef("--element: %v", err)
	}
	cfg, zeroShot, err := o.elementConfig(el.Z)
	if err != nil {
		return err
	}
	base, err := potentials.Load(o.Base)
	if err != nil {
		return err
	}
	frames, err := loadSelected(o.Data, o.Frames, o.TotalFrames, o.Seed,
		potentialMemoryCheck(machineOr(o.Memory), o.Data, &o.BatchSize, o.AutoBatchSize, base.Config))
	if err != nil {
		return err
	}
	var replay []datasets.Frame
	if o.Replay != "" {
		if replay, err = loadFrames(o.Replay, o.ReplayFrames, o.Seed); err != nil {
			return err
		}
	}
	ck, stop, err := o.Checkpoint.saver()
	if err != nil {
		return err
	}
	defer stop()
	ck.Config = "base=" + nn.Fingerprint(base) // resuming onto another base is refused
	prog := orDiscard(o.Progress)
	prog.Notef("adding %s to %s from %d frames of %s (method %s)", el.Symbol, o.Base, len(frames), o.Data, o.Method)
	prog.Start(o.Epochs, "epochs")
	a, hist, err := potentials.AddElement(base, frames, potentials.AddElementOptions{Config: cfg, ZeroShot: zeroShot,
		Replay: replay, ReplayWeight: o.ReplayWeight,
		Train: potentials.TrainOptions{Epochs: o.Epochs, BatchSize: o.BatchSize, LR: o.LR, Seed: o.Seed,
			EnergyWeight: o.EnergyWeight, ForceWeight: o.ForceWeight, Progress: potentialProgress(prog), Checkpoint: ck}})
	prog.Done()
	printCheckpoints(o.Log, ck)
	if err != nil {
		return err
	}
	rep, err := a.Report()
	if err != nil {
		return err
	}
	if err := a.Save(o.Out); err != nil {
		return err
	}
	fmt.Fprintf(o.Log, "wrote %s (%d trained parameters)\n", o.Out, rep.TrainableParams)
	report := potentials.ElementReport{Parameters: potentials.Parameters{Trainable: rep.TrainableParams, Total: rep.TotalParams},
		Method: o.Method, Element: el.Symbol, TrainFrames: len(frames), AdapterBytes: rep.FileBytes}
	if err := o.test(base, &report); err != nil {
		return err
	}
	if o.Plot != "" {
		if err := plotAddElement(o, base, frames, hist); err != nil {
			return err
		}
	}
	report.Seconds = time.Since(start).Seconds()
	return writeReport(o.Report, report)
}

// elementConfig returns the adapter configuration the flags ask for, and whether
// the method is zero-shot.
func (o *AddElementOptions) elementConfig(z int) (potentials.ElementConfig, bool, error) {
	cfg := potentials.DefaultElementConfig(z)
	method, zeroShot, err := potentials.ParseElementMethod(o.Method)
	if err != nil {
		return cfg, false, usagef("--method: %v", err)
	}
	cfg.Method, cfg.Rank, cfg.Precision = method, o.Rank, o.Precision
	if o.Plan != "" {
		if cfg.Targets, cfg.Overrides, err = planSites(o.Plan); err != nil {
			return cfg, false, err
		}
	}
	if err := cfg.Validate(); err != nil {
		return cfg, false, usagef("%v", err)
	}
	return cfg, zeroShot, nil
}

// test evaluates the adapted base on the --test frames, if given, into r.
func (o *AddElementOptions) test(base *potentials.Model, r *potentials.ElementReport) error {
	if o.Test == "" {
		return nil
	}
	test, err := loadFrames(o.Test, 0, 0)
	if err != nil {
		return err
	}
	ev, systems, err := potentials.EvaluateBySystem(base, test, 64, base.ElementContext)
	if err != nil {
		return fmt.Errorf("%s: %v", o.Test, err)
	}
	r.Test = &ev
	fmt.Fprintf(o.Log, "test on %d frames: energy MAE %.4f eV, force MAE %.4f eV/Å\n", ev.Frames, ev.EnergyMAE, ev.ForceMAE)
	if len(systems) > 1 {
		r.TestSystems = systems
		printSystemErrors(o.Log, systems)
	}
	return nil
}

// planSites reads the LoRA placements of a plan written by "sciadapt plan": the
// chosen sites and a rank override for each.
func planSites(path string) ([]string, []adapters.Override, error) {
	p, err := adapters.ReadPlan(path)
	if err != nil {
		return nil, nil, err
	}
	var sites []string
	var ranks []adapters.Override
	for _, c := range p.Chosen {
		if c.Method != adapters.MethodLoRA {
			return nil, nil, fmt.Errorf("%s: add-element places LoRA only; the plan chose %s at %q", path, c.Method, c.Site)
		}
		sites = append(sites, c.Site)
		ranks = append(ranks, adapters.Override{Pattern: c.Site, Rank: c.Rank})
	}
	if len(sites) == 0 {
		return nil, nil, fmt.Errorf("%s: the plan chose no placement", path)
	}
	return sites, ranks, nil
}
