package demo

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/sciadapt/sciadapt/bio"
	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/demodata"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/internal/progress"
	"github.com/sciadapt/sciadapt/train"
)

// Scenarios of Options.Scenario.
const (
	Potentials   = "potentials"
	Constitutive = "constitutive"
	DTI          = "dti"
	All          = "all"
)

// Options configure Run; the CLI's flags of "demo" set them.
type Options struct {
	Scenario    string // Potentials, Constitutive, DTI or All
	Quick       bool   // train every model for a few steps only
	BaseEpochs  int    // epochs of the base potential
	AdaptEpochs int    // epochs of each adaptation of the potential
	K           int    // O frames per molecule to adapt on, 1 … 50
	Points      int    // measured points at 200 °C to tune on, 2 … 25
	PerTarget   int    // labelled pairs per rat receptor, 1 … 32
	Seed        uint64
	Out         io.Writer         // the tables
	Progress    progress.Reporter // epochs and notes; nil reports nothing
}

// Report is the result of Run: one part per scenario run.
type Report struct {
	Potentials          *PotentialsReport   `json:"potentials,omitempty"`
	Constitutive        *ConstitutiveReport `json:"constitutive,omitempty"`
	DTI                 *DTIReport          `json:"dti,omitempty"`
	TrainableParameters int                 `json:"trainable_parameters"` // of the base models
	TotalParameters     int                 `json:"total_parameters"`
	Seconds             float64             `json:"seconds"`
}

// Validate returns an error naming the option that is out of its range.
func (o *Options) Validate() error {
	switch {
	case o.K < 1 || o.K > 50:
		return fmt.Errorf("--k must be between 1 and 50 (the embedded data hold 50 O frames per molecule)")
	case o.Points < 2 || o.Points > 25:
		return fmt.Errorf("--points must be between 2 and 25 (the embedded curves hold about 30 points each), not %d", o.Points)
	case o.PerTarget < 1 || o.PerTarget > 32:
		return fmt.Errorf("--per-target must be between 1 and 32 (the embedded rat receptors hold at most 40 pairs each), not %d", o.PerTarget)
	}
	switch o.Scenario {
	case All, Potentials, Constitutive, DTI:
		return nil
	}
	return fmt.Errorf("--scenario %q: want potentials, constitutive, dti or all", o.Scenario)
}

// Run runs the scenarios of o, printing their tables on o.Out.
func Run(o Options) (*Report, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.Progress == nil {
		o.Progress = progress.Discard()
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Quick {
		o.BaseEpochs, o.AdaptEpochs = min(o.BaseEpochs, 2), min(o.AdaptEpochs, 2)
		o.K = min(o.K, 3)
	}
	start := time.Now()
	dir, err := os.MkdirTemp("", "sciadapt-demo-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	paths, err := demodata.WriteTo(dir)
	if err != nil {
		return nil, err
	}
	r := &Report{}
	all := o.Scenario == All
	if all || o.Scenario == Potentials {
		if r.Potentials, err = runPotentials(o, dir, paths); err != nil {
			return nil, fmt.Errorf("demo, potentials scenario: %v", err)
		}
		r.TrainableParameters += r.Potentials.BaseTrainableParameters
	}
	if all || o.Scenario == Constitutive {
		if r.Constitutive, err = runConstitutive(o, dir); err != nil {
			return nil, fmt.Errorf("demo, constitutive scenario: %v", err)
		}
		r.TrainableParameters += r.Constitutive.BaseTrainableParameters
	}
	if all || o.Scenario == DTI {
		if r.DTI, err = runDTI(o, dir, paths); err != nil {
			return nil, fmt.Errorf("demo, dti scenario: %v", err)
		}
		r.TrainableParameters += r.DTI.BaseTrainableParameters
	}
	if all { // each scenario prints its own time
		fmt.Fprintf(o.Out, "\nAll scenarios: %.0fs.\n", time.Since(start).Seconds())
	}
	r.TotalParameters = r.TrainableParameters
	r.Seconds = time.Since(start).Seconds()
	return r, nil
}

// loadFrames reads every frame of an atoms file, or the first k of a seeded
// permutation of each system when k > 0.
func loadFrames(path string, k int, seed uint64) ([]datasets.Frame, error) {
	f, err := datasets.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	refs := f.Refs()
	if k > 0 {
		refs = datasets.Subsample(refs, k, seed)
	}
	return f.Frames(refs)
}

// fileSize returns the size of the file at path in bytes, or 0.
func fileSize(path string) int {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return int(st.Size())
}

// dash prints n, or an em dash for 0.
func dash(n int) string {
	if n == 0 {
		return "—"
	}
	return strconv.Itoa(n)
}

// potentialProgress forwards the epochs of potentials.Train to p.
func potentialProgress(p progress.Reporter) func(train.EpochStats) {
	return func(s train.EpochStats) {
		p.Step(progress.Fields{Epoch: s.Epoch, Loss: s.Loss, Seconds: s.Seconds, Extra: map[string]float64{"lr": s.LR}})
	}
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

// fitProgress forwards the evaluations of an L-BFGS fit to p.
func fitProgress(p progress.Reporter, start time.Time) func(int, float64) {
	return func(n int, loss float64) {
		p.Step(progress.Fields{Epoch: n, Loss: loss, Seconds: time.Since(start).Seconds()})
	}
}
