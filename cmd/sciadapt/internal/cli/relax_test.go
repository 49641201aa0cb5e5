package cli

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/potentials"
)

// aseFrame is what ASE reads from one frame of an extended XYZ file.
type aseFrame struct {
	Energy    float64   `json:"energy"`
	Forces    []float64 `json:"forces"`
	Positions []float64 `json:"positions"`
	Numbers   []int     `json:"numbers"`
	Cell      []float64 `json:"cell"`
	PBC       []bool    `json:"pbc"`
}

// readWithASE reads every frame of an extended XYZ file with ASE (Debian's
// python3-ase, installed by "make test"), or skips the test if ASE is absent.
func readWithASE(t *testing.T, path string) []aseFrame {
	t.Helper()
	if _, err := exec.LookPath("/usr/bin/python3"); err != nil {
		t.Skip("no /usr/bin/python3 to read the file with ASE")
	}
	script := `import sys, json
try:
    from ase.io import read
except ImportError:
    print("NOASE"); sys.exit(0)
out = []
for a in read(sys.argv[1], index=":"):
    out.append({"energy": a.get_potential_energy(), "forces": a.get_forces().ravel().tolist(),
                "positions": a.positions.ravel().tolist(), "numbers": a.numbers.tolist(),
                "cell": a.cell.array.ravel().tolist(), "pbc": a.pbc.tolist()})
print(json.dumps(out))`
	b, err := exec.Command("/usr/bin/python3", "-c", script, path).Output()
	if err != nil {
		t.Fatalf("ASE could not read %s: %v\n%s", path, err, b)
	}
	if strings.TrimSpace(string(b)) == "NOASE" {
		t.Skip("python3-ase is not installed; file not checked with ASE")
	}
	var fr []aseFrame
	if err := json.Unmarshal(b, &fr); err != nil {
		t.Fatalf("ASE output: %v", err)
	}
	return fr
}

