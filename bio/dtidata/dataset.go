package dtidata

import (
	"fmt"
	"math"
	"strings"

	"github.com/sciadapt/sciadapt/bio/seq"
)

// Task says what the pairs of a Dataset carry.
type Task string

// Tasks.
const (
	Binary   Task = "binary"   // Pair.Value is a label, 0 or 1
	Affinity Task = "affinity" // Pair.Value is an affinity in AffinityUnit (pKd)
	NoPairs  Task = "none"     // the dataset holds proteins (and drugs) only
)

// PKd is the affinity unit of Davis-like data: pKd = −log10(Kd / 1 M)
// = −log10(Kd[nM] / 1e9).
const PKd = "pKd"

// UnknownSpecies is the species of a protein whose species is not known.
const UnknownSpecies = "unknown"

// Drug is one compound.
type Drug struct {
	ID     string // unique within the dataset (a PubChem CID for Davis, "drug00001" … otherwise)
	SMILES string // as in the source; importers check it with CheckSMILES
}

// Protein is one protein sequence.
type Protein struct {
	ID        string // unique within the dataset (accession or source name where known)
	Accession string // UniProt accession, "" if not known
	Species   string // lower case, e.g. "human", "rat", "guinea_pig"; UnknownSpecies if not known
	Sequence  string // upper-case one-letter residue codes (see package seq)
}

// Pair is one drug–protein measurement.
type Pair struct {
	Drug, Protein int // indices into Dataset.Drugs and Dataset.Proteins
	// Value is the label (0 or 1) for Binary data, the affinity in the dataset's
	// AffinityUnit for Affinity data.
	Value float64
	Split string // the source's split ("train", "test", …), "" if it has none
	Fold  int    // cross-validation fold within Split (0 …), -1 if none
}

// Ortholog links a human protein to its ortholog in another species.
type Ortholog struct {
	Human, Other int     // indices into Dataset.Proteins; the other species is Proteins[Other].Species
	Identity     float64 // global sequence identity in [0, 1] as stated by the source; NaN if not stated
	Gene         string  // gene label in the source (may be wrong; see Note)
	Note         string  // the source's remark, "" if none
}

// Dataset is a drug–target data set in memory; Read and Write move it to and from
// the sciadapt-dti HDF5 layout described in the package documentation.
type Dataset struct {
	Source       string // where the data came from (files, repository, commit)
	Task         Task
	AffinityUnit string // PKd for Affinity data, "" otherwise
	Drugs        []Drug
	Proteins     []Protein
	Pairs        []Pair
	Orthologs    []Ortholog
}

// latinNames maps the Latin names of the species in the project's data to their
// common names.
var latinNames = map[string]string{
	"homo_sapiens":      "human",
	"rattus_norvegicus": "rat",
	"mus_musculus":      "mouse",
	"cavia_porcellus":   "guinea_pig",
	"bos_taurus":        "bovine",
}

// NormalizeSpecies returns the canonical form of a species name: trimmed, lower
// case, inner blanks as '_' ("Guinea pig" → "guinea_pig"), the Latin names Homo
// sapiens, Rattus norvegicus, Mus musculus, Cavia porcellus and Bos taurus as
// human, rat, mouse, guinea_pig and bovine; "" becomes UnknownSpecies.
func NormalizeSpecies(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), "_"))
	if s == "" {
		return UnknownSpecies
	}
	if c, ok := latinNames[s]; ok {
		return c
	}
	return s
}

