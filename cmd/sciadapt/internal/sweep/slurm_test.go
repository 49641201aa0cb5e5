package sweep_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/cli"
	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/sweep"
)

// asSciadapt, set to 1 in the environment, makes this test binary behave as the
// sciadapt command, so that Slurm array tasks can run it.
const asSciadapt = "SCIADAPT_SWEEP_TEST_AS_SCIADAPT"

func TestMain(m *testing.M) {
	if os.Getenv(asSciadapt) == "1" {
		os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func sciadapt(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// constitutiveSweep writes the Al 6061 fixture curves (two specimens at 23 °C, one
// at 200 °C), trains a small base model on them, and writes a sweep spec of six
// temperature-tune jobs: 23 °C and 200 °C × 5, 8 and 500 points. The two jobs
// with 500 points fail (no fixture curve is that long).
func constitutiveSweep(t *testing.T) (spec, data, base string) {
	t.Helper()
	dir := t.TempDir()
	data, base = filepath.Join(dir, "al.h5"), filepath.Join(dir, "al.model")
	fx := filepath.Join("..", "..", "..", "..", "testdata", "constitutive")
	args := []string{"import", "matcal", "--out", data}
	for _, f := range []string{"cleaned_CA-LT-01.csv", "cleaned_NM-LT-03.csv", "cleaned_6061-02-06-200C-LT_first120.csv"} {
		args = append(args, filepath.Join(fx, f))
	}
	if code, _, stderr := sciadapt(t, args...); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	if code, _, stderr := sciadapt(t, "train", "constitutive", "--data", data, "--out", base,
		"--points-per-curve", "40", "--max-iterations", "60"); code != 0 {
		t.Fatalf("train constitutive: %s", stderr)
	}
	spec = filepath.Join(dir, "temps.json")
	s := fmt.Sprintf(`{"command": "temperature-tune",
  "args": {"base": %q, "data": %q, "max-iterations": 30},
  "grid": {"temperature": ["23C", "200C"], "points": [5, 8, 500]}}`, base, data)
	if err := os.WriteFile(spec, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return spec, data, base
}

// checkTable reads DIR/sweep.json and checks it against a temperature-tune run
// outside the sweep with the same flags.
func checkTable(t *testing.T, out, data, base string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "sweep.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal(b, &rows); err != nil {
		t.Fatalf("sweep.json: %v", err)
	}
	want := []string{"ok", "ok", "failed", "ok", "ok", "failed"}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d:\n%s", len(rows), len(want), b)
	}
	for i, r := range rows {
		if st := strings.Trim(string(r["status"]), `"`); st != want[i] {
			t.Errorf("row %d (%s): status %s, want %s", i, r["job"], st, want[i])
		}
	}
	if string(rows[1]["job"]) != `"temperature-tune_temperature=23C_points=8"` || string(rows[1]["points"]) != "8" ||
		string(rows[1]["trainable_parameters"]) != "32" {
		t.Errorf("row 1: %v", rows[1])
	}
	// The table holds the report's numbers digit for digit.
	dir := t.TempDir()
	rep := filepath.Join(dir, "r.json")
	if code, _, stderr := sciadapt(t, "temperature-tune", "--base", base, "--data", data, "--max-iterations", "30",
		"--temperature", "23C", "--points", "8", "--out", filepath.Join(dir, "a.adapter"), "--report", rep); code != 0 {
		t.Fatal(stderr)
	}
	var direct map[string]json.RawMessage
	b, _ = os.ReadFile(rep)
	json.Unmarshal(b, &direct)
	for _, k := range []string{"stress_rmse_mpa", "stress_nrmse", "n_points", "yield_mpa", "specimen"} {
		if string(rows[1][k]) != string(direct[k]) || len(direct[k]) == 0 {
			t.Errorf("%s: table %s, direct run %s", k, rows[1][k], direct[k])
		}
	}
	var rmse float64
	json.Unmarshal(rows[1]["stress_rmse_mpa"], &rmse)
	// The base fits the 23 °C fixtures to about 2 MPa (cli tests); tuning on one
	// specimen must not ruin the other.
	if !(rmse > 0 && rmse < 10) {
		t.Errorf("23 °C tuned stress RMSE on the other specimen %g MPa, want in (0, 10)", rmse)
	}
}

func TestSweepLocalResume(t *testing.T) {
	spec, data, base := constitutiveSweep(t)
	out := filepath.Join(t.TempDir(), "temps")
	code, stdout, stderr := sciadapt(t, "sweep", "--spec", spec, "--out", out, "--jobs", "2")
	if code != cli.ExitBadInput {
		t.Fatalf("sweep with two failing jobs: exit %d, want %d; %s", code, cli.ExitBadInput, stderr)
	}
	for _, s := range []string{
		"job temperature-tune_temperature=23C_points=500 failed: wrote no report.json; " + filepath.Join(out, "jobs", "temperature-tune_temperature=23C_points=500", "log") + " ends:",
		"no curve at 23 °C has 500 points",
		"2 of 6 jobs failed: temperature-tune_temperature=23C_points=500, temperature-tune_temperature=200C_points=500",
	} {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, stderr)
		}
	}
	// The summary: 23 °C has a second specimen to test on, 200 °C has none (null).
	if !strings.Contains(stdout, "stress RMSE on the other specimens (MPa) against points") ||
		!strings.Contains(stdout, "  temperature=23C:  5 → ") || strings.Contains(stdout, "temperature=200C:") {
		t.Errorf("summary in stdout:\n%s", stdout)
	}
	if !strings.Contains(stdout, "6 jobs, 4 finished, 2 failed") {
		t.Errorf("stdout:\n%s", stdout)
	}
	checkTable(t, out, data, base)
	// The summary is drawn too: a readable PNG of the metric against points.
	if f, err := os.Open(filepath.Join(out, "plots", "stress_rmse_mpa_vs_points.png")); err != nil {
		t.Errorf("summary figure: %v", err)
	} else {
		if img, err := png.Decode(f); err != nil || img.Bounds().Dx() < 300 {
			t.Errorf("summary figure: %v", err)
		}
		f.Close()
	}
	first, _ := os.ReadFile(filepath.Join(out, "sweep.csv"))

	// Again: only the two failed jobs run, and the table is the same.
	code, stdout, _ = sciadapt(t, "sweep", "--spec", spec, "--out", out)
	if code != cli.ExitBadInput || !strings.Contains(stdout, "4 finished earlier, 2 to run") || strings.Count(stdout, "] FAILED") != 2 {
		t.Errorf("re-run: exit %d:\n%s", code, stdout)
	}
	if again, _ := os.ReadFile(filepath.Join(out, "sweep.csv")); !bytes.Equal(first, again) {
		t.Errorf("re-run changed the table:\n%s\nthen\n%s", first, again)
	}
}

