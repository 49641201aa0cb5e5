package kim_test

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/elements"
	"github.com/sciadapt/sciadapt/potentials"
	"github.com/sciadapt/sciadapt/potentials/kim"
)

// Constants of LAMMPS's "metal" units (src/update.cpp, stable 29 Sep 2021):
// nktv2p converts eV/Å³ to bar, mvv2e u·(Å/ps)² to eV.
const (
	nktv2p = 1.6021765e6
	mvv2e  = 1.0364269e-4
)

// tools returns the paths of the programs the LAMMPS tests need, or skips.
func tools(t *testing.T, names ...string) map[string]string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: the LAMMPS tests build and install KIM items")
	}
	paths := map[string]string{}
	for _, n := range names {
		p, err := exec.LookPath(n)
		if err != nil {
			t.Skipf("%s not found: install Debian's lammps, libkim-api-dev, cmake and openmpi-bin (make test does)", n)
		}
		paths[n] = p
	}
	return paths
}

func goTool(t *testing.T) string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// collection is a KIM user collection under its own HOME.
type collection struct {
	home string
}

func (c collection) env() []string {
	return append(os.Environ(), "HOME="+c.home, "OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1",
		"OMP_NUM_THREADS=1")
}

// install runs kim-api-collections-management install user on each directory.
func (c collection) install(t *testing.T, dirs ...string) {
	t.Helper()
	args := append([]string{"install", "user"}, dirs...)
	cmd := exec.Command("kim-api-collections-management", args...)
	cmd.Env, cmd.Dir = c.env(), c.home
	b, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(b), "Success") {
		t.Fatalf("kim-api-collections-management install user %v: %v\n%s", dirs, err, b)
	}
}

// installDriver builds libsciadapt.so and installs the driver with it.
func (c collection) installDriver(t *testing.T, dir string) {
	t.Helper()
	src := filepath.Join(dir, kim.DriverName)
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goTool(t), "build", "-buildmode=c-shared", "-o", filepath.Join(src, "libsciadapt.so"), "github.com/sciadapt/sciadapt/capi")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build -buildmode=c-shared: %v\n%s", err, b)
	}
	for _, f := range []string{"driver/CMakeLists.txt", "driver/sciadapt_kim_driver.c", "../../capi/sciadapt.h"} {
		copyFile(t, f, filepath.Join(src, filepath.Base(f)))
	}
	c.install(t, src)
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// lammps runs the input in dir on np ranks and returns its output.
func (c collection) lammps(t *testing.T, dir, input string, np int) (string, error) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "in.lmp"), []byte(input), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-in", "in.lmp", "-log", "log.lammps", "-nocite"}
	cmd := exec.Command("lmp", args...)
	if np > 1 {
		cmd = exec.Command("mpirun", append([]string{"--oversubscribe", "-np", strconv.Itoa(np), "lmp"}, args...)...)
	}
	cmd.Env, cmd.Dir = c.env(), dir
	b, err := cmd.CombinedOutput()
	return string(b), err
}

// readFrames reads every frame of an atoms file of the repository's testdata.
func readFrames(t *testing.T, path string) []datasets.Frame {
	t.Helper()
	f, err := datasets.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fr, err := f.Frames(f.Refs())
	if err != nil {
		t.Fatal(err)
	}
	return fr
}

// lammpsCell returns s rotated so that its cell has LAMMPS's triclinic form (a
// along x, b in the xy plane): positions keep their fractional coordinates.
func lammpsCell(t *testing.T, s *potentials.Structure) *potentials.Structure {
	t.Helper()
	c := s.Cell
	if potentials.Volume(c) <= 0 {
		t.Fatal("left-handed cell")
	}
	dot := func(i, j int) float64 { return c[3*i]*c[3*j] + c[3*i+1]*c[3*j+1] + c[3*i+2]*c[3*j+2] }
	lx := math.Sqrt(dot(0, 0))
	xy, xz := dot(0, 1)/lx, dot(0, 2)/lx
	ly := math.Sqrt(dot(1, 1) - xy*xy)
	yz := (dot(1, 2) - xy*xz) / ly
	lz := math.Sqrt(dot(2, 2) - xz*xz - yz*yz)
	cell := [9]float64{lx, 0, 0, xy, ly, 0, xz, yz, lz}
	inv := inverse(c)
	out := &potentials.Structure{Numbers: s.Numbers, Positions: make([]float64, len(s.Positions)), Cell: &cell, PBC: s.PBC}
	for i := 0; i < s.Len(); i++ {
		var f [3]float64
		for a := 0; a < 3; a++ {
			for k := 0; k < 3; k++ {
				f[a] += s.Positions[3*i+k] * inv[3*k+a]
			}
		}
		for k := 0; k < 3; k++ {
			out.Positions[3*i+k] = f[0]*cell[k] + f[1]*cell[3+k] + f[2]*cell[6+k]
		}
	}
	return out
}

// inverse returns the inverse of a 3×3 row-major matrix.
func inverse(m *[9]float64) [9]float64 {
	det := potentials.Volume(m)
	var r [9]float64
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			a, b := (j+1)%3, (j+2)%3
			c, d := (i+1)%3, (i+2)%3
			r[3*i+j] = (m[3*a+c]*m[3*b+d] - m[3*a+d]*m[3*b+c]) / det
		}
	}
	return r
}

