// Package progress reports the progress of the long steps of a sciadapt command
// (training epochs, L-BFGS evaluations, imports) on a diagnostic stream, normally
// standard error, so that standard output carries only results.
//
// A Reporter is made by New from Options that say how to report:
//
//   - Quiet: nothing at all (no bar, no notes); results and errors are the
//     command's business and still appear.
//   - JSON: one JSON object per line per event, for machines:
//     {"event":"start","command":"train potential","label":"epochs","total":100}
//     {"event":"epoch","command":"train potential","label":"epochs","epoch":3,"loss":0.0123,"seconds":4.2}
//     {"event":"note","command":"train potential","message":"training on 200 frames"}
//     {"event":"done","command":"train potential","label":"epochs","steps":100,"seconds":130.5}
//     Keys appear in that order, extra fields (Fields.Extra) after them sorted by
//     name; a NaN or infinite number is written as null. "seconds" of an epoch is
//     what the caller passed (time since the step started); of "done", the time
//     between Start and Done by the Options' clock.
//   - Terminal: a progress bar (github.com/schollz/progressbar/v3) redrawn in place,
//     with notes printed above it.
//   - otherwise (a file or a pipe): plain lines, a note per line and an epoch line
//     at the first step, every tenth, the one at the total and the last; never a
//     bar or a carriage return.
//
// A quiet or JSON setting wins over the terminal. Reporters are not safe for
// concurrent use; a command reports from one goroutine.
package progress
