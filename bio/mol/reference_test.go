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