// dataFile writes s as a LAMMPS data file with one atom type per element (in
// the order of types) and, if v is not nil, velocities (Å/fs, written in Å/ps).
// mass gives the mass of each type. It returns the element symbols by type.
func dataFile(t *testing.T, path string, s *potentials.Structure, types []int, mass func(z int) float64, v []float64) []string {
	t.Helper()
	typeOf := map[int]int{}
	var syms []string
	for k, z := range types {
		typeOf[z] = k + 1
		syms = append(syms, elements.Symbol(z))
	}
	var b strings.Builder
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 17, 64) }
	fmt.Fprintf(&b, "sciadapt test structure\n\n%d atoms\n%d atom types\n\n", s.Len(), len(types))
	c := s.Cell
	fmt.Fprintf(&b, "0 %s xlo xhi\n0 %s ylo yhi\n0 %s zlo zhi\n%s %s %s xy xz yz\n\nMasses\n\n",
		g(c[0]), g(c[4]), g(c[8]), g(c[3]), g(c[6]), g(c[7]))
	for k, z := range types {
		fmt.Fprintf(&b, "%d %s\n", k+1, g(mass(z)))
	}
	fmt.Fprintf(&b, "\nAtoms # atomic\n\n")
	for i, z := range s.Numbers {
		fmt.Fprintf(&b, "%d %d %s %s %s\n", i+1, typeOf[z], g(s.Positions[3*i]), g(s.Positions[3*i+1]), g(s.Positions[3*i+2]))
	}
	if v != nil {
		fmt.Fprintf(&b, "\nVelocities\n\n")
		for i := range s.Numbers {
			fmt.Fprintf(&b, "%d %s %s %s\n", i+1, g(1000*v[3*i]), g(1000*v[3*i+1]), g(1000*v[3*i+2]))
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return syms
}

func standardMass(z int) float64 {
	e, _ := elements.ByZ(z)
	return e.Mass
}

// result is what a single-point LAMMPS run reports.
type result struct {
	energy float64      // eV
	virial [6]float64   // −P·V/nktv2p, xx yy zz xy xz yz, eV (= V·σ)
	forces [][3]float64 // by atom id − 1, eV/Å
	atomE  []float64    // per-atom energies, eV
	atomV  [][6]float64 // per-atom virials (stress/atom / nktv2p: KIM's particle virials), eV
}

// singlePoint is the LAMMPS input for one evaluation of the structure in data.lmp.
func singlePoint(model, units string, species []string) string {
	return fmt.Sprintf(`kim init %s %s
boundary p p p
read_data data.lmp
kim interactions %s
neighbor 1.0 bin
compute pea all pe/atom
compute sta all stress/atom NULL virial
compute vir all pressure NULL virial
thermo_style custom step pe vol c_vir[1] c_vir[2] c_vir[3] c_vir[4] c_vir[5] c_vir[6]
thermo_modify format float %%.17g
dump d all custom 1 atoms.txt id fx fy fz c_pea c_sta[1] c_sta[2] c_sta[3] c_sta[4] c_sta[5] c_sta[6]
dump_modify d sort id format float %%.17g
run 0
print "RESULT $(pe:%%.17g) $(vol:%%.17g) $(c_vir[1]:%%.17g) $(c_vir[2]:%%.17g) $(c_vir[3]:%%.17g) $(c_vir[4]:%%.17g) $(c_vir[5]:%%.17g) $(c_vir[6]:%%.17g)"
`, model, units, strings.Join(species, " "))
}

// parseSinglePoint reads the RESULT line of the output and the dump in dir.
func parseSinglePoint(t *testing.T, out, dir string, n int) result {
	t.Helper()
	var r result
	line := ""
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "RESULT ") {
			line = l
		}
	}
	v := floats(t, strings.TrimPrefix(line, "RESULT "))
	if len(v) != 8 {
		t.Fatalf("no RESULT line in the LAMMPS output:\n%s", out)
	}
	r.energy = v[0]
	for k := 0; k < 6; k++ {
		r.virial[k] = -v[2+k] * v[1] / nktv2p
	}
	f, err := os.Open(filepath.Join(dir, "atoms.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "ITEM:") || len(strings.Fields(sc.Text())) != 11 {
			continue
		}
		x := floats(t, sc.Text())
		r.forces = append(r.forces, [3]float64{x[1], x[2], x[3]})
		r.atomE = append(r.atomE, x[4])
		var av [6]float64
		for k := range av {
			av[k] = x[5+k] / nktv2p
		}
		r.atomV = append(r.atomV, av)
	}
	if len(r.forces) != n {
		t.Fatalf("dump has %d atoms, want %d", len(r.forces), n)
	}
	return r
}

func floats(t *testing.T, s string) []float64 {
	t.Helper()
	var v []float64
	for _, f := range strings.Fields(s) {
		x, err := strconv.ParseFloat(f, 64)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		v = append(v, x)
	}
	return v
}

// near fails unless got and want agree to tol relative to the largest |want|.
func near(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	scale := 0.0
	for _, w := range want {
		scale = math.Max(scale, math.Abs(w))
	}
	worst := 0.0
	for i := range want {
		d := math.Abs(got[i] - want[i])
		if !(d <= tol*scale) {
			t.Fatalf("%s[%d] = %.17g, want %.17g (tolerance %g relative to %g)", what, i, got[i], want[i], tol, scale)
		}
		worst = math.Max(worst, d/scale)
	}
	t.Logf("%s: %d values agree to %.1e relative", what, len(want), worst)
}

func flat3(f [][3]float64) []float64 {
	var out []float64
	for _, x := range f {
		out = append(out, x[:]...)
	}
	return out
}
