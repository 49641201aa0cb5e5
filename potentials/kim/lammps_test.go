package kim_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sciadapt/sciadapt/adapters"
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/potentials"
	"github.com/sciadapt/sciadapt/potentials/kim"
)

// Fixtures: EMT Cu/Ag/Au cells and rMD17 frames (testdata/atoms/README.md); the
// H/C/N frames are those "sciadapt demo" runs on (its README gives their source).
const (
	emtFixture = "../../testdata/atoms/emt_subset.h5"
	oFixture   = "../../testdata/atoms/rmd17_o_subset.h5"
	hcnFixture = "../../cmd/sciadapt/internal/demodata/hcn_train.h5"
)

// kimModels are the trained models of the LAMMPS tests, exported and installed.
type kimModels struct {
	col         collection
	dir         string
	alloy       *potentials.Model // Cu/Ag/Au
	alloyName   string
	alloyDir    string
	hcn         *potentials.Model // H/C/N with the O adapter attached
	hcnName     string
	hcnFile     string
	emt, oFrame []datasets.Frame
}

// TestLAMMPS runs sciadapt potentials inside LAMMPS through the KIM-API: it
// builds the C library, installs the model driver and two exported models into a
// KIM user collection of its own, and compares LAMMPS with the Go API.
func TestLAMMPS(t *testing.T) {
	tools(t, "lmp", "kim-api-collections-management", "cmake", "gcc", "g++")
	t0 := time.Now()
	km := setupModels(t)
	t.Logf("set-up (library, driver, training, 2 models installed): %v", time.Since(t0).Round(time.Second))
	t.Run("alloy", func(t *testing.T) { testAlloy(t, km) })
	t.Run("molecule", func(t *testing.T) { testMolecule(t, km) })
	t.Run("mpi", func(t *testing.T) { testMPI(t, km) })
	t.Run("units", func(t *testing.T) { testUnits(t, km) })
	t.Run("nve", func(t *testing.T) { testNVE(t, km) })
	t.Run("bad-model", func(t *testing.T) { testBadModel(t, km) })
	t.Run("readme", func(t *testing.T) { testREADMEInput(t, km) })
}

func setupModels(t *testing.T) *kimModels {
	dir := t.TempDir()
	km := &kimModels{col: collection{home: filepath.Join(dir, "home")}, dir: dir}
	if err := os.MkdirAll(km.col.home, 0o755); err != nil {
		t.Fatal(err)
	}
	km.col.installDriver(t, filepath.Join(dir, "driver"))
	km.emt, km.oFrame = readFrames(t, emtFixture), readFrames(t, oFixture)
	km.alloy = trainAlloy(t, km.emt)
	alloyFile := filepath.Join(dir, "cuagau.model")
	if err := km.alloy.Save(alloyFile); err != nil {
		t.Fatal(err)
	}
	base, a := trainHCNO(t, readFrames(t, hcnFixture), km.oFrame)
	km.hcnFile = filepath.Join(dir, "hcn.model")
	adapterFile := filepath.Join(dir, "O.adapter")
	if err := base.Save(km.hcnFile); err != nil {
		t.Fatal(err)
	}
	if err := a.Save(adapterFile); err != nil {
		t.Fatal(err)
	}
	km.hcn = loadWithAdapter(t, km.hcnFile, adapterFile)
	km.alloyDir = filepath.Join(dir, "kim-alloy")
	ea, err := kim.Export(kim.ExportOptions{Model: alloyFile, Out: km.alloyDir})
	if err != nil {
		t.Fatal(err)
	}
	eh, err := kim.Export(kim.ExportOptions{Model: km.hcnFile, Adapter: adapterFile, Out: filepath.Join(dir, "kim-hcno"), Name: "Sciadapt_HCNO_test"})
	if err != nil {
		t.Fatal(err)
	}
	km.alloyName, km.hcnName = ea.Name, eh.Name
	km.col.install(t, ea.Dir, eh.Dir)
	return km
}

