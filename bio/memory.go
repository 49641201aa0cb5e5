package bio

// TrainingMemory estimates, within a factor of about two, the memory of training a
// drug–target model of embedding width embed on proteins truncated to maxLen
// residues: the bytes of the data held in memory and the activation bytes per pair
// of a batch. Every array element is a float64 (8 bytes); SMILES are taken as
// about 100 tokens:
//
//	data        proteins·maxLen·8 + drugs·100·8 + pairs·4·8
//	per pair    (maxLen + 100)·embed·3 convolution layers·8, ×4 for the forward
//	            values, their gradients and Adam's work arrays
//
// A batch of BatchProteins × PairsPerProtein pairs needs that many times the
// per-pair bytes.
func TrainingMemory(proteins, drugs, pairs, maxLen, embed int) (data, perPair uint64) {
	data = uint64(proteins)*uint64(maxLen)*8 + uint64(drugs)*100*8 + uint64(pairs)*4*8
	perPair = uint64(maxLen+100) * uint64(embed) * 3 * 8 * 4
	return data, perPair
}
