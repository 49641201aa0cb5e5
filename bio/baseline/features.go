package baseline

import (
	"fmt"

	"github.com/sciadapt/sciadapt/bio/dtidata"
	"github.com/sciadapt/sciadapt/bio/mol"
)

// Fingerprint describes the compound features of the baselines.
type Fingerprint struct {
	Radius int  // Morgan radius (default mol.DefaultRadius, 2)
	Bits   int  // folded length (default mol.DefaultBits, 2048)
	Counts bool // environment counts instead of 0/1 bits
}

func (f Fingerprint) withDefaults() Fingerprint {
	if f.Radius <= 0 {
		f.Radius = mol.DefaultRadius
	}
	if f.Bits <= 0 {
		f.Bits = mol.DefaultBits
	}
	return f
}

// Vector returns the dense fingerprint (Bits values) of molecule m.
func (f Fingerprint) Vector(m *mol.Mol) []float64 {
	f = f.withDefaults()
	v := make([]float64, f.Bits)
	for _, c := range m.MorganCounts(f.Radius, f.Bits) {
		if f.Counts {
			v[c.Bit] = float64(c.Count)
		} else {
			v[c.Bit] = 1
		}
	}
	return v
}

// DrugVectors returns the fingerprint of every drug of d (row j for drug j). The
// error names the first drug whose SMILES does not parse.
func (f Fingerprint) DrugVectors(d *dtidata.Dataset) ([][]float64, error) {
	out := make([][]float64, len(d.Drugs))
	for j, dr := range d.Drugs {
		m, err := mol.Parse(dr.SMILES)
		if err != nil {
			return nil, fmt.Errorf("drug %d (%s): %v", j, dr.ID, err)
		}
		out[j] = f.Vector(m)
	}
	return out, nil
}
