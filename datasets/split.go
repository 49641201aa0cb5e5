package datasets

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/bits"
	"math/rand/v2"
)

// shuffleStream is the PCG stream (the second PCG seed word) of Shuffle and Split;
// Subsample uses a hash of the system name instead.
const shuffleStream = 0x5c1ada97

// permutation returns a uniformly random permutation of 0…n-1 drawn from a PCG
// generator with the given seed and stream, by the Fisher–Yates shuffle with
// Lemire's unbiased bounded integers. Only the PCG output (fixed by its algorithm)
// is used, so the permutation for a seed never changes between Go releases.
func permutation(n int, seed, stream uint64) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	src := rand.NewPCG(seed, stream)
	for i := n - 1; i > 0; i-- {
		j := int(boundedUint64(src, uint64(i)+1))
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// boundedUint64 returns a uniform integer in [0, n), n > 0 (Lemire 2019, "Fast
// random integer generation in an interval", ACM TOMS 29(1)).
func boundedUint64(src *rand.PCG, n uint64) uint64 {
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		threshold := -n % n
		for lo < threshold {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return hi
}

// Shuffle returns a copy of refs in a random order fixed by seed. The same refs and
// seed give the same order on every machine and Go release.
func Shuffle(refs []FrameRef, seed uint64) []FrameRef {
	p := permutation(len(refs), seed, shuffleStream)
	out := make([]FrameRef, len(refs))
	for i, j := range p {
		out[i] = refs[j]
	}
	return out
}

// Split shuffles refs with seed (as Shuffle) and cuts the result into parts of the
// given fractions, e.g. {0.8, 0.1, 0.1}. Part k gets the frames between the
// rounded cumulative boundaries round(n·(f₀+…+f_{k−1})) and round(n·(f₀+…+f_k)), so
// sizes add up exactly. Fractions must be finite, non-negative and sum to at most 1
// (within 1e-9); frames beyond the sum are left out.
func Split(refs []FrameRef, fractions []float64, seed uint64) ([][]FrameRef, error) {
	sum := 0.0
	for i, f := range fractions {
		if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
			return nil, fmt.Errorf("split fraction %d is %v, want a number ≥ 0", i, f)
		}
		sum += f
	}
	if sum > 1+1e-9 {
		return nil, fmt.Errorf("split fractions %v add up to %v, more than 1", fractions, sum)
	}
	n := len(refs)
	counts := make([]int, len(fractions))
	cum, prev := 0.0, 0
	for i, f := range fractions {
		cum += f
		b := int(math.Round(float64(n) * math.Min(cum, 1)))
		counts[i] = b - prev
		prev = b
	}
	return SplitCounts(refs, counts, seed)
}

// SplitCounts shuffles refs with seed (as Shuffle) and cuts the result into parts
// of the given sizes. Counts must be non-negative and add up to at most len(refs);
// frames beyond the sum are left out.
func SplitCounts(refs []FrameRef, counts []int, seed uint64) ([][]FrameRef, error) {
	total := 0
	for i, c := range counts {
		if c < 0 {
			return nil, fmt.Errorf("split count %d is %d, want ≥ 0", i, c)
		}
		total += c
	}
	if total > len(refs) {
		return nil, fmt.Errorf("split counts %v add up to %d, but there are only %d frames", counts, total, len(refs))
	}
	shuffled := Shuffle(refs, seed)
	parts := make([][]FrameRef, len(counts))
	at := 0
	for i, c := range counts {
		parts[i] = shuffled[at : at+c : at+c]
		at += c
	}
	return parts, nil
}

// Subsample returns at most k frames of each system: the first k of a random
// permutation of that system's refs, drawn from a generator seeded by seed and the
// system's name. Hence subsets are nested (for one seed, the frames chosen with
// k = 10 are among those chosen with k = 50, which are among those with k = 200),
// and the frames chosen for a system do not depend on which other systems are in
// refs. The result lists systems in order of first appearance and each system's
// frames in their order in refs. It panics if k < 0.
func Subsample(refs []FrameRef, k int, seed uint64) []FrameRef {
	if k < 0 {
		panic(fmt.Sprintf("datasets: Subsample with k = %d < 0", k))
	}
	var order []string
	bySystem := map[string][]int{} // positions in refs
	for i, r := range refs {
		if _, ok := bySystem[r.System]; !ok {
			order = append(order, r.System)
		}
		bySystem[r.System] = append(bySystem[r.System], i)
	}
	var out []FrameRef
	for _, name := range order {
		pos := bySystem[name]
		h := fnv.New64a()
		h.Write([]byte(name))
		p := permutation(len(pos), seed, h.Sum64())
		chosen := make([]bool, len(pos))
		for _, j := range p[:min(k, len(pos))] {
			chosen[j] = true
		}
		for j, c := range chosen {
			if c {
				out = append(out, refs[pos[j]])
			}
		}
	}
	return out
}

// SubsampleTotal returns k frames drawn from all of refs regardless of system: the
// first k of a random permutation of refs seeded by seed, listed in their order in
// refs. It suits data sets with one frame per system (alloy configurations), where
// Subsample's "k per system" would keep everything. Subsets are nested in k for one
// seed. It panics if k < 0.
func SubsampleTotal(refs []FrameRef, k int, seed uint64) []FrameRef {
	if k < 0 {
		panic(fmt.Sprintf("datasets: SubsampleTotal with k = %d < 0", k))
	}
	p := permutation(len(refs), seed, 0x746f74616c) // stream "total"
	chosen := make([]bool, len(refs))
	for _, j := range p[:min(k, len(refs))] {
		chosen[j] = true
	}
	var out []FrameRef
	for i, c := range chosen {
		if c {
			out = append(out, refs[i])
		}
	}
	return out
}

// Batches cuts refs, in order, into batches of at most maxFrames frames and at most
// maxAtoms atoms in total (FrameRef.Atoms); a limit of 0 means none. Frames of any
// sizes and systems share a batch. A frame with more atoms than maxAtoms gets a
// batch of its own rather than being dropped. Shuffle first for random batches.
// It panics if a limit is negative.
func Batches(refs []FrameRef, maxFrames, maxAtoms int) [][]FrameRef {
	if maxFrames < 0 || maxAtoms < 0 {
		panic(fmt.Sprintf("datasets: Batches with negative limit (maxFrames %d, maxAtoms %d)", maxFrames, maxAtoms))
	}
	var out [][]FrameRef
	start, atoms := 0, 0
	for i, r := range refs {
		full := i > start && ((maxFrames > 0 && i-start >= maxFrames) || (maxAtoms > 0 && atoms+r.Atoms > maxAtoms))
		if full {
			out = append(out, refs[start:i:i])
			start, atoms = i, 0
		}
		atoms += r.Atoms
	}
	if start < len(refs) {
		out = append(out, refs[start:len(refs):len(refs)])
	}
	return out
}
