package cli

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/potentials"
	"github.com/sciadapt/sciadapt/potentials/ipi"
)

// methanolXYZ is a methanol geometry (Å) near equilibrium.
const methanolXYZ = `6
Properties=species:S:1:pos:R:3
C -0.0467  0.6628  0.0000
O -0.0467 -0.7571  0.0000
H -1.0883  0.9750  0.0000
H  0.4372  1.0788  0.8918
H  0.4372  1.0788 -0.8918
H  0.8637 -1.0788  0.0000
`

// serveFixture writes a small H/C model, an oxygen adapter whose LoRA factors
// are non-zero (so that the adapter changes the interactions, not only the new
// embedding), and methanol; it returns their paths.
func serveFixture(t *testing.T) (model, adapter, xyz string) {
	t.Helper()
	dir := t.TempDir()
	m, err := potentials.New(potentials.Config{Species: []int{1, 6}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 1, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	model = filepath.Join(dir, "hc.model")
	if err := m.Save(model); err != nil {
		t.Fatal(err)
	}
	a, err := potentials.NewElementAdapter(m, potentials.DefaultElementConfig(8))
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range a.Params() {
		if strings.Contains(p.Name, "lora_B") {
			for k := range p.Value().Data {
				p.Value().Data[k] = 0.05 * math.Sin(float64(7*i+k))
			}
		}
	}
	a.Round()
	adapter = filepath.Join(dir, "O.adapter")
	if err := a.Save(adapter); err != nil {
		t.Fatal(err)
	}
	xyz = filepath.Join(dir, "methanol.xyz")
	os.WriteFile(xyz, []byte(methanolXYZ), 0o644)
	return model, adapter, xyz
}

func TestServeIPIUsage(t *testing.T) {
	model, _, xyz := serveFixture(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "exactly one of --address"},
		{[]string{"--unix", "a", "--address", "localhost:31415"}, "exactly one of --address"},
		{[]string{"--address", "localhost"}, `--address "localhost": want HOST:PORT`},
		{[]string{"--unix", "a", "--timeout", "-1s"}, "must not be negative"},
	} {
		args := append([]string{"serve", "ipi", "--model", model, "--structure", xyz}, tc.args...)
		code, _, stderr := run(t, args...)
		if code != ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

// TestServeIPIBadInput checks the errors found before or while connecting: an
// element the model does not know (oxygen without the adapter) and no server.
func TestServeIPIBadInput(t *testing.T) {
	model, adapter, xyz := serveFixture(t)
	sock := filepath.Join(t.TempDir(), "nobody.sock")
	code, _, stderr := run(t, "serve", "ipi", "--model", model, "--structure", xyz, "--unix", sock)
	if code != ExitBadInput || !strings.Contains(stderr, "methanol.xyz") {
		t.Errorf("oxygen without adapter: exit %d, %q; want exit 1 naming methanol.xyz", code, stderr)
	}
	t0 := time.Now()
	code, _, stderr = run(t, "serve", "ipi", "--model", model, "--adapter", adapter, "--structure", xyz, "--unix", sock, "--timeout", "300ms")
	if code != ExitBadInput || !strings.Contains(stderr, "no server at unix "+sock+" after 300ms") {
		t.Errorf("no server: exit %d, %q", code, stderr)
	}
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("gave up after %v, want about 0.3 s", d)
	}
}

// TestServeIPIWrongAtoms plays a Go i-PI server that sends four atoms for the
// six of methanol and checks the command ends with an error naming both.
func TestServeIPIWrongAtoms(t *testing.T) {
	model, adapter, xyz := serveFixture(t)
	sock := filepath.Join(t.TempDir(), "ipi.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("no Unix sockets: %v", err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprintf(c, "%-12s", "STATUS")
		io.ReadFull(c, make([]byte, 12))
		fmt.Fprintf(c, "%-12s", "POSDATA")
		binary.Write(c, binary.NativeEndian, make([]float64, 18))
		binary.Write(c, binary.NativeEndian, int32(4))
		binary.Write(c, binary.NativeEndian, make([]float64, 12))
		io.ReadAll(c)
	}()
	code, stdout, stderr := run(t, "serve", "ipi", "--model", model, "--adapter", adapter, "--structure", xyz, "--unix", sock, "--timeout", "5s")
	if code != ExitBadInput || !strings.Contains(stderr, "POSDATA has 4 atoms but the structure has 6") || !strings.Contains(stderr, "methanol.xyz") {
		t.Errorf("exit %d, %q; want exit 1 with the atom counts and the file", code, stderr)
	}
	if !strings.Contains(stdout, "6 atoms (CH4O), not periodic") {
		t.Errorf("stdout %q does not describe the structure", stdout)
	}
}

// aseSinglePoints computes methanol at its geometry and rattled, through a
// SocketIOCalculator on /tmp/ipi_<argv[2]>, and prints positions, energies and
// forces as JSON.
const aseSinglePoints = `
import json, sys
from ase.io import read
from ase.calculators.socketio import SocketIOCalculator
atoms = read(sys.argv[1])
out = []
with SocketIOCalculator(unixsocket=sys.argv[2], timeout=30) as atoms.calc:
    for k in range(2):
        out.append({"positions": atoms.positions.ravel().tolist(),
                    "energy": atoms.get_potential_energy(),
                    "forces": atoms.get_forces().ravel().tolist()})
        atoms.rattle(0.05, seed=3)
json.dump(out, open(sys.argv[3], "w"))
`

// TestServeIPIWithASE serves ASE's SocketIOCalculator from the command, with a
// model and an add-element adapter, and checks what ASE received against the Go
// API to 1e-8 relative.
func TestServeIPIWithASE(t *testing.T) {
	python := ""
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		// Look ASE up without importing it, which takes seconds.
		if exec.Command(p, "-c", "import importlib.util, sys; sys.exit(importlib.util.find_spec('ase') is None)").Run() == nil {
			python = p
			break
		}
	}
	if python == "" {
		t.Skip("skipped: no python3 with ASE (apt-get install python3-ase)")
	}
	model, adapter, xyz := serveFixture(t)
	dir := t.TempDir()
	script, out, report := filepath.Join(dir, "sp.py"), filepath.Join(dir, "ase.json"), filepath.Join(dir, "serve.json")
	os.WriteFile(script, []byte(aseSinglePoints), 0o644)
	name := fmt.Sprintf("sciadapt_cli_test_%d_%d", os.Getpid(), time.Now().UnixNano())
	t.Cleanup(func() { os.Remove(ipi.UnixSocketPath(name)) })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, script, xyz, name, out)
	var pyErr bytes.Buffer
	cmd.Stderr = &pyErr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "serve", "ipi", "--model", model, "--adapter", adapter, "--structure", xyz,
		"--unix", name, "--timeout", "30s", "--report", report)
	if code != 0 {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("serve ipi: exit %d: %s\nASE: %s", code, stderr, pyErr.String())
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("ASE: %v\n%s", err, pyErr.String())
	}
	if !strings.Contains(stdout, "served 2 force evaluations until the server closed the connection") {
		t.Errorf("stdout %q", stdout)
	}
	var rep map[string]any
	b, _ := os.ReadFile(report)
	if err := json.Unmarshal(b, &rep); err != nil || rep["steps"] != 2.0 || rep["total_parameters"] == nil {
		t.Errorf("report %s: %v", b, err)
	}

	m, err := potentials.Load(model)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := potentials.LoadElementAdapter(adapter, m); err != nil {
		t.Fatal(err)
	}
	plain, _ := potentials.Load(model)
	var got []struct {
		Positions, Forces []float64
		Energy            float64
	}
	b, _ = os.ReadFile(out)
	if err := json.Unmarshal(b, &got); err != nil || len(got) != 2 {
		t.Fatalf("ASE output %s: %v", b, err)
	}
	f, _ := os.Open(xyz)
	frames, err := datasets.ReadExtXYZ(f, xyz, &datasets.ExtXYZOptions{EnergyOptional: true})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for k, g := range got {
		s := &potentials.Structure{Numbers: frames[0].Numbers, Positions: g.Positions}
		want, err := m.Compute(s)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(g.Energy-want.Energy) > 1e-8*math.Abs(want.Energy) {
			t.Errorf("point %d: ASE energy %.12g eV, Go API %.12g eV", k, g.Energy, want.Energy)
		}
		scale := 0.0
		for _, v := range want.Forces {
			scale = math.Max(scale, math.Abs(v))
		}
		for i := range want.Forces {
			if math.Abs(g.Forces[i]-want.Forces[i]) > 1e-8*scale {
				t.Errorf("point %d: force value %d: ASE %.12g, Go API %.12g eV/Å", k, i, g.Forces[i], want.Forces[i])
			}
		}
		// The base alone does not know oxygen, so the values above came
		// through the adapter.
		if _, err := plain.Compute(s); err == nil {
			t.Errorf("the base model without adapter computed methanol; the adapter test proves nothing")
		}
	}
	if got[0].Positions[0] == got[1].Positions[0] {
		t.Errorf("rattle did not move atom 0")
	}
}