// trainAlloy trains a small Cu/Ag/Au model on the EMT frames (a few epochs: the
// tests need a model with fitted references and non-trivial weights, not a good
// one).
func trainAlloy(t *testing.T, frames []datasets.Frame) *potentials.Model {
	m, err := potentials.New(potentials.Config{Species: []int{29, 47, 79}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.FitReferences(frames); err != nil {
		t.Fatal(err)
	}
	if _, err := potentials.Train(m, frames, potentials.TrainOptions{Epochs: 5, BatchSize: 2, LR: 1e-2, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	return m
}

// trainHCNO trains a small H/C/N base on a few H/C/N frames and an oxygen
// adapter on the O-containing frames.
func trainHCNO(t *testing.T, hcn, o []datasets.Frame) (*potentials.Model, *adapters.Adapter) {
	m, err := potentials.New(potentials.Config{Species: []int{1, 6, 7}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 3, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	hcn = hcn[:8]
	if err := m.FitReferences(hcn); err != nil {
		t.Fatal(err)
	}
	if _, err := potentials.Train(m, hcn, potentials.TrainOptions{Epochs: 3, BatchSize: 4, LR: 1e-2, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	a, _, err := potentials.AddElement(m, o, potentials.AddElementOptions{
		Config: potentials.DefaultElementConfig(8),
		Train:  potentials.TrainOptions{Epochs: 3, BatchSize: 4, LR: 1e-2, Seed: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	return m, a
}

func loadWithAdapter(t *testing.T, model, adapter string) *potentials.Model {
	m, err := potentials.Load(model)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := potentials.LoadElementAdapter(adapter, m); err != nil {
		t.Fatal(err)
	}
	return m
}

// goReference is the Go API's answer for a structure: Model.Compute, and each
// atom's energy (Model.AtomEnergies on the same batch, with the attached
// adapter's masks).
type goReference struct {
	res   potentials.Result
	atomE []float64
	shift float64
}

func reference(t *testing.T, m *potentials.Model, s *potentials.Structure) goReference {
	t.Helper()
	r, err := m.Compute(s)
	if err != nil {
		t.Fatal(err)
	}
	b, err := potentials.NewBatch([]*potentials.Structure{s}, m.Species(), m.Config.Cutoff)
	if err != nil {
		t.Fatal(err)
	}
	e := m.AtomEnergies(m.ElementContext(b), b, ad.Constant(b.Positions), nil)
	return goReference{res: r, atomE: append([]float64(nil), e.Value().Data...), shift: m.Shift.Value().Data[0]}
}

// alloyCell is the first EMT frame in LAMMPS's triclinic orientation.
func alloyCell(t *testing.T, km *kimModels) *potentials.Structure {
	return lammpsCell(t, potentials.StructureOf(&km.emt[0]))
}

// ethanolBox is the first O-containing frame (ethanol) in a periodic 30 Å box:
// its images are farther apart than the cutoff, so both LAMMPS and the Go API
// see the free molecule (and give a virial).
func ethanolBox(km *kimModels) *potentials.Structure {
	f := km.oFrame[0]
	s := &potentials.Structure{Numbers: f.Numbers, Positions: append([]float64(nil), f.Positions...)}
	for i := range s.Positions {
		s.Positions[i] += 15
	}
	c := [9]float64{30, 0, 0, 0, 30, 0, 0, 0, 30}
	s.Cell, s.PBC = &c, [3]bool{true, true, true}
	return s
}

// scaled returns s with lengths divided by unit (to write it in other units).
func scaled(s *potentials.Structure, unit float64) *potentials.Structure {
	out := &potentials.Structure{Numbers: s.Numbers, Positions: slices.Clone(s.Positions), PBC: s.PBC}
	for i := range out.Positions {
		out.Positions[i] /= unit
	}
	c := *s.Cell
	for i := range c {
		c[i] /= unit
	}
	out.Cell = &c
	return out
}

func typesOf(s *potentials.Structure, model *potentials.Model) []int {
	seen := map[int]bool{}
	for _, z := range s.Numbers {
		seen[z] = true
	}
	var types []int
	for _, z := range model.Species() {
		if seen[z] {
			types = append(types, z)
		}
	}
	return types
}

// runSinglePoint evaluates the periodic structure s (positions and cell in the
// length unit of units) with a KIM model in LAMMPS on np ranks.
func runSinglePoint(t *testing.T, km *kimModels, name, units string, model *potentials.Model, s *potentials.Structure, np int) result {
	t.Helper()
	dir := t.TempDir()
	syms := dataFile(t, filepath.Join(dir, "data.lmp"), s, typesOf(s, model), standardMass, nil)
	out, err := km.col.lammps(t, dir, singlePoint(name, units, syms), np)
	if err != nil {
		t.Fatalf("lmp: %v\n%s", err, out)
	}
	return parseSinglePoint(t, out, dir, s.Len())
}

// compare checks LAMMPS against the Go API: the energy (the model's minus E_0),
// each atom's energy and force, and with a cell the virial V·σ; per-atom virials
// must sum to the virial.
func compare(t *testing.T, got result, want goReference, s *potentials.Structure, tol float64) {
	t.Helper()
	near(t, "energy", []float64{got.energy}, []float64{want.res.Energy - want.shift}, tol)
	near(t, "atom energies", got.atomE, want.atomE, tol)
	near(t, "forces", flat3(got.forces), want.res.Forces, tol)
	var sum [6]float64
	for _, v := range got.atomV {
		for k := range sum {
			sum[k] += v[k]
		}
	}
	near(t, "sum of atom virials", sum[:], got.virial[:], 1e-9)
	if s.Cell != nil {
		V, st := potentials.Volume(s.Cell), want.res.Stress
		near(t, "virial", got.virial[:], []float64{V * st[0], V * st[4], V * st[8], V * st[1], V * st[2], V * st[5]}, tol)
	}
}

func testAlloy(t *testing.T, km *kimModels) {
	s := alloyCell(t, km)
	got := runSinglePoint(t, km, km.alloyName, "metal", km.alloy, s, 1)
	compare(t, got, reference(t, km.alloy, s), s, 1e-10)
}

func testMolecule(t *testing.T, km *kimModels) {
	s := ethanolBox(km)
	got := runSinglePoint(t, km, km.hcnName, "metal", km.hcn, s, 1)
	want := reference(t, km.hcn, s)
	compare(t, got, want, s, 1e-10)
	// The adapter is doing something: the base alone cannot even read oxygen.
	base, err := potentials.Load(km.hcnFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := base.Compute(s); err == nil {
		t.Fatal("the base model computes ethanol without the O adapter")
	}
}

// testMPI checks that 2 ranks (domain decomposition, ghost atoms from the other
// rank) give the energies and forces of 1 rank.
func testMPI(t *testing.T, km *kimModels) {
	tools(t, "mpirun")
	for _, tc := range []struct {
		name, kim string
		model     *potentials.Model
		s         *potentials.Structure
	}{
		{"alloy", km.alloyName, km.alloy, alloyCell(t, km)},
		{"ethanol", km.hcnName, km.hcn, ethanolBox(km)},
	} {
		one := runSinglePoint(t, km, tc.kim, "metal", tc.model, tc.s, 1)
		two := runSinglePoint(t, km, tc.kim, "metal", tc.model, tc.s, 2)
		near(t, tc.name+": energy on 2 ranks", []float64{two.energy}, []float64{one.energy}, 1e-12)
		near(t, tc.name+": forces on 2 ranks", flat3(two.forces), flat3(one.forces), 1e-12)
		near(t, tc.name+": atom energies on 2 ranks", two.atomE, one.atomE, 1e-12)
		near(t, tc.name+": virial on 2 ranks", two.virial[:], one.virial[:], 1e-10)
	}
}

// testUnits runs the molecule in LAMMPS's "real" units (kcal/mol, Å) and
// "electron" units (Hartree, Bohr): the driver converts lengths and energies with
// the KIM-API's factors (kim-api 2.3, cpp/src/KIM_ModelImplementation.cpp: 1 eV =
// 1.60217646e-19 J, 1 kcal/mol = 6.9477e-21 J, 1 Hartree = 4.3597439422e-18 J,
// 1 Bohr = 0.5291772109217171 Å; their kcal/mol is 7.6e-7 off CODATA's).
func testUnits(t *testing.T, km *kimModels) {
	const eV, bohr = 1.60217646e-19, 0.5291772109217171
	s := ethanolBox(km)
	metal := runSinglePoint(t, km, km.hcnName, "metal", km.hcn, s, 1)
	for _, u := range []struct {
		name           string
		energy, length float64 // one eV and one Å in these units
	}{
		{"real", eV / 6.9477e-21, 1},
		{"electron", eV / 4.3597439422e-18, 1 / bohr},
	} {
		got := runSinglePoint(t, km, km.hcnName, u.name, km.hcn, scaled(s, 1/u.length), 1)
		near(t, u.name+": energy", []float64{got.energy}, []float64{u.energy * metal.energy}, 1e-12)
		f := flat3(metal.forces)
		for i := range f {
			f[i] *= u.energy / u.length
		}
		near(t, u.name+": forces", flat3(got.forces), f, 1e-12)
	}
}

// testBadModel installs copies of the alloy model with a broken model file and
// checks that "kim init" stops LAMMPS with the driver's message, not a crash.
func testBadModel(t *testing.T, km *kimModels) {
	cases := []struct {
		name string
		edit func(dir string)
		want string
	}{
		{"missing", func(dir string) {
			p := filepath.Join(dir, kim.ParamsFile)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(b), "model "+kim.ModelFile, "model gone.model", 1)), 0o644)
		}, `names the model file "gone.model", which is missing from the model's parameter files`},
		{"species", func(dir string) {
			copyFile(t, km.hcnFile, filepath.Join(dir, kim.ModelFile))
		}, "sciadapt.params declares the species Cu Ag Au, but the model file sciadapt.model knows H C N"},
		{"truncated", func(dir string) {
			p := filepath.Join(dir, kim.ModelFile)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)/2], 0o644)
		}, "sciadapt.model"},
	}
	var dirs []string
	for _, tc := range cases {
		dir := filepath.Join(t.TempDir(), "Bad_"+tc.name)
		copyDir(t, km.alloyDir, dir)
		tc.edit(dir)
		cm := filepath.Join(dir, "CMakeLists.txt")
		b, _ := os.ReadFile(cm)
		os.WriteFile(cm, []byte(strings.Replace(string(b), "project("+km.alloyName+")", "project(Bad_"+tc.name+")", 1)), 0o644)
		dirs = append(dirs, dir)
	}
	km.col.install(t, dirs...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			run := t.TempDir()
			dataFile(t, filepath.Join(run, "data.lmp"), alloyCell(t, km), []int{29, 47, 79}, standardMass, nil)
			out, err := km.col.lammps(t, run, singlePoint("Bad_"+tc.name, "metal", []string{"Cu", "Ag", "Au"}), 1)
			if err == nil {
				t.Fatalf("LAMMPS ran with a bad model:\n%s", out)
			}
			for _, crash := range []string{"panic", "Segmentation", "signal", "core dumped"} {
				if strings.Contains(out, crash) {
					t.Fatalf("LAMMPS crashed (%q):\n%s", crash, out)
				}
			}
			if !strings.Contains(out, "sciadapt KIM driver: ") || !strings.Contains(out, tc.want) || !strings.Contains(out, "kim init") {
				t.Fatalf("output lacks the driver's message %q:\n%s", tc.want, out)
			}
			t.Logf("LAMMPS stops with:\n%s", lastLines(out, 3))
		})
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		copyFile(t, filepath.Join(from, e.Name()), filepath.Join(to, e.Name()))
	}
}

func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(l[max(0, len(l)-n):], "\n")
}

// testREADMEInput runs the LAMMPS input of the repository's README with the test's
// alloy model, for 20 steps instead of 1,000: it must run and conserve energy.
func testREADMEInput(t *testing.T, km *kimModels) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(b), "```lammps\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 || !strings.Contains(block, "kim init Sciadapt_CuAgAu_1a2b3c4d metal") || !strings.Contains(block, "\nrun 1000\n") {
		t.Fatalf("README.md has no LAMMPS input block with kim init Sciadapt_CuAgAu_1a2b3c4d and run 1000:\n%s", block)
	}
	input := strings.Replace(block, "Sciadapt_CuAgAu_1a2b3c4d", km.alloyName, 1)
	input = strings.Replace(input, "\nrun 1000\n", "\nrun 20\n", 1)
	input = strings.Replace(input, "\nthermo 100\n", "\nthermo 10\n", 1)
	dir := t.TempDir()
	out, err := km.col.lammps(t, dir, input, 1)
	if err != nil {
		t.Fatalf("lmp: %v\n%s", err, out)
	}
	var etot []float64
	in := false
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) > 0 && f[0] == "Step":
			in = true
		case in && len(f) == 6:
			etot = append(etot, floats(t, l)[4])
		default:
			in = false
		}
	}
	if len(etot) != 3 {
		t.Fatalf("want 3 thermo lines:\n%s", out)
	}
	t.Logf("1,000 atoms, 20 steps: total energy %v eV", etot)
	if d := maxDeviation(etot); d > 0.01 { // 1e-5 eV per atom

		t.Fatalf("total energy moves by %g eV", d)
	}
}
