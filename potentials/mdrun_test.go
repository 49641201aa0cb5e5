package potentials_test

import (
	"bytes"
	"encoding/csv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/potentials"
)

// copyStructure returns a copy of s whose positions can be moved independently.
func copyStructure(s *potentials.Structure) *potentials.Structure {
	return &potentials.Structure{Numbers: s.Numbers, Positions: slices.Clone(s.Positions), Cell: s.Cell, PBC: s.PBC}
}

// TestRunMDFollowsTheIntegrators checks that RunMD keeps every Every-th step of
// the trajectory that VelocityVerlet (no friction) or Langevin (friction) give
// from the same Maxwell–Boltzmann velocities, with the same energies, forces and
// temperatures, and that its CSV log reads back to the same numbers.
func TestRunMDFollowsTheIntegrators(t *testing.T) {
	m := smallModel(t, []int{29})
	m.Scale.Value().Data[0] = 30
	start := crystal(rand.New(rand.NewPCG(5, 6)), []int{29, 29, 29, 29})
	for _, friction := range []float64{0, 0.02} {
		var steps []potentials.Step
		var positions [][]float64
		s := copyStructure(start)
		masses, _ := potentials.Masses(s)
		v := potentials.MaxwellBoltzmann(masses, 500, 7)
		keep := func(st potentials.Step) {
			steps = append(steps, st)
			positions = append(positions, slices.Clone(s.Positions))
		}
		var err error
		if friction > 0 {
			err = potentials.Langevin(m, s, v, 1, 500, friction, 20, 7, keep)
		} else {
			err = potentials.VelocityVerlet(m, s, v, 1, 20, keep)
		}
		if err != nil {
			t.Fatal(err)
		}
		observed := 0
		run, err := potentials.RunMD(m, copyStructure(start), potentials.MDOptions{TimeStep: 1, Temperature: 500, Friction: friction,
			Steps: 20, Every: 3, Skin: 0.5, Seed: 7, System: "cu4", OnStep: func(potentials.Step) { observed++ }})
		if err != nil {
			t.Fatal(err)
		}
		if observed != 21 || len(run.Frames) != 7 || len(run.Samples) != 7 || run.NeighborListBuilds < 1 {
			t.Fatalf("friction %g: %d steps observed, %d frames, %d samples, %d list builds; want 21, 7 (steps 0, 3, … 18), 7, ≥ 1",
				friction, observed, len(run.Frames), len(run.Samples), run.NeighborListBuilds)
		}
		if run.First.Total() != steps[0].Total() || run.Last.Total() != steps[20].Total() {
			t.Fatalf("friction %g: first and last total energies %v, %v; the integrator gives %v, %v", friction,
				run.First.Total(), run.Last.Total(), steps[0].Total(), steps[20].Total())
		}
		for i, f := range run.Frames {
			want := steps[3*i]
			x := run.Samples[i]
			if f.Index != 3*i || f.System != "cu4" || f.Energy != want.Potential || !slices.Equal(f.Forces, want.Forces) ||
				!slices.Equal(f.Positions, positions[3*i]) || f.Cell != start.Cell {
				t.Fatalf("friction %g: frame %d (step %d) differs from the integrator's step %d", friction, i, f.Index, 3*i)
			}
			if x.Step != 3*i || x.Total != want.Total() || x.Kinetic != want.Kinetic || x.TempK != potentials.Temperature(want.Kinetic, 12) {
				t.Fatalf("friction %g: sample %d = %+v; step %+v", friction, i, x, want)
			}
		}
		var buf bytes.Buffer
		if err := potentials.WriteMDLog(&buf, run.Samples); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rows[0], ",") != potentials.MDLogHeader || len(rows) != 8 {
			t.Fatalf("log has header %q and %d rows", rows[0], len(rows))
		}
		for i, row := range rows[1:] {
			e, _ := strconv.ParseFloat(row[4], 64)
			if row[0] != strconv.Itoa(3*i) || e != run.Samples[i].Total {
				t.Fatalf("log row %d %q does not read back to sample %+v", i, row, run.Samples[i])
			}
		}
	}
}

