package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sciadapt/sciadapt/internal/atomicfile"
)

// File names inside a sweep directory DIR.
const (
	SpecFile   = "spec.json"   // DIR/spec.json: the spec the jobs were expanded from
	JobsDir    = "jobs"        // DIR/jobs/<name>/: one directory per job
	ReportFile = "report.json" // the job's --report
	LogFile    = "log"         // the job's standard output and error
	JobFile    = "job.json"    // the command and flags the job ran with
	OutFile    = "out.adapter" // the job's --out
)

// notStarted is Check's reason for a job that has never started.
const notStarted = "never started"

// requiredKeys are the keys every sciadapt report carries (DESIGN.md); a report
// lacking one is incomplete and its job runs again.
var requiredKeys = []string{"trainable_parameters", "total_parameters", "seconds"}

// Runner runs one sciadapt command line (args without the program name, such as
// ["temperature-tune", "--base=al.model", ...]) writing its output to stdout and
// stderr, and returns an error if the command failed.
type Runner func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// Executor runs the jobs of a sweep whose spec is in dir. Run returns an error only
// when the executor itself fails (a submission refused, say); whether each job
// succeeded is read afterwards from its report (see Check), never from exit codes.
type Executor interface {
	Run(ctx context.Context, dir string, spec *Spec, jobs []Job) error
}

// JobDir returns DIR/jobs/<name>.
func JobDir(dir string, j Job) string { return filepath.Join(dir, JobsDir, j.Name) }

// Args returns the full command line of job j in sweep directory dir: the command,
// its flags, and --out and --report inside the job's directory.
func Args(dir string, s *Spec, j Job) []string {
	jd := JobDir(dir, j)
	args := append([]string{s.Command}, j.Flags...)
	return append(args, "--out="+filepath.Join(jd, OutFile), "--report="+filepath.Join(jd, ReportFile))
}

// jobRecord is what DIR/jobs/<name>/job.json holds.
type jobRecord struct {
	Command string   `json:"command"`
	Flags   []string `json:"flags"`
}

// Check reports whether job j of dir has finished: its job.json records the same
// command and flags as the spec asks for now, and its report.json is a JSON object
// with the keys every report carries (requiredKeys). If not, reason says why, in a few words.
func Check(dir string, s *Spec, j Job) (done bool, reason string) {
	jd := JobDir(dir, j)
	b, err := os.ReadFile(filepath.Join(jd, JobFile))
	if errors.Is(err, os.ErrNotExist) {
		return false, notStarted
	}
	var rec jobRecord
	if err != nil || json.Unmarshal(b, &rec) != nil {
		return false, "unreadable " + JobFile
	}
	if rec.Command != s.Command || !slices.Equal(rec.Flags, j.Flags) {
		return false, "ran with other flags"
	}
	b, err = os.ReadFile(filepath.Join(jd, ReportFile))
	if errors.Is(err, os.ErrNotExist) {
		return false, "wrote no " + ReportFile
	}
	if err != nil {
		return false, err.Error()
	}
	var r map[string]json.RawMessage
	if err := json.Unmarshal(b, &r); err != nil {
		return false, ReportFile + " is not a JSON object"
	}
	for _, k := range requiredKeys {
		if _, ok := r[k]; !ok {
			return false, ReportFile + " lacks " + k
		}
	}
	return true, ""
}

// Pending returns the jobs of dir that have not finished (see Check), in order.
func Pending(dir string, s *Spec, jobs []Job) []Job {
	var p []Job
	for _, j := range jobs {
		if ok, _ := Check(dir, s, j); !ok {
			p = append(p, j)
		}
	}
	return p
}

// RunJob runs job j of dir with run: it records the job's command and flags in
// job.json, removes an earlier report, and runs the command with its output in the
// job's log. It returns the command's error.
func RunJob(ctx context.Context, dir string, s *Spec, j Job, run Runner) (err error) {
	jd := JobDir(dir, j)
	if err := os.MkdirAll(jd, 0o755); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(jd, ReportFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	rec, _ := json.MarshalIndent(jobRecord{s.Command, j.Flags}, "", "  ")
	if err := atomicfile.Write(filepath.Join(jd, JobFile), func(w io.Writer) error {
		_, err := w.Write(append(rec, '\n'))
		return err
	}); err != nil {
		return err
	}
	log, err := os.Create(filepath.Join(jd, LogFile))
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			fmt.Fprintf(log, "sciadapt sweep: job %s failed: %v\n", j.Name, err)
		}
		if cerr := log.Close(); err == nil {
			err = cerr
		}
	}()
	args := Args(dir, s, j)
	fmt.Fprintf(log, "sciadapt sweep: job %s: sciadapt %s\n", j.Name, strings.Join(quoteAll(args), " "))
	w := &syncWriter{w: log}
	return run(ctx, args, w, w)
}

func quoteAll(ss []string) []string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = quote(s)
	}
	return q
}

// syncWriter serialises writes from a command's stdout and stderr into one file.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// Local runs jobs on this machine, Workers at a time.
type Local struct {
	// Workers is the number of jobs run at once; 0 means DefaultWorkers().
	Workers int
	// Runner runs one job's command line.
	Runner Runner
	// Progress, if not nil, receives one line per finished job.
	Progress io.Writer
}

var _ Executor = (*Local)(nil)

// DefaultWorkers returns GOMAXPROCS/2, at least 1.
func DefaultWorkers() int { return max(runtime.GOMAXPROCS(0)/2, 1) }

// Run runs the jobs with a pool of workers, in job order as workers free up. A job
// that fails does not stop the others. It returns ctx.Err() if ctx is cancelled
// before every job has started.
func (l *Local) Run(ctx context.Context, dir string, s *Spec, jobs []Job) error {
	n := l.Workers
	if n <= 0 {
		n = DefaultWorkers()
	}
	next := make(chan Job)
	var wg sync.WaitGroup
	var mu sync.Mutex
	finished := 0
	for w := 0; w < min(n, len(jobs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				start := time.Now()
				err := RunJob(ctx, dir, s, j, l.Runner)
				mu.Lock()
				finished++
				if l.Progress != nil {
					status := "done"
					if err != nil {
						status = "FAILED"
					}
					fmt.Fprintf(l.Progress, "[%d/%d] %s %s (%.1f s)\n", finished, len(jobs), status, j.Name, time.Since(start).Seconds())
				}
				mu.Unlock()
			}
		}()
	}
	var err error
feed:
	for _, j := range jobs {
		select {
		case next <- j:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	return err
}

// Failure describes a job that has not finished after a run.
type Failure struct {
	Job    Job
	Reason string // why its report is missing or incomplete, in a few words
	// Started is false for a job that never started (it has no job.json).
	Started bool
	Log     string // the job's log file, or "" if it never started
	Tail    string // the last lines of the log
}

// TailLines is how many lines of a failed job's log Failures returns.
const TailLines = 10

// Failures returns the jobs of dir that have not finished, with their logs' tails.
func Failures(dir string, s *Spec, jobs []Job) []Failure {
	var fs []Failure
	for _, j := range jobs {
		ok, reason := Check(dir, s, j)
		if ok {
			continue
		}
		f := Failure{Job: j, Reason: reason, Started: reason != notStarted}
		log := filepath.Join(JobDir(dir, j), LogFile)
		if b, err := os.ReadFile(log); err == nil {
			f.Log, f.Tail = log, tail(b, TailLines)
		}
		fs = append(fs, f)
	}
	return fs
}

// tail returns the last n lines of b.
func tail(b []byte, n int) string {
	b = bytes.TrimRight(b, "\n")
	lines := bytes.Split(b, []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
