package cli

import (
	"io"

	"github.com/spf13/cobra"
)

// Main runs the sciadapt command line with args (without the program name) and
// returns the process exit code. It never panics: a panic inside a command is
// reported as an internal error with exit code 3.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer recoverInternal(stderr, &code)
	root := NewRootCmd(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err != nil {
		printError(stderr, err)
	}
	return exitCode(err)
}

// NewRootCmd builds the full command tree writing to the given streams.
func NewRootCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "sciadapt",
		Short: "Adapt frozen scientific models to new domains with small trained parts",
		Long: `sciadapt adapts a model trained on plenty of data in one domain to a new domain
with a handful of data, by training a tiny part of it (adapters, embeddings,
modulation knobs) while the rest stays frozen. Nothing learned is forgotten, and
each adaptation is a small file.

Exit codes: 0 success, 1 bad input, 2 usage, 3 internal error.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usagef("%v (see %q)", err, c.CommandPath()+" --help")
	})
	addGlobalFlags(root)
	root.AddCommand(NewCmdVersion())
	root.AddCommand(NewCmdImport())
	root.AddCommand(NewCmdInspect())
	root.AddCommand(NewCmdExport())
	root.AddCommand(NewCmdTrain(stdout))
	root.AddCommand(NewCmdAddElement(stdout))
	root.AddCommand(NewCmdDemo(stdout))
	root.AddCommand(NewCmdEval(stdout))
	root.AddCommand(NewCmdMD(stdout))
	root.AddCommand(NewCmdRelax(stdout))
	root.AddCommand(NewCmdPlan(stdout))
	root.AddCommand(NewCmdTemperatureTune(stdout))
	root.AddCommand(NewCmdTransfer(stdout))
	root.AddCommand(NewCmdServe(stdout))
	root.AddCommand(NewCmdSweep(stdout, stderr))
	addCompletion(root)
	return root
}
