package mol

import (
	"bufio"
	"fmt"
	"os"
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

// TestMorganAllReference compares every row of the file named by
// SCIADAPT_MORGAN_REF (a development aid; TestMorganReference runs in CI).
func TestMorganAllReference(t *testing.T) {
	path := os.Getenv("SCIADAPT_MORGAN_REF")
	if path == "" {
		t.Skip("SCIADAPT_MORGAN_REF not set")
	}
	rows := readReference(t, path)
	bad := 0
	for _, r := range rows {
		if msg := morganMismatch(r); msg != "" {
			bad++
			if bad <= 20 {
				t.Logf("%s: %s", r.smiles, msg)
			}
		}
	}
	t.Logf("%d of %d match (%.4f)", len(rows)-bad, len(rows), float64(len(rows)-bad)/float64(len(rows)))
	if bad > 0 {
		t.Fail()
	}
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

func TestScaffoldAllReference(t *testing.T) {
	path := os.Getenv("SCIADAPT_MORGAN_REF")
	if path == "" {
		t.Skip("SCIADAPT_MORGAN_REF not set")
	}
	rows := readReference(t, path)
	for _, check := range []struct {
		name string
		f    func(refRow) string
	}{{"scaffold", scaffoldMismatch}, {"round trip", roundTripMismatch}} {
		bad := 0
		for _, r := range rows {
			if msg := check.f(r); msg != "" {
				bad++
				if bad <= 10 {
					t.Logf("%s: %s: %s", check.name, r.smiles, msg)
				}
			}
		}
		t.Logf("%s: %d of %d match", check.name, len(rows)-bad, len(rows))
		if bad > 0 {
			t.Fail()
		}
	}
}
