// Package membudget estimates the memory a sciadapt command will need before it
// loads data or trains, and refuses up front, with a message saying what to change,
// when the estimate exceeds the machine's memory. Swapping or being killed by the
// kernel an hour into training is worse than a clear refusal in the first second.
//
// The estimates are rough models, within a factor of about two, of the float64
// arrays that dominate; all sizes are bytes and every array element is 8 bytes.
//
// Potential training (PotentialTraining), for F features, R radial basis
// functions, L interaction blocks, batch size B and frames with Nᵢ atoms:
//
//	data        Σᵢ Nᵢ·(3 coordinates + 3 forces + 1 number)·8 + frames·19·8 (energy, cell, stress)
//	pairs       Pᵢ = Nᵢ·min(Nᵢ − 1, 64) ordered neighbour pairs (molecules: all;
//	            condensed matter at a 5 Å cutoff: about 60)
//	activations per batch, B times the largest frame's Pᵢ·(R + 2F)·L·8 per pass,
//	            ×4 for the forward values, their gradients and the create-graph
//	            second pass that force training needs (neighbour lists, built per
//	            batch at 5·8 bytes per pair, are small beside this)
//	need        data + activations
//
// Drug–target training (DTITraining), for embedding width E, proteins truncated
// to Lp residues, BP proteins × PP pairs per batch and about 100 SMILES tokens:
//
//	data        proteins·Lp·8 + drugs·100·8 + pairs·4·8
//	activations BP·PP·(Lp + 100)·E·3 convolution layers·8, ×4 as above
//
// Machine.Check compares a need with the total memory (physical RAM as the
// operating system reports it, github.com/pbnjay/memory); Machine.BatchSize picks
// the largest batch whose activations fit in half of the free memory. A Machine
// whose Total is 0 (unknown) never refuses.
package membudget
