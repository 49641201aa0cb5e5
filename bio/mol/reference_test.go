package mol

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// refRow is one line of a reference file written by testdata/rdkit_reference.py.
type refRow struct {
	smiles, bits, counts, codes, scaffold, generic string
}

func readReference(t *testing.T, path string) []refRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	var rows []refRow
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "smiles\t") || line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 6 {
			t.Fatalf("%s: %d columns in %q", path, len(f), line)
		}
		rows = append(rows, refRow{f[0], f[1], f[2], f[3], f[4], f[5]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

func joinCounts(v []BitCount) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprintf("%d:%d", x.Bit, x.Count)
	}
	return strings.Join(s, ",")
}

func codesOf(m *Mol) string {
	count := map[uint32]int{}
	for _, e := range m.Morgan(2) {
		count[e.Code]++
	}
	var v []BitCount
	for c, n := range count {
		v = append(v, BitCount{int(c), n})
	}
	sortBitCounts(v)
	return joinCounts(v)
}

// morganMismatch compares one reference row and describes the first difference.
func morganMismatch(r refRow) string {
	m, err := Parse(r.smiles)
	if err != nil {
		return "parse: " + err.Error()
	}
	if got := joinInts(m.MorganBits(2, 2048)); got != r.bits {
		return fmt.Sprintf("bits\n got  %s\n want %s\n codes got  %s\n codes want %s", got, r.bits, codesOf(m), r.codes)
	}
	if got := joinCounts(m.MorganCounts(2, 2048)); got != r.counts {
		return fmt.Sprintf("counts\n got  %s\n want %s", got, r.counts)
	}
	return ""
}

// checkRows runs check on every row, logs the first mismatches and the match
// fraction, and fails if any row mismatches.
func checkRows(t *testing.T, name string, rows []refRow, check func(refRow) string) {
	t.Helper()
	bad := 0
	for _, r := range rows {
		if msg := check(r); msg != "" {
			bad++
			if bad <= 10 {
				t.Errorf("%s: %s: %s", name, r.smiles, msg)
			}
		}
	}
	t.Logf("%s: %d of %d SMILES agree with RDKit (%.4f)", name, len(rows)-bad, len(rows), float64(len(rows)-bad)/float64(len(rows)))
}

// knownScaffoldMismatch lists SMILES whose generic scaffold differs from RDKit's
// for a reason documented in the package doc: RDKit carries the radical of the
// hydrogen-less pyridinium N (an N⁺ of valence 3) into the carbon of the generic
// scaffold, and this package keeps no radicals on a scaffold.
var knownScaffoldMismatch = map[string]bool{"C1=CC=[N+]C=C1": true}

// TestMorganReference compares fingerprints, scaffolds and canonical round trips
// with RDKit 2022.09's on the stored reference (testdata/morgan_reference.tsv:
// exotic SMILES, SMILES of shared/data/dti, and randomised and Kekulé SMILES of
// those molecules, written by testdata/rdkit_reference.py).
func TestMorganReference(t *testing.T) {
	rows := readReference(t, filepath.Join("testdata", "morgan_reference.tsv"))
	if len(rows) < 250 {
		t.Fatalf("only %d reference rows", len(rows))
	}
	checkRows(t, "Morgan bits and counts", rows, morganMismatch)
	checkRows(t, "scaffolds", rows, func(r refRow) string {
		if knownScaffoldMismatch[r.smiles] {
			return ""
		}
		return scaffoldMismatch(r)
	})
	checkRows(t, "canonical round trip (ours only)", rows, roundTripMismatch)
}

// TestMorganAllReference compares every row of the file named by
// SCIADAPT_MORGAN_REF (written by testdata/rdkit_reference.py).
func TestMorganAllReference(t *testing.T) {
	path := os.Getenv("SCIADAPT_MORGAN_REF")
	if path == "" {
		t.Skip("SCIADAPT_MORGAN_REF not set")
	}
	rows := readReference(t, path)
	checkRows(t, "Morgan bits and counts", rows, morganMismatch)
}

