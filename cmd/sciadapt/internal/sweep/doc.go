// Package sweep expands a grid or a list of sciadapt adaptations (add-element,
// temperature-tune, transfer) into named jobs, runs them on this machine or as one
// Slurm job array, and gathers their reports into one table.
//
// # Spec
//
// A sweep is a JSON object with a command, the flags every job gets, and either a
// grid of flag values or an explicit list of jobs:
//
//	{"command": "add-element",
//	 "args": {"base": "hcn.model", "data": "o_train.h5", "test": "o_test.h5"},
//	 "grid": {"element": ["O"], "frames": [10, 50], "seed": [1, 2, 3]}}
//
// A grid of axes with n₁, n₂, … values has n₁·n₂·… jobs, taken as nested loops over
// the axes in the order written, the last innermost. Job names join the command and
// the varying flags, "add-element_element=O_frames=10_seed=1"; characters other than
// letters, digits and ._=+,- become '-'. Values are passed to the command as
// "--name=value" (strings unquoted, numbers as written), so relative paths resolve
// against the directory the jobs run in.
//
// # Directory
//
// A sweep writes into one directory DIR:
//
//	DIR/spec.json                the spec (a copy of the file given)
//	DIR/jobs/<name>/job.json     the command and flags the job ran with
//	DIR/jobs/<name>/log          the job's standard output and error
//	DIR/jobs/<name>/report.json  its --report, written atomically by the command
//	DIR/jobs/<name>/out.adapter  its --out
//	DIR/slurm/                   the batch script, task list and Slurm task output
//	DIR/sweep.csv, sweep.json    the gathered table
//
// A job has finished when its job.json records the flags the spec asks for now and
// its report.json is a JSON object with the keys every report carries
// (trainable_parameters, total_parameters and seconds). Running a sweep again runs only the jobs that have not finished,
// so an interrupted sweep resumes and a grid can be extended in place.
//
// # Table
//
// The table has one row per job in job order: the job name, its status, the varying
// flags, then every report value (nested objects flattened with "."), each exactly
// as its report wrote it. Wall-clock "seconds" is left out, so the table depends only
// on the results: the local and Slurm executors give byte-identical tables.
// Summaries reduces the table to figures: the command's headline metric (stress
// RMSE, force MAE, AUROC …) against each numeric flag, averaged over seeds.
package sweep
