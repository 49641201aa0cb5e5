package sweep

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// WriteSummary writes the summary figures as text, then where the table went and
// how many jobs finished, failed and never ran.
func (r *Result) WriteSummary(w io.Writer) {
	for _, f := range r.Figures {
		f.WriteText(w)
	}
	fmt.Fprintf(w, "wrote %s and %s: %d jobs, %d finished, %d failed", r.CSVPath, r.JSONPath, len(r.Jobs), len(r.Jobs)-len(r.Failures), len(r.Failures)-r.NotRun())
	if r.NotRun() > 0 {
		fmt.Fprintf(w, ", %d not run", r.NotRun())
	}
	fmt.Fprintln(w)
}

// Err returns the sweep's error: the executor's, or one naming the failed jobs
// and where their logs are, after writing each failure with the tail of its log
// to w. It returns nil when every job finished. dir is the sweep directory.
func (r *Result) Err(dir string, w io.Writer) error {
	if r.RunErr != nil {
		return fmt.Errorf("sweep stopped: %v (run the same command again to resume)", r.RunErr)
	}
	if len(r.Failures) == 0 {
		return nil
	}
	names := make([]string, len(r.Failures))
	for i, f := range r.Failures {
		names[i] = f.Job.Name
		if f.Log == "" {
			fmt.Fprintf(w, "job %s failed: %s and left no log (see the Slurm task output in %s)\n", f.Job.Name, f.Reason, filepath.Join(dir, SlurmDir))
			continue
		}
		fmt.Fprintf(w, "job %s failed: %s; %s ends:\n    %s\n", f.Job.Name, f.Reason, f.Log, strings.ReplaceAll(f.Tail, "\n", "\n    "))
	}
	return fmt.Errorf("%d of %d jobs failed: %s (logs in %s; run the same command again to retry only these)",
		len(r.Failures), len(r.Jobs), strings.Join(names, ", "), filepath.Join(dir, JobsDir, "<name>", LogFile))
}
