package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/demodata"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/train/checkpoint"
)

// binDir holds the sciadapt binary that the tests build once (see buildSciadapt).
var (
	binDir   string
	binOnce  sync.Once
	binPath  string
	binError error
)

func TestMain(m *testing.M) {
	var err error
	if binDir, err = os.MkdirTemp("", "sciadapt-test-*"); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(binDir)
	os.Exit(code)
}

// buildSciadapt builds this command (once per test binary) into a temporary
// directory and returns the binary's path.
func buildSciadapt(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(gobin); err != nil {
			if gobin, err = exec.LookPath("go"); err != nil {
				binError = err
				return
			}
		}
		bin := filepath.Join(binDir, "sciadapt")
		out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput()
		if err != nil {
			binError = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		binPath = bin
	})
	if binError != nil {
		t.Fatalf("cannot build sciadapt: %v", binError)
	}
	return binPath
}

// runOK runs the binary with args and env added to the environment and fails the
// test unless it exits 0.
func runOK(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sciadapt %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// sameModel fails the test unless the two safetensors files hold bit-identical
// tensors (and are byte-identical files).
func sameModel(t *testing.T, want, got string) {
	t.Helper()
	a, err := nn.ReadTensors(want)
	if err != nil {
		t.Fatal(err)
	}
	b, err := nn.ReadTensors(got)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Tensors) != len(b.Tensors) {
		t.Fatalf("%s has %d tensors, %s %d", want, len(a.Tensors), got, len(b.Tensors))
	}
	for i, ta := range a.Tensors {
		tb := b.Tensors[i]
		for k := range ta.Data {
			if ta.Data[k] != tb.Data[k] {
				t.Fatalf("tensor %s[%d]: %.17g in %s, %.17g in %s", ta.Name, k, ta.Data[k], want, tb.Data[k], got)
			}
		}
	}
	ba, _ := os.ReadFile(want)
	bb, _ := os.ReadFile(got)
	if !bytes.Equal(ba, bb) {
		t.Fatalf("%s and %s hold the same tensors but differ as files", want, got)
	}
}

// killRun describes one kill-and-resume experiment: a training command (args,
// which must write its result with --out and take --checkpoint) that is run
// uninterrupted, then killed with SIGKILL once a checkpoint after step minStep
// and before the last step exists, then resumed with --resume.
type killRun struct {
	args            []string
	want, out, ckpt string
}

// finalPosition runs the command uninterrupted into want, writing a checkpoint
// after every step, and returns the position of its last checkpoint: the number
// of steps and epochs of the whole run.
func (k killRun) finalPosition(t *testing.T, bin string) checkpoint.Position {
	t.Helper()
	runOK(t, bin, nil, k.withOut(k.want, "--checkpoint-every", "1")...)
	c, err := checkpoint.Read(k.ckpt)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(k.ckpt)
	return c.Position
}

func (k killRun) withOut(out string, extra ...string) []string {
	a := append([]string{}, k.args...)
	return append(append(a, "--out", out, "--checkpoint", k.ckpt), extra...)
}