// TestSlurmMatchesLocal starts a one-node Slurm cluster (slurmctld and slurmd from
// Debian's slurm-wlm, auth/none, a generated slurm.conf), runs the sweep as one job
// array of two jobs per task, and compares the table with the local executor's.
func TestSlurmMatchesLocal(t *testing.T) {
	if testing.Short() {
		t.Skip("slurm test: skipped in -short mode")
	}
	if os.Geteuid() != 0 {
		t.Skip("slurm test: needs root to run slurmctld and slurmd with SlurmUser=root and auth/none")
	}
	bins := map[string]string{}
	for _, n := range []string{"slurmctld", "slurmd", "sinfo", "sbatch", "squeue", "scancel"} {
		p, err := exec.LookPath(n)
		if err != nil {
			if _, serr := os.Stat("/usr/sbin/" + n); serr == nil {
				p, err = "/usr/sbin/"+n, nil
			}
		}
		if err != nil {
			t.Skipf("slurm test: %s not found; install Debian's slurm-wlm (make test does)", n)
		}
		bins[n] = p
	}
	spec, data, base := constitutiveSweep(t)
	startSlurm(t, bins)

	local := filepath.Join(t.TempDir(), "local")
	if code, _, stderr := sciadapt(t, "sweep", "--spec", spec, "--out", local); code != cli.ExitBadInput {
		t.Fatalf("local sweep: exit %d: %s", code, stderr)
	}
	bin, err := filepath.Abs(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(asSciadapt, "1") // sbatch passes the environment on to the tasks
	out := filepath.Join(t.TempDir(), "slurm")
	start := time.Now()
	code, stdout, stderr := sciadapt(t, "sweep", "--spec", spec, "--out", out, "--executor", "slurm",
		"--per-task", "2", "--max-running", "2", "--binary", bin, "--poll", "200ms")
	t.Logf("slurm sweep of 6 jobs in 3 array tasks: %.1f s", time.Since(start).Seconds())
	if code != cli.ExitBadInput || !strings.Contains(stdout, "6 jobs in 3 tasks of up to 2") ||
		!strings.Contains(stderr, "no curve at 200 °C has 500 points") {
		t.Fatalf("slurm sweep: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	// The tasks ran under Slurm: each array task's output lists its jobs.
	outs, _ := filepath.Glob(filepath.Join(out, "slurm", "*_*.out"))
	var all string
	for _, o := range outs {
		b, _ := os.ReadFile(o)
		all += string(b)
	}
	if len(outs) != 3 || strings.Count(all, "done temperature-tune_") != 4 || strings.Count(all, "FAILED temperature-tune_") != 2 {
		t.Errorf("%d task outputs, want 3:\n%s", len(outs), all)
	}
	checkTable(t, out, data, base)
	for _, f := range []string{"sweep.csv", "sweep.json"} {
		a, _ := os.ReadFile(filepath.Join(local, f))
		b, _ := os.ReadFile(filepath.Join(out, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs between the local and Slurm executors:\n%s\n----\n%s", f, a, b)
		}
	}

	// Resubmitting submits only the failed jobs: one task of two.
	code, stdout, _ = sciadapt(t, "sweep", "--spec", spec, "--out", out, "--executor", "slurm",
		"--per-task", "2", "--binary", bin, "--poll", "200ms")
	if code != cli.ExitBadInput || !strings.Contains(stdout, "4 finished earlier, 2 to run") || !strings.Contains(stdout, "2 jobs in 1 tasks") {
		t.Errorf("resubmission: exit %d:\n%s", code, stdout)
	}

	// While an array of this sweep is still queued, a new submission is refused.
	b, err := exec.Command(bins["sbatch"], "--parsable", "--job-name="+sweep.SlurmJobName(out), "--output=/dev/null", "--wrap=sleep 60").Output()
	if err != nil {
		t.Fatalf("sbatch a blocking job: %v", err)
	}
	id := strings.TrimSpace(string(b))
	code, _, stderr = sciadapt(t, "sweep", "--spec", spec, "--out", out, "--executor", "slurm", "--binary", bin)
	if want := "Slurm job " + id + ", an earlier submission of this sweep (" + sweep.SlurmJobName(out) + "), is still in the queue"; code != cli.ExitBadInput || !strings.Contains(stderr, want) {
		t.Errorf("submission beside a queued one: exit %d, stderr %q; want it to mention %q", code, stderr, want)
	}
	exec.Command(bins["scancel"], id).Run()

	// Cancelling the submitter while it waits cancels the array (scancel): tasks
	// that would run for a minute leave the queue at once.
	dir := t.TempDir()
	sleeper := filepath.Join(dir, "sleeper")
	os.WriteFile(sleeper, []byte("#!/bin/sh\nsleep 60\n"), 0o755)
	s, _ := sweep.ParseSpec([]byte(`{"command": "transfer", "grid": {"seed": [1, 2]}}`))
	jobs, _ := s.Expand()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	progress := &cancelOn{text: "2 running", cancel: cancel}
	start = time.Now()
	err = (&sweep.Slurm{Binary: sleeper, PerTask: 1, Poll: 100 * time.Millisecond, Progress: progress}).Run(ctx, dir, s, jobs)
	if err == nil || !strings.Contains(err.Error(), "cancelled Slurm job") || !strings.Contains(progress.String(), "2 running") {
		t.Fatalf("cancelled run: %v after %v; progress:\n%s", err, time.Since(start), progress.String())
	}
	// Cancelled tasks may stay listed as COMPLETING while slurmd kills their
	// processes; none may still be pending or running.
	deadline := time.Now().Add(10 * time.Second)
	for {
		q, _ := exec.Command(bins["squeue"], "--noheader", "--name="+sweep.SlurmJobName(dir), "--format=%i %T").Output()
		live := false
		for _, line := range strings.Split(strings.TrimSpace(string(q)), "\n") {
			if f := strings.Fields(line); len(f) == 2 && f[1] != "COMPLETING" && f[1] != "CANCELLED" {
				live = true
			}
		}
		if !live {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the cancelled array still has tasks pending or running after 10 s:\n%s", q)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// startSlurm writes a slurm.conf for a one-node cluster in a temporary directory,
// starts slurmctld and slurmd in the foreground with it, sets SLURM_CONF for the
// client commands, and waits until the node is idle. The daemons are stopped when
// the test ends.
func startSlurm(t *testing.T, bins map[string]string) {
	dir := t.TempDir()
	for _, d := range []string{"state", "spool"} {
		os.Mkdir(filepath.Join(dir, d), 0o755)
	}
	ports := freePorts(t, 2)
	conf := filepath.Join(dir, "slurm.conf")
	text := fmt.Sprintf(`ClusterName=sciadapttest
SlurmctldHost=localhost
SlurmctldPort=%d
SlurmdPort=%d
SlurmUser=root
SlurmdUser=root
AuthType=auth/none
CredType=cred/none
ProctrackType=proctrack/linuxproc
KillWait=2
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
StateSaveLocation=%[3]s/state
SlurmdSpoolDir=%[3]s/spool
SlurmctldPidFile=%[3]s/slurmctld.pid
SlurmdPidFile=%[3]s/slurmd.pid
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
NodeName=localhost CPUs=%d RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
`, ports[0], ports[1], dir, runtime.NumCPU())
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SLURM_CONF", conf)
	var logs []string
	for _, d := range [][]string{{"slurmctld", "-D", "-f", conf}, {"slurmd", "-D", "-N", "localhost", "-f", conf}} {
		logPath := filepath.Join(dir, d[0]+".log")
		logs = append(logs, logPath)
		log, err := os.Create(logPath)
		if err != nil {
			t.Fatal(err)
		}
		c := exec.Command(bins[d[0]], d[1:]...)
		c.Stdout, c.Stderr = log, log
		c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := c.Start(); err != nil {
			t.Fatalf("start %s: %v", d[0], err)
		}
		t.Cleanup(func() {
			// The daemon and whatever it started (slurmstepd) share its process group.
			syscall.Kill(-c.Process.Pid, syscall.SIGTERM)
			done := make(chan struct{})
			go func() { c.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
				<-done
			}
			log.Close()
		})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		out, _ := exec.CommandContext(ctx, bins["sinfo"], "--noheader", "--format=%t").Output()
		if strings.TrimSpace(string(out)) == "idle" {
			return
		}
		select {
		case <-ctx.Done():
			var tails string
			for _, l := range logs {
				b, _ := os.ReadFile(l)
				tails += fmt.Sprintf("\n%s:\n%s", l, b[max(0, len(b)-2000):])
			}
			t.Fatalf("the Slurm node is not idle after 30 s (sinfo: %q)%s", out, tails)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// freePorts returns n TCP ports that were free a moment ago.
func freePorts(t *testing.T, n int) []int {
	var ports []int
	var ls []net.Listener
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// cancelOn collects progress lines and calls cancel once they contain text.
type cancelOn struct {
	text   string
	cancel func()
	buf    bytes.Buffer
}

func (c *cancelOn) Write(p []byte) (int, error) {
	c.buf.Write(p)
	if strings.Contains(c.buf.String(), c.text) {
		c.cancel()
	}
	return len(p), nil
}

func (c *cancelOn) String() string { return c.buf.String() }
