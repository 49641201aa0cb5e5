package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Version is the sciadapt release; set at link time with
// -ldflags "-X github.com/sciadapt/sciadapt/internal/cli.Version=v1.2.3".
var Version = "v0.1.0-dev"

// NewCmdVersion returns the "version" command.
func NewCmdVersion() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the sciadapt version and build information",
		Long: `Print the sciadapt release, the commit it was built from (when the build
recorded it), the Go version and the operating system and architecture: the line
to quote in a bug report.`,
		Example: `  sciadapt version`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			commit := "unknown"
			if info, ok := debug.ReadBuildInfo(); ok {
				for _, s := range info.Settings {
					if s.Key == "vcs.revision" {
						commit = s.Value
					}
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "sciadapt %s (commit %s, %s, %s/%s)\n",
				Version, commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
