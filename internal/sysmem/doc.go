// Package sysmem compares an estimated memory need with the memory of the machine,
// so that a command refuses up front, with a message saying what to change, when
// it would not fit: swapping or being killed by the kernel an hour into training is
// worse than a clear refusal in the first second. The estimates themselves belong
// to the models (potentials.TrainingMemory, bio.TrainingMemory); this package holds
// no model.
//
// Machine.Check compares a Need with the total memory (physical RAM as the
// operating system reports it, github.com/pbnjay/memory); Machine.BatchSize picks
// the largest batch whose activations fit in half of the free memory. A Machine
// whose Total is 0 (unknown) never refuses. All sizes are bytes.
package sysmem
