package paths

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/usage"
)

// isUsage reports whether err is a usage error (exit code 2).
func isUsage(err error) bool {
	var u usage.Error
	return errors.As(err, &u)
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.csv", "b.csv", "c.txt"} {
		os.WriteFile(filepath.Join(dir, n), nil, 0o644)
	}
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	got, err := Files([]string{b, filepath.Join(dir, "*.csv"), a}, ".csv")
	if err != nil || !slices.Equal(got, []string{b, a}) {
		t.Fatalf("files %v (%v), want [b a]: globs expanded, duplicates once in argument order", got, err)
	}
	for _, c := range []struct {
		arg, want string
		usage     bool
	}{
		{filepath.Join(dir, "*.h5"), "no file matches", false},
		{filepath.Join(dir, "[.csv"), "bad file pattern", true},
		{filepath.Join(dir, "x.csv"), "x.csv: no such file or directory", false},
		{dir, "is a directory; give the files, for example " + filepath.Join(dir, "*.csv"), false},
	} {
		_, err := Files([]string{c.arg}, ".csv")
		if err == nil || !strings.Contains(err.Error(), c.want) || isUsage(err) != c.usage {
			t.Errorf("%s: error %v (usage %v), want %q (usage %v)", c.arg, err, isUsage(err), c.want, c.usage)
		}
	}
}

func TestCheckOutNotInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.h5")
	os.WriteFile(in, []byte("x"), 0o644)
	link := filepath.Join(dir, "link.h5")
	if err := os.Link(in, link); err != nil {
		t.Skip(err)
	}
	for _, c := range []struct {
		out  string
		same bool
	}{{in, true}, {link, true}, {filepath.Join(dir, ".", "in.h5"), true}, {filepath.Join(dir, "out.h5"), false}} {
		err := CheckOutNotInput(c.out, []string{filepath.Join(dir, "other.h5"), in})
		if (err != nil) != c.same || (err != nil && (!isUsage(err) || !strings.Contains(err.Error(), "is also an input"))) {
			t.Errorf("--out %s: error %v; want one: %v", c.out, err, c.same)
		}
	}
}

func TestSplitPrefixed(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "pairs.txt")
	odd := filepath.Join(dir, "a=b.txt")
	os.WriteFile(f, nil, 0o644)
	os.WriteFile(odd, nil, 0o644)
	for _, c := range []struct{ arg, name, path, err string }{
		{f, "", f, ""},
		{"train=" + f, "train", f, ""},
		{odd, "", odd, ""}, // an existing file is a path even with "="
		{"=" + f, "", "", "want NAME=FILE with both parts"},
		{"rat=", "", "", "want NAME=FILE with both parts"},
		{"rat=" + filepath.Join(dir, "none.txt"), "", "", "none.txt: no such file or directory"},
	} {
		name, path, err := SplitPrefixed(c.arg)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want %q", c.arg, err, c.err)
			}
			continue
		}
		if err != nil || name != c.name || path != c.path {
			t.Errorf("%s: %q, %q, %v; want %q, %q", c.arg, name, path, err, c.name, c.path)
		}
	}
}

func TestCheckOutputs(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "file"), nil, 0o644)
	if err := CheckOutputs("out", filepath.Join(dir, "m.model"), "report", ""); err != nil {
		t.Fatal(err)
	}
	for _, c := range [][2]string{
		{dir, "is a folder"},
		{filepath.Join(dir, "none", "m.model"), "does not exist"},
		{filepath.Join(dir, "file", "m.model"), "is not a folder"},
	} {
		err := CheckOutputs("out", filepath.Join(dir, "ok"), "report", c[0])
		if err == nil || !strings.HasPrefix(err.Error(), "--report "+c[0]) || !strings.Contains(err.Error(), c[1]) {
			t.Errorf("%s: error %v, want %q", c[0], err, c[1])
		}
	}
}
