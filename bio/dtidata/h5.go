package dtidata

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/sciadapt/sciadapt/internal/h5io"
)

// Format and Version identify the sciadapt-dti layout.
const (
	Format  = "sciadapt-dti"
	Version = 1
)

// Write stores d at path in the sciadapt-dti layout, atomically: on error nothing
// is left at path. It returns an error if d does not pass Validate or a text
// holds a NUL byte.
func Write(path string, d *Dataset) error {
	if err := d.Validate(); err != nil {
		return fmt.Errorf("%s: not written: %v", path, err)
	}
	return h5io.WriteAtomic(path, func(f *h5io.File) error {
		root := f.Root()
		if err := root.WriteStringAttr("format", Format); err != nil {
			return err
		}
		if err := root.WriteIntAttr("version", Version); err != nil {
			return err
		}
		if err := root.WriteStringAttr("source", d.Source); err != nil {
			return err
		}
		if err := root.WriteStringAttr("task", string(d.Task)); err != nil {
			return err
		}
		if d.Task == Affinity {
			if err := root.WriteStringAttr("affinity_unit", d.AffinityUnit); err != nil {
				return err
			}
		}
		if len(d.Drugs) > 0 {
			id, smi := make([]string, len(d.Drugs)), make([]string, len(d.Drugs))
			for i, dr := range d.Drugs {
				id[i], smi[i] = dr.ID, dr.SMILES
			}
			if err := writeGroup(root, "drugs", func(g *h5io.Group) error {
				return firstErr(writeText(g, "id", id), writeText(g, "smiles", smi))
			}); err != nil {
				return err
			}
		}
		if len(d.Proteins) > 0 {
			n := len(d.Proteins)
			id, acc, sp, sq := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
			for i, p := range d.Proteins {
				id[i], acc[i], sp[i], sq[i] = p.ID, p.Accession, p.Species, p.Sequence
			}
			if err := writeGroup(root, "proteins", func(g *h5io.Group) error {
				return firstErr(writeText(g, "id", id), writeText(g, "accession", acc),
					writeText(g, "species", sp), writeText(g, "sequence", sq))
			}); err != nil {
				return err
			}
		}
		if len(d.Pairs) > 0 {
			if err := writeGroup(root, "pairs", func(g *h5io.Group) error { return writePairs(g, d) }); err != nil {
				return err
			}
		}
		if len(d.Orthologs) > 0 {
			n := len(d.Orthologs)
			h, o := make([]int32, n), make([]int32, n)
			ident := make([]float64, n)
			gene, note := make([]string, n), make([]string, n)
			for i, x := range d.Orthologs {
				h[i], o[i], ident[i], gene[i], note[i] = int32(x.Human), int32(x.Other), x.Identity, x.Gene, x.Note
			}
			if err := writeGroup(root, "orthologs", func(g *h5io.Group) error {
				return firstErr(g.WriteInt32("human", h), g.WriteInt32("other", o), g.WriteFloat64("identity", ident),
					writeText(g, "gene", gene), writeText(g, "note", note))
			}); err != nil {
				return err
			}
		}
		return nil
	})
}

func writePairs(g *h5io.Group, d *Dataset) error {
	n := len(d.Pairs)
	drug, prot, fold := make([]int32, n), make([]int32, n), make([]int32, n)
	val := make([]float64, n)
	split := make([]string, n)
	hasSplit, hasFold := false, false
	for i, p := range d.Pairs {
		drug[i], prot[i], val[i], split[i], fold[i] = int32(p.Drug), int32(p.Protein), p.Value, p.Split, int32(p.Fold)
		hasSplit = hasSplit || p.Split != ""
		hasFold = hasFold || p.Fold >= 0
	}
	valName := "label"
	if d.Task == Affinity {
		valName = "affinity"
	}
	if err := firstErr(g.WriteInt32("drug", drug), g.WriteInt32("protein", prot), g.WriteFloat64(valName, val)); err != nil {
		return err
	}
	if hasSplit {
		if err := writeText(g, "split", split); err != nil {
			return err
		}
	}
	if hasFold {
		return g.WriteInt32("fold", fold)
	}
	return nil
}

