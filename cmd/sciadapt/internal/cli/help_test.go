package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// walk calls f on cmd and every command below it, skipping cobra's help command.
func walk(cmd *cobra.Command, f func(*cobra.Command)) {
	f(cmd)
	for _, c := range cmd.Commands() {
		if c.Name() == "help" || c.Hidden {
			continue
		}
		walk(c, f)
	}
}

// shellWords splits a command line into words the way a POSIX shell would for the
// quoting used in examples (single and double quotes, backslash-newline joins).
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case (r == '>' || r == '|') && !inWord:
			return words // a redirection or pipe: the command ends here
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// exampleLines returns the invocations of an Example text, continuation lines
// (ending in a backslash) joined.
func exampleLines(ex string) []string {
	var out []string
	var cur string
	for _, l := range strings.Split(ex, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if strings.HasSuffix(l, "\\") {
			cur += strings.TrimSuffix(l, "\\") + " "
			continue
		}
		out = append(out, cur+l)
		cur = ""
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

// TestHelpTexts checks that every command has a one-line Short, a Long paragraph
// and, if it runs, Examples; and that every example parses: its words name a
// command, every flag exists on that command with a valid value, required flags are
// given and the positional arguments are accepted.
func TestHelpTexts(t *testing.T) {
	root := NewRootCmd(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	root.InitDefaultCompletionCmd()
	n := 0
	walk(root, func(c *cobra.Command) {
		n++
		path := c.CommandPath()
		if c.Short == "" || strings.Contains(c.Short, "\n") {
			t.Errorf("%s: Short %q is not one line", path, c.Short)
		}
		if strings.HasSuffix(c.Short, ".") {
			t.Errorf("%s: Short %q ends in a full stop", path, c.Short)
		}
		if len(strings.Fields(c.Long)) < 8 {
			t.Errorf("%s: Long %q is not a paragraph", path, c.Long)
		}
		if c.Runnable() && !c.HasSubCommands() && c.Example == "" {
			t.Errorf("%s: no Example", path)
		}
	})
	if n < 25 {
		t.Errorf("walked %d commands; the tree has more", n)
	}

	// Examples, each parsed by a fresh tree so that flag values do not carry over.
	walk(root, func(c *cobra.Command) {
		for _, line := range exampleLines(c.Example) {
			words := shellWords(line)
			if len(words) == 0 || words[0] != "sciadapt" {
				t.Errorf("%s: example %q does not start with sciadapt", c.CommandPath(), line)
				continue
			}
			fresh := NewRootCmd(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
			fresh.InitDefaultCompletionCmd()
			target, rest, err := fresh.Find(words[1:])
			if err != nil {
				t.Errorf("%s: example %q: %v", c.CommandPath(), line, err)
				continue
			}
			if err := target.ParseFlags(rest); err != nil {
				t.Errorf("%s: example %q: %v", c.CommandPath(), line, err)
				continue
			}
			if err := target.ValidateRequiredFlags(); err != nil {
				t.Errorf("%s: example %q: %v", c.CommandPath(), line, err)
			}
			if err := target.ValidateArgs(target.Flags().Args()); err != nil {
				t.Errorf("%s: example %q: %v", c.CommandPath(), line, err)
			}
		}
	})
}

// TestCompletion checks that the completion scripts are there and that completion
// offers the commands (bash and zsh scripts ask the binary, via __complete).
func TestCompletion(t *testing.T) {
	for _, sh := range []struct{ name, want string }{
		{"bash", "__start_sciadapt"},
		{"zsh", "#compdef sciadapt"},
		{"fish", "complete -c sciadapt"},
	} {
		code, out, stderr := run(t, "completion", sh.name)
		if code != 0 || !strings.Contains(out, sh.want) {
			t.Errorf("completion %s: exit %d, script lacks %q (stderr %q)", sh.name, code, sh.want, stderr)
		}
	}
	code, out, _ := run(t, "__complete", "")
	for _, want := range []string{"add-element", "temperature-tune", "transfer", "demo"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("completion of the first word lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run(t, "__complete", "demo", "--scen")
	if code != 0 || !strings.Contains(out, "--scenario") {
		t.Errorf("completion of demo flags lacks --scenario:\n%s", out)
	}
}

// TestErrorLines checks that bad input and misuse end with one line on stderr that
// names the problem, and the documented exit codes (1 bad input, 2 usage).
func TestErrorLines(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"train", "potential", "--data", "missing.h5", "--out", "x.model"}, ExitBadInput, "missing.h5: no such file"},
		{[]string{"eval", "--model", "missing.model", "--data", "x.h5"}, ExitBadInput, "missing.model: no such file"},
		{[]string{"transfer", "--base", "missing.model", "--data", "x.h5", "--out", "y"}, ExitBadInput, "missing.model: no such file"},
		{[]string{"add-element", "--base", "b.model", "--element", "Xx", "--data", "a.h5", "--out", "b"}, ExitUsage, "--element"},
		{[]string{"temperature-tune", "--base", "b", "--temperature", "20Q", "--data", "d", "--out", "o"}, ExitUsage, "use C, K, R or F"},
		{[]string{"demo", "--scenario", "everything"}, ExitUsage, "want potentials, constitutive, dti or all"},
		{[]string{"demo", "--points", "1"}, ExitUsage, "--points must be between 2 and 25"},
		{[]string{"train", "potential", "--data", "a.h5"}, ExitUsage, `required flag(s) "out" not set`},
		{[]string{"plan", "--no-such-flag"}, ExitUsage, `unknown flag: --no-such-flag (see "sciadapt plan --help")`},
		{[]string{"completion", "tcsh"}, ExitUsage, "tcsh"},
	} {
		code, _, stderr := run(t, c.args...)
		if code != c.code || !strings.HasPrefix(stderr, "sciadapt: ") || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and one line with %q", c.args, code, stderr, c.code, c.want)
		}
	}
}
