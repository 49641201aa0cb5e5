package nn_test

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/internal/safetensors"
	"github.com/sciadapt/sciadapt/nn"
)

// TestFloat32ModelFile converts an MLP to float32, checks its forward pass runs in
// float32 and agrees with the float64 one to float32 rounding, saves it (tensors
// stored as F32, half the bytes), and loads it bit for bit into a float32 model and
// exactly (widened) into a float64 one.
func TestFloat32ModelFile(t *testing.T) {
	dir := t.TempDir()
	m64 := nn.NewMLP("m", []int{3, 8, 2}, nn.ActShiftedSoftplus, nn.NewRand(6))
	m32 := nn.NewMLP("m", []int{3, 8, 2}, nn.ActShiftedSoftplus, nn.NewRand(6))
	m32.Layers[1].W.SetTrainable(false)
	if n := nn.SetPrecision(m32, ad.Float32); n != 4 {
		t.Fatalf("SetPrecision converted %d parameters, want 4", n)
	}
	if m32.Layers[1].W.Trainable() || !m32.Layers[0].W.Trainable() {
		t.Fatal("SetPrecision changed which parameters are trainable")
	}
	x := ad.New([]float64{0.3, -1.2, 2.5, 1, 0, -0.5}, 2, 3)
	y64 := m64.Forward(nil, ad.Constant(x)).Value()
	y32 := m32.Forward(nil, ad.Constant(x.Convert(ad.Float32))).Value()
	if y32.DType() != ad.Float32 {
		t.Fatalf("float32 model gave %v", y32.DType())
	}
	for i, v := range y32.Float64s() {
		if math.Abs(v-y64.Data[i]) > 1e-6*(1+math.Abs(y64.Data[i])) {
			t.Fatalf("output %d: float32 %g, float64 %g", i, v, y64.Data[i])
		}
	}
	p32, p64 := filepath.Join(dir, "m32.model"), filepath.Join(dir, "m64.model")
	for path, m := range map[string]*nn.MLP{p32: m32, p64: m64} {
		if err := nn.SaveModel(path, "test/mlp", struct{}{}, m, nil); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(p32)
	if err != nil {
		t.Fatal(err)
	}
	f, err := safetensors.Read(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, tn := range f.Tensors {
		if !tn.Float32 {
			t.Fatalf("tensor %s stored as F64", tn.Name)
		}
	}
	st32, _ := os.Stat(p32)
	st64, _ := os.Stat(p64)
	if !(st32.Size() < st64.Size()) {
		t.Fatalf("float32 file %d bytes, float64 file %d", st32.Size(), st64.Size())
	}
	mf, err := nn.ReadModelFile(p32)
	if err != nil {
		t.Fatal(err)
	}
	back32 := nn.NewMLP("m", []int{3, 8, 2}, nn.ActShiftedSoftplus, nn.NewRand(99))
	nn.SetPrecision(back32, ad.Float32)
	if err := mf.LoadInto(back32); err != nil {
		t.Fatal(err)
	}
	back64 := nn.NewMLP("m", []int{3, 8, 2}, nn.ActShiftedSoftplus, nn.NewRand(99))
	if err := mf.LoadInto(back64); err != nil {
		t.Fatal(err)
	}
	for k, p := range m32.Params() {
		want := p.Value().Data32
		for j, v := range back32.Params()[k].Value().Data32 {
			if v != want[j] || back64.Params()[k].Value().Data[j] != float64(want[j]) {
				t.Fatalf("%s[%d]: saved %g, loaded %g (float32) %g (float64)", p.Name, j, want[j], v, back64.Params()[k].Value().Data[j])
			}
		}
	}
	if nn.Fingerprint(back32) != nn.Fingerprint(m32) || nn.Fingerprint(back32) == nn.Fingerprint(m64) {
		t.Fatal("fingerprints: float32 round trip differs, or float32 model equals its float64 source")
	}
}
