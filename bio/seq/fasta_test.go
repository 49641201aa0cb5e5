package seq

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFASTA(t *testing.T) {
	in := "; old-style comment\n" +
		">P05177 CYP1A2 (human) - CYP1A2\r\n" +
		"MALSQ SVPFS\r\n" +
		"atell\n" +
		"\n" +
		">Q9\tsecond\trecord \n" +
		"MKV*\n" +
		">X1\n" +
		"M\n"
	recs, err := ReadFASTA(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{
		{"P05177", "CYP1A2 (human) - CYP1A2", "MALSQSVPFSATELL"},
		{"Q9", "second\trecord", "MKV"},
		{"X1", "", "M"},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d", len(recs), len(want))
	}
	for i := range want {
		if recs[i] != want[i] {
			t.Errorf("record %d = %+v, want %+v", i, recs[i], want[i])
		}
	}
}

func TestReadFASTAErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in  string
		line, col int
		frag      string
	}{
		{"before header", "MKV\n>A\nM\n", 1, 0, "before the first '>'"},
		{"empty id", ">\nMKV\n", 1, 0, "without a record ID"},
		{"no sequence", ">A\n>B\nMK\n", 1, 0, `"A" has no sequence`},
		{"last without sequence", ">A\nMK\n>B\n", 3, 0, `"B" has no sequence`},
		{"digit", ">A\nMKV\nMK7V\n", 3, 3, `record "A": invalid residue '7' at position 6`},
		{"gap", ">A\nMK-V\n", 2, 3, "alignment gap"},
		{"inner stop", ">A\nMK*V\n", 2, 3, "stop codon"},
		{"inner stop next line", ">A\nMK*\nV\n", 2, 3, "stop codon"},
		{"two stops", ">A\nMK**\n", 2, 3, "stop codon"},
		{"unicode", ">A\nMKÄ\n", 2, 3, "'Ä'"},
	} {
		_, err := ReadFASTA(strings.NewReader(tc.in))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%s: error %v, want *SyntaxError", tc.name, err)
			continue
		}
		if se.Line != tc.line || se.Col != tc.col || !strings.Contains(se.Msg, tc.frag) {
			t.Errorf("%s: got line %d col %d %q; want line %d col %d with %q", tc.name, se.Line, se.Col, se.Msg, tc.line, tc.col, tc.frag)
		}
	}
	if _, err := ReadFASTA(strings.NewReader("\n; only a comment\n")); err == nil || !strings.Contains(err.Error(), "no FASTA records") {
		t.Errorf("empty input: %v", err)
	}
}

func TestReadFASTAFileNamesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rat.fasta")
	if err := os.WriteFile(path, []byte(">A\nMK1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFASTAFile(path)
	if err == nil || !strings.HasPrefix(err.Error(), path+": line 2, column 3:") {
		t.Fatalf("error %v does not name file, line and column", err)
	}
}

func TestReadFASTAFixture(t *testing.T) {
	recs, err := ReadFASTAFile("../../testdata/dti/orthologs/rat_subset.fasta")
	if err != nil {
		t.Fatal(err)
	}
	// The fixture holds 4 rat records; the first is UniProt P08482 (ACM1_RAT),
	// 460 residues.
	if len(recs) != 4 || recs[0].ID != "P08482" || len(recs[0].Sequence) != 460 {
		t.Fatalf("got %d records, first %q with %d residues", len(recs), recs[0].ID, len(recs[0].Sequence))
	}
}

func TestWriteFASTARoundTrip(t *testing.T) {
	recs := []Record{{"A", "first one", strings.Repeat("ACDEFGHIKLMNPQRSTVWY", 7)}, {"B", "", "MX"}}
	var buf bytes.Buffer
	if err := WriteFASTA(&buf, recs, 50); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 1+3+1+1 || len(lines[1]) != 50 || len(lines[3]) != 40 {
		t.Fatalf("unexpected layout:\n%s", buf.String())
	}
	got, err := ReadFASTA(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		if got[i] != recs[i] {
			t.Errorf("record %d: %+v, want %+v", i, got[i], recs[i])
		}
	}
}

func FuzzReadFASTA(f *testing.F) {
	for _, s := range []string{">A desc\nMKV\n", ">A\nMK*\n>B\nmkv\n", ";c\n>A\r\nM K\n", "MK", ">\n", ">A\n\n>B\nX\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		recs, err := ReadFASTA(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, r := range recs {
			if r.ID == "" || r.Sequence == "" || strings.ContainsAny(r.ID, " \t\r\n") {
				t.Fatalf("bad record %+v", r)
			}
			if norm, err := NormalizeProtein(r.Sequence); err != nil || norm != r.Sequence {
				t.Fatalf("record %q: sequence %q not normalised: %v", r.ID, r.Sequence, err)
			}
		}
		// Writing and reading again gives the same records.
		var buf bytes.Buffer
		if err := WriteFASTA(&buf, recs, 7); err != nil {
			t.Fatal(err)
		}
		again, err := ReadFASTA(&buf)
		if err != nil {
			t.Fatalf("re-reading written records: %v", err)
		}
		if len(again) != len(recs) {
			t.Fatalf("%d records after round trip, want %d", len(again), len(recs))
		}
		for i := range recs {
			if again[i] != recs[i] {
				t.Fatalf("round trip changed %+v to %+v", recs[i], again[i])
			}
		}
	})
}
