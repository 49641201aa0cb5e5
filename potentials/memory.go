package potentials

// TrainingMemory estimates, within a factor of about two, the memory of training a
// model of features features, rbf radial basis functions and interactions
// interaction blocks on frames whose atom counts are atoms (one entry per frame):
// the bytes of the data held in memory and the activation bytes per frame of a
// batch (of the largest frame). Every array element is a float64 (8 bytes):
//
//	data        Σᵢ Nᵢ·(3 coordinates + 3 forces + 1 number)·8 + frames·19·8
//	            (energy, cell, stress)
//	pairs       Pᵢ = Nᵢ·min(Nᵢ − 1, 64) ordered neighbour pairs (molecules: all;
//	            condensed matter at a 5 Å cutoff: about 60 per atom)
//	per frame   P·(rbf + 2·features)·interactions·8 for the largest frame's P,
//	            ×4 for the forward values, their gradients and the create-graph
//	            second pass that force training needs (neighbour lists, at 5·8
//	            bytes per pair, are small beside this)
//
// A batch of B frames needs B times the per-frame bytes.
func TrainingMemory(atoms []int, features, rbf, interactions int) (data, perFrame uint64) {
	largest := 0
	for _, a := range atoms {
		data += uint64(a)*7*8 + 19*8
		largest = max(largest, a)
	}
	return data, neighbourPairs(largest) * uint64(rbf+2*features) * uint64(interactions) * 8 * 4
}

// neighbourPairs is the estimated number of ordered neighbour pairs of a frame of n
// atoms.
func neighbourPairs(n int) uint64 {
	if n < 2 {
		return 0
	}
	return uint64(n) * uint64(min(n-1, 64))
}
