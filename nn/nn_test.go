package nn_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/autodiff/gradcheck"
	"github.com/sciadapt/sciadapt/nn"
)

func TestMatch(t *testing.T) {
	cases := []struct {
		pattern, name string
		want          bool
	}{
		{"interaction.*.filter.weight", "interaction.2.filter.weight", true},
		{"interaction.*.filter.weight", "interaction.2.x.filter.weight", false},
		{"**.bias", "head.0.bias", true},
		{"**.bias", "head.0.weight", false},
		{"bias", "interaction.0.filter.bias", true},
		{"bias", "interaction.0.filter.nobias", false},
		{"head.0", "head.0", true},
		{"head.*", "head.0.weight", false},
		{"head.**", "head.0.weight", true},
		{"a+b", "a+b", true},
	}
	for _, c := range cases {
		if got := nn.Match(c.pattern, c.name); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.pattern, c.name, got, c.want)
		}
	}
}

func TestParamNamesAndFreezing(t *testing.T) {
	m := nn.NewMLP("head", []int{3, 5, 1}, nn.ActSiLU, nn.NewRand(1))
	var names []string
	for _, p := range m.Params() {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, " "); got != "head.0.weight head.0.bias head.1.weight head.1.bias" {
		t.Fatalf("names %q", got)
	}
	total, trainable := nn.Counts(m)
	if total != 3*5+5+5+1 || trainable != total {
		t.Fatalf("counts %d/%d", trainable, total)
	}
	if n := nn.Freeze(m, "**.weight"); n != 2 {
		t.Fatalf("froze %d, want 2", n)
	}
	if _, tr := nn.Counts(m); tr != 6 {
		t.Fatalf("trainable after freezing weights = %d, want 6", tr)
	}
	if n := nn.Unfreeze(m); n != 2 {
		t.Fatalf("unfroze %d, want 2", n)
	}
}

func TestLinearMatchesHandComputation(t *testing.T) {
	l := nn.NewLinear("l", 2, 2, true, nn.NewRand(1))
	copy(l.W.Value().Data, []float64{1, 2, 3, 4}) // W = [[1,2],[3,4]]
	copy(l.B.Value().Data, []float64{0.5, -1})
	x := ad.Constant(ad.New([]float64{1, 1, 2, 0}, 2, 2))
	got := l.Forward(nil, x).Value().Data
	want := []float64{1 + 3 + 0.5, 2 + 4 - 1, 2 + 0.5, 4 - 1}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Linear = %v, want %v", got, want)
		}
	}
	// Rank-3 input is mapped over the leading axes.
	x3 := ad.Constant(ad.New([]float64{1, 1, 2, 0}, 2, 1, 2))
	if s := l.Forward(nil, x3).Shape(); len(s) != 3 || s[2] != 2 {
		t.Fatalf("rank-3 Linear shape %v", s)
	}
}

// TestMLPDerivatives checks first and second derivatives of an MLP with respect to
// its input and its weights together.
func TestMLPDerivatives(t *testing.T) {
	for _, act := range []nn.Activation{nn.ActSiLU, nn.ActTanh, nn.ActShiftedSoftplus} {
		m := nn.NewMLP("m", []int{3, 6, 6, 2}, act, nn.NewRand(2))
		ps := m.Params()
		inputs := []*ad.Tensor{nn.Normal(nn.NewRand(3), 1, 4, 3)}
		for _, p := range ps {
			inputs = append(inputs, p.Value().Clone())
		}
		f := func(xs []*ad.Var) *ad.Var {
			for i, p := range ps {
				p.V = xs[i+1]
			}
			return m.Forward(nil, xs[0])
		}
		if err := gradcheck.First(f, inputs, nil); err != nil {
			t.Errorf("%s: %v", act, err)
		}
		if err := gradcheck.Second(f, inputs, nil); err != nil {
			t.Errorf("%s: %v", act, err)
		}
	}
}

type scaleHook struct{ c float64 }

func (h scaleHook) Apply(ctx *nn.Context, in, out *ad.Var) *ad.Var { return ad.Scale(out, h.c) }

func TestHooksAttachDisableDetach(t *testing.T) {
	m := nn.NewMLP("m", []int{2, 4, 1}, nn.ActTanh, nn.NewRand(4))
	x := ad.Constant(nn.Normal(nn.NewRand(5), 1, 3, 2))
	base := m.Forward(nil, x).Value().Clone()
	sites := nn.SitesMatching(m, "m.1")
	if len(sites) != 1 {
		t.Fatalf("found %d sites for m.1", len(sites))
	}
	sites[0].Attach("double", scaleHook{2})
	got := m.Forward(nil, x).Value()
	for i := range base.Data {
		if got.Data[i] != 2*base.Data[i] {
			t.Fatalf("hooked output %v, want twice %v", got.Data, base.Data)
		}
	}
	sites[0].Enable("double", false)
	same := m.Forward(nil, x).Value()
	for i := range base.Data {
		if math.Float64bits(same.Data[i]) != math.Float64bits(base.Data[i]) {
			t.Fatal("a disabled hook changed the output")
		}
	}
	sites[0].Detach("double")
	if len(sites[0].Hooks()) != 0 {
		t.Fatal("hook not detached")
	}
}

func TestModelFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.model")
	type cfg struct{ Sizes []int }
	m := nn.NewMLP("m", []int{2, 3, 1}, nn.ActTanh, nn.NewRand(6))
	if err := nn.SaveModel(path, "test/mlp", cfg{[]int{2, 3, 1}}, m, nil); err != nil {
		t.Fatal(err)
	}
	mf, err := nn.ReadModelFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c cfg
	if err := mf.DecodeConfig(&c); err != nil || mf.Kind != "test/mlp" || len(c.Sizes) != 3 {
		t.Fatalf("kind %q config %+v err %v", mf.Kind, c, err)
	}
	m2 := nn.NewMLP("m", c.Sizes, nn.ActTanh, nn.NewRand(99))
	if err := mf.LoadInto(m2); err != nil {
		t.Fatal(err)
	}
	if nn.Fingerprint(m) != nn.Fingerprint(m2) {
		t.Fatal("round trip is not bit-exact")
	}
	// One changed bit changes the fingerprint.
	p := m2.Params()[0].Value()
	p.Data[0] = math.Nextafter(p.Data[0], 2)
	if nn.Fingerprint(m) == nn.Fingerprint(m2) {
		t.Fatal("fingerprint ignores a one-ulp change")
	}
	// A model of another shape is refused, naming the tensor.
	wrong := nn.NewMLP("m", []int{2, 4, 1}, nn.ActTanh, nn.NewRand(1))
	if err := mf.LoadInto(wrong); err == nil || !strings.Contains(err.Error(), "m.0.weight") {
		t.Fatalf("wrong-shape load: %v", err)
	}
	// A file cut in half is refused, naming the file.
	b, _ := os.ReadFile(path)
	cut := filepath.Join(dir, "cut.model")
	os.WriteFile(cut, b[:len(b)/2], 0o644)
	if _, err := nn.ReadModelFile(cut); err == nil || !strings.Contains(err.Error(), "cut.model") {
		t.Fatalf("truncated file: %v", err)
	}
}

func TestConvAndNormLayers(t *testing.T) {
	c := nn.NewConv1D("conv", 3, 4, 2, nn.NewRand(7))
	y := c.Forward(nil, ad.Constant(nn.Normal(nn.NewRand(8), 1, 2, 5, 3)))
	if s := y.Shape(); s[0] != 2 || s[1] != 4 || s[2] != 4 {
		t.Fatalf("Conv1D shape %v, want [2 4 4]", s)
	}
	ln := nn.NewLayerNorm("ln", 4)
	z := ln.Forward(nil, y).Value()
	for r := 0; r < 8; r++ {
		mean := 0.0
		for k := 0; k < 4; k++ {
			mean += z.Data[r*4+k] / 4
		}
		if math.Abs(mean) > 1e-12 {
			t.Fatalf("row %d of LayerNorm output has mean %g", r, mean)
		}
	}
}

// addedRows is a RowSource hook holding fixed rows.
type addedRows struct{ rows *ad.Var }

func (a addedRows) Apply(_ *nn.Context, _, out *ad.Var) *ad.Var { return out }
func (a addedRows) Rows() *ad.Var                               { return a.rows }

func TestEmbeddingRowSources(t *testing.T) {
	e := nn.NewEmbedding("emb", 2, 3, 1, nn.NewRand(1))
	e.Site.Attach("a", addedRows{ad.Constant(ad.New([]float64{7, 8, 9}, 1, 3))})
	e.Site.Attach("b", addedRows{ad.Constant(ad.New([]float64{4, 5, 6, 1, 2, 3}, 2, 3))})
	if e.Rows() != 5 {
		t.Fatalf("Rows %d, want 5", e.Rows())
	}
	got := e.Forward(nil, []int{2, 0, 4, 3}).Value().Data
	tab := e.Table.Value().Data
	want := []float64{7, 8, 9, tab[0], tab[1], tab[2], 1, 2, 3, 4, 5, 6}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("rows %v, want %v", got, want)
		}
	}
	e.Site.Enable("a", false)
	if got := e.Forward(nil, []int{2}).Value().Data; e.Rows() != 4 || got[0] != 4 {
		t.Fatalf("with source a disabled: %d rows, row 2 = %v", e.Rows(), got)
	}
}
