package ipi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sciadapt/sciadapt/potentials"
	"github.com/sciadapt/sciadapt/potentials/ipi"
)

// pythonWithASE returns a Python interpreter that has ASE, or skips the test.
// Debian's python3-ase installs into /usr/bin/python3, which is tried first (a
// python3 earlier in PATH may be another installation). The check looks ASE up
// without importing it, which would take seconds.
func pythonWithASE(t *testing.T) string {
	t.Helper()
	cands := []string{"/usr/bin/python3"}
	if p, err := exec.LookPath("python3"); err == nil {
		cands = append(cands, p)
	}
	const check = "import importlib.util, sys; sys.exit(importlib.util.find_spec('ase') is None)"
	for _, p := range cands {
		if exec.Command(p, "-c", check).Run() == nil {
			return p
		}
	}
	t.Skip("skipped: no python3 with ASE (apt-get install python3-ase)")
	return ""
}

// aseMD runs, for each pair of arguments XYZ NAME after argv[1], 20 steps of
// ASE's velocity Verlet on the structure in XYZ with a SocketIOCalculator serving
// the Unix socket /tmp/ipi_NAME, one system after the other, and writes what ASE
// recorded at every step (positions, cell, energy, forces, stress) to argv[1] as
// JSON, with the wall time per step.
const aseMD = `
import json, sys, time
import numpy as np
from ase import units
from ase.io import read
from ase.calculators.socketio import SocketIOCalculator
from ase.md.verlet import VelocityVerlet
from ase.md.velocitydistribution import MaxwellBoltzmannDistribution

out = []
for xyz, name in zip(sys.argv[2::2], sys.argv[3::2]):
    atoms = read(xyz)
    periodic = atoms.pbc.any()
    MaxwellBoltzmannDistribution(atoms, temperature_K=600, rng=np.random.default_rng(7))
    records = []
    with SocketIOCalculator(unixsocket=name, timeout=30) as calc:
        atoms.calc = calc
        def record():
            r = {"positions": atoms.positions.ravel().tolist(),
                 "cell": atoms.cell.array.ravel().tolist(),
                 "energy": atoms.get_potential_energy(),
                 "forces": atoms.get_forces().ravel().tolist()}
            if periodic:
                r["stress"] = atoms.get_stress(voigt=False).ravel().tolist()
            records.append(r)
        dyn = VelocityVerlet(atoms, timestep=0.5 * units.fs)
        dyn.attach(record, interval=1)
        atoms.get_forces()  # connect before timing
        t0 = time.perf_counter()
        dyn.run(20)
        seconds = (time.perf_counter() - t0) / 20
    out.append({"records": records, "seconds_per_step": seconds})
json.dump(out, open(sys.argv[1], "w"))
`

// ethanolXYZ is an ethanol geometry (Å) close to its equilibrium.
const ethanolXYZ = `9
Properties=species:S:1:pos:R:3
C  1.1879 -0.3829  0.0000
C  0.0000  0.5526  0.0000
O -1.1867 -0.2472  0.0000
H -1.9237  0.3850  0.0000
H  2.0985  0.2306  0.0000
H  1.1184 -1.0093  0.8869
H  1.1184 -1.0093 -0.8869
H -0.0227  1.1812  0.8852
H -0.0227  1.1812 -0.8852
`

// alloyXYZ is an 8-atom Cu/Ag/Au fcc cell (2×2×2 primitive cells, a = 3.9 Å) with
// a shear that makes the cell matrix non-symmetric, so that a transposed cell on
// the wire would change the energies.
func alloyXYZ() string {
	const a = 3.9
	prim := [3][3]float64{{0, a / 2, a / 2}, {a / 2, 0, a / 2}, {a / 2, a / 2, 0}}
	var cell [3][3]float64
	for i := range cell {
		for k := range cell[i] {
			cell[i][k] = 2 * prim[i][k]
		}
	}
	cell[2][0] += 0.3
	cell[2][1] -= 0.1
	syms := []string{"Cu", "Ag", "Au", "Cu", "Cu", "Au", "Ag", "Cu"}
	var b strings.Builder
	fmt.Fprintf(&b, "8\nLattice=\"%v %v %v %v %v %v %v %v %v\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n",
		cell[0][0], cell[0][1], cell[0][2], cell[1][0], cell[1][1], cell[1][2], cell[2][0], cell[2][1], cell[2][2])
	n := 0
	for i := 0; i < 2; i++ {
		for j := 0; j < 2; j++ {
			for k := 0; k < 2; k++ {
				var p [3]float64
				for d := 0; d < 3; d++ {
					p[d] = float64(i)*prim[0][d] + float64(j)*prim[1][d] + float64(k)*prim[2][d]
				}
				// A small deterministic displacement off the lattice site.
				p[n%3] += 0.05 * float64(n%4-1)
				fmt.Fprintf(&b, "%s %.6f %.6f %.6f\n", syms[n], p[0], p[1], p[2])
				n++
			}
		}
	}
	return b.String()
}

