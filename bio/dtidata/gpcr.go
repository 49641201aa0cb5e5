package dtidata

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/sciadapt/sciadapt/bio/seq"
)

// LabelledPair is one line of a TransformerCPI pair list.
type LabelledPair struct {
	SMILES   string
	Sequence string  // upper case
	Label    float64 // 0 or 1
	Line     int     // 1-based line number in the file
}

// maxPairLine bounds one line of a pair list (16 MiB).
const maxPairLine = 16 << 20

// ReadLabelledPairs reads a TransformerCPI pair list: one pair per line,
// "SMILES SEQUENCE LABEL" separated by white space, LABEL 0 or 1. Blank lines are
// skipped. Every SMILES must tokenise (seq.TokenizeSMILES) and read as a molecule
// (mol.Parse: valences, aromatic systems), and every sequence be a protein
// sequence (seq.NormalizeProtein); errors name the line and, for a SMILES, the
// column ("line 12: SMILES \"C1CC\": column 2: ring bond 1 is opened here and
// never closed").
func ReadLabelledPairs(r io.Reader) ([]LabelledPair, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxPairLine)
	var out []LabelledPair
	line := 0
	parsed := map[string]bool{}
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			return nil, fmt.Errorf("line %d: %d fields, want 3 (SMILES SEQUENCE LABEL)", line, len(f))
		}
		if !parsed[f[0]] {
			if err := CheckSMILES(f[0]); err != nil {
				return nil, fmt.Errorf("line %d: %v", line, err)
			}
			parsed[f[0]] = true
		}
		s, err := seq.NormalizeProtein(f[1])
		if err != nil {
			return nil, fmt.Errorf("line %d: protein sequence: %v", line, err)
		}
		lab, err := strconv.ParseFloat(f[2], 64)
		if err != nil || (lab != 0 && lab != 1) {
			return nil, fmt.Errorf("line %d: label %q, want 0 or 1", line, f[2])
		}
		out = append(out, LabelledPair{SMILES: f[0], Sequence: s, Label: lab, Line: line})
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("line %d: longer than %d bytes (is this a pair list?)", line+1, maxPairLine)
		}
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("no pairs (the file is empty)")
	}
	return out, nil
}

// SpeciesEntry is one row of a protein-species table.
type SpeciesEntry struct {
	Accession string // UniProt accession
	Species   string // canonical (NormalizeSpecies)
	Sequence  string // upper case
	Line      int    // 1-based line in the table
}

// ReadSpeciesTable reads a tab-separated table with a header naming at least the
// columns "species", "accession" and "sequence" (in any order; protein_species.tsv
// also has protein_idx and length). If a "length" column is present it must equal
// the length of the sequence. A sequence may appear only once. Errors name the
// line.
func ReadSpeciesTable(r io.Reader) ([]SpeciesEntry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxPairLine)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, err
		}
		return nil, errors.New("empty file (want a header line with species, accession, sequence)")
	}
	col := map[string]int{}
	for i, h := range strings.Split(strings.TrimRight(sc.Text(), "\r"), "\t") {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"species", "accession", "sequence"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("line 1: header has no %q column (want tab-separated columns species, accession, sequence)", need)
		}
	}
	lenCol, hasLen := col["length"]
	var out []SpeciesEntry
	bySeq := map[string]int{}
	line := 1
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		f := strings.Split(text, "\t")
		get := func(name string) string {
			if i := col[name]; i < len(f) {
				return strings.TrimSpace(f[i])
			}
			return ""
		}
		if len(f) < len(col) {
			return nil, fmt.Errorf("line %d: %d columns, the header has %d", line, len(f), len(col))
		}
		s, err := seq.NormalizeProtein(get("sequence"))
		if err != nil {
			return nil, fmt.Errorf("line %d: sequence: %v", line, err)
		}
		if hasLen {
			n, err := strconv.Atoi(strings.TrimSpace(f[lenCol]))
			if err != nil || n != len(s) {
				return nil, fmt.Errorf("line %d: length column says %q but the sequence has %d residues", line, f[lenCol], len(s))
			}
		}
		if prev, ok := bySeq[s]; ok {
			return nil, fmt.Errorf("line %d: the same sequence is on line %d", line, out[prev].Line)
		}
		bySeq[s] = len(out)
		out = append(out, SpeciesEntry{Accession: get("accession"), Species: NormalizeSpecies(get("species")), Sequence: s, Line: line})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// PairFile names one input of ImportGPCR and the split its pairs belong to.
