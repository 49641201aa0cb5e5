package potentials_test

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/adapters/adaptertest"
	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
)

// buildPotential returns a small H/C/N model, its energies and forces on a fixed
// batch of H/C/N molecules and a periodic cell, and on a batch that also holds O
// (the new kind: species index 3, the first added row).
func buildPotential(t *testing.T, arch string) adaptertest.BuildNewKinds {
	return func() (nn.Module, func() *ad.Var, func() *ad.Var) {
		m, err := potentials.New(potentials.Config{Model: arch, Species: []int{1, 6, 7}, Cutoff: 3.5, Features: 8, RBF: 6, Interactions: 2, Seed: 11})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(3, 4))
		old := []*potentials.Structure{molecule(rng, []int{6, 7, 1, 1}), crystal(rng, []int{6, 1, 7, 6})}
		mixed := []*potentials.Structure{molecule(rng, []int{8, 6, 1, 1}), molecule(rng, []int{6, 6, 1, 7}), crystal(rng, []int{8, 1, 6, 6})}
		eval := func(structs []*potentials.Structure, species []int) func() *ad.Var {
			b, err := potentials.NewBatch(structs, species, m.Config.Cutoff)
			if err != nil {
				t.Fatal(err)
			}
			return func() *ad.Var {
				p := m.Predict(m.ElementContext(b), b, true, true)
				return ad.Concat(0, ad.Reshape(p.Energy, -1), ad.Reshape(p.Forces, -1), ad.Reshape(p.Stress, -1))
			}
		}
		return m, eval(old, []int{1, 6, 7}), eval(mixed, []int{1, 6, 7, 8})
	}
}

// TestAdapterConformance runs the adapters conformance suite on the potential: the
// add-element configurations (new rows for the element's embedding and reference,
// with a gated LoRA, alone, or with every weight), and other methods on its sites.
func TestAdapterConformance(t *testing.T) {
	rows := func(c adapters.Config) adapters.Config {
		c.NewRows, c.RowTargets, c.RowLabels = 1, []string{"embedding", "energy.reference"}, []string{"O"}
		return c
	}
	newKinds := []struct {
		name string
		cfg  adapters.Config
	}{
		{"add-element-lora", rows(adapters.Config{Method: "lora", Targets: []string{"interaction.*.filter.*", "interaction.*.update.*"}, Rank: 2, Alpha: 4, Gate: true})},
		{"add-element-lora-float32", rows(adapters.Config{Method: "lora", Targets: []string{"interaction.*.update.*"}, Rank: 1, Gate: true, Precision: "float32"})},
		{"add-element-rows", rows(adapters.Config{Method: "rows"})},
		{"add-element-full", rows(adapters.Config{Method: "select", Patterns: []string{"embedding.weight", "interaction.**", "output.**"}})},
	}
	for _, c := range newKinds {
		t.Run(c.name, func(t *testing.T) { adaptertest.RunNewKinds(t, buildPotential(t, potentials.ArchSchNet), c.cfg) })
	}
	// PaiNN: the element-gated LoRA on every message and update layer, the vector
	// channel mixing U and V among them.
	painnLoRA := rows(adapters.Config{Method: "lora", Targets: []string{"interaction.*.message.*", "interaction.*.update.*"}, Rank: 2, Alpha: 4, Gate: true})
	t.Run("painn-add-element-lora", func(t *testing.T) { adaptertest.RunNewKinds(t, buildPotential(t, potentials.ArchPaiNN), painnLoRA) })
	plain := func() (nn.Module, func() *ad.Var) {
		m, f, _ := buildPotential(t, potentials.ArchSchNet)()
		return m, f
	}
	for _, cfg := range []adapters.Config{
		{Method: "lora", Targets: []string{"interaction.*.update.*", "output.0"}, Rank: 2},
		{Method: "bottleneck", Targets: []string{"interaction.*.update.1"}, Reduction: 4},
		{Method: "bitfit"},
	} {
		t.Run(string(cfg.Method), func(t *testing.T) { adaptertest.Run(t, plain, cfg) })
	}
}

