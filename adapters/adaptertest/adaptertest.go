// Package adaptertest is the conformance suite that every PEFT method of package
// adapters passes on a model, and that domain packages run on their own models.
//
// Run checks, for one adapter configuration on one model:
//
//   - the adapted model starts equal to the base, bit for bit (prompt adapters
//     lengthen the sequence, so for them only the positions after the prompt are
//     compared when the output keeps its other dimensions);
//   - a few Adam steps change the adapter's parameters and the output, and leave
//     every other base parameter bit-identical (frozen stays frozen);
//   - disabling the adapter gives the base output back bit for bit, enabling it
//     gives the trained output back;
//   - a saved adapter loads onto a fresh copy of the base and reproduces the
//     trained output bit for bit, and its file size is what Report says;
//   - loading onto a base that differs in one bit of one parameter is refused, and
//     so are a file with one flipped byte and a truncated file;
//   - LoRA merges to the trained output (within 1e-12 relative; 1e-5 for float32
//     models) and unmerges to the exact base weights;
//   - Detach restores the base's output, values and trainable flags exactly.
//
// "Bit for bit" compares float64 values with ==, so −0 and +0 count as equal.
package adaptertest

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/adapters"
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/optim"
)

// Build returns a fresh base model and a function that evaluates it on a fixed
// batch (passing whatever nn.Context the adapter needs: Cond for FiLM, Masks for a
// gated adapter). Two calls must give models with the same parameters.
type Build func() (nn.Module, func() *ad.Var)

// BuildNewKinds is Build for adapters that add rows of new kinds (Config.NewRows: a
// new element, say): old evaluates a fixed batch of the base's own kinds, new a
// fixed batch that also holds the new kinds (called only while the adapter is
// attached and enabled).
type BuildNewKinds func() (m nn.Module, old, new func() *ad.Var)

// Run runs the conformance checks for cfg on the model that build makes.
func Run(t *testing.T, build Build, cfg adapters.Config) {
	t.Helper()
	run(t, func() (nn.Module, func() *ad.Var, func() *ad.Var) {
		m, f := build()
		return m, f, nil
	}, cfg)
}

// RunNewKinds runs the conformance checks for an adapter that adds rows: the checks
// of Run, where "the output" is both batches' while the adapter is enabled and the
// old batch's otherwise (the base cannot evaluate the new kinds). It fails at once
// if cfg adds no rows.
func RunNewKinds(t *testing.T, build BuildNewKinds, cfg adapters.Config) {
	t.Helper()
	if cfg.NewRows == 0 {
		t.Fatal("RunNewKinds with a configuration that adds no rows (NewRows = 0)")
	}
	run(t, build, cfg)
}

// both returns a forward of the old batch and, if there is one, the new batch,
// flattened and concatenated.
func both(old, new func() *ad.Var) func() *ad.Var {
	if new == nil {
		return old
	}
	return func() *ad.Var { return ad.Concat(0, ad.Reshape(old(), -1), ad.Reshape(new(), -1)) }
}

