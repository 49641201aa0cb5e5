package membudget_test

import (
	"fmt"

	"github.com/sciadapt/sciadapt/internal/membudget"
)

// Training on five million 64-atom frames is refused on a machine with 16 GiB.
func ExampleMachine_Check() {
	atoms := make([]int, 5_000_000)
	for i := range atoms {
		atoms[i] = 64
	}
	need, _ := membudget.PotentialTraining("training on 5000000 frames of big.h5", atoms, 32, 64, 32, 3)
	need.Hint = "train on fewer frames (--frames K per system)"
	fmt.Println(membudget.Machine{Total: 16 << 30}.Check(need))
	// Output:
	// training on 5000000 frames of big.h5 needs about 19.2 GiB (17.4 GiB of data, 1.8 GiB per batch) but this machine has 16.0 GiB of memory; train on fewer frames (--frames K per system)
}