// TestElementGateKeepsOldKinds trains an element-gated add-element adapter and checks
// that structures without the new element — a free molecule and a periodic cell with
// its stress, alone and in a batch with O-containing structures — are predicted
// exactly as by the base.
func TestElementGateKeepsOldKinds(t *testing.T) {
	for _, c := range []struct {
		arch string
		prec ad.DType
	}{{potentials.ArchSchNet, ad.Float64}, {potentials.ArchPaiNN, ad.Float64}, {potentials.ArchSchNet, ad.Float32}, {potentials.ArchPaiNN, ad.Float32}} {
		arch := c.arch
		t.Run(arch+"-"+c.prec.String(), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(21, 22))
			m, err := potentials.New(potentials.Config{Model: arch, Species: []int{1, 6, 7}, Cutoff: 3.5, Features: 8, RBF: 6, Interactions: 2, Seed: 11})
			if err != nil {
				t.Fatal(err)
			}
			if err := m.SetPrecision(c.prec); err != nil {
				t.Fatal(err)
			}
			hcn := []*potentials.Structure{molecule(rng, []int{6, 7, 1, 1}), crystal(rng, []int{6, 1, 7, 6})}
			withO := []*potentials.Structure{molecule(rng, []int{8, 6, 1, 1}), crystal(rng, []int{8, 1, 6, 6})}
			predict := func(structs []*potentials.Structure) []float64 {
				b, err := potentials.NewBatch(structs, m.Species(), m.Config.Cutoff)
				if err != nil {
					t.Fatal(err)
				}
				p := m.Predict(m.ElementContext(b), b, true, false)
				return append(append(append([]float64(nil), p.Energy.Value().Data...), p.Forces.Value().Data...), p.Stress.Value().Data...)
			}
			before := predict(hcn)
			energy := func(s *potentials.Structure) float64 { return -3*float64(s.Len()) + 0.2*s.Positions[1] }
			fs := frames(rng, 6, []int{8, 6, 1, 1}, energy)
			a, _, err := potentials.AddElement(m, fs, potentials.AddElementOptions{Config: potentials.DefaultElementConfig(8),
				Train: potentials.TrainOptions{Epochs: 3, BatchSize: 3, LR: 2e-2, Seed: 1}})
			if err != nil {
				t.Fatal(err)
			}
			if len(a.Sites()) < 3 {
				t.Fatalf("adapter sites %v: no LoRA", a.Sites())
			}
			after := predict(hcn)
			for i := range before {
				if math.Float64bits(before[i]) != math.Float64bits(after[i]) {
					t.Fatalf("H/C/N batch (molecule and cell, with stress): value %d changed %.17g → %.17g", i, before[i], after[i])
				}
			}
			// In a batch with O: the H/C/N structures' energies are the ones they have
			// alone (to rounding: BLAS may sum a row differently in a larger matrix),
			// and the O structures' differ from the untrained adapter's.
			mixed := predict([]*potentials.Structure{withO[0], hcn[0], withO[1], hcn[1]})
			for k, i := range []int{1, 3} {
				if d := math.Abs(mixed[i] - before[k]); d > 1e-12*math.Abs(before[k]) {
					t.Errorf("H/C/N structure %d in a batch with O: energy %.17g, alone %.17g", k, mixed[i], before[k])
				}
			}
		})
	}
}

