// Package capitest tests sciadapt's C interface (package capi) from outside, as a C
// program sees it: it builds the shared library with "go build
// -buildmode=c-shared", compiles capi/example/main.c against it with gcc, runs
// it, and compares its numbers with the Go API.
package capitest

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/constitutive"
	"github.com/sciadapt/sciadapt/potentials"
)

// capiDir is the directory of package capi, relative to this test.
const capiDir = ".."

func goTool(t *testing.T) string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(p); err != nil {
		t.Skip("no go command to build the shared library")
	}
	return p
}

// buildLibrary builds libsciadapt.so (and the header cgo generates) into dir.
func buildLibrary(t *testing.T, dir string) {
	t.Helper()
	cmd := exec.Command(goTool(t), "build", "-buildmode=c-shared", "-o", filepath.Join(dir, "libsciadapt.so"), "github.com/sciadapt/sciadapt/capi")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build -buildmode=c-shared: %v\n%s", err, b)
	}
}

// prototypes returns the function prototypes "ret name(type name, ...)" of
// sciadapt_ functions in a header, normalised: no const, no "extern", single
// spaces, the pointer star attached to the type.
func prototypes(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	src := regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(string(b), " ")
	src = regexp.MustCompile(`//[^\n]*`).ReplaceAllString(src, " ")
	re := regexp.MustCompile(`(?s)(?:extern\s+)?((?:const\s+)?\w+\s*\*?)\s*(sciadapt_\w+)\s*\(([^)]*)\)\s*;`)
	norm := func(s string) string {
		s = regexp.MustCompile(`\bconst\b`).ReplaceAllString(s, "")
		s = regexp.MustCompile(`\s*\*\s*`).ReplaceAllString(s, "* ")
		return strings.Join(strings.Fields(s), " ")
	}
	out := map[string]string{}
	for _, m := range re.FindAllStringSubmatch(src, -1) {
		var params []string
		for _, p := range strings.Split(m[3], ",") {
			params = append(params, norm(p))
		}
		out[m[2]] = norm(m[1]) + " " + m[2] + "(" + strings.Join(params, ", ") + ")"
	}
	return out
}

// writeModels writes a potential (H, C, N) with an oxygen adapter whose LoRA
// updates are non-zero, and a constitutive model with a temperature adapter whose
// FiLM weights are non-zero, all from fixed seeds.
func writeModels(t *testing.T, dir string) (pot, potAdapter, mat, matAdapter string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(8, 9))
	m, err := potentials.New(potentials.Config{Species: []int{1, 6, 7}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 2, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	copy(m.Ref.Value().Data, []float64{-13.6, -1029.8, -1485.0})
	m.Scale.Value().Data[0] = 0.7
	a, err := potentials.NewElementAdapter(m, potentials.DefaultElementConfig(8))
	if err != nil {
		t.Fatal(err)
	}
	a.NewRows("energy.reference").Value().Data[0] = -2041
	for _, p := range a.Params() {
		if strings.Contains(p.Name, "lora_B") {
			for k := range p.Value().Data {
				p.Value().Data[k] = 0.3 * rng.NormFloat64()
			}
		}
	}
	a.Round()
	pot, potAdapter = filepath.Join(dir, "hcn.model"), filepath.Join(dir, "O.adapter")
	if err := m.Save(pot); err != nil {
		t.Fatal(err)
	}
	if err := a.Save(potAdapter); err != nil {
		t.Fatal(err)
	}

	cm, err := constitutive.New(constitutive.Config{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	mat, matAdapter = filepath.Join(dir, "al.model"), filepath.Join(dir, "al_200C.adapter")
	if err := cm.Save(mat); err != nil {
		t.Fatal(err)
	}
	ta, err := constitutive.NewTemperatureAdapter("200C", 0, 5)
	if err != nil {
		t.Fatal(err)
	}
	if err := ta.Attach(cm); err != nil {
		t.Fatal(err)
	}
	for _, p := range ta.Params() {
		if strings.HasSuffix(p.Name, "bias") {
			continue
		}
		for i := range p.Value().Data {
			p.Value().Data[i] = 0.6 * (rng.Float64() - 0.5)
		}
	}
	if err := ta.Save(matAdapter); err != nil {
		t.Fatal(err)
	}
	return pot, potAdapter, mat, matAdapter
}

// output is the C program's output, by line label.
type output struct {
	nums   map[string][]float64 // "free energy", "free force 3", "increment 2 stress", …
	errors map[string]errorLine
}

type errorLine struct {
	code int
	msg  string
}

func parse(t *testing.T, b []byte) output {
	t.Helper()
	o := output{nums: map[string][]float64{}, errors: map[string]errorLine{}}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		label, rest, ok := strings.Cut(sc.Text(), ": ")
		if !ok {
			t.Fatalf("line %q has no label", sc.Text())
		}
		if name, ok := strings.CutPrefix(label, "error "); ok {
			c, msg, _ := strings.Cut(rest, " ")
			code, err := strconv.Atoi(c)
			if err != nil {
				t.Fatalf("line %q: %v", sc.Text(), err)
			}
			o.errors[name] = errorLine{code, msg}
			continue
		}
		var v []float64
		for _, f := range strings.Fields(rest) {
			x, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatalf("line %q: %v", sc.Text(), err)
			}
			v = append(v, x)
		}
		o.nums[label] = v
	}
	return o
}

// close1e12 compares got with want to 1e-12 relative to the largest |want|.
func close1e12(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values from C, %d from Go", what, len(got), len(want))
	}
	scale := 0.0
	for _, w := range want {
		scale = math.Max(scale, math.Abs(w))
	}
	for i := range want {
		if !(math.Abs(got[i]-want[i]) <= 1e-12*scale) {
			t.Fatalf("%s[%d]: C gives %.17g, Go %.17g", what, i, got[i], want[i])
		}
	}
}

