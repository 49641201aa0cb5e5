package dtidata

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/bio/seq"
)

const fixtures = "../../testdata/dti"

func readSpecies(t *testing.T) []SpeciesEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(fixtures, "gpcr/protein_species_subset.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sp, err := ReadSpeciesTable(f)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func gpcrFixture(t *testing.T) *Dataset {
	t.Helper()
	d, err := ImportGPCR([]PairFile{
		{filepath.Join(fixtures, "gpcr/GPCR_train_subset.txt"), "train"},
		{filepath.Join(fixtures, "gpcr/GPCR_test_subset.txt"), "test"},
	}, &GPCROptions{Species: readSpecies(t)})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestReadSpeciesTable(t *testing.T) {
	sp := readSpecies(t)
	// 7 rows (see testdata/dti/README.md): 5 rat, 2 human.
	if len(sp) != 7 {
		t.Fatalf("%d rows, want 7", len(sp))
	}
	n := map[string]int{}
	for _, e := range sp {
		n[e.Species]++
	}
	if n["rat"] != 5 || n["human"] != 2 {
		t.Errorf("species counts %v", n)
	}
	if sp[0].Accession != "Q9QZN9" || len(sp[0].Sequence) != 360 {
		t.Errorf("first row %s with %d residues", sp[0].Accession, len(sp[0].Sequence))
	}
	for _, tc := range []struct{ in, frag string }{
		{"species\taccession\n", `no "sequence" column`},
		{"species\taccession\tsequence\tlength\nrat\tP1\tMKV\t4\n", "line 2: length column"},
		{"species\taccession\tsequence\nrat\tP1\tMK1\n", "line 2: sequence: invalid residue '1'"},
		{"species\taccession\tsequence\nrat\tP1\tMKV\nhuman\tP2\tMKV\n", "line 3: the same sequence is on line 2"},
		{"species\taccession\tsequence\nrat\tP1\n", "line 2: 2 columns"},
		{"", "empty file"},
	} {
		_, err := ReadSpeciesTable(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.frag) {
			t.Errorf("%q: error %v, want %q", tc.in, err, tc.frag)
		}
	}
}

func TestImportGPCR(t *testing.T) {
	d := gpcrFixture(t)
	// Fixture: 36 train + 9 test lines over 8 proteins (README).
	if len(d.Pairs) != 45 || len(d.Proteins) != 8 {
		t.Fatalf("%d pairs on %d proteins, want 45 on 8", len(d.Pairs), len(d.Proteins))
	}
	if d.Task != Binary || d.AffinityUnit != "" {
		t.Errorf("task %q unit %q", d.Task, d.AffinityUnit)
	}
	if n, m := len(d.PairsInSplit("train")), len(d.PairsInSplit("test")); n != 36 || m != 9 {
		t.Errorf("train/test %d/%d, want 36/9", n, m)
	}
	species, counts := d.SpeciesCounts()
	got := map[string]int{}
	for i, s := range species {
		got[s] = counts[i]
	}
	// rat 12+8+6+1 = 27, human 5+5 = 10, unknown 4+4 = 8.
	if got["rat"] != 27 || got["human"] != 10 || got["unknown"] != 8 || len(species) != 3 {
		t.Errorf("pairs per species %v", got)
	}
	var chrm1 = -1
	for i, p := range d.Proteins {
		if p.ID == "P08482" {
			chrm1 = i
			if p.Accession != "P08482" || p.Species != "rat" || len(p.Sequence) != 460 {
				t.Errorf("rat CHRM1: %+v", p)
			}
		}
		if p.Accession == "" && (p.Species != UnknownSpecies || !strings.HasPrefix(p.ID, "prot")) {
			t.Errorf("protein without accession: id %q species %q", p.ID, p.Species)
		}
	}
	if chrm1 < 0 || len(d.PairsOfProtein(chrm1)) != 12 {
		t.Errorf("rat CHRM1 has %d pairs, want 12 (9 train + 3 test)", len(d.PairsOfProtein(chrm1)))
	}
	// Labels 25 × 1 and 20 × 0 (README).
	ones := 0
	for _, p := range d.Pairs {
		ones += int(p.Value)
	}
	if ones != 25 {
		t.Errorf("%d positive labels, want 25", ones)
	}
	// The first line of the train subset (its SMILES) is drug 0.
	if d.Drugs[0].ID != "drug00001" || !strings.HasPrefix(d.Drugs[0].SMILES, "C") || d.Pairs[0].Drug != 0 {
		t.Errorf("first drug %+v", d.Drugs[0])
	}
}

func TestImportGPCROtherSpecies(t *testing.T) {
	d, err := ImportGPCR([]PairFile{{filepath.Join(fixtures, "gpcr/GPCR_test_subset.txt"), ""}}, &GPCROptions{OtherSpecies: "Rat"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(d.PairsBySpecies("rat")); n != 9 {
		t.Errorf("%d rat pairs, want all 9", n)
	}
	if d.Splits() != nil {
		t.Errorf("splits %q, want none", d.Splits())
	}
}

func TestReadLabelledPairsErrors(t *testing.T) {
	for _, tc := range []struct{ in, frag string }{
		{"CCO MKV 1\nCCO MKV\n", "line 2: 2 fields"},
		{"CCO MKV 2\n", `line 1: label "2"`},
		{"CC(O MKV 1\n", `line 1: SMILES "CC(O": position 3: unclosed '('`},
		{"CCO MK-V 0\n", "line 1: protein sequence: invalid residue '-' at position 3"},
		{"CCO MKV 1\nC(C)(C)(C)(C)C MKV 0\n", `line 2: SMILES "C(C)(C)(C)(C)C": column 1: atom C has valence 5`},
		{"c1cccc1 MKV 1\n", `line 1: SMILES "c1cccc1": column 5: cannot kekulize`},
		{"\n\n", "no pairs"},
	} {
		_, err := ReadLabelledPairs(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.frag) {
			t.Errorf("%q: error %v, want %q", tc.in, err, tc.frag)
		}
	}
	path := filepath.Join(t.TempDir(), "GPCR_bad.txt")
	os.WriteFile(path, []byte("CCO MKV 1\nCCO MKV x\n"), 0o644)
	_, err := ImportGPCR([]PairFile{{path, ""}}, nil)
	if err == nil || !strings.HasPrefix(err.Error(), path+": line 2: label") {
		t.Errorf("error %v does not name file and line", err)
	}
	os.WriteFile(path, []byte("CCO MKV 1\nCCn1cccc1 MKV 0\nCC[NH4] MKV 1\n"), 0o644)
	_, err = ImportGPCR([]PairFile{{path, ""}}, nil)
	if err == nil || !strings.HasPrefix(err.Error(), path+`: line 3: SMILES "CC[NH4]": column 3: atom N has valence 5`) {
		t.Errorf("error %v does not name file, line and column", err)
	}
}

func TestNormalizeSpecies(t *testing.T) {
	for in, want := range map[string]string{
		"Rat": "rat", " Guinea  pig ": "guinea_pig", "Homo sapiens": "human", "Mus musculus": "mouse",
		"": UnknownSpecies, "   ": UnknownSpecies, "Danio rerio": "danio_rerio",
	} {
		if got := NormalizeSpecies(in); got != want {
			t.Errorf("NormalizeSpecies(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitFromName(t *testing.T) {
	for in, want := range map[string]string{
		"GPCR_train.txt": "train", "data/GPCR_test.txt": "test", "x-val.tsv": "val", "test": "test",
		"trainer.txt": "", "GPCR.txt": "", "latest.txt": "",
	} {
		if got := SplitFromName(in); got != want {
			t.Errorf("SplitFromName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestImportDavis(t *testing.T) {
	d, err := ImportDavis(filepath.Join(fixtures, "davis"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Drugs) != 5 || len(d.Proteins) != 6 || len(d.Pairs) != 30 {
		t.Fatalf("%d drugs × %d proteins, %d pairs; want 5 × 6, 30", len(d.Drugs), len(d.Proteins), len(d.Pairs))
	}
	if d.Task != Affinity || d.AffinityUnit != PKd {
		t.Errorf("task %q unit %q", d.Task, d.AffinityUnit)
	}
	// JSON order is kept: first ligand 11314340, proteins CAMKK2 … MKNK2.
	if d.Drugs[0].ID != "11314340" || d.Proteins[0].ID != "CAMKK2" || d.Proteins[5].ID != "MKNK2" {
		t.Errorf("order: %s, %s, %s", d.Drugs[0].ID, d.Proteins[0].ID, d.Proteins[5].ID)
	}
	// Pair k is cell (k/6, k%6). Kd values from the fixture's text matrix:
	// (0,0) 740 nM → 9 − log10(740); (1,0) 10000 nM → 5; (2,1) 0.94 nM → 9.0269.
	for _, tc := range []struct {
		k       int
		kd      float64
		wantPKd float64
	}{{0, 740, 9 - math.Log10(740)}, {6, 10000, 5}, {13, 0.94, 9 - math.Log10(0.94)}} {
		p := d.Pairs[tc.k]
		if p.Drug != tc.k/6 || p.Protein != tc.k%6 || math.Abs(p.Value-tc.wantPKd) > 1e-12 {
			t.Errorf("pair %d = %+v, want cell (%d,%d) pKd %v", tc.k, p, tc.k/6, tc.k%6, tc.wantPKd)
		}
	}
	// Folds of the fixture (README): train folds 7, 2, 5, 5, 3 cells, test 8.
	counts := map[[2]any]int{}
	for _, p := range d.Pairs {
		counts[[2]any{p.Split, p.Fold}]++
	}
	want := map[[2]any]int{{"train", 0}: 7, {"train", 1}: 2, {"train", 2}: 5, {"train", 3}: 5, {"train", 4}: 3, {"test", -1}: 8}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("split %v: %d pairs, want %d", k, counts[k], n)
		}
	}
	// Index 2 is in the test fold, index 6 in training fold 0.
	if d.Pairs[2].Split != "test" || d.Pairs[6].Split != "train" || d.Pairs[6].Fold != 0 {
		t.Errorf("pair 2 %+v, pair 6 %+v", d.Pairs[2], d.Pairs[6])
	}
	if KdToPKd(10000) != 5 {
		t.Errorf("KdToPKd(10000) = %v", KdToPKd(10000))
	}
}

// copyDavis copies the Davis fixture to a temporary directory and applies edit
// to the named file.
func copyDavis(t *testing.T, name string, edit func(string) string) string {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "folds"), 0o755)
	for _, f := range []string{DavisLigands, DavisProteins, DavisKd, "folds/test_fold_setting1.txt", "folds/train_fold_setting1.txt"} {
		b, err := os.ReadFile(filepath.Join(fixtures, "davis", f))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if f == name {
			s = edit(s)
		}
		if err := os.WriteFile(filepath.Join(dir, f), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestImportDavisErrors(t *testing.T) {
	for _, tc := range []struct {
		file string
		edit func(string) string
		frag string
	}{
		{DavisKd, func(s string) string { return strings.Replace(s, "740", "-1", 1) }, "line 1, column 1: Kd -1 nM"},
		{DavisKd, func(s string) string { return strings.Replace(s, "740", "abc", 1) }, `line 1, column 1: "abc" is not a number`},
		{DavisKd, func(s string) string { return strings.Replace(s, "740 ", "", 1) }, "line 1: 5 values, want one per protein"},
		{DavisKd, func(s string) string { return s + "1 2 3 4 5 6\n" }, "line 6: more rows than the 5 ligands"},
		{DavisKd, func(s string) string { return s[:strings.LastIndex(s[:len(s)-1], "\n")+1] }, "4 rows, want one per ligand"},
		{DavisLigands, func(s string) string { return "[" + s + "]" }, "want a JSON object"},
		{DavisLigands, func(s string) string { return strings.Replace(s, `"11314340"`, `"24889392"`, 1) }, `entry "24889392" appears twice`},
		{DavisLigands, func(s string) string { return strings.Replace(s, "CC1=C2", "CC1=C2(", 1) }, `ligand "11314340": SMILES`},
		{DavisProteins, func(s string) string { return strings.Replace(s, `"M`, `"1`, 1) }, `protein "CAMKK2": invalid residue '1'`},
		{"folds/test_fold_setting1.txt", func(s string) string { return "[30]" }, "index 30 out of range: there are 30 measured pairs"},
		{"folds/test_fold_setting1.txt", func(s string) string { return "[2, 7, 2]" }, "index 2 is already in the test fold"},
		{"folds/train_fold_setting1.txt", func(s string) string { return "[[2]]" }, "index 2 is already in the test fold"},
		{"folds/train_fold_setting1.txt", func(s string) string { return "[[1" }, "train_fold_setting1.txt: unexpected end of JSON"},
	} {
		_, err := ImportDavis(copyDavis(t, tc.file, tc.edit), nil)
		if err == nil || !strings.Contains(err.Error(), tc.frag) || !strings.Contains(err.Error(), filepath.Base(tc.file)) {
			t.Errorf("%s: error %v, want the file name and %q", tc.file, err, tc.frag)
		}
	}
}

// A NaN cell is not a pair, and fold indices count only measured cells.
func TestImportDavisMissing(t *testing.T) {
	dir := copyDavis(t, DavisKd, func(s string) string { return strings.Replace(s, "740", "nan", 1) })
	os.RemoveAll(filepath.Join(dir, "folds"))
	d, err := ImportDavis(dir, &DavisOptions{Species: "Homo sapiens"})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Pairs) != 29 || d.Pairs[0].Protein != 1 || d.Splits() != nil {
		t.Errorf("%d pairs, first on protein %d, splits %q", len(d.Pairs), d.Pairs[0].Protein, d.Splits())
	}
	if d.Proteins[0].Species != "human" {
		t.Errorf("species %q", d.Proteins[0].Species)
	}
}

func TestOrthologs(t *testing.T) {
	f, err := os.Open(filepath.Join(fixtures, "orthologs/ortholog_pairs_subset.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ReadOrthologPairs(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	// 6 rows; CHRM1 human P11229 – rat P08482, identity 0.987 (the table).
	if len(rows) != 6 || rows[2].Gene != "CHRM1" || rows[2].Human != "P11229" || rows[2].Rat != "P08482" || rows[2].IdentityRat != 0.987 {
		t.Fatalf("rows: %d, third %+v", len(rows), rows[2])
	}
	if !strings.Contains(rows[0].Note, "ADA1D") {
		t.Errorf("note of ADRA1A lost: %q", rows[0].Note)
	}
	d, err := ImportFASTA([]FASTAFile{
		{filepath.Join(fixtures, "orthologs/human_subset.fasta"), "human"},
		{filepath.Join(fixtures, "orthologs/rat_subset.fasta"), "rat"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Proteins) != 9 || d.Task != NoPairs {
		t.Fatalf("%d proteins, task %q", len(d.Proteins), d.Task)
	}
	links, missing, err := JoinOrthologs(d, rows)
	if err != nil {
		t.Fatal(err)
	}
	// Rat links: ADRB2, CHRM1, CHRM3, CNR2 (ADRA1A lacks rat P23944, MAOA both);
	// mouse accessions are all absent.
	if len(links) != 4 {
		t.Fatalf("%d links, want 4: %+v; missing %q", len(links), links, missing)
	}
	l := links[1]
	if d.Proteins[l.Human].ID != "P11229" || d.Proteins[l.Other].ID != "P08482" || d.Proteins[l.Other].Species != "rat" || l.Identity != 0.987 || l.Gene != "CHRM1" {
		t.Errorf("CHRM1 link %+v", l)
	}
	if len(missing) != 8 || !strings.Contains(missing[0], "ADRA1A rat P23944") {
		t.Errorf("missing %q", missing)
	}
	// A rat accession on a protein filed as mouse is refused.
	d.Proteins[l.Other].Species = "mouse"
	if _, _, err := JoinOrthologs(d, rows); err == nil || !strings.Contains(err.Error(), "P08482 is the rat accession") {
		t.Errorf("species mix-up: %v", err)
	}
}

func TestReadOrthologPairsErrors(t *testing.T) {
	h := "gene_symbol_in_source\thuman_acc\trat_acc\tid_human_rat\n"
	for _, tc := range []struct{ in, frag string }{
		{"gene\thuman_acc\n", `no "gene_symbol_in_source" column`},
		{h + "X\tP1\tP2\t1.5\n", "line 2: id_human_rat is \"1.5\""},
		{h + "X\t\tP2\t0.5\n", "line 2: no human accession"},
		{h, "no ortholog rows"},
	} {
		_, err := ReadOrthologPairs(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.frag) {
			t.Errorf("%q: %v, want %q", tc.in, err, tc.frag)
		}
	}
}

func TestProteinFromRecord(t *testing.T) {
	for _, tc := range []struct{ id, wantID, wantAcc string }{
		{"sp|P08482|ACM1_RAT", "P08482", "P08482"},
		{"tr|A0A8I5ZXE0|X_RAT", "A0A8I5ZXE0", "A0A8I5ZXE0"},
		{"P08482", "P08482", "P08482"},
		{"A0A8I6GML2", "A0A8I6GML2", "A0A8I6GML2"},
		{"CAMKK2", "CAMKK2", ""},
	} {
		p := ProteinFromRecord(seqRecord(tc.id), "Rat")
		if p.ID != tc.wantID || p.Accession != tc.wantAcc || p.Species != "rat" {
			t.Errorf("%s → %+v", tc.id, p)
		}
	}
}

func TestImportFASTADuplicate(t *testing.T) {
	p := filepath.Join(fixtures, "orthologs/rat_subset.fasta")
	_, err := ImportFASTA([]FASTAFile{{p, "rat"}, {p, "rat"}})
	if err == nil || !strings.Contains(err.Error(), `protein "P08482" is also in`) {
		t.Errorf("duplicate: %v", err)
	}
}

func seqRecord(id string) seq.Record { return seq.Record{ID: id, Sequence: "MKV"} }
