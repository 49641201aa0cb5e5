// Package imports runs the conversions of the import command: it turns the
// command line's inputs (files, glob patterns, SPLIT=FILE and SPECIES=FILE
// arguments, unit names) into calls of each format's importer in the domain
// packages (datasets, constitutive/curves, bio/dtidata), writes the output file
// and prints what was read and written, with the domain's summaries. Misuses of
// the command line are usage.Error values (exit code 2); bad input files are
// errors that name them (exit code 1). Nothing is written unless the whole import
// succeeded.
package imports