// Methanol as in example/main.c.
var (
	numbers   = []int{6, 8, 1, 1, 1, 1}
	positions = []float64{-0.047, 0.665, 0, -0.047, -0.763, 0, -1.092, 0.977, 0, 0.444, 1.071, 0.890, 0.444, 1.071, -0.890, 0.870, -1.063, 0}
	cell      = [9]float64{6, 0, 0, 0.5, 6.2, 0, -0.3, 0.4, 5.8}
)

// TestCAPI takes about 15 s of CPU, nearly all of it in linking the shared
// library; -short skips it.
func TestCAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: building the shared library takes a while")
	}
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc is not installed; the C interface is not tested")
	}
	dir := t.TempDir()
	buildLibrary(t, dir)

	// The hand-written header declares exactly the exported functions, with the
	// same types (up to const) and parameter names as the generated one.
	want := prototypes(t, filepath.Join(dir, "libsciadapt.h"))
	got := prototypes(t, filepath.Join(capiDir, "sciadapt.h"))
	delete(got, "sciadapt_last_error") // defined in C (errors.c), not by cgo
	delete(want, "sciadapt_set_last_error")
	if len(want) != 8 {
		t.Fatalf("generated header declares %d functions: %v", len(want), want)
	}
	for name, p := range want {
		if got[name] != p {
			t.Errorf("sciadapt.h declares\n\t%s\nbut the library exports\n\t%s", got[name], p)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("sciadapt.h declares %s, which the library does not export", name)
		}
	}

	pot, potAd, mat, matAd := writeModels(t, dir)
	exe := filepath.Join(dir, "example")
	cc := exec.Command(gcc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", capiDir, "-o", exe,
		filepath.Join(capiDir, "example", "main.c"), "-L", dir, "-lsciadapt", "-Wl,-rpath,"+dir)
	if b, err := cc.CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, b)
	}
	run := exec.Command(exe, pot, potAd, mat, matAd)
	var stderr bytes.Buffer
	run.Stderr = &stderr
	b, err := run.Output()
	if err != nil {
		t.Fatalf("example: %v\n%s%s", err, b, stderr.Bytes())
	}
	o := parse(t, b)
	lines := strings.SplitAfter(string(b), "\n")
	t.Logf("example output, first and last lines:\n%s...\n%s", strings.Join(lines[:2], ""), strings.Join(lines[len(lines)-10:], ""))

	// Potential: the Go API on the same files.
	m, err := potentials.Load(pot)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := potentials.LoadElementAdapter(potAd, m); err != nil {
		t.Fatal(err)
	}
	for _, periodic := range []bool{false, true} {
		s := &potentials.Structure{Numbers: numbers, Positions: positions}
		label := "free"
		if periodic {
			c := cell
			s.Cell, s.PBC, label = &c, [3]bool{true, true, true}, "periodic"
		}
		r, err := m.Compute(s)
		if err != nil {
			t.Fatal(err)
		}
		close1e12(t, label+" energy", o.nums[label+" energy"], []float64{r.Energy})
		for i := range numbers {
			close1e12(t, fmt.Sprintf("%s force %d", label, i), o.nums[fmt.Sprintf("%s force %d", label, i)], r.Forces[3*i:3*i+3])
		}
		if periodic {
			close1e12(t, "periodic stress", o.nums["periodic stress"], r.Stress[:])
		}
	}

	// Material point: the Go API on the same files, with Voigt conversions
	// (engineering shear) written out here independently of package capi.
	cm, err := constitutive.Load(mat)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := adapters.Load(matAd, cm); err != nil {
		t.Fatal(err)
	}
	load := [6]float64{1e-3, -4e-4, -4e-4, 3e-4, 1e-4, -2e-4}
	var st constitutive.State
	plastic := false
	for k := 0; k < 8; k++ {
		sign := 1.0
		if k >= 5 {
			sign = -1
		}
		d := load
		for i := range d {
			d[i] *= sign
		}
		dEps := constitutive.Mat3{{d[0], d[3] / 2, d[4] / 2}, {d[3] / 2, d[1], d[5] / 2}, {d[4] / 2, d[5] / 2, d[2]}}
		r, err := cm.Update(st, dEps, 473.15)
		if err != nil {
			t.Fatal(err)
		}
		st = r.State
		plastic = plastic || r.Plastic
		sig := r.Stress
		close1e12(t, fmt.Sprintf("increment %d stress", k), o.nums[fmt.Sprintf("increment %d stress", k)],
			[]float64{sig[0][0], sig[1][1], sig[2][2], sig[0][1], sig[0][2], sig[1][2]})
		e, p := st.Elastic, st.Plastic
		close1e12(t, fmt.Sprintf("increment %d statev", k), o.nums[fmt.Sprintf("increment %d statev", k)][:6],
			[]float64{e[0][0], e[1][1], e[2][2], 2 * e[0][1], 2 * e[0][2], 2 * e[1][2]})
		close1e12(t, fmt.Sprintf("increment %d statev", k), o.nums[fmt.Sprintf("increment %d statev", k)][6:13],
			[]float64{p[0][0], p[1][1], p[2][2], 2 * p[0][1], 2 * p[0][2], 2 * p[1][2], st.Alpha})
		// DDSDDE(I,J) = ∂σ_I/∂γ_J, column-major. A shear γ_kl moves ε_kl and ε_lk
		// by γ/2 each.
		comp := [6][2]int{{0, 0}, {1, 1}, {2, 2}, {0, 1}, {0, 2}, {1, 2}}
		var D []float64
		for J := 0; J < 6; J++ {
			for I := 0; I < 6; I++ {
				row := 3*comp[I][0] + comp[I][1]
				a, b := comp[J][0], comp[J][1]
				v := r.Tangent[row][3*a+b]
				if a != b {
					v = 0.5*r.Tangent[row][3*a+b] + 0.5*r.Tangent[row][3*b+a]
				}
				D = append(D, v)
			}
		}
		close1e12(t, fmt.Sprintf("increment %d ddsdde", k), o.nums[fmt.Sprintf("increment %d ddsdde", k)], D)
	}
	if !plastic {
		t.Fatal("the strain path never yields: the plastic branch of the update is not tested")
	}
	// Plane strain: components 11, 22, 33, 12 only, ε13 = ε23 = 0.
	r, err := cm.Update(constitutive.State{}, constitutive.Mat3{{4e-3, 1e-3, 0}, {1e-3, -1e-3, 0}, {0, 0, 0}}, 296.15)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Plastic {
		t.Fatal("the plane-strain increment is elastic; want a plastic one")
	}
	close1e12(t, "plane strain stress", o.nums["plane strain stress"], []float64{r.Stress[0][0], r.Stress[1][1], r.Stress[2][2], r.Stress[0][1]})
	e := r.State.Elastic
	close1e12(t, "plane strain statev", o.nums["plane strain statev"][:6], []float64{e[0][0], e[1][1], e[2][2], 2 * e[0][1], 2 * e[0][2], 2 * e[1][2]})
	var D4 []float64
	for _, kl := range [][2]int{{0, 0}, {1, 1}, {2, 2}, {0, 1}} {
		for _, ij := range [][2]int{{0, 0}, {1, 1}, {2, 2}, {0, 1}} {
			row := 3*ij[0] + ij[1]
			v := r.Tangent[row][3*kl[0]+kl[1]]
			if kl[0] != kl[1] {
				v = 0.5*r.Tangent[row][3*kl[0]+kl[1]] + 0.5*r.Tangent[row][3*kl[1]+kl[0]]
			}
			D4 = append(D4, v)
		}
	}
	close1e12(t, "plane strain ddsdde", o.nums["plane strain ddsdde"], D4)

	// Threads: one shared handle and one handle per thread give the energy of
	// the Go API in every call, and each thread sees its own error message.
	thr := filepath.Join(dir, "threads")
	cc = exec.Command(gcc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-pthread", "-I", capiDir, "-o", thr,
		filepath.Join("testdata", "threads.c"), "-L", dir, "-lsciadapt", "-Wl,-rpath,"+dir)
	if b, err := cc.CombinedOutput(); err != nil {
		t.Fatalf("gcc threads.c: %v\n%s", err, b)
	}
	tb, err := exec.Command(thr, pot).CombinedOutput()
	if err != nil {
		t.Fatalf("threads: %v\n%s", err, tb)
	}
	base, err := potentials.Load(pot)
	if err != nil {
		t.Fatal(err)
	}
	hcn, err := base.Compute(&potentials.Structure{Numbers: []int{1, 6, 7}, Positions: []float64{0, 0, -1.064, 0, 0, 0, 0, 0, 1.156}})
	if err != nil {
		t.Fatal(err)
	}
	if f := strings.Fields(string(tb)); len(f) != 2 || f[0] != "ok" {
		t.Fatalf("threads: %s", tb)
	} else if e, _ := strconv.ParseFloat(f[1], 64); e != hcn.Energy {
		t.Fatalf("threads: energy %.17g, Go %.17g", e, hcn.Energy)
	}

	checkLocal(t, dir, gcc, pot, potAd)

	// Error codes (the enum of sciadapt.h) and messages.
	codes := headerCodes(t)
	for _, tc := range []struct {
		name, code, msg string
	}{
		{"bad-path", "SCIADAPT_ERR_FILE", "/nonexistent/hcn.model"},
		{"wrong-kind", "SCIADAPT_ERR_FILE", "not an interatomic potential"},
		{"bad-handle", "SCIADAPT_ERR_HANDLE", "handle 12345 is not open"},
		{"unknown-element", "SCIADAPT_ERR_ARGUMENT", ": atom 0: the model does not know element Z=79"},
		{"stress-without-cell", "SCIADAPT_ERR_ARGUMENT", "stress needs a periodic cell"},
		{"material-as-potential", "SCIADAPT_ERR_HANDLE", "is a material model, not a potential"},
		{"plane-stress", "SCIADAPT_ERR_ARGUMENT", "ntens = 3"},
		{"zero-kelvin", "SCIADAPT_ERR_ARGUMENT", "positive temperature in kelvin"},
		{"closed-twice", "SCIADAPT_ERR_HANDLE", "is not open"},
	} {
		e, ok := o.errors[tc.name]
		if !ok {
			t.Errorf("%s: no error line", tc.name)
			continue
		}
		if e.code != codes[tc.code] || !strings.Contains(e.msg, tc.msg) || !strings.HasPrefix(e.msg, "sciadapt_") {
			t.Errorf("%s: code %d and message %q; want %s (%d) and a message naming the function and containing %q",
				tc.name, e.code, e.msg, tc.code, codes[tc.code], tc.msg)
		}
	}
}

// headerCodes reads the status codes from the enum of sciadapt.h.
func headerCodes(t *testing.T) map[string]int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(capiDir, "sciadapt.h"))
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]int{}
	for _, m := range regexp.MustCompile(`(SCIADAPT_\w+)\s*=\s*(\d+)`).FindAllStringSubmatch(string(b), -1) {
		codes[m[1]], _ = strconv.Atoi(m[2])
	}
	want := map[string]int{"SCIADAPT_OK": 0, "SCIADAPT_ERR_FILE": 1, "SCIADAPT_ERR_HANDLE": 2,
		"SCIADAPT_ERR_ARGUMENT": 3, "SCIADAPT_ERR_COMPUTE": 4, "SCIADAPT_ERR_INTERNAL": 5}
	for k, v := range want {
		if codes[k] != v {
			t.Fatalf("sciadapt.h: %s = %d, want %d (package capi's code)", k, codes[k], v)
		}
	}
	return codes
}
