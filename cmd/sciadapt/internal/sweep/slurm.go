package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sciadapt/sciadapt/internal/atomicfile"
)

// Files of the Slurm executor, in DIR/slurm/.
const (
	SlurmDir    = "slurm"      // DIR/slurm/
	TasksFile   = "tasks.json" // which jobs each array task runs
	ScriptFile  = "sweep.sh"   // the batch script
	DefaultPoll = 10 * time.Second
)

// DefaultPerTask is the number of jobs an array task runs when Slurm.PerTask is 0.
// A job costs about half a second of start-up and scheduling; four per task keep
// that small beside the work without making tasks long.
const DefaultPerTask = 4

// Slurm runs jobs as ONE Slurm job array: it writes DIR/slurm/sweep.sh, submits it
// with "sbatch --parsable --array=0-N%M", and waits (polling squeue) until the array
// has left the queue. Array task i runs jobs i·K … i·K+K−1 of the pending jobs with
// "sciadapt sweep run-task --out DIR --task-index $SLURM_ARRAY_TASK_ID", so DIR and
// the binary must be on storage that every node sees.
type Slurm struct {
	// Binary is the sciadapt executable the tasks run; "" means this process's.
	Binary string
	// PerTask is the number K of jobs per array task; 0 means DefaultPerTask.
	PerTask int
	// MaxRunning limits the array tasks running at once (the %M of --array); 0 is
	// no limit.
	MaxRunning int
	// SbatchFlags are passed to sbatch before the script, such as
	// "--partition=short" or "--time=00:30:00".
	SbatchFlags []string
	// Workdir is the directory the tasks run in, against which relative paths in
	// the spec resolve; "" means the current directory.
	Workdir string
	// Poll is the time between two squeue calls; 0 means DefaultPoll.
	Poll time.Duration
	// Progress, if not nil, receives the job id and a line when the counts of
	// pending and running tasks change.
	Progress io.Writer
}

var _ Executor = (*Slurm)(nil)

// taskList is what DIR/slurm/tasks.json holds.
type taskList struct {
	PerTask int      `json:"per_task"`
	Jobs    []string `json:"jobs"`
}

