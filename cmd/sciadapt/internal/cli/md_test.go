package cli

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/potentials"
)

const cu4XYZ = `4
Lattice="3.6 0 0 0.2 3.6 0 0.1 -0.15 3.6" Properties=species:S:1:pos:R:3 pbc="T T T"
Cu 0.05 0.0 -0.03
Cu 0.0 1.8 1.83
Cu 1.78 0.02 1.8
Cu 1.8 1.81 0.0
`

// TestMDCommand runs 40 NVE steps of a periodic Cu₄ cell through the CLI, checks the
// energy log conserves energy, and, where ASE is installed, that ASE reads the
// trajectory with our energies.
func TestMDCommand(t *testing.T) {
	dir := t.TempDir()
	m, err := potentials.New(potentials.Config{Species: []int{29}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 1, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	m.Scale.Value().Data[0] = 10
	model := filepath.Join(dir, "cu.model")
	if err := m.Save(model); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "cu4.xyz")
	os.WriteFile(in, []byte(cu4XYZ), 0o644)
	traj := filepath.Join(dir, "traj.xyz")
	code, out, stderr := run(t, "md", "--model", model, "--structure", in, "--steps", "40", "--every", "10",
		"--dt", "0.5fs", "--temperature", "300K", "--out", traj)
	if code != 0 {
		t.Fatalf("md: exit %d: %s", code, stderr)
	}
	var totals []float64
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) == 6 && !strings.HasPrefix(line, "#") {
			v, _ := strconv.ParseFloat(f[4], 64)
			totals = append(totals, v)
		}
	}
	if len(totals) != 5 {
		t.Fatalf("log has %d energy lines, want 5:\n%s", len(totals), out)
	}
	for _, e := range totals {
		if math.Abs(e-totals[0]) > 1e-4 {
			t.Fatalf("total energy not conserved: %v", totals)
		}
	}
	if _, err := exec.LookPath("/usr/bin/python3"); err != nil {
		t.Skip("no /usr/bin/python3 to check the trajectory with ASE")
	}
	script := `import sys
try:
    from ase.io import read
except ImportError:
    print("NOASE"); sys.exit(0)
fr = read(sys.argv[1], index=":")
print(len(fr), fr[-1].get_potential_energy(), fr[-1].get_forces().shape, fr[-1].pbc.all())`
	b, err := exec.Command("/usr/bin/python3", "-c", script, traj).CombinedOutput()
	if err != nil {
		t.Fatalf("ASE could not read the trajectory: %v\n%s", err, b)
	}
	got := strings.Fields(string(b))
	if got[0] == "NOASE" {
		t.Skip("python3-ase is not installed; trajectory not checked with ASE")
	}
	if got[0] != "5" || got[len(got)-1] != "True" {
		t.Fatalf("ASE read %q", b)
	}
	// Bad input: an unknown unit is a usage error.
	if code, _, _ := run(t, "md", "--model", model, "--structure", in, "--dt", "0.5fortnights", "--out", filepath.Join(dir, "x.xyz")); code != ExitUsage {
		t.Fatalf("bad --dt: exit %d, want %d", code, ExitUsage)
	}
}
