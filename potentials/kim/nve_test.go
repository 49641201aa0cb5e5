package kim_test

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/potentials"
)

// testNVE runs 1,000 velocity-Verlet steps of the alloy cell from the same
// positions and velocities in LAMMPS (fix nve through the KIM model) and with
// potentials.VelocityVerlet, and checks that LAMMPS conserves the total energy
// as well as the project's own integrator does. LAMMPS's masses are scaled by
// 1e-6/(mvv2e·AccelerationUnit) = 1 + 6e-8 so that both integrate exactly the
// same equations (LAMMPS's metal units use a slightly different eV/u → Å²/fs²
// factor than CODATA 2018); the first steps must then agree to rounding.
func testNVE(t *testing.T, km *kimModels) {
	const (
		steps = 1000
		dt    = 1.0 // fs
	)
	s := alloyCell(t, km)
	masses, err := potentials.Masses(s)
	if err != nil {
		t.Fatal(err)
	}
	v0 := potentials.MaxwellBoltzmann(masses, 300, 7)

	goS := &potentials.Structure{Numbers: s.Numbers, Positions: slices.Clone(s.Positions), Cell: s.Cell, PBC: s.PBC}
	calc, err := potentials.NewMDCalculator(km.alloy, 1)
	if err != nil {
		t.Fatal(err)
	}
	shift := km.alloy.Shift.Value().Data[0]
	var goPE, goE []float64
	err = potentials.VelocityVerlet(calc, goS, slices.Clone(v0), dt, steps, func(st potentials.Step) {
		goPE = append(goPE, st.Potential-shift)
		goE = append(goE, st.Total()-shift)
	})
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	scale := 1e-6 / (mvv2e * potentials.AccelerationUnit)
	syms := dataFile(t, filepath.Join(dir, "data.lmp"), s, typesOf(s, km.alloy), func(z int) float64 { return scale * standardMass(z) }, v0)
	input := fmt.Sprintf(`kim init %s metal
boundary p p p
read_data data.lmp
kim interactions %s
neighbor 1.0 bin
timestep %g
fix nve all nve
thermo 1
thermo_style custom step pe ke etotal
thermo_modify format float %%.17g
run %d
`, km.alloyName, strings.Join(syms, " "), dt/1000, steps)
	out, err := km.col.lammps(t, dir, input, 1)
	if err != nil {
		t.Fatalf("lmp: %v\n%s", err, out)
	}
	lmpPE, lmpE := thermoColumns(t, out, steps+1)

	near(t, "potential energy, first 50 steps", lmpPE[:50], goPE[:50], 1e-9)
	dGo, dLmp := maxDeviation(goE), maxDeviation(lmpE)
	swing := slices.Max(goPE) - slices.Min(goPE)
	t.Logf("%d steps of %g fs: max |E(t) − E(0)| %.3g eV in LAMMPS, %.3g eV with VelocityVerlet; potential energy swings %.3g eV",
		steps, dt, dLmp, dGo, swing)
	if !(dLmp <= 1.5*dGo) {
		t.Fatalf("LAMMPS conserves energy to %.3g eV, VelocityVerlet to %.3g eV", dLmp, dGo)
	}
	if !(dGo < 0.01*swing) {
		t.Fatalf("the energy error %.3g eV is not small against the potential energy swing %.3g eV: time step too long", dGo, swing)
	}
}

// thermoColumns reads PotEng and TotEng from the thermo lines of a run.
func thermoColumns(t *testing.T, out string, n int) (pe, etot []float64) {
	t.Helper()
	in := false
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) == 4 && f[0] == "Step" && f[1] == "PotEng":
			in = true
		case in && strings.HasPrefix(l, "Loop time"):
			in = false
		case in && len(f) == 4:
			x := floats(t, l)
			pe, etot = append(pe, x[1]), append(etot, x[3])
		}
	}
	if len(pe) != n {
		t.Fatalf("%d thermo lines, want %d:\n%s", len(pe), n, lastLines(out, 20))
	}
	return pe, etot
}

func maxDeviation(e []float64) float64 {
	d := 0.0
	for _, x := range e {
		d = math.Max(d, math.Abs(x-e[0]))
	}
	return d
}
