// Package cli holds the sciadapt command tree: one file per command, each with an
// Options struct, a NewCmdX constructor and a runX function that tests call directly.
// The command line parses, wires and prints; no science lives here.
//
// Exit codes, mapped in one place (Main):
//
//	0  success
//	1  bad input: a file, a value or a combination the user can fix
//	2  usage: an unknown command or flag, a missing required flag
//	3  internal error: a bug in sciadapt (a recovered panic); please report it
package cli