// testModel is a small untrained potential for H, C, N, O, Cu, Ag and Au with a
// fixed seed, saved and loaded again as the command line would.
func testModel(t *testing.T) *potentials.Model {
	t.Helper()
	m, err := potentials.New(potentials.Config{Species: []int{1, 6, 7, 8, 29, 47, 79}, Cutoff: 4.5, Features: 16, RBF: 12, Interactions: 2, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "test.model")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	m, err = potentials.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestASESocketIO runs ASE's velocity Verlet through a SocketIOCalculator server
// with Serve as the client, for a molecule and a periodic alloy, and checks that
// the energies, forces and stresses ASE recorded equal the Go API's on the same
// positions and cell to 1e-8 relative.
func TestASESocketIO(t *testing.T) {
	python := pythonWithASE(t)
	m := testModel(t)
	systems := []struct {
		name string
		xyz  string
		nums []int
		pbc  bool
	}{
		{"ethanol", ethanolXYZ, []int{6, 6, 8, 1, 1, 1, 1, 1, 1}, false},
		{"CuAgAu", alloyXYZ(), []int{29, 47, 79, 29, 29, 79, 47, 29}, true},
	}
	// One Python process serves both systems in turn (its start-up takes seconds).
	dir := t.TempDir()
	script, out := filepath.Join(dir, "md.py"), filepath.Join(dir, "ase.json")
	os.WriteFile(script, []byte(aseMD), 0o644)
	args := []string{script, out}
	var socks []string
	for _, sys := range systems {
		in := filepath.Join(dir, sys.name+".xyz")
		os.WriteFile(in, []byte(sys.xyz), 0o644)
		name := fmt.Sprintf("sciadapt_test_%s_%d_%d", sys.name, os.Getpid(), time.Now().UnixNano())
		t.Cleanup(func() { os.Remove(ipi.UnixSocketPath(name)) })
		args = append(args, in, name)
		socks = append(socks, ipi.UnixSocketPath(name))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stats := make([]ipi.Stats, len(systems))
	for k, sys := range systems {
		conn, err := ipi.Dial(ctx, "unix", socks[k], 30*time.Second)
		if err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("%s: %v\nASE: %s", sys.name, err, stderr.String())
		}
		pbc := [3]bool{sys.pbc, sys.pbc, sys.pbc}
		st, err := ipi.Serve(ctx, conn, m, sys.nums, pbc, &ipi.Options{Timeout: 30 * time.Second})
		conn.Close()
		if err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("%s: Serve: %v\nASE: %s", sys.name, err, stderr.String())
		}
		stats[k] = st
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("ASE failed: %v\n%s", err, stderr.String())
	}
	var got []struct {
		Records []struct {
			Positions, Cell, Forces, Stress []float64
			Energy                          float64
		}
		SecondsPerStep float64 `json:"seconds_per_step"`
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &got); err != nil || len(got) != len(systems) {
		t.Fatalf("ASE output for %d systems: %v", len(got), err)
	}
	for k, sys := range systems {
		t.Run(sys.name, func(t *testing.T) {
			g, st := got[k], stats[k]
			pbc := [3]bool{sys.pbc, sys.pbc, sys.pbc}
			// One evaluation before the dynamics and one per step (ASE's first
			// observer call reuses the first).
			if len(g.Records) != 21 || st.Steps != 21 || st.Exit != "closed" {
				t.Fatalf("ASE recorded %d steps, Serve answered %d and ended %q; want 21, 21, closed", len(g.Records), st.Steps, st.Exit)
			}
			t.Logf("%s: %d atoms, ASE velocity Verlet %.3f ms per step; Go client: %.3f ms per step wall, %.3f ms in the model",
				sys.name, len(sys.nums), 1e3*g.SecondsPerStep, 1e3*st.Wall.Seconds()/float64(st.Steps), 1e3*st.Compute.Seconds()/float64(st.Steps))
			first, last := g.Records[0], g.Records[len(g.Records)-1]
			if d := math.Abs(first.Positions[0] - last.Positions[0]); d < 1e-6 {
				t.Errorf("atom 0 moved only %g Å in 20 steps: the dynamics did not run", d)
			}
			var devE, devF float64 // largest relative deviations seen
			defer func() {
				t.Logf("%s: largest relative deviation ASE vs Go API: energy %.1e, forces %.1e", sys.name, devE, devF)
			}()
			for step, r := range g.Records {
				s := &potentials.Structure{Numbers: sys.nums, Positions: r.Positions, PBC: pbc}
				if sys.pbc {
					var c [9]float64
					copy(c[:], r.Cell)
					s.Cell = &c
				}
				want, err := m.Compute(s)
				if err != nil {
					t.Fatal(err)
				}
				if !near(r.Energy, want.Energy, 1e-8, 0) {
					t.Errorf("step %d: ASE energy %.12g eV, Go %.12g eV", step, r.Energy, want.Energy)
				}
				fs := maxAbs(want.Forces)
				devE = math.Max(devE, math.Abs(r.Energy-want.Energy)/math.Abs(want.Energy))
				for i := range want.Forces {
					devF = math.Max(devF, math.Abs(r.Forces[i]-want.Forces[i])/fs)
				}
				for i := range want.Forces {
					if !near(r.Forces[i], want.Forces[i], 1e-8, fs) {
						t.Errorf("step %d: force value %d: ASE %.12g eV/Å, Go %.12g eV/Å", step, i, r.Forces[i], want.Forces[i])
					}
				}
				if sys.pbc {
					// ASE rebuilds σ from the symmetric part of the virial (Voigt).
					ss := maxAbs(want.Stress[:])
					for i := 0; i < 3; i++ {
						for j := 0; j < 3; j++ {
							sym := (want.Stress[3*i+j] + want.Stress[3*j+i]) / 2
							if !near(r.Stress[3*i+j], sym, 1e-8, ss) {
								t.Errorf("step %d: stress[%d][%d]: ASE %.12g eV/Å³, Go %.12g", step, i, j, r.Stress[3*i+j], sym)
							}
						}
					}
				}
			}
		})
	}
}

// near reports whether a and b agree to rel relative to the larger of |b| and scale.
func near(a, b, rel, scale float64) bool {
	return math.Abs(a-b) <= rel*math.Max(math.Abs(b), scale)
}

func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}
