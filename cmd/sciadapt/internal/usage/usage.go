// Package usage marks the errors that are misuses of the sciadapt command line
// (a flag out of range, a missing argument, an output that is also an input),
// which the command maps to exit code 2, apart from bad input files and other
// failures (exit code 1).
package usage

import "fmt"

// Error is a misuse of the command line; errors.As finds it in a chain.
type Error struct{ err error }

func (e Error) Error() string { return e.err.Error() }
func (e Error) Unwrap() error { return e.err }

// Errorf returns an Error with a message formatted as by fmt.Errorf.
func Errorf(format string, args ...any) error {
	return Error{fmt.Errorf(format, args...)}
}