func run(t *testing.T, build BuildNewKinds, cfg adapters.Config) {
	t.Helper()
	base, fwdOld, fwdNew := build()
	fresh, freshOld, freshNew := build()
	fwd, fwdFresh := both(fwdOld, fwdNew), both(freshOld, freshNew)
	if nn.Fingerprint(base) != nn.Fingerprint(fresh) {
		t.Fatal("build is not deterministic: two calls give models with different parameters")
	}
	ref := snapshot(fwdOld())
	before := values(base)
	flags := trainableFlags(base)

	a, err := adapters.New("conformance", cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := a.Attach(base); err != nil {
		t.Fatalf("Attach: %v", err)
	}
	if len(a.Params()) == 0 {
		t.Fatal("the adapter has no parameters to train")
	}

	// Starts equal to the base.
	if cfg.Method == adapters.MethodPrompt {
		if err := suffixEqual(ref, snapshot(fwdOld())); err != "" {
			t.Errorf("prompt: the positions after the prompt differ from the base: %s", err)
		}
	} else if err := equal(ref, snapshot(fwdOld())); err != "" {
		t.Errorf("adapted model at initialisation differs from the base: %s", err)
	}
	init := snapshot(fwd())

	// A few Adam steps towards a perturbed output.
	target := ad.Constant(perturbed(init))
	loss := func() *ad.Var { return ad.Sum(ad.Square(ad.Sub(fwd(), target))) }
	own := a.Params()
	adapterBefore := make([][]float64, len(own))
	for i, p := range own {
		adapterBefore[i] = slices.Clone(p.Value().Float64s())
	}
	// Every parameter goes to the optimiser: frozen ones must be skipped because of
	// their flag, which is what Attach sets.
	all := append(slices.Clone(base.Params()), notIn(own, base.Params())...)
	vars := nn.Vars(all)
	opt := optim.NewAdam(&optim.AdamOptions{LR: 1e-2})
	for step := 0; step < 4; step++ {
		l := loss()
		gs := ad.Gradients([]*ad.Var{l}, vars, nil)
		grads := make([]*ad.Tensor, len(gs))
		for i, g := range gs {
			grads[i] = g.Value()
		}
		opt.Step(vars, grads)
	}
	a.Round() // the precision the adapter is saved in (float32 rounds)
	selected := map[*nn.Param]bool{}
	for _, p := range own {
		selected[p] = true
	}
	for i, p := range base.Params() {
		if !selected[p] && !slices.Equal(p.Value().Float64s(), before[i]) {
			t.Errorf("frozen base parameter %s changed during training", p.Name)
		}
	}
	moved := false
	for i, p := range own {
		if !slices.Equal(p.Value().Float64s(), adapterBefore[i]) {
			moved = true
		}
	}
	if !moved {
		t.Error("training did not change any of the adapter's parameters")
	}
	trained := snapshot(fwd())
	if equal(init, trained) == "" {
		t.Error("training did not change the adapted model's output")
	}

	// Disable, enable.
	a.Enable(false)
	if err := equal(ref, snapshot(fwdOld())); err != "" {
		t.Errorf("disabled adapter: output differs from the base: %s", err)
	}
	for i, p := range base.Params() {
		if !slices.Equal(p.Value().Float64s(), before[i]) {
			t.Errorf("disabled adapter: base parameter %s differs from the base", p.Name)
		}
	}
	a.Enable(true)
	if err := equal(trained, snapshot(fwd())); err != "" {
		t.Errorf("re-enabled adapter: output differs from the trained output: %s", err)
	}

	// Save, load onto a fresh base, report.
	dir := t.TempDir()
	path := filepath.Join(dir, "conformance.adapter")
	if err := a.Save(path); err != nil {
		t.Fatalf("Save: %v", err)
	}
	rep, err := a.Report()
	if err != nil {
		t.Fatalf("Report: %v", err)
	}
	if st, err := os.Stat(path); err != nil || st.Size() != rep.FileBytes {
		t.Errorf("report says %d bytes on disk, the file has %v (%v)", rep.FileBytes, sizeOf(st), err)
	}
	n := 0
	for _, p := range own {
		n += p.Size()
	}
	if rep.TrainableParams != n {
		t.Errorf("report says %d trainable parameters, the adapter trains %d", rep.TrainableParams, n)
	}
	b, err := adapters.Load(path, fresh)
	if err != nil {
		t.Fatalf("Load onto a fresh base: %v", err)
	}
	if err := equal(trained, snapshot(fwdFresh())); err != "" {
		t.Errorf("loaded adapter: output differs from the trained output: %s", err)
	}
	b.Detach()

	// Refusals: another base, a flipped byte, a truncated file.
	other, _, _ := build()
	p0 := slices.Clone(other.Params()[0].Value().Float64s())
	p0[0] = math.Nextafter(p0[0], math.Inf(1))
	if other.Params()[0].DType() == ad.Float32 {
		p0[0] = float64(math.Nextafter32(float32(p0[0]), float32(math.Inf(1))))
	}
	other.Params()[0].SetFloat64s(p0)
	otherFP := nn.Fingerprint(other)
	if _, err := adapters.Load(path, other); err == nil || !strings.Contains(err.Error(), "base model") {
		t.Errorf("Load onto a base differing in one bit: error %v, want a refusal naming the base model", err)
	} else if nn.Fingerprint(other) != otherFP {
		t.Error("a refused Load changed the base")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	flipped := slices.Clone(raw)
	flipped[len(flipped)-3] ^= 0x10
	bad := filepath.Join(dir, "flipped.adapter")
	if err := os.WriteFile(bad, flipped, 0o644); err != nil {
		t.Fatal(err)
	}
	g, _, _ := build()
	if _, err := adapters.Load(bad, g); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("Load of a file with a flipped byte: error %v, want a refusal saying it is corrupt", err)
	}
	if err := os.WriteFile(bad, raw[:len(raw)-5], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := adapters.Load(bad, g); err == nil {
		t.Error("Load of a truncated file succeeded")
	}

	// Merge and unmerge.
	if cfg.Method == adapters.MethodLoRA && !cfg.Gate {
		if err := a.Merge(); err != nil {
			t.Fatalf("Merge: %v", err)
		}
		// Merging rounds the weights once: to float64's 1e-16, or float32's 6e-8
		// (amplified by the layers after it).
		tol := 1e-12
		if trained.DType() == ad.Float32 {
			tol = 1e-5
		}
		if d := maxRel(trained, snapshot(fwd())); d > tol {
			t.Errorf("merged LoRA: output differs from the unmerged output by %.3g (relative), want ≤ %g", d, tol)
		}
		a.Unmerge()
		if err := equal(trained, snapshot(fwd())); err != "" {
			t.Errorf("unmerged LoRA: output differs from the trained output: %s", err)
		}
		for i, p := range base.Params() {
			if !slices.Equal(p.Value().Float64s(), before[i]) {
				t.Errorf("unmerged LoRA: base parameter %s differs from the base", p.Name)
			}
		}
	}

	// Detach restores everything.
	a.Detach()
	if err := equal(ref, snapshot(fwdOld())); err != "" {
		t.Errorf("detached adapter: output differs from the base: %s", err)
	}
	for i, p := range base.Params() {
		if !slices.Equal(p.Value().Float64s(), before[i]) {
			t.Errorf("detached adapter: base parameter %s differs from the base", p.Name)
		}
	}
	if !slices.Equal(flags, trainableFlags(base)) {
		t.Error("Detach did not restore the trainable flags of the base parameters")
	}
}

func sizeOf(st os.FileInfo) any {
	if st == nil {
		return "?"
	}
	return st.Size()
}

func notIn(ps, base []*nn.Param) []*nn.Param {
	var out []*nn.Param
	for _, p := range ps {
		if !slices.Contains(base, p) {
			out = append(out, p)
		}
	}
	return out
}

func values(m nn.Module) [][]float64 {
	var vs [][]float64
	for _, p := range m.Params() {
		vs = append(vs, slices.Clone(p.Value().Float64s()))
	}
	return vs
}

func trainableFlags(m nn.Module) []bool {
	var fs []bool
	for _, p := range m.Params() {
		fs = append(fs, p.Trainable())
	}
	return fs
}

func snapshot(v *ad.Var) *ad.Tensor { return v.Value().Clone() }

// perturbed returns t plus a fixed, deterministic pattern of size 0.1, in t's
// precision.
func perturbed(t *ad.Tensor) *ad.Tensor {
	p := ad.New(slices.Clone(t.Float64s()), t.Shape...)
	for i := range p.Data {
		p.Data[i] += 0.1 * math.Sin(float64(3*i+1))
	}
	return p.Convert(t.DType())
}

// equal returns "" if a and b have the same shape and values (== per element, NaN
// equal to NaN), or a description of the first difference.
func equal(a, b *ad.Tensor) string {
	if !slices.Equal(a.Shape, b.Shape) {
		return "shape " + shapeString(b.Shape) + ", want " + shapeString(a.Shape)
	}
	if a.DType() != b.DType() {
		return "precision " + b.DType().String() + ", want " + a.DType().String()
	}
	xa, xb := a.Float64s(), b.Float64s()
	for i := range xa {
		x, y := xa[i], xb[i]
		if x != y && !(math.IsNaN(x) && math.IsNaN(y)) {
			return "element " + itoa(i) + " is " + ftoa(y) + ", want " + ftoa(x)
		}
	}
	return ""
}

// suffixEqual compares a prompt-lengthened output b with the base output a: the
// last len positions along the length axis (axis 0 of a rank-2 output, axis 1 of a
// rank-3 one) must equal a. Outputs whose shape is otherwise different (a pooled
// output) are not compared.
func suffixEqual(a, b *ad.Tensor) string {
	if len(a.Shape) != len(b.Shape) || len(a.Shape) < 2 || len(a.Shape) > 3 {
		return ""
	}
	ax := len(a.Shape) - 2
	for i := range a.Shape {
		if i != ax && a.Shape[i] != b.Shape[i] {
			return ""
		}
	}
	m := b.Shape[ax] - a.Shape[ax]
	switch {
	case m < 0:
		return "the output is shorter than the base's"
	case m == 0: // a pooled output: nothing to compare
		return ""
	}
	sub := ad.Slice(ad.Constant(b), ax, m, b.Shape[ax]).Value()
	return equal(a, sub)
}

func maxRel(a, b *ad.Tensor) float64 {
	var d, s float64
	xa, xb := a.Float64s(), b.Float64s()
	for i := range xa {
		d = math.Max(d, math.Abs(xa[i]-xb[i]))
		s = math.Max(s, math.Abs(xa[i]))
	}
	if s == 0 {
		return d
	}
	return d / s
}

func shapeString(s []int) string {
	parts := make([]string, len(s))
	for i, n := range s {
		parts[i] = itoa(n)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func itoa(n int) string     { return strconv.Itoa(n) }
func ftoa(x float64) string { return strconv.FormatFloat(x, 'g', 17, 64) }
