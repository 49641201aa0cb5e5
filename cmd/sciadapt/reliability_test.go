package main

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/demodata"
	"github.com/sciadapt/sciadapt/nn"
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

// killAndResume runs args (which must write checkpoints to ckpt and the result to
// out) uninterrupted into want, then again, SIGKILLs it a random delay (from seed)
// after its first checkpoint appears, resumes it with --resume, and checks the
// result against want bit for bit.
func killAndResume(t *testing.T, bin, want, out, ckpt string, seed uint64, args []string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	withOut := func(o string) []string {
		a := append([]string{}, args...)
		return append(a, "--out", o, "--checkpoint", ckpt, "--checkpoint-every", "1")
	}
	runOK(t, bin, nil, withOut(want)...)
	os.Remove(ckpt)

	cmd := exec.Command(bin, withOut(out)...)
	var logb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logb, &logb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(ckpt); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no checkpoint %s after 60 s:\n%s", ckpt, logb.String())
		}
		time.Sleep(2 * time.Millisecond)
	}
	delay := time.Duration(rng.IntN(400)) * time.Millisecond
	time.Sleep(delay)
	killed := cmd.Process.Signal(syscall.SIGKILL) == nil
	err := <-exited
	var ee *exec.ExitError
	if killed && errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signaled() {
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%s exists after the kill", out)
		}
		t.Logf("killed %v after the first checkpoint", delay)
	} else {
		t.Logf("the run finished before the kill %v after its first checkpoint (%v)", delay, err)
	}
	c, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("resuming from a checkpoint of %d bytes", len(c))
	runOK(t, bin, nil, withOut(out)[:len(withOut(out))-2]...) // without --checkpoint-every: every epoch
	sameModel(t, want, out)
}

// TestKillResume kills training processes with SIGKILL at random steps and checks
// that resuming gives the bit-identical model of an uninterrupted run: for "train
// potential" and for "add-element".
func TestKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds sciadapt and trains four times")
	}
	bin := buildSciadapt(t)
	dir := t.TempDir()
	fixture := filepath.Join("..", "..", "testdata", "atoms", "rmd17_o_subset.h5")
	t.Run("train potential", func(t *testing.T) {
		args := []string{"train", "potential", "--data", fixture, "--epochs", "12", "--batch-size", "2",
			"--features", "16", "--rbf", "16", "--interactions", "2", "--seed", "3"}
		killAndResume(t, bin, filepath.Join(dir, "want.model"), filepath.Join(dir, "got.model"),
			filepath.Join(dir, "train.ckpt"), 11, args)
	})
	t.Run("add-element", func(t *testing.T) {
		paths, err := demodata.WriteTo(dir)
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Join(dir, "hcn.model")
		runOK(t, bin, nil, "train", "potential", "--data", paths[demodata.HCNTrain], "--out", base,
			"--frames", "2", "--epochs", "1", "--features", "16", "--rbf", "16", "--interactions", "2")
		args := []string{"add-element", "--base", base, "--element", "O", "--data", paths[demodata.OTrain],
			"--frames", "4", "--epochs", "6", "--batch-size", "3", "--seed", "4"}
		killAndResume(t, bin, filepath.Join(dir, "want.adapter"), filepath.Join(dir, "got.adapter"),
			filepath.Join(dir, "o.ckpt"), 12, args)
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