// firstErr returns the first non-nil error. (All calls are made; with h5io a
// failure leaves the file to be discarded by WriteAtomic anyway.)
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func writeGroup(root *h5io.Group, name string, fill func(g *h5io.Group) error) error {
	g, err := root.CreateGroup(name)
	if err != nil {
		return err
	}
	defer g.Close()
	return fill(g)
}

// writeText stores strings as a uint8 dataset of shape (len(s), W), each row NUL
// padded to the longest string (W ≥ 1).
func writeText(g *h5io.Group, name string, s []string) error {
	w := 1
	for i, x := range s {
		if strings.IndexByte(x, 0) >= 0 {
			return g.Errorf("%s %d: text holds a NUL byte", name, i)
		}
		w = max(w, len(x))
	}
	buf := make([]uint8, len(s)*w)
	for i, x := range s {
		copy(buf[i*w:], x)
	}
	return g.WriteUint8(name, buf, len(s), w)
}

// readText reads a text dataset written by writeText.
func readText(g *h5io.Group, name string) ([]string, error) {
	data, shape, err := g.ReadInt(name)
	if err != nil {
		return nil, err
	}
	if len(shape) != 2 || shape[1] < 1 {
		return nil, g.Errorf("dataset %q has shape %v, want text rows (n, width)", name, shape)
	}
	n, w := shape[0], shape[1]
	out := make([]string, n)
	row := make([]byte, w)
	for i := range n {
		for j := range w {
			v := data[i*w+j]
			if v < 0 || v > 255 {
				return nil, g.Errorf("dataset %q: row %d holds %d, not a byte", name, i, v)
			}
			row[j] = byte(v)
		}
		if k := bytes.IndexByte(row, 0); k >= 0 {
			out[i] = string(row[:k])
		} else {
			out[i] = string(row)
		}
	}
	return out, nil
}

// Read loads a sciadapt-dti file. It refuses, with an error naming the file and
// the object, a file of another format or a newer version, missing or mistyped
// datasets, columns of different lengths, and content that fails Validate
// (indices out of range, labels other than 0 and 1, bad sequences, …).
func Read(path string) (*Dataset, error) {
	f, err := h5io.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	root := f.Root()
	format, err := root.ReadStringAttr("format")
	if err != nil {
		return nil, err
	}
	if format != Format {
		return nil, root.Errorf("format is %q, want %q (is this a drug–target file? import data with 'sciadapt import gpcr|davis|fasta')", format, Format)
	}
	version, err := root.ReadIntAttr("version")
	if err != nil {
		return nil, err
	}
	if version < 1 || version > Version {
		return nil, root.Errorf("%s version %d, this sciadapt reads version %d (a newer sciadapt wrote it?)", Format, version, Version)
	}
	d := &Dataset{}
	if d.Source, err = root.ReadStringAttr("source"); err != nil {
		return nil, err
	}
	task, err := root.ReadStringAttr("task")
	if err != nil {
		return nil, err
	}
	d.Task = Task(task)
	if d.Task == Affinity {
		if d.AffinityUnit, err = root.ReadStringAttr("affinity_unit"); err != nil {
			return nil, err
		}
		if d.AffinityUnit != PKd {
			return nil, root.Errorf("affinity_unit is %q; the only unit known is %q", d.AffinityUnit, PKd)
		}
	}
	if root.Has("drugs") {
		if err := readDrugs(root, d); err != nil {
			return nil, err
		}
	}
	if root.Has("proteins") {
		if err := readProteins(root, d); err != nil {
			return nil, err
		}
	}
	if root.Has("pairs") {
		if err := readPairs(root, d); err != nil {
			return nil, err
		}
	}
	if root.Has("orthologs") {
		if err := readOrthologs(root, d); err != nil {
			return nil, err
		}
	}
	if err := d.Validate(); err != nil {
		return nil, root.Errorf("%v", err)
	}
	return d, nil
}

// column names a dataset of a group and where to put its values.
type column struct {
	name  string
	text  *[]string
	ints  *[]int
	float *[]float64
}