// Run submits the jobs as one array and waits for it. It returns an error if
// sbatch fails or squeue keeps failing; jobs that failed inside the array are not
// errors here (see Failures). If ctx is cancelled while waiting, the array is
// cancelled with scancel.
func (sl *Slurm) Run(ctx context.Context, dir string, s *Spec, jobs []Job) error {
	if len(jobs) == 0 {
		return nil
	}
	k := sl.PerTask
	if k <= 0 {
		k = DefaultPerTask
	}
	bin := sl.Binary
	if bin == "" {
		var err error
		if bin, err = os.Executable(); err != nil {
			return fmt.Errorf("slurm: cannot find the sciadapt binary: %v", err)
		}
	}
	if st, err := os.Stat(bin); err != nil || st.IsDir() {
		return fmt.Errorf("slurm: the sciadapt binary %s is not a file the tasks can run", bin)
	}
	wd := sl.Workdir
	if wd == "" {
		var err error
		if wd, err = os.Getwd(); err != nil {
			return err
		}
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	// Two arrays working on one directory would run the same jobs twice, and the
	// earlier one would read the later one's task list.
	name := SlurmJobName(absDir)
	out, err := command(ctx, "squeue", "--noheader", "--name="+name, "--format=%i")
	if err != nil {
		return fmt.Errorf("squeue: %v", err)
	}
	if ids := baseIDs(out); len(ids) > 0 {
		return fmt.Errorf("Slurm job %s, an earlier submission of this sweep (%s), is still in the queue; wait for it to end (or scancel it) and run again",
			strings.Join(ids, ", "), name)
	}
	sd := filepath.Join(absDir, SlurmDir)
	if err := os.MkdirAll(sd, 0o755); err != nil {
		return err
	}
	tl := taskList{PerTask: k}
	for _, j := range jobs {
		tl.Jobs = append(tl.Jobs, j.Name)
	}
	if err := writeJSON(filepath.Join(sd, TasksFile), tl); err != nil {
		return err
	}
	script := filepath.Join(sd, ScriptFile)
	body := fmt.Sprintf("#!/bin/sh\n# Written by sciadapt sweep: array task i runs jobs i*%d ... i*%d+%d of %s.\nexec %s sweep run-task --out %s --task-index \"$SLURM_ARRAY_TASK_ID\"\n",
		k, k, k-1, filepath.Join(sd, TasksFile), quote(bin), quote(absDir))
	if err := atomicfile.Write(script, func(w io.Writer) error {
		_, err := io.WriteString(w, body)
		return err
	}); err != nil {
		return err
	}
	if err := os.Chmod(script, 0o755); err != nil {
		return err
	}
	ntask := (len(jobs) + k - 1) / k
	array := fmt.Sprintf("0-%d", ntask-1)
	if sl.MaxRunning > 0 {
		array += fmt.Sprintf("%%%d", sl.MaxRunning)
	}
	args := []string{"--parsable", "--array=" + array, "--job-name=" + name,
		"--output=" + filepath.Join(sd, "%A_%a.out"), "--chdir=" + wd}
	args = append(append(args, sl.SbatchFlags...), script)
	out, err = command(ctx, "sbatch", args...)
	if err != nil {
		hint := ""
		if ntask > 1000 {
			hint = fmt.Sprintf(" (%d array tasks may exceed the cluster's MaxArraySize, 1001 by default; raise --per-task)", ntask)
		}
		return fmt.Errorf("sbatch %s: %v%s", strings.Join(quoteAll(args), " "), err, hint)
	}
	id, _, _ := strings.Cut(strings.TrimSpace(out), ";")
	if id == "" || strings.ContainsAny(id, " \n") {
		return fmt.Errorf("sbatch --parsable printed %q, not a job id", out)
	}
	if sl.Progress != nil {
		fmt.Fprintf(sl.Progress, "submitted Slurm job array %s: %d jobs in %d tasks of up to %d; task output in %s\n",
			id, len(jobs), ntask, k, filepath.Join(sd, id+"_<task>.out"))
	}
	if err := sl.wait(ctx, id); err != nil {
		return err
	}
	// A task that never started a job (a missing binary, a node without DIR) leaves
	// no job log; show its Slurm output instead.
	if sl.Progress != nil {
		for t := 0; t < ntask; t++ {
			silent := false
			for _, j := range jobs[t*k : min((t+1)*k, len(jobs))] {
				if ok, _ := Check(dir, s, j); ok {
					continue
				}
				if _, err := os.Stat(filepath.Join(JobDir(dir, j), LogFile)); err != nil {
					silent = true
				}
			}
			if silent {
				out := filepath.Join(sd, fmt.Sprintf("%s_%d.out", id, t))
				b, err := os.ReadFile(out)
				if err != nil {
					fmt.Fprintf(sl.Progress, "array task %d left no job log and no output (%s): %v\n", t, out, err)
				} else {
					fmt.Fprintf(sl.Progress, "array task %d left no job log; %s ends:\n%s\n", t, out, indent(tail(b, TailLines)))
				}
			}
		}
	}
	return nil
}

// wait polls squeue until job id has left the queue.
func (sl *Slurm) wait(ctx context.Context, id string) error {
	poll := sl.Poll
	if poll <= 0 {
		poll = DefaultPoll
	}
	last, fails := "", 0
	for {
		out, err := command(ctx, "squeue", "--noheader", "--array", "--jobs="+id, "--format=%T")
		if ctx.Err() != nil {
			command(context.Background(), "scancel", id)
			return fmt.Errorf("cancelled Slurm job %s: %v", id, ctx.Err())
		}
		switch {
		case err != nil && strings.Contains(err.Error(), "Invalid job id"):
			return nil // purged from the controller's memory: finished
		case err != nil:
			if fails++; fails >= 6 {
				return fmt.Errorf("squeue for job %s failed %d times in a row: %v", id, fails, err)
			}
		default:
			fails = 0
			states := strings.Fields(out)
			if len(states) == 0 {
				return nil
			}
			count := map[string]int{}
			for _, st := range states {
				count[st]++
			}
			var parts []string
			for st, n := range count {
				parts = append(parts, fmt.Sprintf("%d %s", n, strings.ToLower(st)))
			}
			sort.Strings(parts)
			line := strings.Join(parts, ", ")
			if line != last && sl.Progress != nil {
				fmt.Fprintf(sl.Progress, "Slurm job %s: %s\n", id, line)
			}
			last = line
		}
		select {
		case <-ctx.Done():
			command(context.Background(), "scancel", id)
			return fmt.Errorf("cancelled Slurm job %s: %v", id, ctx.Err())
		case <-time.After(poll):
		}
	}
}

// SlurmJobName returns the Slurm job name of a sweep's array,
// "sciadapt-sweep-" and 8 hexadecimal digits of a hash of the absolute path of
// the sweep directory dir, so that a submission can see an earlier one still
// queued.
func SlurmJobName(dir string) string {
	h := fnv.New32a()
	h.Write([]byte(dir))
	return fmt.Sprintf("sciadapt-sweep-%08x", h.Sum32())
}

// baseIDs returns the distinct job ids in squeue's %i output ("12_[0-3]", "12_4",
// "13"), without the array task part, in order.
func baseIDs(out string) []string {
	var ids []string
	seen := map[string]bool{}
	for _, f := range strings.Fields(out) {
		id, _, _ := strings.Cut(f, "_")
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

// command runs name with args and returns its standard output; its error includes
// the standard error.
func command(ctx context.Context, name string, args ...string) (string, error) {
	var out, errb bytes.Buffer
	c := exec.CommandContext(ctx, name, args...)
	c.Stdout, c.Stderr = &out, &errb
	if err := c.Run(); err != nil {
		if msg := strings.TrimSpace(errb.String()); msg != "" {
			return out.String(), fmt.Errorf("%v: %s", err, msg)
		}
		return out.String(), err
	}
	return out.String(), nil
}

// RunTask runs array task index of the sweep in dir: the jobs DIR/slurm/tasks.json
// assigns to it, one after the other, skipping those already finished. It returns
// an error naming the jobs that failed.
func RunTask(ctx context.Context, dir string, index int, run Runner, log io.Writer) error {
	s, err := ReadSpec(filepath.Join(dir, SpecFile))
	if err != nil {
		return err
	}
	all, err := s.Expand()
	if err != nil {
		return err
	}
	path := filepath.Join(dir, SlurmDir, TasksFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var tl taskList
	if err := json.Unmarshal(b, &tl); err != nil || tl.PerTask < 1 {
		return fmt.Errorf("%s: not a task list written by sciadapt sweep", path)
	}
	n := (len(tl.Jobs) + tl.PerTask - 1) / tl.PerTask
	if index < 0 || index >= n {
		return fmt.Errorf("%s: task index %d out of range: the list has tasks 0 to %d", path, index, n-1)
	}
	byName := map[string]Job{}
	for _, j := range all {
		byName[j.Name] = j
	}
	var failed []string
	for _, name := range tl.Jobs[index*tl.PerTask : min((index+1)*tl.PerTask, len(tl.Jobs))] {
		j, ok := byName[name]
		if !ok {
			return fmt.Errorf("%s: job %s is not in %s", path, name, filepath.Join(dir, SpecFile))
		}
		if done, _ := Check(dir, s, j); done {
			fmt.Fprintf(log, "skip %s: finished earlier\n", name)
			continue
		}
		start := time.Now()
		err := RunJob(ctx, dir, s, j, run)
		if done, reason := Check(dir, s, j); !done {
			if err == nil {
				err = errors.New(reason)
			}
			failed = append(failed, name)
			fmt.Fprintf(log, "FAILED %s (%.1f s): %v; log %s\n", name, time.Since(start).Seconds(), err, filepath.Join(JobDir(dir, j), LogFile))
			continue
		}
		fmt.Fprintf(log, "done %s (%.1f s)\n", name, time.Since(start).Seconds())
	}
	if len(failed) > 0 {
		return fmt.Errorf("task %d: %d job(s) failed: %s", index, len(failed), strings.Join(failed, ", "))
	}
	return nil
}

// WriteSpec copies the spec file's bytes to DIR/spec.json, creating DIR.
func WriteSpec(dir string, spec []byte) error {
	if err := os.MkdirAll(filepath.Join(dir, JobsDir), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, SpecFile), func(w io.Writer) error {
		_, err := w.Write(spec)
		return err
	})
}

func writeJSON(path string, v any) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

// indent prefixes each line of s with four spaces.
func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
