package potentials

// TrainingMemory estimates, within a factor of about two, the memory of training
// the model cfg describes on frames whose atom counts are atoms (one entry per
// frame): the bytes of the data held in memory and the activation bytes per frame
// of a batch (of the largest frame). Data are float64; the network's arrays take b
// bytes per element (8 in float64, 4 in float32):
//
//	data        Σᵢ Nᵢ·(3 coordinates + 3 forces + 1 number)·8 + frames·19·8
//	            (energy, cell, stress)
//	pairs       Pᵢ = Nᵢ·min(Nᵢ − 1, 64) ordered neighbour pairs (molecules: all;
//	            condensed matter at a 5 Å cutoff: about 60 per atom)
//	per frame   P·(K + w·F)·T·b for the largest frame's P, K radial functions,
//	            F features, T blocks, w = 2 for SchNet (filter and its hidden
//	            layer) and 9 for PaiNN (three F-wide filters, and the directional
//	            and gated messages of 3F each), ×4 for the forward values, their
//	            gradients and the create-graph second pass of force training
//	            (neighbour lists, at 5·8 bytes per pair, are small beside this)
//
// A batch of B frames needs B times the per-frame bytes.
func TrainingMemory(cfg Config, atoms []int) (data, perFrame uint64) {
	largest := 0
	for _, a := range atoms {
		data += uint64(a)*7*8 + 19*8
		largest = max(largest, a)
	}
	width, bytes := uint64(2), uint64(8)
	if cfg.arch() == ArchPaiNN {
		width = 9
	}
	if cfg.Precision == "float32" {
		bytes = 4
	}
	perPair := uint64(cfg.RBF) + width*uint64(cfg.Features)
	return data, neighbourPairs(largest) * perPair * uint64(cfg.Interactions) * bytes * 4
}

// neighbourPairs is the estimated number of ordered neighbour pairs of a frame of n
// atoms.
func neighbourPairs(n int) uint64 {
	if n < 2 {
		return 0
	}
	return uint64(n) * uint64(min(n-1, 64))
}
