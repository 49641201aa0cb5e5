package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime/debug"
	"strings"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/usage"
)

// Exit codes of the sciadapt command; see the package documentation.
const (
	ExitOK       = 0
	ExitBadInput = 1
	ExitUsage    = 2
	ExitInternal = 3
)

// usageError marks an error as a misuse of the command line (exit code 2).
type usageError = usage.Error

// usagef returns a usage error (exit code 2) with a formatted message.
func usagef(format string, args ...any) error { return usage.Errorf(format, args...) }

// exitCode maps an error returned by a command to the documented exit code.
func exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var u usageError
	if errors.As(err, &u) || isCobraUsage(err) {
		return ExitUsage
	}
	return ExitBadInput
}

// isCobraUsage reports whether err is one of cobra's own command-line parsing errors,
// which cobra returns as plain strings.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{
		"unknown command", "unknown flag", "unknown shorthand flag",
		"required flag(s)", "flag needs an argument", "invalid argument",
		"accepts ", "requires at least", "requires at most", "if any flags in the group",
	} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

// printError writes err as one line on w, prefixed with the program name. A bare
// file-system error ("open x.h5: no such file or directory") is shortened to the
// file and the problem.
func printError(w io.Writer, err error) {
	var pe *fs.PathError
	if errors.As(err, &pe) && error(pe) == err {
		err = fmt.Errorf("%s: %v", pe.Path, pe.Err)
	}
	msg := strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "; ")
	fmt.Fprintf(w, "sciadapt: %s\n", msg)
}

// recoverInternal turns a panic into exit code 3 with a short report and the stack.
func recoverInternal(w io.Writer, code *int) {
	if r := recover(); r != nil {
		fmt.Fprintf(w, "sciadapt: internal error: %v\n", r)
		fmt.Fprintf(w, "this is a bug in sciadapt; please report it with the command you ran and this trace:\n%s", debug.Stack())
		*code = ExitInternal
	}
}
