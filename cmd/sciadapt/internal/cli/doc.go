// Package cli holds the sciadapt command tree: one file per command, each with an
// Options struct, a NewCmdX constructor and a runX function that tests call directly.
// The command line parses flags into options, calls one function and prints; no
// science lives here. The protocols are in the domain packages (bio.Protocol for
// transfer, constitutive.TuneToSpecimen for temperature-tune, potentials.Fit for
// train potential), each model's memory estimate beside the model, the file
// formats' defaults in datasets; the rest of the application is in its sibling
// packages demo, figures (--plot) and sweep. Reports are typed structs written by
// writeReport.
//
// Exit codes, mapped in one place (Main):
//
//	0  success
//	1  bad input: a file, a value or a combination the user can fix
//	2  usage: an unknown command or flag, a missing required flag
//	3  internal error: a bug in sciadapt (a recovered panic); please report it
package cli