type PairFile struct {
	Path  string
	Split string // e.g. "train"; "" for none
}

// SplitFromName guesses the split of a pair-list file from its name: "train",
// "test", "val" or "dev" if the base name (without extension) ends with that word
// after '_', '-' or '.', or is that word; otherwise "".
func SplitFromName(path string) string {
	base := strings.ToLower(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
	for _, s := range []string{"train", "test", "val", "dev"} {
		if base == s || strings.HasSuffix(base, "_"+s) || strings.HasSuffix(base, "-"+s) || strings.HasSuffix(base, "."+s) {
			return s
		}
	}
	return ""
}

// GPCROptions configure ImportGPCR. The zero value is usable.
type GPCROptions struct {
	// Species is a table of proteins of known species (ReadSpeciesTable), joined by
	// sequence; nil if there is none.
	Species []SpeciesEntry
	// OtherSpecies is the species of proteins not in Species: UnknownSpecies if
	// empty. Give it for files that hold one species and have no table.
	OtherSpecies string
}

// ImportGPCR reads TransformerCPI pair lists into a Binary dataset. Drugs are the
// distinct SMILES and proteins the distinct sequences, both numbered in order of
// first appearance over the files in the order given (drug ids "drug00001" …;
// protein ids are the accession where the species table gives one, else "prot00001"
// …). Each pair keeps the split of its file and Fold -1. Errors name the file and
// line.
func ImportGPCR(files []PairFile, opts *GPCROptions) (*Dataset, error) {
	if opts == nil {
		opts = &GPCROptions{}
	}
	other := NormalizeSpecies(opts.OtherSpecies)
	bySeq := make(map[string]SpeciesEntry, len(opts.Species))
	for _, e := range opts.Species {
		bySeq[e.Sequence] = e
	}
	d := &Dataset{Task: Binary}
	drugIdx := map[string]int{}
	protIdx := map[string]int{}
	var sources []string
	for _, pf := range files {
		f, err := os.Open(pf.Path)
		if err != nil {
			return nil, err
		}
		if st, err := f.Stat(); err == nil && st.IsDir() {
			f.Close()
			return nil, fmt.Errorf("%s: is a directory, not a pair list", pf.Path)
		}
		lps, err := ReadLabelledPairs(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", pf.Path, err)
		}
		sources = append(sources, fmt.Sprintf("%s (%d pairs, split %q)", filepath.Base(pf.Path), len(lps), pf.Split))
		for _, lp := range lps {
			di, ok := drugIdx[lp.SMILES]
			if !ok {
				di = len(d.Drugs)
				drugIdx[lp.SMILES] = di
				d.Drugs = append(d.Drugs, Drug{ID: fmt.Sprintf("drug%05d", di+1), SMILES: lp.SMILES})
			}
			pi, ok := protIdx[lp.Sequence]
			if !ok {
				pi = len(d.Proteins)
				protIdx[lp.Sequence] = pi
				p := Protein{ID: fmt.Sprintf("prot%05d", pi+1), Species: other, Sequence: lp.Sequence}
				if e, ok := bySeq[lp.Sequence]; ok {
					p.Accession, p.Species = e.Accession, e.Species
				}
				d.Proteins = append(d.Proteins, p)
			}
			d.Pairs = append(d.Pairs, Pair{Drug: di, Protein: pi, Value: lp.Label, Split: pf.Split, Fold: -1})
		}
	}
	useAccessionIDs(d.Proteins)
	d.Source = "TransformerCPI pair lists: " + strings.Join(sources, ", ")
	if len(opts.Species) > 0 {
		d.Source += "; species joined by sequence from a table of " + strconv.Itoa(len(opts.Species)) + " proteins"
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return d, nil
}

// useAccessionIDs replaces the id of every protein whose accession is known and
// unique in ps by the accession.
func useAccessionIDs(ps []Protein) {
	n := map[string]int{}
	for _, p := range ps {
		if p.Accession != "" {
			n[p.Accession]++
		}
	}
	for i, p := range ps {
		if p.Accession != "" && n[p.Accession] == 1 {
			ps[i].ID = p.Accession
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