// TestRDKitOnSharedData runs RDKit (Debian's python3-rdkit through
// /usr/bin/python3) on every distinct SMILES of shared/data/dti ($SCIADAPT_DTI_DATA,
// default ../../../shared/data/dti) and compares fingerprints and scaffolds. It is
// skipped when RDKit or the data are missing, and in -short mode.
func TestRDKitOnSharedData(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	dir := os.Getenv("SCIADAPT_DTI_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data", "dti")
	}
	smiles, err := sharedSMILES(dir)
	if err != nil {
		t.Skipf("shared/data/dti not readable (set SCIADAPT_DTI_DATA): %v", err)
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import rdkit").Run(); err != nil {
		t.Skip("RDKit not installed (Debian python3-rdkit)")
	}
	cmd := exec.Command("/usr/bin/python3", filepath.Join("testdata", "rdkit_reference.py"))
	cmd.Stdin = strings.NewReader(strings.Join(smiles, "\n") + "\n")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("rdkit_reference.py: %v: %s", err, stderr.String())
	}
	ref := filepath.Join(t.TempDir(), "ref.tsv")
	if err := os.WriteFile(ref, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	rows := readReference(t, ref)
	if len(rows) != len(smiles) {
		t.Fatalf("%d rows for %d SMILES", len(rows), len(smiles))
	}
	checkRows(t, "Morgan bits and counts", rows, morganMismatch)
	checkRows(t, "scaffolds", rows, scaffoldMismatch)
}

// sharedSMILES returns the distinct SMILES, sorted, of the GPCR pair lists, the
// Davis ligand files and the DrugBAN CSV files under dir.
func sharedSMILES(dir string) ([]string, error) {
	set := map[string]bool{}
	for _, name := range []string{"gpcr/GPCR_train.txt", "gpcr/GPCR_test.txt"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) > 0 {
				set[f[0]] = true
			}
		}
	}
	for _, name := range []string{"davis/ligands_can.txt", "davis/ligands_iso.txt"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		var lig map[string]string
		if err := json.Unmarshal(b, &lig); err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		for _, s := range lig {
			set[s] = true
		}
	}
	csvs, _ := filepath.Glob(filepath.Join(dir, "bindingdb_drugban", "*.csv"))
	for _, name := range csvs {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		for _, r := range recs[1:] {
			set[r[0]] = true
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out, nil
}

// canonOf parses smiles and returns its canonical SMILES ("" for "").
func canonOf(smiles string) (string, error) {
	if smiles == "" {
		return "", nil
	}
	m, err := Parse(smiles)
	if err != nil {
		return "", err
	}
	return m.CanonicalSMILES(), nil
}

// scaffoldMismatch compares our scaffolds of one reference row with RDKit's,
// both written and read again.
func scaffoldMismatch(r refRow) string {
	m, err := Parse(r.smiles)
	if err != nil {
		return "parse: " + err.Error()
	}
	for _, c := range []struct {
		what, want string
		got        *Mol
	}{{"scaffold", r.scaffold, m.Scaffold()}, {"generic scaffold", r.generic, m.GenericScaffold()}} {
		got, err1 := canonOf(c.got.CanonicalSMILES())
		want, err2 := canonOf(c.want)
		if err1 != nil || err2 != nil || got != want {
			return fmt.Sprintf("%s: got %q (%v), RDKit %q → %q (%v)", c.what, got, err1, c.want, want, err2)
		}
	}
	return ""
}

// roundTripMismatch checks that the canonical SMILES reads back to the same
// fingerprint and the same canonical SMILES.
func roundTripMismatch(r refRow) string {
	m, err := Parse(r.smiles)
	if err != nil {
		return "parse: " + err.Error()
	}
	c := m.CanonicalSMILES()
	m2, err := Parse(c)
	if err != nil {
		return fmt.Sprintf("canonical %q does not parse: %v", c, err)
	}
	if c2 := m2.CanonicalSMILES(); c2 != c {
		return fmt.Sprintf("canonical %q reads back as %q", c, c2)
	}
	if got, want := joinCounts(m2.MorganCounts(2, 2048)), r.counts; got != want && !m.hasStereoHydrogen() {
		return fmt.Sprintf("canonical %q has other counts", c)
	}
	return ""
}
