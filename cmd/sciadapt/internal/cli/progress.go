package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/sciadapt/sciadapt/bio"
	"github.com/sciadapt/sciadapt/internal/progress"
	"github.com/sciadapt/sciadapt/train"
)

// Names of the global flags of the root command.
const (
	flagQuiet   = "quiet"
	flagLogJSON = "log-json"
)

// addGlobalFlags adds the persistent flags every command takes.
func addGlobalFlags(root *cobra.Command) {
	f := root.PersistentFlags()
	f.Bool(flagQuiet, false, "print results and errors only: no progress, no notes")
	f.Bool(flagLogJSON, false, "report progress as one JSON object per line on stderr (event, command, epoch, loss, seconds)")
}

// progressFor returns the progress reporter of a command run: on the command's
// stderr, a bar only if stderr is a terminal, shaped by --quiet and --log-json.
func progressFor(cmd *cobra.Command, name string) progress.Reporter {
	quiet, _ := cmd.Flags().GetBool(flagQuiet)
	asJSON, _ := cmd.Flags().GetBool(flagLogJSON)
	w := cmd.ErrOrStderr()
	return progress.New(w, progress.ForWriter(w, progress.Options{Command: name, Quiet: quiet, JSON: asJSON}))
}

// importProgressFor is progressFor for imports, whose steps are files: on a
// stderr that is not a terminal it reports only with --log-json (a line per file
// read would only clutter a log).
func importProgressFor(cmd *cobra.Command, name string) progress.Reporter {
	asJSON, _ := cmd.Flags().GetBool(flagLogJSON)
	if !asJSON && !progress.IsTerminal(cmd.ErrOrStderr()) {
		return progress.Discard()
	}
	return progressFor(cmd, name)
}

// orDiscard returns p, or a reporter that reports nothing if p is nil.
func orDiscard(p progress.Reporter) progress.Reporter {
	if p == nil {
		return progress.Discard()
	}
	return p
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

// potentialProgress forwards the epochs of potentials.Train to p.
func potentialProgress(p progress.Reporter) func(train.EpochStats) {
	return func(s train.EpochStats) {
		p.Step(progress.Fields{Epoch: s.Epoch, Loss: s.Loss, Seconds: s.Seconds, Extra: map[string]float64{"lr": s.LR}})
	}
}

// fitReporter adapts progress.Reporter to constitutive.FitOptions.OnEpoch.
func fitReporter(p progress.Reporter, start time.Time) func(int, float64) {
	return func(n int, loss float64) {
		p.Step(progress.Fields{Epoch: n, Loss: loss, Seconds: time.Since(start).Seconds()})
	}
}
