package dtidata

import (
	"fmt"
	"io"
	"math"
	"os"
)

// ReadSpeciesTableFile reads the species table at path (ReadSpeciesTable);
// errors name the file.
func ReadSpeciesTableFile(path string) ([]SpeciesEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := ReadSpeciesTable(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// AddOrthologs reads the ortholog table at path (ReadOrthologPairs), stores in
// d the pairs whose two sequences are among its proteins (JoinOrthologs), notes
// the table in d.Source and returns the pairs left out for a missing sequence.
// Errors name the file.
func AddOrthologs(d *Dataset, path string) (missing []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	rows, err := ReadOrthologPairs(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if d.Orthologs, missing, err = JoinOrthologs(d, rows); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	d.Source += fmt.Sprintf("; orthologs from %s (%d rows)", path, len(rows))
	return missing, nil
}

// WritePairSummary writes the numbers of pairs, drugs and proteins of binary
// pairs, then per split the pairs and positives, and per species the proteins
// and pairs.
func WritePairSummary(w io.Writer, d *Dataset) {
	fmt.Fprintf(w, "%d pairs, %d drugs, %d proteins\n", len(d.Pairs), len(d.Drugs), len(d.Proteins))
	for _, s := range d.Splits() {
		idx := d.PairsInSplit(s)
		pos := 0
		for _, i := range idx {
			if d.Pairs[i].Value == 1 {
				pos++
			}
		}
		fmt.Fprintf(w, "  split %-6s %6d pairs, %d positive\n", s, len(idx), pos)
	}
	if n := len(d.PairsInSplit("")); n > 0 && len(d.Splits()) > 0 {
		fmt.Fprintf(w, "  no split     %6d pairs\n", n)
	}
	WriteSpeciesCounts(w, d)
}

// WriteSpeciesCounts writes the proteins and pairs of each species, one line per
// species.
func WriteSpeciesCounts(w io.Writer, d *Dataset) {
	species, pairs := d.SpeciesCounts()
	for i, s := range species {
		nProt := 0
		for _, p := range d.Proteins {
			if p.Species == s {
				nProt++
			}
		}
		if len(d.Pairs) == 0 {
			fmt.Fprintf(w, "  species %-10s %4d proteins\n", s, nProt)
			continue
		}
		fmt.Fprintf(w, "  species %-10s %4d proteins %6d pairs\n", s, nProt, pairs[i])
	}
}

// WriteDavisSummary writes the size and pKd range of an imported Davis set
// (ImportDavis), the pairs at the 10000 nM inactive ceiling (pKd 5), and the
// sizes of the test fold and the training folds of DeepDTA's setting.
func WriteDavisSummary(w io.Writer, d *Dataset, setting int) {
	lo, hi, ceiling := math.Inf(1), math.Inf(-1), 0
	for _, p := range d.Pairs {
		lo, hi = math.Min(lo, p.Value), math.Max(hi, p.Value)
		if p.Value == 5 {
			ceiling++
		}
	}
	fmt.Fprintf(w, "%d drugs × %d proteins, %d measured pairs, pKd %.3f to %.3f, %d at the 10000 nM ceiling (pKd 5)\n",
		len(d.Drugs), len(d.Proteins), len(d.Pairs), lo, hi, ceiling)
	test, train := d.PairsInSplit("test"), d.PairsInSplit("train")
	if len(test) == 0 && len(train) == 0 {
		return
	}
	folds := map[int]int{}
	nf := 0
	for _, i := range train {
		folds[d.Pairs[i].Fold]++
		nf = max(nf, d.Pairs[i].Fold+1)
	}
	fmt.Fprintf(w, "  DeepDTA setting %d: test fold %d pairs; training folds", setting, len(test))
	for f := range nf {
		fmt.Fprintf(w, " %d", folds[f])
	}
	fmt.Fprintln(w)
	if n := len(d.PairsInSplit("")); n > 0 {
		fmt.Fprintf(w, "  %d pairs are in no fold\n", n)
	}
}

// WriteOrthologSummary writes the number of ortholog pairs, human–rat and
// human–mouse, and the pairs left out (AddOrthologs).
func WriteOrthologSummary(w io.Writer, d *Dataset, missing []string) {
	per := map[string]int{}
	for _, o := range d.Orthologs {
		per[d.Proteins[o.Other].Species]++
	}
	fmt.Fprintf(w, "%d ortholog pairs:", len(d.Orthologs))
	for _, s := range []string{"rat", "mouse"} {
		fmt.Fprintf(w, " human–%s %d", s, per[s])
	}
	fmt.Fprintln(w)
	if len(missing) > 0 {
		fmt.Fprintf(w, "%d ortholog pairs left out (sequence not in the FASTA files):\n", len(missing))
		for _, m := range missing {
			fmt.Fprintf(w, "  %s\n", m)
		}
	}
}
