package cli

import "github.com/spf13/cobra"

// completionExamples are the Examples of cobra's "completion <shell>" commands.
var completionExamples = map[string]string{
	"bash": `  sciadapt completion bash > ~/.local/share/bash-completion/completions/sciadapt
  sciadapt completion bash --no-descriptions > /etc/bash_completion.d/sciadapt`,
	"zsh": `  sciadapt completion zsh > "${fpath[1]}/_sciadapt"
  sciadapt completion zsh --no-descriptions > _sciadapt`,
	"fish":       `  sciadapt completion fish > ~/.config/fish/completions/sciadapt.fish`,
	"powershell": `  sciadapt completion powershell > sciadapt.ps1`,
}

// addCompletion adds cobra's "completion bash|zsh|fish|powershell" command now
// (cobra would add it when the root runs) and gives its subcommands examples. Call
// it after every other command is added.
func addCompletion(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("name a shell: sciadapt completion bash|zsh|fish|powershell")
			}
			return usagef("unknown shell %q: want bash, zsh, fish or powershell", args[0])
		}
		c.Example = `  sciadapt completion bash > /etc/bash_completion.d/sciadapt
  sciadapt completion zsh > "${fpath[1]}/_sciadapt"`
		for _, s := range c.Commands() {
			s.Example = completionExamples[s.Name()]
		}
	}
}
