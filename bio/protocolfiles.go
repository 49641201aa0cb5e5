package bio

import (
	"fmt"
	"io"

	"github.com/sciadapt/sciadapt/bio/dtidata"
)

// ProtocolFiles name the files of a species transfer ("transfer"): the human
// base model, the pairs of the species, optionally a separate file of the human
// test pairs, ortholog links (with the weight λ of their alignment term) and a
// drug-only control model.
type ProtocolFiles struct {
	Base, Data, HumanData, Orthologs, Control string
	Align                                     float64
}

// OpenProtocol reads the files of f and sets up the transfer protocol with po
// (NewProtocol): the human test pairs are those of the base's held-out proteins
// (HeldOutHumanPairs), the alignment term that of the ortholog links of
// po.Species (none for MethodFrozen). Errors name the file and the problem.
func OpenProtocol(f ProtocolFiles, po ProtocolOptions) (*Protocol, error) {
	m, meta, err := Load(f.Base)
	if err != nil {
		return nil, err
	}
	if m.Config.DrugOnly {
		return nil, fmt.Errorf("%s: a drug-only model has no protein branch to adapt (give it as --control)", f.Base)
	}
	d, data, err := ReadData(f.Data, m)
	if err != nil {
		return nil, err
	}
	hd := d
	if f.HumanData != "" {
		if hd, po.Human, err = ReadData(f.HumanData, m); err != nil {
			return nil, err
		}
	}
	species := dtidata.NormalizeSpecies(po.Species)
	if po.HumanTest, err = HeldOutHumanPairs(hd, meta, species); err != nil {
		return nil, fmt.Errorf("%s: %v", f.Base, err)
	}
	if f.Orthologs != "" && po.Method != MethodFrozen {
		od, err := dtidata.Read(f.Orthologs)
		if err != nil {
			return nil, err
		}
		if po.Alignment, err = OrthologAlignment(od, species, m, f.Align, po.Seed); err != nil {
			return nil, fmt.Errorf("%s: %v", f.Orthologs, err)
		}
	}
	if f.Control != "" {
		if po.Control, _, err = Load(f.Control); err != nil {
			return nil, err
		}
		if !po.Control.Config.DrugOnly {
			return nil, fmt.Errorf("%s: --control must be a drug-only model (train dti --drug-only)", f.Control)
		}
	}
	p, err := NewProtocol(m, data, po)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", f.Data, err)
	}
	return p, nil
}

// ReadData reads the drug–target file at path and tokenises it for m; errors
// name the file.
func ReadData(path string, m *Model) (*dtidata.Dataset, *Data, error) {
	d, err := dtidata.Read(path)
	if err != nil {
		return nil, nil, err
	}
	data, err := m.Tokenize(d)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	return d, data, nil
}

// ScaffoldSplits returns the number of proteins whose pairs were split by
// compound scaffold (TargetSplit.ByScaffold).
func (p *Protocol) ScaffoldSplits() int {
	n := 0
	for _, s := range p.Splits {
		if s.ByScaffold {
			n++
		}
	}
	return n
}

// WriteSplit writes how the pairs of the species in the file data were split:
// pairs, proteins, adaptation pairs (K per protein), test pairs and the proteins
// split by compound scaffold.
func (p *Protocol) WriteSplit(w io.Writer, data string) {
	fmt.Fprintf(w, "%s: %d %s pairs on %d proteins: %d adapt (K = %d per protein), %d test; %d proteins split by scaffold\n",
		data, len(p.Pairs), dtidata.NormalizeSpecies(p.opt.Species), len(p.Splits), len(p.Adapt), p.opt.PerTarget, len(p.Test), p.ScaffoldSplits())
}

// WriteSummary writes the results of a transfer: the species' test metrics
// beside the frozen human model's, the human test metrics before and after, and
// the drug-only control's.
func (r *TransferReport) WriteSummary(w io.Writer) {
	fmt.Fprintf(w, "%s test: %v (frozen human model: %v)\n", r.Species, r.Test, r.FrozenTest)
	if r.HumanTestBefore != nil {
		fmt.Fprintf(w, "human test (held-out proteins of the base): before %v, after %v\n", r.HumanTestBefore, r.HumanTestAfter)
	}
	if r.ControlDrugOnlyTest != nil {
		fmt.Fprintf(w, "drug-only control on the same test pairs: %v\n", r.ControlDrugOnlyTest)
	}
}
