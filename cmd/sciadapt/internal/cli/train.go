package cli

import (
	"io"

	"github.com/spf13/cobra"
)

// NewCmdTrain returns the "train" command; each model family is a subcommand.
func NewCmdTrain(out io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "train",
		Short:   "Train a base model from scratch",
		Long:    `Train a base model on plenty of data in its home domain; adapt it later with add-element, temperature-tune or transfer.`,
		Example: `  sciadapt train potential --data hcn_train.h5 --out hcn.model`,
	}
	cmd.AddCommand(newCmdTrainPotential(out))
	cmd.AddCommand(newCmdTrainDTI(out))
	cmd.AddCommand(newCmdTrainConstitutive(out))
	return cmd
}