func TestRunMDErrors(t *testing.T) {
	m := smallModel(t, []int{29})
	s := crystal(rand.New(rand.NewPCG(5, 6)), []int{29, 29, 29, 29})
	for _, o := range []potentials.MDOptions{
		{TimeStep: 0, Steps: 1, Every: 1},
		{TimeStep: 1, Steps: 1, Every: 0},
		{TimeStep: 1, Steps: -1, Every: 1},
		{TimeStep: 1, Friction: -1, Steps: 1, Every: 1},
		{TimeStep: 1, Steps: 1, Every: 1, Skin: -1},
	} {
		if _, err := potentials.RunMD(m, copyStructure(s), o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	unknown := &potentials.Structure{Numbers: []int{1, 1}, Positions: []float64{0, 0, 0, 0.7, 0, 0}}
	if _, err := potentials.RunMD(m, unknown, potentials.MDOptions{TimeStep: 1, Steps: 1, Every: 1}); err == nil {
		t.Error("hydrogen on a copper-only model: no error")
	}
}

// TestRelaxMatchesFIRE checks that Relax reaches FIRE's minimum, reports the
// starting energy and force and the forces at the relaxed positions, and fails
// when FIRE does not converge.
func TestRelaxMatchesFIRE(t *testing.T) {
	m := smallModel(t, []int{29})
	m.Scale.Value().Data[0] = 30
	start := crystal(rand.New(rand.NewPCG(41, 42)), []int{29, 29, 29, 29})
	r0, _ := m.Compute(start)
	calc, _ := potentials.NewMDCalculator(m, 1)
	s := copyStructure(start)
	want, err := potentials.FIRE(calc, s, 1e-3, 2000, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := copyStructure(start)
	steps := 0
	r, err := potentials.Relax(m, got, 1e-3, 2000, 1, func() { steps++ })
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := m.Compute(got)
	if r.FIREResult != want || !slices.Equal(got.Positions, s.Positions) || steps != want.Steps {
		t.Fatalf("Relax gave %+v after %d steps; FIRE %+v", r.FIREResult, steps, want)
	}
	if r.InitialEnergy != r0.Energy || r.Final.Energy != fresh.Energy || !slices.Equal(r.Final.Forces, fresh.Forces) {
		t.Fatalf("initial energy %v (want %v), final %v (fresh evaluation %v)", r.InitialEnergy, r0.Energy, r.Final.Energy, fresh.Energy)
	}
	rep := r.Report(m)
	if rep.FinalEnergy != want.Energy || rep.Steps != want.Steps || !rep.Converged || rep.Total == 0 || rep.NeighborListBuilds != r.NeighborListBuilds {
		t.Fatalf("report %+v", rep)
	}
	if _, err := potentials.Relax(m, copyStructure(start), 1e-9, 2, 1, nil); err == nil || !strings.Contains(err.Error(), "did not converge") {
		t.Fatalf("2 steps to 1e-9 eV/Å: error %v, want did not converge", err)
	}
}

func TestReadStructure(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "cu.xyz")
	s := crystal(rand.New(rand.NewPCG(1, 1)), []int{29, 29, 29, 29})
	f := potentials.FrameOf(s, "cu4", potentials.Result{Energy: -3, Forces: make([]float64, 12)})
	var buf bytes.Buffer
	if err := datasets.WriteExtXYZ(&buf, []datasets.Frame{f, f}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(good, buf.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "empty.xyz"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "overlap.xyz"), []byte("2\nProperties=species:S:1:pos:R:3\nCu 0 0 0\nCu 0 0 0\n"), 0o644)
	got, system, err := potentials.ReadStructure(good)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Positions, s.Positions) || *got.Cell != *s.Cell || got.PBC != s.PBC || !slices.Equal(got.Numbers, s.Numbers) {
		t.Fatalf("read %+v (system %q), wrote %+v", got, system, s)
	}
	for name, want := range map[string]string{"missing.xyz": "no such file", ".": "is a directory", "empty.xyz": "empty.xyz: no frames", "overlap.xyz": "overlap.xyz: "} {
		if _, _, err := potentials.ReadStructure(filepath.Join(dir, name)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, want)
		}
	}
}

func TestMDRunSave(t *testing.T) {
	m := smallModel(t, []int{29})
	s := crystal(rand.New(rand.NewPCG(5, 6)), []int{29, 29, 29, 29})
	run, err := potentials.RunMD(m, s, potentials.MDOptions{TimeStep: 1, Temperature: 300, Steps: 4, Every: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	traj, log := filepath.Join(dir, "traj.xyz"), filepath.Join(dir, "md.csv")
	if err := run.Save(traj, log); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(traj)
	frames, err := datasets.ReadExtXYZ(f, traj, nil)
	f.Close()
	b, _ := os.ReadFile(log)
	if err != nil || len(frames) != 3 || frames[2].Energy != run.Frames[2].Energy || strings.Count(string(b), "\n") != 4 {
		t.Fatalf("%d frames read back (%v), log of %d lines", len(frames), err, strings.Count(string(b), "\n"))
	}
	if err := run.Save(filepath.Join(dir, "t2.xyz"), ""); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Fatalf("%d files after saving without a log, want 3", len(entries))
	}
}
