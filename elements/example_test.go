package elements_test

import (
	"fmt"

	"github.com/sciadapt/sciadapt/elements"
)

func ExampleBySymbol() {
	cu, err := elements.BySymbol("cu")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s (%s), Z = %d, period %d, group %d, %s block\n", cu.Symbol, cu.Name, cu.Z, cu.Period, cu.Group, cu.Block)
	fmt.Printf("mass %.3f u, Pauling %.2f, r_cov %.2f Å, IE %.4f eV\n", cu.Mass, cu.Electronegativity, cu.CovalentRadius, cu.IonizationEnergy)
	fmt.Printf("%s, %d valence electrons\n", cu.Configuration, cu.ValenceElectrons)

	_, err = elements.BySymbol("Xx")
	fmt.Println(err)
	_, err = elements.ByZ(119)
	fmt.Println(err)
	// Output:
	// Cu (copper), Z = 29, period 4, group 11, d block
	// mass 63.546 u, Pauling 1.90, r_cov 1.32 Å, IE 7.7264 eV
	// [Ar] 3d10 4s1, 11 valence electrons
	// unknown element symbol "Xx" (symbols are like "O" or "Pd", Z = 1–118)
	// no element has atomic number 119 (known elements: Z = 1–118)
}

// A potential trained on H, C and N learns oxygen: its embedding starts from
// that of the nearest known element in descriptor space.
func ExampleNeighbours() {
	o, _ := elements.BySymbol("O")
	known := []int{1, 6, 7} // H, C, N
	for i, z := range elements.Neighbours(o.Z, known, len(known)) {
		if i > 0 {
			fmt.Print(" ")
		}
		fmt.Print(elements.Symbol(z))
	}
	fmt.Println()

	pd, _ := elements.BySymbol("Pd")
	fmt.Println(elements.Symbol(elements.Neighbours(pd.Z, []int{29, 47, 79}, 1)[0])) // Cu, Ag, Au
	// Output:
	// N C H
	// Ag
}
