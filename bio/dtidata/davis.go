package dtidata

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sciadapt/sciadapt/bio/seq"
)

// Names of the files of a DeepDTA data directory.
const (
	DavisLigands  = "ligands_can.txt"
	DavisProteins = "proteins.txt"
	DavisKd       = "drug-target_interaction_affinities_Kd__Davis_et_al.2011v1.txt"
	DavisFolds    = "folds"
)

// DavisOptions configure ImportDavis. The zero value means setting 1 and human
// proteins.
type DavisOptions struct {
	// Setting picks folds/{train,test}_fold_setting<Setting>.txt (1 if 0).
	Setting int
	// Species of the proteins (the Davis kinases are human): "human" if empty.
	Species string
}

// KdToPKd converts a dissociation constant in nM to pKd = −log10(Kd / 1e9), the
// unit of DeepDTA (Kd 10000 nM, the Davis inactive ceiling, is pKd 5).
func KdToPKd(kdNM float64) float64 { return -math.Log10(kdNM / 1e9) }

// ImportDavis reads a DeepDTA data directory: ligands_can.txt and proteins.txt
// (JSON objects, id → SMILES and id → sequence, in file order), the text Kd
// matrix (one line per ligand, one column per protein, nM) and, if the folds/
// directory exists, DeepDTA's folds. The Python pickle Y is never read.
//
// Pairs are the measured (non-NaN) cells in row-major order (ligand-major), so
// pair k is DeepDTA's fold index k (DeepDTA's np.where(~isnan(Y)) order); values
// are pKd. Pairs in the test fold get Split "test", Fold -1; pairs in training
// fold f get Split "train", Fold f; a cell in no fold gets Split "", Fold -1.
// Errors name the file and the line or index.
func ImportDavis(dir string, opts *DavisOptions) (*Dataset, error) {
	if opts == nil {
		opts = &DavisOptions{}
	}
	setting := opts.Setting
	if setting == 0 {
		setting = 1
	}
	species := "human"
	if opts.Species != "" {
		species = NormalizeSpecies(opts.Species)
	}
	if st, err := os.Stat(dir); err != nil {
		return nil, err
	} else if !st.IsDir() {
		return nil, fmt.Errorf("%s: not a directory (give the DeepDTA data directory holding %s, %s and %s)", dir, DavisLigands, DavisProteins, DavisKd)
	}
	for _, name := range []string{DavisLigands, DavisProteins, DavisKd} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return nil, fmt.Errorf("%s: no %s: not a DeepDTA Davis directory (it needs %s, %s and %s)", dir, name, DavisLigands, DavisProteins, DavisKd)
		}
	}
	ligPath := filepath.Join(dir, DavisLigands)
	ligIDs, smiles, err := readOrderedJSON(ligPath)
	if err != nil {
		return nil, err
	}
	protPath := filepath.Join(dir, DavisProteins)
	protIDs, seqs, err := readOrderedJSON(protPath)
	if err != nil {
		return nil, err
	}
	d := &Dataset{Task: Affinity, AffinityUnit: PKd}
	for i, id := range ligIDs {
		if err := CheckSMILES(smiles[i]); err != nil {
			return nil, fmt.Errorf("%s: ligand %q: %v", ligPath, id, err)
		}
		d.Drugs = append(d.Drugs, Drug{ID: id, SMILES: smiles[i]})
	}
	for i, id := range protIDs {
		s, err := seq.NormalizeProtein(seqs[i])
		if err != nil {
			return nil, fmt.Errorf("%s: protein %q: %v", protPath, id, err)
		}
		d.Proteins = append(d.Proteins, Protein{ID: id, Species: species, Sequence: s})
	}
	kdPath := filepath.Join(dir, DavisKd)
	kd, err := readKdMatrix(kdPath, len(ligIDs), len(protIDs))
	if err != nil {
		return nil, err
	}
	for i := range ligIDs {
		for j := range protIDs {
			v := kd[i*len(protIDs)+j]
			if math.IsNaN(v) {
				continue
			}
			d.Pairs = append(d.Pairs, Pair{Drug: i, Protein: j, Value: KdToPKd(v), Fold: -1})
		}
	}
	d.Source = fmt.Sprintf("DeepDTA Davis files in %s: %s, %s, %s (Kd nM converted to pKd = -log10(Kd/1e9))",
		filepath.Base(filepath.Clean(dir)), DavisLigands, DavisProteins, DavisKd)
	foldDir := filepath.Join(dir, DavisFolds)
	if _, err := os.Stat(foldDir); err == nil {
		if err := applyFolds(d, foldDir, setting); err != nil {
			return nil, err
		}
		d.Source += fmt.Sprintf("; DeepDTA folds setting %d", setting)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return d, nil
}

