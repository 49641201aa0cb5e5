package mol_test

import (
	"fmt"

	"github.com/sciadapt/sciadapt/bio/mol"
)

func ExampleParse() {
	m, err := mol.Parse("CC(=O)Oc1ccccc1C(=O)O") // aspirin
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Formula(), m.NumAtoms(), "heavy atoms")
	fmt.Println("aromatic:", m.Atoms[4].Aromatic, "ring:", m.InRing(4))

	_, err = mol.Parse("CC(=O)Oc1ccccc1C(=O")
	fmt.Println(err)
	// Output:
	// C9H8O4 13 heavy atoms
	// aromatic: true ring: true
	// SMILES "CC(=O)Oc1ccccc1C(=O": column 17: '(' is never closed
}

func ExampleMol_MorganBits() {
	// The same bits as RDKit's
	// AllChem.GetMorganFingerprintAsBitVect(Chem.MolFromSmiles("c1ccccc1O"), 2, 2048).
	m := mol.MustParse("c1ccccc1O") // phenol
	bits := m.MorganBits(mol.DefaultRadius, mol.DefaultBits)
	fmt.Println(len(bits), "bits set:", bits)
	// Output:
	// 11 bits set: [65 389 745 807 1088 1199 1380 1602 1750 1778 1873]
}

func ExampleMol_Scaffold() {
	m := mol.MustParse("CCN(CC)C(=O)c1ccc(Cc2ccccc2)cc1")
	fmt.Println(m.ScaffoldKey())
	fmt.Println(m.GenericScaffold().CanonicalSMILES())
	// Output:
	// c1(ccccc1)Cc1ccccc1
	// C1(CC2CCCCC2)CCCCC1
}
