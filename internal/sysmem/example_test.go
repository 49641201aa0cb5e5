package sysmem_test

import (
	"fmt"

	"github.com/sciadapt/sciadapt/internal/sysmem"
)

// Training that needs 19.2 GiB is refused on a machine with 16 GiB.
func ExampleMachine_Check() {
	need := sysmem.Need{What: "training on 5000000 frames of big.h5", Data: 174 << 30 / 10, Activations: 18 << 30 / 10,
		Hint: "train on fewer frames (--frames K per system)"}
	fmt.Println(sysmem.Machine{Total: 16 << 30}.Check(need))
	// Output:
	// training on 5000000 frames of big.h5 needs about 19.2 GiB (17.4 GiB of data, 1.8 GiB per batch) but this machine has 16.0 GiB of memory; train on fewer frames (--frames K per system)
}