func writeCuModel(t *testing.T, dir string) string {
	t.Helper()
	m, err := potentials.New(potentials.Config{Species: []int{29}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 1, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	m.Scale.Value().Data[0] = 10
	path := filepath.Join(dir, "cu.model")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMDLogCSV runs NVE dynamics with --log and checks the CSV columns, the times,
// energy conservation, the temperature column against 2K/(3N·k_B), that ASE reads
// the trajectory with the energies of the log, and that no progress bar is drawn
// on a standard error that is not a terminal.
func TestMDLogCSV(t *testing.T) {
	dir := t.TempDir()
	model := writeCuModel(t, dir)
	in := filepath.Join(dir, "cu4.xyz")
	os.WriteFile(in, []byte(cu4XYZ), 0o644)
	traj, logPath := filepath.Join(dir, "traj.xyz"), filepath.Join(dir, "md.csv")
	code, out, stderr := run(t, "md", "--model", model, "--structure", in, "--steps", "30", "--every", "10",
		"--dt", "0.5fs", "--temperature", "540R", "--skin", "0.5", "--out", traj, "--log", logPath)
	if code != 0 {
		t.Fatalf("md: exit %d: %s", code, stderr)
	}
	if stderr != "" || !strings.Contains(out, "energy log in "+logPath) {
		t.Fatalf("stdout %q, stderr %q", out, stderr)
	}
	f, _ := os.Open(logPath)
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "step,time_fs,potential_ev,kinetic_ev,total_ev,temperature_k" || len(rows) != 5 {
		t.Fatalf("log has header %v and %d rows, want 4 data rows", rows[0], len(rows))
	}
	val := func(r, c int) float64 {
		v, err := strconv.ParseFloat(rows[r][c], 64)
		if err != nil {
			t.Fatalf("row %d column %d: %v", r, c, err)
		}
		return v
	}
	for r := 1; r < len(rows); r++ {
		step, tfs, pot, kin, tot, tK := val(r, 0), val(r, 1), val(r, 2), val(r, 3), val(r, 4), val(r, 5)
		if step != float64(10*(r-1)) || tfs != 0.5*step {
			t.Fatalf("row %d: step %g at %g fs", r, step, tfs)
		}
		if math.Abs(pot+kin-tot) > 2e-9 || math.Abs(tot-val(1, 4)) > 1e-4 {
			t.Fatalf("row %d: potential %g + kinetic %g vs total %g (start %g)", r, pot, kin, tot, val(1, 4))
		}
		if want := 2 * kin / (12 * potentials.Boltzmann); math.Abs(tK-want) > 1e-3 {
			t.Fatalf("row %d: temperature %g K, want 2K/(3N k_B) = %g K", r, tK, want)
		}
	}
	// 540 °R = 300 K; Maxwell–Boltzmann sampling of 12 components scatters widely, so
	// only the order of magnitude is checked at step 0.
	if t0 := val(1, 5); t0 < 50 || t0 > 900 {
		t.Fatalf("initial temperature %g K for --temperature 540R (300 K)", t0)
	}
	fr := readWithASE(t, traj)
	if len(fr) != 4 {
		t.Fatalf("ASE read %d frames, want 4", len(fr))
	}
	if fr[3].Energy != val(4, 2) || len(fr[3].Forces) != 12 || !fr[3].PBC[0] {
		t.Fatalf("ASE: last frame energy %v (log %v), %d force values, pbc %v", fr[3].Energy, val(4, 2), len(fr[3].Forces), fr[3].PBC)
	}
}

// TestRelaxCommand relaxes a rattled Cu₄ cell, checks that the written structure
// has forces below --fmax by a fresh evaluation, a lower energy than the input,
// and that ASE reads it with the same energy, positions and cell; then the error
// cases.
func TestRelaxCommand(t *testing.T) {
	dir := t.TempDir()
	model := writeCuModel(t, dir)
	in := filepath.Join(dir, "cu4.xyz")
	os.WriteFile(in, []byte(cu4XYZ), 0o644)
	out, report := filepath.Join(dir, "relaxed.xyz"), filepath.Join(dir, "relax.json")
	code, stdout, stderr := run(t, "relax", "--model", model, "--structure", in, "--fmax", "0.01", "--out", out, "--report", report)
	if code != 0 {
		t.Fatalf("relax: exit %d: %s", code, stderr)
	}
	var rep map[string]any
	b, _ := os.ReadFile(report)
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"trainable_parameters", "total_parameters", "seconds", "steps", "final_energy_ev", "final_fmax_ev_per_angstrom"} {
		if _, ok := rep[k]; !ok {
			t.Fatalf("report lacks %q: %s", k, b)
		}
	}
	if !(rep["final_energy_ev"].(float64) < rep["initial_energy_ev"].(float64)) || !(rep["final_fmax_ev_per_angstrom"].(float64) < 0.01) {
		t.Fatalf("report %s", b)
	}
	m, err := potentials.Load(model)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(out)
	frames, err := datasets.ReadExtXYZ(f, out, nil)
	f.Close()
	if err != nil || len(frames) != 1 {
		t.Fatalf("reading %s: %v (%d frames)", out, err, len(frames))
	}
	r, err := m.Compute(potentials.StructureOf(&frames[0]))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if fi := math.Sqrt(r.Forces[3*i]*r.Forces[3*i] + r.Forces[3*i+1]*r.Forces[3*i+1] + r.Forces[3*i+2]*r.Forces[3*i+2]); fi >= 0.01 {
			t.Fatalf("atom %d: force %.4f eV/Å after relaxation to --fmax 0.01\n%s", i, fi, stdout)
		}
	}
	if r.Energy != rep["final_energy_ev"].(float64) || r.Energy != frames[0].Energy {
		t.Fatalf("energy %v; report %v; file %v", r.Energy, rep["final_energy_ev"], frames[0].Energy)
	}
	fr := readWithASE(t, out)
	if len(fr) != 1 || fr[0].Energy != r.Energy || fr[0].Cell[3] != 0.2 || fr[0].Numbers[0] != 29 {
		t.Fatalf("ASE read %+v", fr)
	}
	for k, x := range frames[0].Positions {
		if fr[0].Positions[k] != x || fr[0].Forces[k] != frames[0].Forces[k] {
			t.Fatalf("ASE position/force %d: %v/%v, ours %v/%v", k, fr[0].Positions[k], fr[0].Forces[k], x, frames[0].Forces[k])
		}
	}

	bad := filepath.Join(dir, "never.xyz")
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--fmax", "0"}, ExitUsage, "--fmax > 0"},
		{[]string{"--fmax", "1e-12", "--steps", "5"}, ExitBadInput, "did not converge in 5 steps"},
		{[]string{"--model", in}, ExitBadInput, "cu4.xyz"},
	} {
		args := append([]string{"relax", "--model", model, "--structure", in, "--out", bad}, tc.args...)
		code, _, stderr := run(t, args...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.msg)
		}
		if _, err := os.Stat(bad); err == nil {
			t.Errorf("%v: %s written despite the error", tc.args, bad)
		}
	}
}
