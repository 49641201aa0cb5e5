package potentials_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/autodiff/gradcheck"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
	"github.com/sciadapt/sciadapt/potentials/potentialtest"
)

// painnConfig is a small PaiNN: 8 features, 8 radial functions, 2 interactions, 4 Å.
func painnConfig(species []int, seed uint64) potentials.Config {
	return potentials.Config{Model: potentials.ArchPaiNN, Species: species, Cutoff: 4, Features: 8, RBF: 8, Interactions: 2, Seed: seed}
}

// painnModel returns an untrained small PaiNN with non-trivial reference energies
// and scale, and biases drawn from N(0, 0.1²) (as training leaves them, so that
// no term vanishes because biases start at zero).
func painnModel(t testing.TB, species []int, seed uint64) *potentials.Model {
	t.Helper()
	m, err := potentials.New(painnConfig(species, seed))
	if err != nil {
		t.Fatal(err)
	}
	copy(m.Ref.Value().Data, []float64{-13.6, -1029.8, -1485.0, -2041.0}[:len(species)])
	m.Scale.Value().Data[0] = 0.7
	randomBiases(m, seed)
	return m
}

// randomBiases draws every bias of m from N(0, 0.1²).
func randomBiases(m *potentials.Model, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0xb1a5))
	for _, p := range m.Params() {
		if strings.HasSuffix(p.Name, ".bias") {
			for i := range p.Value().Data {
				p.Value().Data[i] = 0.1 * rng.NormFloat64()
			}
		}
	}
}

// TestPaiNNConformance runs the potential suite (forces against finite differences,
// stress, invariance under rotation, translation and permutation) on free molecules
// and a periodic cell whose atoms see several images of each other.
func TestPaiNNConformance(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	m := painnModel(t, []int{1, 6, 7, 29}, 3)
	potentialtest.Run(t, m, []*potentials.Structure{
		molecule(rng, []int{6, 6, 7, 1, 1, 1}),
		molecule(rng, []int{7, 1, 1, 1}),
		crystal(rng, []int{29, 29, 29, 29}),
	})
}

// TestPaiNNForceLossGradient checks the gradient, with respect to every trainable
// parameter, of a loss on energies, forces and stress (which are themselves
// derivatives of the energy, so this is a second derivative), against central
// finite differences, in reverse and forward mode; and the Hessian of the energy
// with respect to positions and strain, by three modes, against differences of the
// gradient.
func TestPaiNNForceLossGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	cfg := painnConfig([]int{1, 6, 7, 29}, 13)
	cfg.Features, cfg.RBF = 4, 4
	m, err := potentials.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.Scale.Value().Data[0] = 0.7
	randomBiases(m, 13)
	structs := []*potentials.Structure{molecule(rng, []int{6, 7, 1, 1}), crystal(rng, []int{29, 29, 1, 29})}
	b, err := potentials.NewBatch(structs, m.Species(), cfg.Cutoff)
	if err != nil {
		t.Fatal(err)
	}
	target := func(shape ...int) *ad.Var {
		x := ad.Zeros(shape...)
		for i := range x.Data {
			x.Data[i] = rng.NormFloat64()
		}
		return ad.Constant(x)
	}
	eRef, fRef, sRef := target(2, 1), target(len(b.Species), 3), target(2, 9)
	params := nn.Trainable(m)
	orig := nn.Vars(params)
	defer func() {
		for i, p := range params {
			p.V = orig[i]
		}
	}()
	loss := func(xs []*ad.Var) *ad.Var {
		for i, p := range params {
			p.V = xs[i]
		}
		pr := m.Predict(nil, b, true, true)
		l := ad.Mean(ad.Square(ad.Sub(pr.Energy, eRef)))
		l = ad.Add(l, ad.Mean(ad.Square(ad.Sub(pr.Forces, fRef))))
		return ad.Add(l, ad.Mean(ad.Square(ad.Sub(ad.Scale(pr.Stress, 100), sRef))))
	}
	xs := make([]*ad.Tensor, len(params))
	n := 0
	for i, p := range params {
		xs[i] = p.Value().Clone()
		n += p.Size()
	}
	if err := gradcheck.First(loss, xs, &gradcheck.Options{Step: 1e-5, Atol: 1e-7, Rtol: 1e-6}); err != nil {
		t.Errorf("gradient of the force loss over %d parameter values: %v", n, err)
	}
	energy := func(xs []*ad.Var) *ad.Var { return m.Energies(nil, b, xs[0], xs[1]) }
	strain := ad.Zeros(2, 9)
	if err := gradcheck.Second(energy, []*ad.Tensor{b.Positions.Clone(), strain}, &gradcheck.Options{Step: 1e-5, Atol: 1e-6, Rtol: 1e-6}); err != nil {
		t.Errorf("Hessian of the energy in positions and strain: %v", err)
	}
}

