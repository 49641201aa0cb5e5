package potentials

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzBase is a tiny potential for the file fuzzers: H and C, 2 features.
func fuzzBase(tb testing.TB) *Model {
	m, err := New(Config{Species: []int{1, 6}, Cutoff: 3, Features: 2, RBF: 2, Interactions: 1, Seed: 1})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// fuzzFile writes b to a fresh file named x.model and returns its path.
func fuzzFile(t *testing.T, b []byte) string {
	p := filepath.Join(t.TempDir(), "x.model")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// FuzzLoad reads fuzzed bytes as a model file: no panic, errors name the file, and
// a model that loads evaluates a small molecule to a finite energy.
func FuzzLoad(f *testing.F) {
	p := filepath.Join(f.TempDir(), "good.model")
	if err := fuzzBase(f).Save(p); err != nil {
		f.Fatal(err)
	}
	good, _ := os.ReadFile(p)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte(strings.Replace(string(good), `"features":2`, `"features":9`, 1)))
	f.Fuzz(func(t *testing.T, b []byte) {
		path := fuzzFile(t, b)
		m, err := Load(path)
		if err != nil {
			if !strings.Contains(err.Error(), "x.model") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		total := 0
		for _, q := range m.Params() {
			total += q.Size()
		}
		if total > len(b) {
			t.Fatalf("%d parameters loaded from %d bytes", total, len(b))
		}
	})
}

// FuzzLoadElementAdapter reads fuzzed bytes as an add-element adapter for a fixed
// base: no panic and errors name the file.
func FuzzLoadElementAdapter(f *testing.F) {
	base := fuzzBase(f)
	cfg := DefaultElementConfig(8)
	cfg.Rank = 1
	a, err := NewElementAdapter(base, cfg)
	if err != nil {
		f.Fatal(err)
	}
	p := filepath.Join(f.TempDir(), "good.adapter")
	if err := a.Save(p); err != nil {
		f.Fatal(err)
	}
	good, _ := os.ReadFile(p)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Fuzz(func(t *testing.T, b []byte) {
		path := fuzzFile(t, b)
		if _, err := LoadElementAdapter(path, fuzzBase(t)); err != nil && !strings.Contains(err.Error(), "x.model") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}
