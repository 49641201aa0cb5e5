package dtidata

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/sciadapt/sciadapt/bio/seq"
)

// OrthologPair is one row of an ortholog table such as ortholog_pairs_checked.tsv.
type OrthologPair struct {
	Gene   string // gene symbol in the source (the label may be wrong; see Note)
	Target string // the source's target label, e.g. "Muscarinic receptor M1"
	Human  string // UniProt accession of the human protein
	Rat    string // UniProt accession of the rat ortholog, "" if none
	Mouse  string // UniProt accession of the mouse ortholog, "" if none
	// IdentityRat and IdentityMouse are the global sequence identities with the
	// human protein as stated by the table, in [0, 1]; NaN where not given.
	IdentityRat, IdentityMouse float64
	Note                       string // remark, "" if none
	Line                       int    // 1-based line in the table
}

// Ortholog table column names (ortholog_pairs_checked.tsv).
var orthologColumns = []string{"gene_symbol_in_source", "source_target_label", "human_acc", "rat_acc", "mouse_acc", "id_human_rat", "id_human_mouse", "note"}

// ReadOrthologPairs reads a tab-separated ortholog table whose header names the
// columns gene_symbol_in_source, human_acc, rat_acc and id_human_rat (required)
// and source_target_label, mouse_acc, id_human_mouse and note (optional), in any
// order. Identities must lie in [0, 1] or be empty. Errors name the line.
func ReadOrthologPairs(r io.Reader) ([]OrthologPair, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, err
		}
		return nil, errors.New("empty file (want a header line)")
	}
	col := map[string]int{}
	for i, h := range strings.Split(strings.TrimRight(sc.Text(), "\r"), "\t") {
		col[strings.TrimSpace(h)] = i
	}
	for _, need := range []string{"gene_symbol_in_source", "human_acc", "rat_acc", "id_human_rat"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("line 1: header has no %q column (want tab-separated %s)", need, strings.Join(orthologColumns, ", "))
		}
	}
	var out []OrthologPair
	line := 1
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		f := strings.Split(text, "\t")
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(f) {
				return strings.TrimSpace(f[i])
			}
			return ""
		}
		ident := func(name string) (float64, error) {
			s := get(name)
			if s == "" {
				return math.NaN(), nil
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || !(v >= 0 && v <= 1) {
				return 0, fmt.Errorf("line %d: %s is %q, want an identity between 0 and 1", line, name, s)
			}
			return v, nil
		}
		p := OrthologPair{Gene: get("gene_symbol_in_source"), Target: get("source_target_label"),
			Human: get("human_acc"), Rat: get("rat_acc"), Mouse: get("mouse_acc"), Note: get("note"), Line: line}
		if p.Human == "" {
			return nil, fmt.Errorf("line %d: no human accession", line)
		}
		var err error
		if p.IdentityRat, err = ident("id_human_rat"); err != nil {
			return nil, err
		}
		if p.IdentityMouse, err = ident("id_human_mouse"); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("no ortholog rows after the header")
	}
	return out, nil
}

// FASTAFile names one FASTA input of ImportFASTA and the species of its records.
type FASTAFile struct {
	Path    string
	Species string
}

// uniprotAcc matches a UniProt accession (UniProt's documented pattern).
var uniprotAcc = regexp.MustCompile(`^([OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9]([A-Z][A-Z0-9]{2}[0-9]){1,2})$`)

// ProteinFromRecord makes a Protein of a FASTA record. A UniProt header
// "sp|P08482|ACM1_RAT" (or tr|…) gives id and accession P08482; an id that is
// itself a UniProt accession is also taken as the accession; any other id is kept
// with an empty accession.
func ProteinFromRecord(r seq.Record, species string) Protein {
	p := Protein{ID: r.ID, Species: NormalizeSpecies(species), Sequence: r.Sequence}
	if f := strings.Split(r.ID, "|"); len(f) == 3 && (f[0] == "sp" || f[0] == "tr") && f[1] != "" {
		p.ID, p.Accession = f[1], f[1]
	} else if uniprotAcc.MatchString(r.ID) {
		p.Accession = r.ID
	}
	return p
}

// ImportFASTA reads protein FASTA files, each with the species of its records,
// into a dataset without pairs (Task NoPairs). Protein ids must be unique over all
// files. Errors name the file and line.
func ImportFASTA(files []FASTAFile) (*Dataset, error) {
	d := &Dataset{Task: NoPairs}
	where := map[string]string{}
	var sources []string
	for _, ff := range files {
		if ff.Species == "" {
			return nil, fmt.Errorf("%s: no species given", ff.Path)
		}
		recs, err := seq.ReadFASTAFile(ff.Path)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			p := ProteinFromRecord(r, ff.Species)
			if prev, ok := where[p.ID]; ok {
				return nil, fmt.Errorf("%s: protein %q is also in %s", ff.Path, p.ID, prev)
			}
			where[p.ID] = ff.Path
			d.Proteins = append(d.Proteins, p)
		}
		sources = append(sources, fmt.Sprintf("%s (%d %s proteins)", filepath.Base(ff.Path), len(recs), NormalizeSpecies(ff.Species)))
	}
	d.Source = "FASTA: " + strings.Join(sources, ", ")
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return d, nil
}

// JoinOrthologs links the proteins of d by accession according to the table rows:
// for each row, a human–rat link if both accessions are among d's proteins, and
// likewise human–mouse. It returns the links (row order, rat before mouse) and a
// description of each link left out because an accession is not in d. It is an
// error if a linked protein has the wrong species (a rat accession found on a
// protein whose species is not "rat", say).
func JoinOrthologs(d *Dataset, rows []OrthologPair) (links []Ortholog, missing []string, err error) {
	byAcc := map[string]int{}
	for i, p := range d.Proteins {
		if p.Accession != "" {
			byAcc[p.Accession] = i
		}
	}
	for _, r := range rows {
		hi, hok := byAcc[r.Human]
		if hok && d.Proteins[hi].Species != "human" {
			return nil, nil, fmt.Errorf("line %d: %s is the human accession, but its protein has species %q", r.Line, r.Human, d.Proteins[hi].Species)
		}
		for _, o := range []struct {
			species, acc string
			ident        float64
		}{{"rat", r.Rat, r.IdentityRat}, {"mouse", r.Mouse, r.IdentityMouse}} {
			if o.acc == "" {
				continue
			}
			oi, ook := byAcc[o.acc]
			if ook && d.Proteins[oi].Species != o.species {
				return nil, nil, fmt.Errorf("line %d: %s is the %s accession, but its protein has species %q", r.Line, o.acc, o.species, d.Proteins[oi].Species)
			}
			switch {
			case hok && ook:
				links = append(links, Ortholog{Human: hi, Other: oi, Identity: o.ident, Gene: r.Gene, Note: r.Note})
			case !hok && !ook:
				missing = append(missing, fmt.Sprintf("%s human %s and %s %s: neither sequence given", r.Gene, r.Human, o.species, o.acc))
			case !hok:
				missing = append(missing, fmt.Sprintf("%s human %s: sequence not given", r.Gene, r.Human))
			default:
				missing = append(missing, fmt.Sprintf("%s %s %s: sequence not given", r.Gene, o.species, o.acc))
			}
		}
	}
	return links, missing, nil
}
