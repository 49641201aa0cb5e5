// Package cli holds the sciadapt command tree: one file per command, each with an
// Options struct, a NewCmdX constructor (its help and flags) and a runX function
// that tests call directly. A command parses flags into options, calls one
// function and prints; no science lives here. The protocols are in the domain
// packages (bio.OpenProtocol and Protocol for transfer, bio.NewBase for train dti,
// constitutive.TuneToSpecimen for temperature-tune, potentials.Fit for train
// potential, potentials.RunMD and Relax for md and relax, the EvaluateFile of each
// domain for eval), each with its typed report and its summaries; each model's
// memory estimate sits beside the model, each file format's defaults and
// summaries with its importer. The rest of the application is in its sibling
// packages: demo, figures (--plot), imports (the conversions of import), sweep,
// paths (file arguments: globs, NAME=FILE, outputs) and usage (the errors of
// exit code 2). Reports are written by writeReport.
//
// Exit codes, mapped in one place (Main):
//
//	0  success
//	1  bad input: a file, a value or a combination the user can fix
//	2  usage: an unknown command or flag, a missing required flag
//	3  internal error: a bug in sciadapt (a recovered panic); please report it
package cli
