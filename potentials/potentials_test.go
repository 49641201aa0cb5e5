package potentials_test

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/datasets"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
	"github.com/sciadapt/sciadapt/potentials/potentialtest"
)

func smallModel(t *testing.T, species []int) *potentials.Model {
	t.Helper()
	m, err := potentials.New(potentials.Config{Species: species, Cutoff: 4, Features: 8, RBF: 8, Interactions: 2, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	// Non-trivial reference energies and scale, so that they are exercised too.
	copy(m.Ref.Value().Data, []float64{-13.6, -1029.8, -1485.0, -2041.0}[:len(species)])
	m.Scale.Value().Data[0] = 0.7
	return m
}

// molecule returns a random molecule of the given elements, atoms at least 0.9 Å apart.
func molecule(rng *rand.Rand, numbers []int) *potentials.Structure {
	s := &potentials.Structure{Numbers: numbers}
	for len(s.Positions) < 3*len(numbers) {
		p := []float64{3 * rng.Float64(), 3 * rng.Float64(), 3 * rng.Float64()}
		ok := true
		for i := 0; i < len(s.Positions); i += 3 {
			d := math.Hypot(math.Hypot(p[0]-s.Positions[i], p[1]-s.Positions[i+1]), p[2]-s.Positions[i+2])
			ok = ok && d > 0.9
		}
		if ok {
			s.Positions = append(s.Positions, p...)
		}
	}
	return s
}

// crystal returns a rattled, sheared fcc cell of 4 atoms (a = 3.6 Å) — smaller than
// twice the cutoff, so atoms see several images of each other.
func crystal(rng *rand.Rand, numbers []int) *potentials.Structure {
	a := 3.6
	base := []float64{0, 0, 0, 0, a / 2, a / 2, a / 2, 0, a / 2, a / 2, a / 2, 0}
	for i := range base {
		base[i] += 0.1 * rng.NormFloat64()
	}
	cell := [9]float64{a, 0, 0, 0.2, a, 0, 0.1, -0.15, a}
	return &potentials.Structure{Numbers: numbers, Positions: base, Cell: &cell, PBC: [3]bool{true, true, true}}
}

func TestPotentialConformance(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	m := smallModel(t, []int{1, 6, 7, 29})
	potentialtest.Run(t, m, []*potentials.Structure{
		molecule(rng, []int{6, 6, 7, 1, 1, 1}),
		molecule(rng, []int{7, 1, 1, 1}),
		crystal(rng, []int{29, 29, 29, 29}),
	})
}

func frames(rng *rand.Rand, n int, numbers []int, energy func(s *potentials.Structure) float64) []datasets.Frame {
	fs := make([]datasets.Frame, n)
	for i := range fs {
		s := molecule(rng, numbers)
		fs[i] = datasets.Frame{System: "m", Index: i, Numbers: s.Numbers, Positions: s.Positions, Energy: energy(s)}
	}
	return fs
}

// TestAddElementLeavesBaseBitIdentical adds O with an element-gated LoRA adapter,
// trains it, and checks that structures without O are predicted bit for bit as
// before, that base parameters did not move, and that the adapter file round-trips and
// refuses another base.
func TestAddElementLeavesBaseBitIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	base := smallModel(t, []int{1, 6, 7})
	hcn := molecule(rng, []int{6, 7, 1, 1})
	before, err := base.Compute(hcn)
	if err != nil {
		t.Fatal(err)
	}
	fpBefore := nn.Fingerprint(base)

	// Synthetic "DFT": a pair-count energy, enough to give the adapter something to fit.
	energy := func(s *potentials.Structure) float64 { return -5*float64(s.Len()) + 0.1*s.Positions[0] }
	train := frames(rng, 6, []int{8, 6, 1, 1}, energy)
	a, hist, err := potentials.AddElement(base, train, potentials.AddElementOptions{
		Config: potentials.DefaultElementConfig(8),
		Train:  potentials.TrainOptions{Epochs: 3, BatchSize: 3, LR: 1e-2, Seed: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 3 {
		t.Fatalf("%d epochs of history", len(hist))
	}
	if nn.Fingerprint(base) != fpBefore {
		t.Fatal("training the adapter changed the base parameters")
	}
	moved := false
	for _, p := range a.Params() {
		for _, v := range p.Value().Data {
			moved = moved || (strings.Contains(p.Name, "lora_B") && v != 0)
		}
	}
	if !moved {
		t.Fatal("LoRA B stayed zero: the adapter did not train")
	}
	after, err := base.Compute(hcn)
	if err != nil {
		t.Fatal(err)
	}
	if math.Float64bits(after.Energy) != math.Float64bits(before.Energy) {
		t.Fatalf("energy of a molecule without O changed: %.17g → %.17g", before.Energy, after.Energy)
	}
	for i := range before.Forces {
		if math.Float64bits(after.Forces[i]) != math.Float64bits(before.Forces[i]) {
			t.Fatal("forces of a molecule without O changed")
		}
	}
	// The adapted model is still a conservative potential, with O.
	potentialtest.Run(t, base, []*potentials.Structure{molecule(rng, []int{8, 6, 1, 1})})

	dir := t.TempDir()
	path := filepath.Join(dir, "O.adapter")
	if err := a.Save(path); err != nil {
		t.Fatal(err)
	}
	withO := molecule(rng, []int{8, 8, 6, 1})
	want, _ := base.Compute(withO)
	fresh := smallModel(t, []int{1, 6, 7})
	if _, err := potentials.LoadElementAdapter(path, fresh); err != nil {
		t.Fatal(err)
	}
	got, err := fresh.Compute(withO)
	if err != nil {
		t.Fatal(err)
	}
	if math.Float64bits(got.Energy) != math.Float64bits(want.Energy) {
		t.Fatalf("adapter round trip: %.17g != %.17g", got.Energy, want.Energy)
	}
	other := smallModel(t, []int{1, 6, 7})
	other.Ref.Value().Data[0] += 1e-9
	if _, err := potentials.LoadElementAdapter(path, other); err == nil || !strings.Contains(err.Error(), "belongs to base model") {
		t.Fatalf("adapter on another base: %v", err)
	}
}

func TestModelFileRoundTrip(t *testing.T) {
	m := smallModel(t, []int{1, 6})
	path := filepath.Join(t.TempDir(), "base.model")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	m2, err := potentials.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if nn.Fingerprint(m) != nn.Fingerprint(m2) {
		t.Fatal("model round trip is not bit-exact")
	}
}

// TestTrainingReducesError fits a tiny model to a smooth synthetic energy and checks
// the force error falls.
func TestTrainingReducesError(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	target := smallModel(t, []int{1, 6})
	target.Scale.Value().Data[0] = 2
	var fs []datasets.Frame
	for i := 0; i < 16; i++ {
		s := molecule(rng, []int{6, 1, 1, 1, 1})
		r, _ := target.Compute(s)
		fs = append(fs, datasets.Frame{System: "ch4", Index: i, Numbers: s.Numbers, Positions: s.Positions, Energy: r.Energy, Forces: r.Forces})
	}
	m, _ := potentials.New(potentials.Config{Species: []int{1, 6}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 2, Seed: 11})
	m.Scale.Value().Data[0] = 2
	copy(m.Ref.Value().Data, target.Ref.Value().Data)
	e0, err := potentials.Evaluate(m, fs, 8, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := potentials.Train(m, fs, potentials.TrainOptions{Epochs: 40, BatchSize: 8, LR: 5e-3, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	e1, _ := potentials.Evaluate(m, fs, 8, nil)
	if !(e1.ForceMAE < 0.5*e0.ForceMAE) {
		t.Fatalf("force MAE %.4g → %.4g: training did not halve it", e0.ForceMAE, e1.ForceMAE)
	}
}

// TestRefitReferencesRemovesCompositionOffsets shifts every frame's energy by a
// per-element constant the model cannot know from forces, and checks that the refit
// absorbs it exactly.
func TestRefitReferencesRemovesCompositionOffsets(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	m := smallModel(t, []int{1, 6, 7})
	offsets := map[int]float64{1: 0.3, 6: -1.1, 7: 0.7}
	var fs []datasets.Frame
	for i, nums := range [][]int{{6, 1, 1, 1, 1}, {7, 1, 1, 1}, {6, 6, 1, 1}, {6, 7, 1}, {7, 7}} {
		s := molecule(rng, nums)
		r, _ := m.Compute(s)
		e := r.Energy + 0.25 // a shift too
		for _, z := range nums {
			e += offsets[z]
		}
		fs = append(fs, datasets.Frame{System: "x", Index: i, Numbers: s.Numbers, Positions: s.Positions, Energy: e})
	}
	before, after, err := m.RefitReferences(fs)
	if err != nil {
		t.Fatal(err)
	}
	if before < 0.1 || after > 1e-9 {
		t.Fatalf("RMS residual %.3g eV → %.3g eV; want a large one removed to rounding", before, after)
	}
	for i := range fs {
		r, _ := m.Compute(potentials.StructureOf(&fs[i]))
		if math.Abs(r.Energy-fs[i].Energy) > 1e-9 {
			t.Fatalf("frame %d: %.12g vs %.12g after the refit", i, r.Energy, fs[i].Energy)
		}
	}
}

// TestAddElementFloat32 checks an adapter kept in float32: its file is about half the
// float64 one, every stored value is a float32, and the adapter read back predicts
// exactly what the trained one did; its errors stay close to the float64 adapter's.
func TestAddElementFloat32(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	energy := func(s *potentials.Structure) float64 { return -5*float64(s.Len()) + 0.1*s.Positions[0] }
	train := frames(rng, 6, []int{8, 6, 1, 1}, energy)
	withO := molecule(rng, []int{8, 8, 6, 1})
	dir := t.TempDir()
	sizes := map[string]int64{}
	energies := map[string]float64{}
	var values int64
	for _, prec := range []string{"float64", "float32"} {
		base := smallModel(t, []int{1, 6, 7})
		cfg := potentials.DefaultElementConfig(8)
		cfg.Precision = prec
		a, _, err := potentials.AddElement(base, train, potentials.AddElementOptions{Config: cfg,
			Train: potentials.TrainOptions{Epochs: 3, BatchSize: 3, LR: 1e-2, Seed: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if prec == "float32" {
			for _, p := range a.Params() {
				for _, v := range p.Value().Data {
					if v != float64(float32(v)) {
						t.Fatalf("%s holds %v, not a float32 value", p.Name, v)
					}
				}
			}
		}
		values = 0
		for _, p := range a.Params() {
			values += int64(p.Size())
		}
		path := filepath.Join(dir, prec+".adapter")
		if err := a.Save(path); err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(path)
		sizes[prec] = st.Size()
		want, _ := base.Compute(withO)
		energies[prec] = want.Energy
		fresh := smallModel(t, []int{1, 6, 7})
		if _, err := potentials.LoadElementAdapter(path, fresh); err != nil {
			t.Fatal(err)
		}
		got, _ := fresh.Compute(withO)
		if math.Float64bits(got.Energy) != math.Float64bits(want.Energy) {
			t.Errorf("%s adapter round trip: %.17g != %.17g", prec, got.Energy, want.Energy)
		}
	}
	// The values take 4 bytes instead of 8; the JSON header stays (offsets may
	// differ by a few digits).
	if d := sizes["float64"] - sizes["float32"]; d < 4*values-64 || d > 4*values+64 {
		t.Errorf("float32 file %d bytes, float64 %d: %d bytes saved for %d values", sizes["float32"], sizes["float64"], d, values)
	}
	if d := math.Abs(energies["float32"] - energies["float64"]); d > 1e-4*math.Abs(energies["float64"]) {
		t.Errorf("float32 adapter energy %.9g differs from float64's %.9g", energies["float32"], energies["float64"])
	}
	cfg := potentials.DefaultElementConfig(8)
	cfg.Precision = "float16"
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "float16") {
		t.Errorf("precision float16 accepted: %v", err)
	}
}

// TestLegacyFiles: a model file of an earlier version still loads and predicts what
// it did then; an add-element adapter in the old format is refused with a message
// saying how to redo it (testdata/legacy/README.md).
func TestLegacyFiles(t *testing.T) {
	m, err := potentials.Load("../testdata/legacy/hcn_2026-11.model")
	if err != nil {
		t.Fatal(err)
	}
	s := &potentials.Structure{Numbers: []int{1, 6, 7}, Positions: []float64{0, 0, -1.066, 0, 0, 0, 0, 0, 1.156}}
	r, err := m.Compute(s)
	if err != nil {
		t.Fatal(err)
	}
	// Values computed by the code of commit 3805b24 (testdata/legacy/README.md), to
	// rounding: the engine's kernels may sum in another order since.
	const e0, f0 = -2538.0803335747578, 0.097260481421536177
	if math.Abs(r.Energy-e0) > 1e-12*math.Abs(e0) || math.Abs(r.Forces[2]-f0) > 1e-12 {
		t.Errorf("legacy model: E = %.17g eV, F_z(N) = %.17g eV/Å; the old code gave %.17g and %.17g", r.Energy, r.Forces[2], e0, f0)
	}
	_, err = potentials.LoadElementAdapter("../testdata/legacy/O_2026-11.adapter", m)
	if err == nil || !strings.Contains(err.Error(), "O_2026-11.adapter") || !strings.Contains(err.Error(), "redo it with `sciadapt add-element") ||
		!strings.Contains(err.Error(), "--element O ") {
		t.Errorf("legacy adapter: %v", err)
	}
}
