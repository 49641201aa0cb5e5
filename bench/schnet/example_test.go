package schnet_test

import (
	"fmt"

	"github.com/sciadapt/sciadapt/bench/schnet"
	"github.com/sciadapt/sciadapt/potentials"
)

// The matrix-product arithmetic of the default model on 32 salicylic-acid molecules
// (512 atoms, 6676 pairs within 5 Å).
func ExampleMatmuls() {
	layers := schnet.Layers(potentials.DefaultConfig(schnet.Species), 512, 6676)
	fmt.Printf("energy+forces: %.3f GFLOP\n", schnet.TotalFlops(schnet.Matmuls(layers, false))/1e9)
	fmt.Printf("training step: %.3f GFLOP\n", schnet.TotalFlops(schnet.Matmuls(layers, true))/1e9)
	// Output:
	// energy+forces: 0.568 GFLOP
	// training step: 1.621 GFLOP
}