// Validate checks the invariants of d and returns an error describing the first
// violation: known task, unique non-empty ids, valid protein sequences, non-empty
// SMILES, species in canonical form, pair indices in range, labels 0 or 1 (Binary)
// or finite affinities with a unit (Affinity), folds ≥ -1, ortholog indices in
// range and identities in [0, 1] or NaN.
func (d *Dataset) Validate() error {
	switch d.Task {
	case Binary, NoPairs:
		if d.AffinityUnit != "" {
			return fmt.Errorf("task %q has no affinity unit, but %q is given", d.Task, d.AffinityUnit)
		}
	case Affinity:
		if d.AffinityUnit == "" {
			return fmt.Errorf("task %q needs an affinity unit", d.Task)
		}
	default:
		return fmt.Errorf("unknown task %q (want %q, %q or %q)", d.Task, Binary, Affinity, NoPairs)
	}
	if d.Task == NoPairs && len(d.Pairs) > 0 {
		return fmt.Errorf("task %q but %d pairs", d.Task, len(d.Pairs))
	}
	if d.Task != NoPairs && len(d.Pairs) == 0 {
		return fmt.Errorf("task %q but no pairs", d.Task)
	}
	ids := make(map[string]int, len(d.Drugs))
	for i, dr := range d.Drugs {
		if dr.ID == "" {
			return fmt.Errorf("drug %d has an empty id", i)
		}
		if j, ok := ids[dr.ID]; ok {
			return fmt.Errorf("drugs %d and %d share the id %q", j, i, dr.ID)
		}
		ids[dr.ID] = i
		if dr.SMILES == "" {
			return fmt.Errorf("drug %d (%s) has an empty SMILES", i, dr.ID)
		}
	}
	clear(ids)
	for i, p := range d.Proteins {
		if p.ID == "" {
			return fmt.Errorf("protein %d has an empty id", i)
		}
		if j, ok := ids[p.ID]; ok {
			return fmt.Errorf("proteins %d and %d share the id %q", j, i, p.ID)
		}
		ids[p.ID] = i
		if norm, err := seq.NormalizeProtein(p.Sequence); err != nil {
			return fmt.Errorf("protein %d (%s): %v", i, p.ID, err)
		} else if norm != p.Sequence {
			return fmt.Errorf("protein %d (%s): sequence is not in upper case", i, p.ID)
		}
		if p.Species == "" || NormalizeSpecies(p.Species) != p.Species {
			return fmt.Errorf("protein %d (%s): species %q is not in canonical form (%q)", i, p.ID, p.Species, NormalizeSpecies(p.Species))
		}
	}
	for i, pr := range d.Pairs {
		if pr.Drug < 0 || pr.Drug >= len(d.Drugs) {
			return fmt.Errorf("pair %d: drug index %d out of range [0, %d)", i, pr.Drug, len(d.Drugs))
		}
		if pr.Protein < 0 || pr.Protein >= len(d.Proteins) {
			return fmt.Errorf("pair %d: protein index %d out of range [0, %d)", i, pr.Protein, len(d.Proteins))
		}
		switch {
		case d.Task == Binary && pr.Value != 0 && pr.Value != 1:
			return fmt.Errorf("pair %d: label %v, want 0 or 1", i, pr.Value)
		case d.Task == Affinity && (math.IsNaN(pr.Value) || math.IsInf(pr.Value, 0)):
			return fmt.Errorf("pair %d: affinity %v is not finite", i, pr.Value)
		}
		if pr.Fold < -1 {
			return fmt.Errorf("pair %d: fold %d (want -1 for none, or ≥ 0)", i, pr.Fold)
		}
	}
	for i, o := range d.Orthologs {
		if o.Human < 0 || o.Human >= len(d.Proteins) || o.Other < 0 || o.Other >= len(d.Proteins) {
			return fmt.Errorf("ortholog %d: protein indices %d, %d out of range [0, %d)", i, o.Human, o.Other, len(d.Proteins))
		}
		if !math.IsNaN(o.Identity) && (o.Identity < 0 || o.Identity > 1) {
			return fmt.Errorf("ortholog %d: identity %v outside [0, 1]", i, o.Identity)
		}
	}
	return nil
}

// Splits returns the split names of the pairs in order of first appearance
// ("" not included).
func (d *Dataset) Splits() []string {
	var names []string
	seen := map[string]bool{"": true}
	for _, p := range d.Pairs {
		if !seen[p.Split] {
			seen[p.Split] = true
			names = append(names, p.Split)
		}
	}
	return names
}

// SpeciesCounts returns the species of the proteins in byte order together with
// the number of pairs on proteins of each species.
func (d *Dataset) SpeciesCounts() (species []string, pairs []int) {
	count := map[string]int{}
	for _, p := range d.Proteins {
		count[p.Species] += 0
	}
	for _, pr := range d.Pairs {
		count[d.Proteins[pr.Protein].Species]++
	}
	species = sortedKeys(count)
	pairs = make([]int, len(species))
	for i, s := range species {
		pairs[i] = count[s]
	}
	return species, pairs
}
