package potentials_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/sciadapt/sciadapt/potentials"
)

// writeExampleFiles stands in for "sciadapt train potential" and "sciadapt
// add-element": it writes an untrained H/C/N base model (fixed seed) and an oxygen
// adapter for it into dir.
func writeExampleFiles(dir string) (model, adapter string, err error) {
	m, err := potentials.New(potentials.Config{Species: []int{1, 6, 7}, Cutoff: 4, Features: 8, RBF: 8, Interactions: 2, Seed: 7})
	if err != nil {
		return "", "", err
	}
	copy(m.Ref.Value().Data, []float64{-13.6, -1029.8, -1485.0}) // eV per atom
	a, err := potentials.NewElementAdapter(m, potentials.DefaultElementConfig(8))
	if err != nil {
		return "", "", err
	}
	a.NewRows("energy.reference").Value().Data[0] = -2041.0 // eV per O atom
	model, adapter = filepath.Join(dir, "hcn.model"), filepath.Join(dir, "O.adapter")
	if err := m.Save(model); err != nil {
		return "", "", err
	}
	return model, adapter, a.Save(adapter)
}

// A simulation code loads a base model and an add-element adapter, then asks the
// Calculator for the energy (eV) and forces (eV/Å) of a structure in Å.
func Example() {
	dir, err := os.MkdirTemp("", "sciadapt-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	modelPath, adapterPath, err := writeExampleFiles(dir)
	if err != nil {
		panic(err)
	}

	m, err := potentials.Load(modelPath)
	if err != nil {
		panic(err)
	}
	if _, err := potentials.LoadElementAdapter(adapterPath, m); err != nil {
		panic(err)
	}
	var calc potentials.Calculator = m

	// Methanol, CH₃OH, as a free molecule (Cell nil): positions N×3 row-major, Å.
	s := &potentials.Structure{
		Numbers: []int{6, 8, 1, 1, 1, 1},
		Positions: []float64{
			-0.047, 0.665, 0.000, // C
			-0.047, -0.763, 0.000, // O
			-1.092, 0.977, 0.000, // H
			0.444, 1.071, 0.890, // H
			0.444, 1.071, -0.890, // H
			0.870, -1.063, 0.000, // H (hydroxyl)
		},
	}
	r, err := calc.Compute(s)
	if err != nil {
		panic(err)
	}
	var net [3]float64
	fmax := 0.0
	for i := 0; i < s.Len(); i++ {
		f := r.Forces[3*i : 3*i+3]
		net[0], net[1], net[2] = net[0]+f[0], net[1]+f[1], net[2]+f[2]
		fmax = math.Max(fmax, math.Sqrt(f[0]*f[0]+f[1]*f[1]+f[2]*f[2]))
	}
	fmt.Printf("%d atoms, energy %.2f eV\n", s.Len(), r.Energy)
	fmt.Printf("largest force %.2f eV/Å, net force below 1e-9 eV/Å: %v\n", fmax, math.Abs(net[0])+math.Abs(net[1])+math.Abs(net[2]) < 1e-9)
	fmt.Println("stress of a free molecule:", r.Stress)

	// An unknown element is an error, never a panic.
	s.Numbers[0] = 16
	_, err = calc.Compute(s)
	fmt.Println(err)
	// Output:
	// 6 atoms, energy -3124.72 eV
	// largest force 0.09 eV/Å, net force below 1e-9 eV/Å: true
	// stress of a free molecule: <nil>
	// structure 0, atom 0: the model does not know element Z=16 (known: [1 6 7 8])
}
