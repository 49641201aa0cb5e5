package neighbor_test

import (
	"fmt"
	"math"

	"github.com/sciadapt/sciadapt/potentials/neighbor"
)

// The one-atom primitive cell of fcc copper (a = 3.615 Å) is much smaller than
// twice the cutoff, so every neighbour is a periodic image of the atom itself.
func ExampleBuild() {
	const a = 3.615 // Å
	cell := [9]float64{0, a / 2, a / 2, a / 2, 0, a / 2, a / 2, a / 2, 0}
	pos := []float64{0, 0, 0}
	l, err := neighbor.Build(pos, &cell, [3]bool{true, true, true}, neighbor.Options{Cutoff: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	v := l.Vectors(pos, &cell)
	fmt.Printf("%d neighbours\n", l.Len())
	for p := 0; p < 3; p++ {
		d := math.Sqrt(v[3*p]*v[3*p] + v[3*p+1]*v[3*p+1] + v[3*p+2]*v[3*p+2])
		fmt.Printf("atom %d to atom %d shifted by %v: %.4f Å\n", l.I[p], l.J[p], l.Shift[p], d)
	}
	// Output:
	// 12 neighbours
	// atom 0 to atom 0 shifted by [-1 0 0]: 2.5562 Å
	// atom 0 to atom 0 shifted by [-1 0 1]: 2.5562 Å
	// atom 0 to atom 0 shifted by [-1 1 0]: 2.5562 Å
}

// Bad input gives an error, never a panic.
func ExampleBuild_error() {
	_, err := neighbor.Build([]float64{0, 0, 0}, nil, [3]bool{true, true, false}, neighbor.Options{Cutoff: 5})
	fmt.Println(err)
	// Output:
	// neighbor: pbc is [T T F] but no cell was given
}

// A list built with a skin is reused until some atom has moved more than half
// the skin.
func ExampleList_NeedsRebuild() {
	pos := []float64{0, 0, 0, 2.5, 0, 0}
	l, _ := neighbor.Build(pos, nil, [3]bool{}, neighbor.Options{Cutoff: 3, Skin: 1})
	moved := []float64{0, 0, 0, 2.9, 0, 0} // atom 1 moved 0.4 Å
	fmt.Println(l.Len(), l.NeedsRebuild(pos, moved))
	moved[3] = 3.1 // 0.6 Å: pairs now within 3 Å may be missing
	fmt.Println(l.Len(), l.NeedsRebuild(pos, moved))
	// Output:
	// 2 false
	// 2 true
}