// readColumns reads text and numeric columns of g and checks that they all have
// the same length, which it returns.
func readColumns(g *h5io.Group, cols ...column) (int, error) {
	n := -1
	for _, c := range cols {
		var m int
		switch {
		case c.text != nil:
			v, err := readText(g, c.name)
			if err != nil {
				return 0, err
			}
			*c.text, m = v, len(v)
		case c.ints != nil:
			v, shape, err := g.ReadInt(c.name)
			if err != nil {
				return 0, err
			}
			if len(shape) != 1 {
				return 0, g.Errorf("dataset %q has shape %v, want one dimension", c.name, shape)
			}
			*c.ints, m = v, len(v)
		default:
			v, shape, err := g.ReadFloat64(c.name)
			if err != nil {
				return 0, err
			}
			if len(shape) != 1 {
				return 0, g.Errorf("dataset %q has shape %v, want one dimension", c.name, shape)
			}
			*c.float, m = v, len(v)
		}
		if n >= 0 && m != n {
			return 0, g.Errorf("dataset %q has %d rows but %q has %d", c.name, m, cols[0].name, n)
		}
		n = m
	}
	return n, nil
}

func withGroup(root *h5io.Group, name string, read func(g *h5io.Group) error) error {
	g, err := root.OpenGroup(name)
	if err != nil {
		return err
	}
	defer g.Close()
	return read(g)
}

func readDrugs(root *h5io.Group, d *Dataset) error {
	return withGroup(root, "drugs", func(g *h5io.Group) error {
		var id, smi []string
		n, err := readColumns(g, column{name: "id", text: &id}, column{name: "smiles", text: &smi})
		if err != nil {
			return err
		}
		d.Drugs = make([]Drug, n)
		for i := range n {
			d.Drugs[i] = Drug{ID: id[i], SMILES: smi[i]}
		}
		return nil
	})
}

func readProteins(root *h5io.Group, d *Dataset) error {
	return withGroup(root, "proteins", func(g *h5io.Group) error {
		var id, acc, sp, sq []string
		n, err := readColumns(g, column{name: "id", text: &id}, column{name: "accession", text: &acc},
			column{name: "species", text: &sp}, column{name: "sequence", text: &sq})
		if err != nil {
			return err
		}
		d.Proteins = make([]Protein, n)
		for i := range n {
			d.Proteins[i] = Protein{ID: id[i], Accession: acc[i], Species: sp[i], Sequence: sq[i]}
		}
		return nil
	})
}

func readPairs(root *h5io.Group, d *Dataset) error {
	return withGroup(root, "pairs", func(g *h5io.Group) error {
		valName := "label"
		switch d.Task {
		case Affinity:
			valName = "affinity"
		case Binary:
		default:
			return g.Errorf("the file has pairs but task %q (want %q or %q)", d.Task, Binary, Affinity)
		}
		var drug, prot, fold []int
		var val []float64
		var split []string
		cols := []column{{name: "drug", ints: &drug}, {name: "protein", ints: &prot}, {name: valName, float: &val}}
		if g.Has("split") {
			cols = append(cols, column{name: "split", text: &split})
		}
		if g.Has("fold") {
			cols = append(cols, column{name: "fold", ints: &fold})
		}
		n, err := readColumns(g, cols...)
		if err != nil {
			return err
		}
		d.Pairs = make([]Pair, n)
		for i := range n {
			p := Pair{Drug: drug[i], Protein: prot[i], Value: val[i], Fold: -1}
			if split != nil {
				p.Split = split[i]
			}
			if fold != nil {
				p.Fold = fold[i]
			}
			d.Pairs[i] = p
		}
		return nil
	})
}

func readOrthologs(root *h5io.Group, d *Dataset) error {
	return withGroup(root, "orthologs", func(g *h5io.Group) error {
		var h, o []int
		var ident []float64
		var gene, note []string
		n, err := readColumns(g, column{name: "human", ints: &h}, column{name: "other", ints: &o},
			column{name: "identity", float: &ident}, column{name: "gene", text: &gene}, column{name: "note", text: &note})
		if err != nil {
			return err
		}
		d.Orthologs = make([]Ortholog, n)
		for i := range n {
			d.Orthologs[i] = Ortholog{Human: h[i], Other: o[i], Identity: ident[i], Gene: gene[i], Note: note[i]}
		}
		return nil
	})
}
