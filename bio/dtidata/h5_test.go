package dtidata

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/internal/h5io"
)

func nanEqual(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

func equalDatasets(t *testing.T, got, want *Dataset) {
	t.Helper()
	if got.Source != want.Source || got.Task != want.Task || got.AffinityUnit != want.AffinityUnit {
		t.Errorf("header %q %q %q, want %q %q %q", got.Source, got.Task, got.AffinityUnit, want.Source, want.Task, want.AffinityUnit)
	}
	if len(got.Drugs) != len(want.Drugs) || len(got.Proteins) != len(want.Proteins) || len(got.Pairs) != len(want.Pairs) || len(got.Orthologs) != len(want.Orthologs) {
		t.Fatalf("sizes %d/%d/%d/%d, want %d/%d/%d/%d", len(got.Drugs), len(got.Proteins), len(got.Pairs), len(got.Orthologs),
			len(want.Drugs), len(want.Proteins), len(want.Pairs), len(want.Orthologs))
	}
	for i := range want.Drugs {
		if got.Drugs[i] != want.Drugs[i] {
			t.Errorf("drug %d: %+v, want %+v", i, got.Drugs[i], want.Drugs[i])
		}
	}
	for i := range want.Proteins {
		if got.Proteins[i] != want.Proteins[i] {
			t.Errorf("protein %d: %+v, want %+v", i, got.Proteins[i], want.Proteins[i])
		}
	}
	for i := range want.Pairs {
		// Bit-exact: values go through HDF5 as float64.
		if got.Pairs[i] != want.Pairs[i] {
			t.Errorf("pair %d: %+v, want %+v", i, got.Pairs[i], want.Pairs[i])
		}
	}
	for i, o := range want.Orthologs {
		g := got.Orthologs[i]
		if g.Human != o.Human || g.Other != o.Other || !nanEqual(g.Identity, o.Identity) || g.Gene != o.Gene || g.Note != o.Note {
			t.Errorf("ortholog %d: %+v, want %+v", i, g, o)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	davis, err := ImportDavis(filepath.Join(fixtures, "davis"), nil)
	if err != nil {
		t.Fatal(err)
	}
	fasta, err := ImportFASTA([]FASTAFile{
		{filepath.Join(fixtures, "orthologs/human_subset.fasta"), "human"},
		{filepath.Join(fixtures, "orthologs/rat_subset.fasta"), "rat"},
	})
	if err != nil {
		t.Fatal(err)
	}
	fasta.Orthologs = []Ortholog{{Human: 0, Other: 5, Identity: 0.987, Gene: "CHRM1"}, {Human: 1, Other: 6, Identity: math.NaN(), Note: "ü note"}}
	for name, d := range map[string]*Dataset{"gpcr.h5": gpcrFixture(t), "davis.h5": davis, "orthologs.h5": fasta} {
		path := filepath.Join(dir, name)
		if err := Write(path, d); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := Read(path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		equalDatasets(t, got, d)
	}
}

func TestWriteRefusesInvalid(t *testing.T) {
	d := gpcrFixture(t)
	d.Pairs[3].Value = 0.5
	path := filepath.Join(t.TempDir(), "bad.h5")
	err := Write(path, d)
	if err == nil || !strings.Contains(err.Error(), "pair 3: label 0.5") {
		t.Fatalf("error %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("a file was left behind")
	}
	d = gpcrFixture(t)
	d.Drugs[0].SMILES = "C\x00C"
	if err := Write(path, d); err == nil || !strings.Contains(err.Error(), "NUL") {
		t.Errorf("NUL byte: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("a file was left behind after a failed write")
	}
}

// writeRaw writes an HDF5 file by hand for the reader's error tests.
func writeRaw(t *testing.T, path string, fill func(root *h5io.Group) error) {
	t.Helper()
	if err := h5io.WriteAtomic(path, func(f *h5io.File) error { return fill(f.Root()) }); err != nil {
		t.Fatal(err)
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	header := func(root *h5io.Group, format string, version int64, task string) {
		root.WriteStringAttr("format", format)
		root.WriteIntAttr("version", version)
		root.WriteStringAttr("source", "test")
		root.WriteStringAttr("task", task)
	}
	proteins := func(root *h5io.Group, seqs ...string) {
		g, _ := root.CreateGroup("proteins")
		defer g.Close()
		n := len(seqs)
		ids, blank, sp := make([]string, n), make([]string, n), make([]string, n)
		for i := range seqs {
			ids[i], sp[i] = "p"+string(rune('a'+i)), "rat"
		}
		writeText(g, "id", ids)
		writeText(g, "accession", blank)
		writeText(g, "species", sp)
		writeText(g, "sequence", seqs)
	}
	for _, tc := range []struct {
		name string
		fill func(root *h5io.Group) error
		frag string
	}{
		{"format", func(root *h5io.Group) error { header(root, "sciadapt-atoms", 1, "binary"); return nil }, `format is "sciadapt-atoms", want "sciadapt-dti"`},
		{"version", func(root *h5io.Group) error { header(root, Format, 2, "binary"); return nil }, "version 2"},
		{"task", func(root *h5io.Group) error { header(root, Format, 1, "ranking"); return nil }, `unknown task "ranking"`},
		{"unit", func(root *h5io.Group) error {
			header(root, Format, 1, "affinity")
			root.WriteStringAttr("affinity_unit", "Kd")
			return nil
		}, `affinity_unit is "Kd"`},
		{"bad sequence", func(root *h5io.Group) error {
			header(root, Format, 1, "none")
			proteins(root, "MKV", "MK1")
			return nil
		}, "protein 1 (pb): invalid residue '1'"},
		{"lengths", func(root *h5io.Group) error {
			header(root, Format, 1, "none")
			g, _ := root.CreateGroup("proteins")
			defer g.Close()
			writeText(g, "id", []string{"a", "b"})
			writeText(g, "accession", []string{"", ""})
			writeText(g, "species", []string{"rat"})
			writeText(g, "sequence", []string{"M", "K"})
			return nil
		}, `group "proteins": dataset "species" has 1 rows but "id" has 2`},
		{"missing", func(root *h5io.Group) error {
			header(root, Format, 1, "none")
			g, _ := root.CreateGroup("proteins")
			defer g.Close()
			writeText(g, "id", []string{"a"})
			return nil
		}, `dataset "accession" is missing`},
		{"index", func(root *h5io.Group) error {
			header(root, Format, 1, "binary")
			proteins(root, "MKV")
			g, _ := root.CreateGroup("drugs")
			writeText(g, "id", []string{"d"})
			writeText(g, "smiles", []string{"C"})
			g.Close()
			p, _ := root.CreateGroup("pairs")
			defer p.Close()
			p.WriteInt32("drug", []int32{0})
			p.WriteInt32("protein", []int32{1})
			p.WriteFloat64("label", []float64{1})
			return nil
		}, "pair 0: protein index 1 out of range [0, 1)"},
		{"label type", func(root *h5io.Group) error {
			header(root, Format, 1, "binary")
			p, _ := root.CreateGroup("pairs")
			defer p.Close()
			p.WriteFloat64("drug", []float64{0})
			return nil
		}, `dataset "pairs/drug": holds floating-point values, want integers`},
	} {
		path := filepath.Join(dir, tc.name+".h5")
		writeRaw(t, path, tc.fill)
		_, err := Read(path)
		if err == nil || !strings.Contains(err.Error(), tc.frag) || !strings.HasPrefix(err.Error(), path+":") {
			t.Errorf("%s: error %v, want the file name and %q", tc.name, err, tc.frag)
		}
	}
	// Not HDF5 at all.
	path := filepath.Join(dir, "pairs.txt")
	os.WriteFile(path, []byte("CCO MKV 1\n"), 0o644)
	if _, err := Read(path); err == nil || !strings.Contains(err.Error(), "not an HDF5 file") {
		t.Errorf("text file: %v", err)
	}
}