// readOrderedJSON reads a JSON object of string values and returns keys and
// values in file order (Go maps forget the order, which DeepDTA's indices need).
func readOrderedJSON(path string) (keys, values []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fail := func(format string, args ...any) ([]string, []string, error) {
		return nil, nil, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...))
	}
	dec := json.NewDecoder(bufio.NewReader(f))
	tok, err := dec.Token()
	if err != nil {
		return fail("not JSON: %v", err)
	}
	if tok != json.Delim('{') {
		return fail("want a JSON object {\"id\": \"value\", …}")
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail("after %d entries: %v", len(keys), err)
		}
		k := tok.(string) // object keys are always strings
		var v string
		if err := dec.Decode(&v); err != nil {
			return fail("entry %q: want a string value: %v", k, err)
		}
		if seen[k] {
			return fail("entry %q appears twice", k)
		}
		seen[k] = true
		if strings.TrimSpace(k) == "" {
			return fail("entry %d has an empty id", len(keys)+1)
		}
		keys = append(keys, k)
		values = append(values, v)
	}
	if _, err := dec.Token(); err != nil {
		return fail("after %d entries: %v", len(keys), err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fail("data after the JSON object")
	}
	if len(keys) == 0 {
		return fail("no entries")
	}
	return keys, values, nil
}

// readKdMatrix reads nDrug lines of nProt white-space separated Kd values (nM).
// NaN (written nan or NaN) marks a missing measurement.
func readKdMatrix(path string, nDrug, nProt int) ([]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), maxPairLine)
	kd := make([]float64, 0, nDrug*nProt)
	line, rows := 0, 0
	for sc.Scan() {
		line++
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		rows++
		if rows > nDrug {
			return nil, fmt.Errorf("%s: line %d: more rows than the %d ligands of %s", path, line, nDrug, DavisLigands)
		}
		if len(fields) != nProt {
			return nil, fmt.Errorf("%s: line %d: %d values, want one per protein of %s (%d)", path, line, len(fields), DavisProteins, nProt)
		}
		for j, s := range fields {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, fmt.Errorf("%s: line %d, column %d: %q is not a number", path, line, j+1, s)
			}
			if !math.IsNaN(v) && (v <= 0 || math.IsInf(v, 0)) {
				return nil, fmt.Errorf("%s: line %d, column %d: Kd %v nM, want a positive finite value (or nan for missing)", path, line, j+1, v)
			}
			kd = append(kd, v)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if rows != nDrug {
		return nil, fmt.Errorf("%s: %d rows, want one per ligand of %s (%d)", path, rows, DavisLigands, nDrug)
	}
	return kd, nil
}

// applyFolds reads DeepDTA's test fold (a JSON list of indices) and training folds
// (a JSON list of lists) and marks the pairs.
func applyFolds(d *Dataset, dir string, setting int) error {
	testPath := filepath.Join(dir, fmt.Sprintf("test_fold_setting%d.txt", setting))
	trainPath := filepath.Join(dir, fmt.Sprintf("train_fold_setting%d.txt", setting))
	var test []int
	var train [][]int
	if err := readJSONFile(testPath, &test); err != nil {
		return err
	}
	if err := readJSONFile(trainPath, &train); err != nil {
		return err
	}
	where := make([]string, len(d.Pairs)) // file that claimed each pair, for messages
	mark := func(path string, k int, split string, fold int) error {
		if k < 0 || k >= len(d.Pairs) {
			return fmt.Errorf("%s: index %d out of range: there are %d measured pairs", path, k, len(d.Pairs))
		}
		if where[k] != "" {
			return fmt.Errorf("%s: index %d is already in %s", path, k, where[k])
		}
		if fold >= 0 {
			where[k] = fmt.Sprintf("training fold %d", fold)
		} else {
			where[k] = "the test fold"
		}
		d.Pairs[k].Split, d.Pairs[k].Fold = split, fold
		return nil
	}
	for _, k := range test {
		if err := mark(testPath, k, "test", -1); err != nil {
			return err
		}
	}
	for f, fold := range train {
		for _, k := range fold {
			if err := mark(trainPath, k, "train", f); err != nil {
				return err
			}
		}
	}
	return nil
}

func readJSONFile(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return nil
}
