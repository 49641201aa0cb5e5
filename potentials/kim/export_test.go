package kim_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/elements"
	"github.com/sciadapt/sciadapt/potentials"
	"github.com/sciadapt/sciadapt/potentials/kim"
)

// writeModels writes a small H/C/N model with E_0 = −2.5 eV and an oxygen adapter
// for it, and an unrelated Cu model, and returns their paths.
func writeModels(t testing.TB, dir string) (hcn, adapter, cu string) {
	m, err := potentials.New(potentials.Config{Species: []int{1, 6, 7}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 3, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	m.Shift.Value().Data[0] = -2.5
	a, err := potentials.NewElementAdapter(m, potentials.DefaultElementConfig(8))
	if err != nil {
		t.Fatal(err)
	}
	other, err := potentials.New(potentials.Config{Species: []int{29}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 1, Seed: 6})
	if err != nil {
		t.Fatal(err)
	}
	hcn, adapter, cu = filepath.Join(dir, "hcn.model"), filepath.Join(dir, "O.adapter"), filepath.Join(dir, "cu.model")
	for _, err := range []error{m.Save(hcn), a.Save(adapter), other.Save(cu)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return hcn, adapter, cu
}

func TestExportWritesPortableModel(t *testing.T) {
	dir := t.TempDir()
	hcn, adapter, _ := writeModels(t, dir)
	out := filepath.Join(dir, "kim")
	e, err := kim.Export(kim.ExportOptions{Model: hcn, Adapter: adapter, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^Sciadapt_HCNO_[0-9a-f]{8}$`).MatchString(e.Name) {
		t.Errorf("default name %q", e.Name)
	}
	if strings.Join(e.Species, " ") != "H C N O" || e.Cutoff != 4 || e.Interactions != 3 || e.InfluenceDistance != 12 || e.Shift != -2.5 {
		t.Errorf("export summary %+v", e)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for name, src := range map[string]string{kim.ModelFile: hcn, kim.AdapterFile: adapter} {
		want, _ := os.ReadFile(src)
		if !bytes.Equal([]byte(read(name)), want) {
			t.Errorf("%s is not a copy of %s", name, src)
		}
	}
	params := read(kim.ParamsFile)
	for _, line := range []string{"format sciadapt-kim 1\n", "model sciadapt.model\n", "adapter sciadapt.adapter\n", "species H C N O\n"} {
		if !strings.Contains(params, line) {
			t.Errorf("%s lacks %q:\n%s", kim.ParamsFile, line, params)
		}
	}
	cm := read("CMakeLists.txt")
	for _, s := range []string{"project(" + e.Name + ")", `DRIVER_NAME     "Sciadapt"`, `PARAMETER_FILES "sciadapt.params" "sciadapt.model" "sciadapt.adapter"`} {
		if !strings.Contains(cm, s) {
			t.Errorf("CMakeLists.txt lacks %q:\n%s", s, cm)
		}
	}
	if spec := read("kimspec.edn"); !strings.Contains(spec, `"species" ["H" "C" "N" "O"]`) || !strings.Contains(spec, "E_0 = -2.5 eV") {
		t.Errorf("kimspec.edn:\n%s", spec)
	}
	if r := read("README.md"); !strings.Contains(r, "kim init "+e.Name+" metal") {
		t.Errorf("README.md has no LAMMPS input:\n%s", r)
	}
	// The same files give the same name; a name can be chosen.
	e2, err := kim.Export(kim.ExportOptions{Model: hcn, Adapter: adapter, Out: filepath.Join(dir, "kim2"), Name: "My_Model_1"})
	if err != nil || e2.Name != "My_Model_1" {
		t.Fatalf("%+v, %v", e2, err)
	}
	e3, err := kim.Export(kim.ExportOptions{Model: hcn, Adapter: adapter, Out: filepath.Join(dir, "empty")})
	if err != nil || e3.Name != e.Name {
		t.Fatalf("second export named %q, first %q (%v)", e3.Name, e.Name, err)
	}
}

// TestExportBadInput: each error names the problem and leaves nothing behind.
func TestExportBadInput(t *testing.T) {
	dir := t.TempDir()
	hcn, adapter, cu := writeModels(t, dir)
	full := filepath.Join(dir, "full")
	os.Mkdir(full, 0o755)
	os.WriteFile(filepath.Join(full, "x"), nil, 0o644)
	for _, tc := range []struct {
		name string
		opt  kim.ExportOptions
		want string
	}{
		{"missing model", kim.ExportOptions{Model: filepath.Join(dir, "none.model")}, "none.model"},
		{"adapter as model", kim.ExportOptions{Model: adapter}, "O.adapter"},
		{"adapter of another base", kim.ExportOptions{Model: cu, Adapter: adapter}, "belongs to base model"},
		{"bad name", kim.ExportOptions{Model: hcn, Name: "9lives"}, "want a C identifier"},
		{"bad name characters", kim.ExportOptions{Model: hcn, Name: "a-b"}, "want a C identifier"},
		{"output not empty", kim.ExportOptions{Model: hcn, Out: full}, "is not empty"},
		{"output is a file", kim.ExportOptions{Model: hcn, Out: hcn}, "is not a directory"},
	} {
		if tc.opt.Out == "" {
			tc.opt.Out = filepath.Join(dir, "out-"+strings.ReplaceAll(tc.name, " ", "-"))
		}
		_, err := kim.Export(tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
		if tc.opt.Out != full && tc.opt.Out != hcn {
			if _, err := os.Stat(tc.opt.Out); err == nil {
				t.Errorf("%s: %s was written", tc.name, tc.opt.Out)
			}
		}
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".kim-export") {
			t.Errorf("temporary directory %s left behind", e.Name())
		}
	}
}

// TestDriverSymbols checks the driver's table of element symbols (species codes
// are atomic numbers) against package elements.
func TestDriverSymbols(t *testing.T) {
	src, err := os.ReadFile("driver/sciadapt_kim_driver.c")
	if err != nil {
		t.Fatal(err)
	}
	table := regexp.MustCompile(`(?s)symbols\[MAX_Z \+ 1\] = \{(.*?)\};`).FindSubmatch(src)
	if table == nil {
		t.Fatal("no symbols table in the driver")
	}
	syms := regexp.MustCompile(`"([A-Za-z]*)"`).FindAllSubmatch(table[1], -1)
	if len(syms) != 119 {
		t.Fatalf("%d symbols, want 119 (\"\" and Z = 1…118)", len(syms))
	}
	for z := 1; z <= 118; z++ {
		if got := string(syms[z][1]); got != elements.Symbol(z) {
			t.Errorf("Z = %d: driver says %q, elements %q", z, got, elements.Symbol(z))
		}
	}
}

func ExampleExport() {
	dir, _ := os.MkdirTemp("", "kim-example")
	defer os.RemoveAll(dir)
	m, _ := potentials.New(potentials.Config{Species: []int{29, 47, 79}, Cutoff: 5, Features: 16, RBF: 8, Interactions: 3, Seed: 1})
	m.Save(filepath.Join(dir, "cuagau.model"))
	e, err := kim.Export(kim.ExportOptions{Model: filepath.Join(dir, "cuagau.model"), Out: filepath.Join(dir, "kim"), Name: "Sciadapt_CuAgAu_demo"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %v, influence distance %g Å\n", e.Name, e.Species, e.InfluenceDistance)
	params, _ := os.ReadFile(filepath.Join(e.Dir, kim.ParamsFile))
	fmt.Print(string(params))
	// Output:
	// Sciadapt_CuAgAu_demo: [Cu Ag Au], influence distance 15 Å
	// # sciadapt KIM model Sciadapt_CuAgAu_demo, read by the Sciadapt model driver
	// format sciadapt-kim 1
	// model sciadapt.model
	// species Cu Ag Au
}