// TestPaiNNSmoothAtCutoff moves an atom C across the cutoff of atom A and checks
// that energy and forces are continuous there: their change between d_AC = r_c − h
// and r_c + h shrinks as h does (like h² for the energy and h for the forces when C
// has no other neighbour; like h for both when C stays within the cutoff of a
// third atom, which carries the vector features around). A jump at r_c would
// leave the change at its size as h → 0.
func TestPaiNNSmoothAtCutoff(t *testing.T) {
	m := painnModel(t, []int{1, 6, 7}, 17)
	rc := m.Config.Cutoff
	// A at the origin, B bonded to it; C on the line from A through (0, 1, 0.3)
	// at distance d. With B at −1.2 x̂ C stays beyond r_c of B; with B at +1.2 x̂
	// rotated toward C it stays within.
	dir := [3]float64{0, 1 / math.Hypot(1, 0.3), 0.3 / math.Hypot(1, 0.3)}
	for _, c := range []struct {
		name   string
		b      [3]float64
		eOrder float64 // expected order of the energy change in h
	}{
		{"C alone beyond r_c", [3]float64{-1.2, -0.3, 0}, 2},
		{"C within r_c of B", [3]float64{0.3, 1.1, 0.2}, 1},
	} {
		at := func(d float64) potentials.Result {
			s := &potentials.Structure{Numbers: []int{6, 7, 1}, Positions: []float64{0, 0, 0, c.b[0], c.b[1], c.b[2], d * dir[0], d * dir[1], d * dir[2]}}
			r, err := m.Compute(s)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		jump := func(h float64) (de, df float64) {
			lo, hi := at(rc-h), at(rc+h)
			return math.Abs(lo.Energy - hi.Energy), maxAbsDiff(lo.Forces, hi.Forces)
		}
		inside, outside := at(rc-1), at(rc+0.5)
		if math.Abs(inside.Energy-outside.Energy) < 1e-3 {
			t.Fatalf("%s: moving C 1 Å inside the cutoff changes the energy by only %.3g eV: no interaction to test", c.name, inside.Energy-outside.Energy)
		}
		e1, f1 := jump(1e-3)
		e2, f2 := jump(1e-4)
		t.Logf("%s: |ΔE| %.3g → %.3g eV, |ΔF| %.3g → %.3g eV/Å for h = 1e-3 → 1e-4 Å", c.name, e1, e2, f1, f2)
		// Order p in h means a ratio 10^p between the two steps; allow a factor 2.
		if e2 > 2*e1/math.Pow(10, c.eOrder) || f2 > 2*f1/10 {
			t.Errorf("%s: energy or forces do not vanish across the cutoff: |ΔE| %.3g → %.3g eV, |ΔF| %.3g → %.3g eV/Å as h goes 1e-3 → 1e-4 Å", c.name, e1, e2, f1, f2)
		}
	}
}

// TestPaiNNBatchConsistency checks that a batch of molecules and periodic cells
// gives each structure the energy, forces and stress it has alone.
func TestPaiNNBatchConsistency(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	m := painnModel(t, []int{1, 6, 7, 29}, 19)
	structs := []*potentials.Structure{
		molecule(rng, []int{6, 6, 7, 1, 1, 1}),
		crystal(rng, []int{29, 29, 29, 29}),
		molecule(rng, []int{7, 1, 1, 1}),
		crystal(rng, []int{29, 1, 29, 29}),
	}
	b, err := potentials.NewBatch(structs, m.Species(), m.Config.Cutoff)
	if err != nil {
		t.Fatal(err)
	}
	p := m.Predict(nil, b, true, false)
	first := 0
	for k, s := range structs {
		alone, err := m.Compute(s)
		if err != nil {
			t.Fatal(err)
		}
		n := 3 * s.Len()
		if d := math.Abs(p.Energy.Value().Data[k] - alone.Energy); d > 1e-12*math.Abs(alone.Energy) {
			t.Errorf("structure %d: energy %.15g in the batch, %.15g alone", k, p.Energy.Value().Data[k], alone.Energy)
		}
		if d := maxAbsDiff(p.Forces.Value().Data[first:first+n], alone.Forces); d > 1e-12 {
			t.Errorf("structure %d: forces differ by %.3g eV/Å in the batch", k, d)
		}
		if alone.Stress != nil {
			if d := maxAbsDiff(p.Stress.Value().Data[9*k:9*k+9], alone.Stress[:]); d > 1e-12 {
				t.Errorf("structure %d: stress differs by %.3g eV/Å³ in the batch", k, d)
			}
		}
		first += n
	}
}

// TestPaiNNModelFileRoundTrip saves a PaiNN and loads it back bit for bit, its
// architecture read from the file.
func TestPaiNNModelFileRoundTrip(t *testing.T) {
	m := painnModel(t, []int{1, 6}, 29)
	path := filepath.Join(t.TempDir(), "painn.model")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	m2, err := potentials.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m2.Net.(*potentials.PaiNN); !ok || nn.Fingerprint(m) != nn.Fingerprint(m2) {
		t.Fatalf("round trip: network %T, fingerprints equal %v", m2.Net, nn.Fingerprint(m) == nn.Fingerprint(m2))
	}
}

// nveRun integrates s from velocities at 300 K for 500 fs with step dt and returns
// the total energy's drift (end − start), its fluctuation (max − min) and the
// potential energy's swing (max − min), all in eV.
func nveRun(t *testing.T, m *potentials.Model, s0 *potentials.Structure, dt float64) (drift, fluct, swing float64) {
	t.Helper()
	s := &potentials.Structure{Numbers: s0.Numbers, Positions: append([]float64(nil), s0.Positions...), Cell: s0.Cell, PBC: s0.PBC}
	masses, err := potentials.Masses(s)
	if err != nil {
		t.Fatal(err)
	}
	v := potentials.MaxwellBoltzmann(masses, 300, 1)
	var e0, e1 float64
	lo, hi, plo, phi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	err = potentials.VelocityVerlet(m, s, v, dt, int(math.Round(500/dt)), func(st potentials.Step) {
		if st.Step == 0 {
			e0 = st.Total()
		}
		e1 = st.Total()
		lo, hi = math.Min(lo, e1), math.Max(hi, e1)
		plo, phi = math.Min(plo, st.Potential), math.Max(phi, st.Potential)
	})
	if err != nil {
		t.Fatal(err)
	}
	return e1 - e0, hi - lo, phi - plo
}

// TestPaiNNNVEConservesEnergy runs 500 fs of velocity-Verlet dynamics at 300 K of
// a free molecule and of a periodic 4-atom copper cell, each relaxed first with
// FIRE on the (untrained) model so that the molecule stays bound, with steps of
// 0.5 and 0.25 fs. The total energy must stay within a small fraction of the swing
// of the potential energy, without drift, and its fluctuation must shrink as dt²
// (velocity Verlet conserves a shadow energy within O(dt²) of the true one);
// forces that are not exactly the gradient of the energy, or an energy surface
// with near-singular curvature, break that scaling. The molecule is one whose
// trajectory meets such curvature when the norm of the vector features is
// smoothed with ε = 1e-8 (schnetpack's value): then halving dt shrinks the
// fluctuation only 1.6 times (0.11 eV for a swing of 0.87 eV at dt = 0.5 fs).
func TestPaiNNNVEConservesEnergy(t *testing.T) {
	mol := painnModel(t, []int{1, 6, 7}, 3)
	mol.Scale.Value().Data[0] = 5
	s := molecule(rand.New(rand.NewPCG(3, 1)), []int{6, 6, 7, 1, 1})
	if _, err := potentials.FIRE(mol, s, 1e-3, 3000, nil); err != nil {
		t.Fatal(err)
	}
	cu := painnModel(t, []int{29}, 2)
	cu.Scale.Value().Data[0] = 5
	cell := crystal(rand.New(rand.NewPCG(1, 1)), []int{29, 29, 29, 29})
	if _, err := potentials.FIRE(cu, cell, 1e-3, 3000, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		m    *potentials.Model
		s    *potentials.Structure
	}{
		{"C2NH2 molecule", mol, s},
		{"Cu4 cell", cu, cell},
	} {
		d1, f1, sw := nveRun(t, c.m, c.s, 0.5)
		d2, f2, _ := nveRun(t, c.m, c.s, 0.25)
		t.Logf("%s: potential swing %.3g eV; dt 0.5 fs: drift %.2e, fluctuation %.2e eV; dt 0.25 fs: drift %.2e, fluctuation %.2e eV", c.name, sw, d1, f1, d2, f2)
		if sw < 1e-2 {
			t.Fatalf("%s: potential energy swung only %.3g eV: the atoms do not interact", c.name, sw)
		}
		if f1 > 2e-2*sw || math.Abs(d1) > f1 || math.Abs(d2) > f2 {
			t.Errorf("%s: total energy not conserved at dt = 0.5 fs: drift %.3g, fluctuation %.3g eV, potential swing %.3g eV", c.name, d1, f1, sw)
		}
		if r := f1 / f2; r < 3 || r > 5.5 {
			t.Errorf("%s: halving dt shrank the energy fluctuation %.3g times, want about 4 (dt²)", c.name, r)
		}
	}
}

// A PaiNN for H, C, N and O with 32 features, 2 interaction blocks and 16 radial
// functions: its size and the hook sites of its first block.
func ExampleNew_painn() {
	m, err := potentials.New(potentials.Config{Model: potentials.ArchPaiNN, Species: []int{1, 6, 7, 8},
		Cutoff: 5, Features: 32, RBF: 16, Interactions: 2, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	total, _ := nn.Counts(m)
	fmt.Println("parameters:", total)
	for _, s := range m.Net.Sites()[:7] {
		fmt.Printf("%-32s %3d → %3d  %s rows\n", s.Name, s.In, s.Out, s.Rows)
	}
	// Output:
	// parameters: 26983
	// interaction.0.message.phi.0       32 →  32  atom rows
	// interaction.0.message.phi.1       32 →  96  atom rows
	// interaction.0.message.filter      16 →  96  pair rows
	// interaction.0.update.U            32 →  32  atom rows
	// interaction.0.update.V            32 →  32  atom rows
	// interaction.0.update.a.0          64 →  32  atom rows
	// interaction.0.update.a.1          32 →  96  atom rows
}