// TestReplayKeepsBase: full fine-tuning on O frames moves the H/C/N predictions;
// replaying H/C/N frames alongside keeps them closer to the base's.
func TestReplayKeepsBase(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	// A learnable, invariant synthetic energy: a pair sum depending on the elements.
	energy := func(s *potentials.Structure) float64 {
		e := -3 * float64(s.Len())
		for i := 0; i < s.Len(); i++ {
			for j := i + 1; j < s.Len(); j++ {
				d := math.Hypot(math.Hypot(s.Positions[3*i]-s.Positions[3*j], s.Positions[3*i+1]-s.Positions[3*j+1]), s.Positions[3*i+2]-s.Positions[3*j+2])
				e += float64(s.Numbers[i]*s.Numbers[j]) / 10 * math.Exp(-1.5*d)
			}
		}
		return e
	}
	oFrames := frames(rng, 8, []int{8, 6, 1, 1}, energy)
	hcn := frames(rng, 8, []int{6, 7, 1, 1}, energy)
	errHCN := func(replay bool) (float64, float64) {
		m := smallModel(t, []int{1, 6, 7})
		if err := m.FitReferences(hcn); err != nil {
			t.Fatal(err)
		}
		if _, err := potentials.Train(m, hcn, potentials.TrainOptions{Epochs: 30, BatchSize: 4, LR: 1e-2, Seed: 2}); err != nil {
			t.Fatal(err)
		}
		before, _ := potentials.Evaluate(m, hcn, 64, nil)
		opt := potentials.AddElementOptions{Config: potentials.DefaultElementConfig(8),
			Train: potentials.TrainOptions{Epochs: 20, BatchSize: 4, LR: 2e-2, Seed: 3}}
		opt.Config.Method = "full"
		if replay {
			opt.Replay = hcn
		}
		if _, _, err := potentials.AddElement(m, oFrames, opt); err != nil {
			t.Fatal(err)
		}
		after, _ := potentials.Evaluate(m, hcn, 64, nil)
		return before.EnergyMAE, after.EnergyMAE
	}
	b0, forgot := errHCN(false)
	b1, kept := errHCN(true)
	t.Logf("H/C/N energy MAE %.4f eV; after full fine-tuning on O %.4f, with replay %.4f", b0, forgot, kept)
	if b0 != b1 || !(forgot > 1.5*b0) || !(kept < forgot) {
		t.Errorf("H/C/N energy MAE %.4f/%.4f before; %.4f without replay, %.4f with: replay should keep it lower", b0, b1, forgot, kept)
	}
}

// TestFloat32FilesRoundTrip: a float32 base saved and loaded computes in float32
// and predicts what it did; an add-element adapter trained on it round-trips too.
func TestFloat32FilesRoundTrip(t *testing.T) {
	for _, arch := range []string{potentials.ArchSchNet, potentials.ArchPaiNN} {
		t.Run(arch, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(41, 42))
			m, err := potentials.New(potentials.Config{Model: arch, Species: []int{1, 6, 7}, Cutoff: 3.5, Features: 8, RBF: 6, Interactions: 2, Seed: 11})
			if err != nil {
				t.Fatal(err)
			}
			if err := m.SetPrecision(ad.Float32); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			base := filepath.Join(dir, "base.model")
			if err := m.Save(base); err != nil {
				t.Fatal(err)
			}
			withO := molecule(rng, []int{8, 6, 1, 7})
			fs := frames(rng, 6, []int{8, 6, 1, 1}, func(s *potentials.Structure) float64 { return -2 * float64(s.Len()) })
			a, _, err := potentials.AddElement(m, fs, potentials.AddElementOptions{Config: potentials.DefaultElementConfig(8),
				Train: potentials.TrainOptions{Epochs: 2, BatchSize: 3, LR: 1e-2, Seed: 1}})
			if err != nil {
				t.Fatal(err)
			}
			want, _ := m.Compute(withO)
			if err := a.Save(filepath.Join(dir, "O.adapter")); err != nil {
				t.Fatal(err)
			}
			m2, err := potentials.Load(base)
			if err != nil {
				t.Fatal(err)
			}
			if m2.Precision() != ad.Float32 {
				t.Fatalf("loaded base computes in %v", m2.Precision())
			}
			if _, err := potentials.LoadElementAdapter(filepath.Join(dir, "O.adapter"), m2); err != nil {
				t.Fatal(err)
			}
			got, _ := m2.Compute(withO)
			if got.Energy != want.Energy || got.Forces[0] != want.Forces[0] {
				t.Fatalf("round trip: E %.17g vs %.17g, F %.17g vs %.17g", got.Energy, want.Energy, got.Forces[0], want.Forces[0])
			}
		})
	}
}
