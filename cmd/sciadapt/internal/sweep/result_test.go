package sweep

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestResultSummaryAndErr(t *testing.T) {
	jobs := []Job{{Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "d"}}
	r := &Result{Jobs: jobs, CSVPath: "s/sweep.csv", JSONPath: "s/sweep.json", Failures: []Failure{
		{Job: jobs[1], Reason: "exit code 1", Started: true, Log: "s/jobs/b/log", Tail: "line 1\nline 2"},
		{Job: jobs[2], Reason: "never started"},
	}}
	var out, errs bytes.Buffer
	r.WriteSummary(&out)
	if got := out.String(); got != "wrote s/sweep.csv and s/sweep.json: 4 jobs, 2 finished, 1 failed, 1 not run\n" {
		t.Errorf("summary %q", got)
	}
	err := r.Err("s", &errs)
	if err == nil || err.Error() != "2 of 4 jobs failed: b, c (logs in s/jobs/<name>/log; run the same command again to retry only these)" {
		t.Errorf("error %v", err)
	}
	if want := "job b failed: exit code 1; s/jobs/b/log ends:\n    line 1\n    line 2\njob c failed: never started and left no log (see the Slurm task output in s/slurm)\n"; errs.String() != want {
		t.Errorf("failures written\n%q\nwant\n%q", errs.String(), want)
	}
	r.RunErr = errors.New("interrupted")
	if err := r.Err("s", &errs); err == nil || !strings.HasPrefix(err.Error(), "sweep stopped: interrupted") {
		t.Errorf("with a run error: %v", err)
	}
	if err := (&Result{Jobs: jobs}).Err("s", &errs); err != nil {
		t.Errorf("no failure: %v", err)
	}
}