// killMidRun starts the command, polls its checkpoint until one written after
// step minStep exists, kills the process with SIGKILL and returns the position of
// the checkpoint it left. It fails the test unless the process died by the
// signal, before the last step (the checkpoint's step is below last) and before
// writing its output.
func (k killRun) killMidRun(t *testing.T, bin string, minStep, last int) checkpoint.Position {
	t.Helper()
	cmd := exec.Command(bin, k.withOut(k.out, "--checkpoint-every", "1")...)
	var logb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logb, &logb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(120 * time.Second)
	for {
		if c, err := checkpoint.Read(k.ckpt); err == nil && c.Position.Step >= minStep {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the run ended (%v) before a checkpoint after step %d appeared:\n%s", err, minStep, logb.String())
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no checkpoint after step %d within 120 s:\n%s", minStep, logb.String())
		}
		time.Sleep(time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	err := <-exited
	var ee *exec.ExitError
	if !errors.As(err, &ee) || !ee.Sys().(syscall.WaitStatus).Signaled() {
		t.Fatalf("the run was not killed by SIGKILL (%v):\n%s", err, logb.String())
	}
	if _, err := os.Stat(k.out); err == nil {
		t.Fatalf("%s exists after the kill", k.out)
	}
	c, err := checkpoint.Read(k.ckpt)
	if err != nil {
		t.Fatal(err)
	}
	if c.Position.Step < minStep || c.Position.Step >= last {
		t.Fatalf("killed at a checkpoint after step %d, want one in [%d, %d)", c.Position.Step, minStep, last)
	}
	return c.Position
}

// resume continues the killed run with --resume (checkpoints every epoch) and
// --log-json, and returns the epochs (from 1) that it reported.
func (k killRun) resume(t *testing.T, bin string) []int {
	t.Helper()
	cmd := exec.Command(bin, k.withOut(k.out, "--resume", k.ckpt, "--log-json")...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("resume: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	var epochs []int
	for _, line := range strings.Split(stderr.String(), "\n") {
		var ev struct {
			Event string `json:"event"`
			Label string `json:"label"`
			Epoch int    `json:"epoch"`
		}
		if json.Unmarshal([]byte(line), &ev) == nil && ev.Event == "epoch" && ev.Label == "epochs" {
			epochs = append(epochs, ev.Epoch)
		}
	}
	return epochs
}

// killAndResume runs k uninterrupted, then kills it with SIGKILL a third of the
// way through (after a checkpoint at step ≥ steps/3 and before the last step),
// resumes it, and checks that the resumed run (a) started at the checkpoint's
// epoch rather than from the beginning, running only the remaining epochs, and
// (b) ended with the byte-identical result of the uninterrupted run. A resume
// that restored nothing would pass (b) alone, since training is deterministic;
// (a) catches it.
func killAndResume(t *testing.T, bin string, k killRun) {
	t.Helper()
	final := k.finalPosition(t, bin)
	minStep := final.Step / 3
	if minStep < 2 {
		t.Fatalf("the run has %d steps, too few to kill in the middle", final.Step)
	}
	at := k.killMidRun(t, bin, minStep, final.Step)
	t.Logf("killed after step %d of %d (epoch %d, batch %d of the next)", at.Step, final.Step, at.Epoch, at.Batch)
	epochs := k.resume(t, bin)
	var want []int
	for e := at.Epoch + 1; e <= final.Epoch; e++ {
		want = append(want, e)
	}
	if !slices.Equal(epochs, want) {
		t.Errorf("the resumed run reported epochs %v, want %v: it did not continue from the checkpoint", epochs, want)
	}
	sameModel(t, k.want, k.out)
}

// TestKillResume kills training processes with SIGKILL in the middle of a run and
// checks that resuming with --resume continues from the checkpoint and gives the
// byte-identical model of an uninterrupted run: for "train potential",
// "add-element" and "train dti".
func TestKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds sciadapt and trains six times")
	}
	bin := buildSciadapt(t)
	dir := t.TempDir()
	run := func(name string, args []string) killRun {
		return killRun{args: args, want: filepath.Join(dir, name+"_want.out"), out: filepath.Join(dir, name+"_got.out"),
			ckpt: filepath.Join(dir, name+".ckpt")}
	}
	fixture := filepath.Join("..", "..", "testdata", "atoms", "rmd17_o_subset.h5")
	t.Run("train potential", func(t *testing.T) {
		killAndResume(t, bin, run("potential", []string{"train", "potential", "--data", fixture, "--epochs", "12",
			"--batch-size", "2", "--features", "16", "--rbf", "16", "--interactions", "2", "--seed", "3"}))
	})
	t.Run("add-element", func(t *testing.T) {
		paths, err := demodata.WriteTo(dir)
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Join(dir, "hcn.model")
		runOK(t, bin, nil, "train", "potential", "--data", paths[demodata.HCNTrain], "--out", base,
			"--frames", "2", "--epochs", "1", "--features", "16", "--rbf", "16", "--interactions", "2")
		killAndResume(t, bin, run("element", []string{"add-element", "--base", base, "--element", "O",
			"--data", paths[demodata.OTrain], "--frames", "4", "--epochs", "6", "--batch-size", "3", "--seed", "4"}))
	})
	t.Run("train dti", func(t *testing.T) {
		gpcr := filepath.Join(dir, "GPCR.h5")
		src := filepath.Join("..", "..", "testdata", "dti", "gpcr")
		runOK(t, bin, nil, "import", "gpcr", "train="+filepath.Join(src, "GPCR_train_subset.txt"),
			"test="+filepath.Join(src, "GPCR_test_subset.txt"), "--species-table", filepath.Join(src, "protein_species_subset.tsv"),
			"--out", gpcr)
		killAndResume(t, bin, run("dti", []string{"train", "dti", "--data", gpcr, "--epochs", "40", "--batch-proteins", "1",
			"--pairs-per-protein", "2", "--embed", "8", "--max-protein-length", "200", "--test-fraction", "0.25", "--seed", "2"}))
	})
}

// TestSameModelAnyThreads trains the same periodic model with GOMAXPROCS and
// OPENBLAS_NUM_THREADS of 1, 2 and 8 and checks that the models are bit-identical.
// The products are large enough (64 features, batches of 2 cells of 32 atoms) for
// OpenBLAS to split them over threads: before main fixed OpenBLAS to one thread,
// these settings gave models differing in the last bits with 1 and 2 threads.
func TestSameModelAnyThreads(t *testing.T) {
	if testing.Short() {
		t.Skip("builds sciadapt and trains three times")
	}
	bin := buildSciadapt(t)
	dir := t.TempDir()
	fixture := filepath.Join("..", "..", "testdata", "atoms", "emt_subset.h5")
	var first string
	for _, n := range []string{"1", "2", "8"} {
		out := filepath.Join(dir, "threads"+n+".model")
		runOK(t, bin, []string{"GOMAXPROCS=" + n, "OPENBLAS_NUM_THREADS=" + n},
			"train", "potential", "--data", fixture, "--out", out, "--epochs", "2", "--batch-size", "2",
			"--features", "64", "--rbf", "16", "--interactions", "1", "--stress-weight", "10", "--seed", "5")
		if first == "" {
			first = out
			continue
		}
		sameModel(t, first, out)
	}
}
