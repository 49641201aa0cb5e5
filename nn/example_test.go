package nn_test

import (
	"fmt"

	"github.com/sciadapt/sciadapt/nn"
)

// Freeze a network except its biases (BitFit) and count what trains.
func ExampleFreeze() {
	m := nn.NewMLP("head", []int{16, 32, 1}, nn.ActSiLU, nn.NewRand(1))
	nn.Freeze(m)
	nn.Unfreeze(m, "bias")
	total, trainable := nn.Counts(m)
	fmt.Printf("%d of %d parameters train\n", trainable, total)
	// Output: 33 of 577 parameters train
}
