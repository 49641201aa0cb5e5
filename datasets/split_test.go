package datasets

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"testing"
)

// someRefs returns refs for systems with the given frame counts; system k has
// k+2 atoms.
func someRefs(counts ...int) []FrameRef {
	var refs []FrameRef
	for k, m := range counts {
		for i := 0; i < m; i++ {
			refs = append(refs, FrameRef{System: fmt.Sprintf("sys%d", k), Index: i, Atoms: k + 2})
		}
	}
	return refs
}

func sortedRefs(r []FrameRef) []FrameRef {
	s := append([]FrameRef(nil), r...)
	sort.Slice(s, func(i, j int) bool {
		if s[i].System != s[j].System {
			return s[i].System < s[j].System
		}
		return s[i].Index < s[j].Index
	})
	return s
}

func TestShuffle(t *testing.T) {
	refs := someRefs(6, 4)
	a := Shuffle(refs, 7)
	if !reflect.DeepEqual(a, Shuffle(refs, 7)) {
		t.Error("same seed, different order")
	}
	if reflect.DeepEqual(a, Shuffle(refs, 8)) {
		t.Error("seeds 7 and 8 give the same order")
	}
	if !reflect.DeepEqual(sortedRefs(a), refs) {
		t.Error("Shuffle is not a permutation")
	}
	if refs[0].Index != 0 || refs[1].Index != 1 {
		t.Error("Shuffle modified its input")
	}
	// The documented promise: the order for a seed never changes. This pins the
	// permutation of 0…7 for seed 1, recorded from this implementation (PCG-DXSM,
	// Fisher–Yates, Lemire's bounded integers) when it was written: if it fails,
	// splits published with sciadapt can no longer be reproduced.
	p := permutation(8, 1, shuffleStream)
	if want := []int{4, 7, 3, 1, 2, 6, 5, 0}; !reflect.DeepEqual(p, want) {
		t.Errorf("permutation(8, seed 1) = %v, want %v", p, want)
	}
}

// TestShuffleUniform checks that all 24 orders of 4 items are equally likely:
// over 48 000 seeds each should appear 2000 times; a chi-square statistic with 23
// degrees of freedom above 49.7 has probability < 0.001 under uniformity.
func TestShuffleUniform(t *testing.T) {
	counts := map[[4]int]int{}
	const trials = 48000
	for s := uint64(0); s < trials; s++ {
		p := permutation(4, s, shuffleStream)
		counts[[4]int(p)]++
	}
	if len(counts) != 24 {
		t.Fatalf("%d distinct orders, want 24", len(counts))
	}
	chi2 := 0.0
	for _, c := range counts {
		d := float64(c) - trials/24.0
		chi2 += d * d / (trials / 24.0)
	}
	if chi2 > 49.7 {
		t.Errorf("chi-square %.1f > 49.7: shuffle is not uniform (%v)", chi2, counts)
	}
}

func TestSplit(t *testing.T) {
	refs := someRefs(7, 3) // 10 frames
	tests := []struct {
		fr    []float64
		sizes []int
	}{
		{[]float64{0.8, 0.1, 0.1}, []int{8, 1, 1}},
		{[]float64{0.5, 0.5}, []int{5, 5}},
		{[]float64{0.25, 0.25}, []int{3, 2}}, // boundaries round(2.5)=3, round(5)=5
		{[]float64{1}, []int{10}},
		{[]float64{0.3}, []int{3}},
	}
	for _, tt := range tests {
		parts, err := Split(refs, tt.fr, 3)
		if err != nil {
			t.Fatal(err)
		}
		var sizes []int
		var all []FrameRef
		for _, p := range parts {
			sizes = append(sizes, len(p))
			all = append(all, p...)
		}
		if !reflect.DeepEqual(sizes, tt.sizes) {
			t.Errorf("Split %v: sizes %v, want %v", tt.fr, sizes, tt.sizes)
		}
		// Parts are disjoint and come from one shuffle.
		if want := Shuffle(refs, 3)[:len(all)]; !reflect.DeepEqual(all, want) {
			t.Errorf("Split %v: parts are not consecutive pieces of Shuffle(refs, 3)", tt.fr)
		}
	}
	for _, bad := range [][]float64{{0.7, 0.4}, {-0.1, 0.5}, {math.NaN()}} {
		if _, err := Split(refs, bad, 1); err == nil {
			t.Errorf("Split %v: no error", bad)
		}
	}
	if _, err := SplitCounts(refs, []int{8, 3}, 1); errString(err) != "split counts [8 3] add up to 11, but there are only 10 frames" {
		t.Errorf("SplitCounts: %v", err)
	}
	parts, err := SplitCounts(refs, []int{2, 0, 5}, 9)
	if err != nil || len(parts[0]) != 2 || len(parts[1]) != 0 || len(parts[2]) != 5 {
		t.Errorf("SplitCounts sizes: %v %v", parts, err)
	}
	// Appending to a part must not overwrite the next part.
	p0 := append(parts[0], FrameRef{System: "x"})
	if parts[2][0].System == "x" || len(p0) != 3 {
		t.Error("parts share capacity")
	}
}

func TestSubsampleNested(t *testing.T) {
	refs := someRefs(200, 30, 5)
	prev := map[FrameRef]bool{}
	for _, k := range []int{10, 50, 200} {
		got := Subsample(refs, k, 42)
		per := map[string]int{}
		cur := map[FrameRef]bool{}
		for _, r := range got {
			per[r.System]++
			cur[r] = true
		}
		if want := map[string]int{"sys0": min(k, 200), "sys1": min(k, 30), "sys2": 5}; !reflect.DeepEqual(per, want) {
			t.Errorf("k=%d: per-system counts %v, want %v", k, per, want)
		}
		for r := range prev {
			if !cur[r] {
				t.Errorf("k=%d does not contain %v chosen with the smaller k", k, r)
			}
		}
		prev = cur
	}
	// Order: systems as they appear, frames in their order in refs.
	got := Subsample(refs, 10, 42)
	if !reflect.DeepEqual(got, sortedRefs(got)) {
		t.Error("Subsample output is not in refs order")
	}
	// A system's choice does not depend on the other systems present.
	only := Subsample(refs[:200], 10, 42)
	if !reflect.DeepEqual(only, got[:10]) {
		t.Errorf("sys0 alone: %v, with others: %v", only, got[:10])
	}
	if reflect.DeepEqual(Subsample(refs, 10, 43)[:10], got[:10]) {
		t.Error("seeds 42 and 43 choose the same frames")
	}
	// It is a random choice, not the first frames.
	if got[9].Index == 9 {
		t.Errorf("Subsample(…, 10) chose frames 0–9: %v", got[:10])
	}
}

func TestBatches(t *testing.T) {
	refs := []FrameRef{{"a", 0, 3}, {"a", 1, 3}, {"b", 0, 10}, {"c", 0, 2}, {"c", 1, 2}, {"c", 2, 2}, {"d", 0, 40}, {"c", 3, 2}}
	size := func(bs [][]FrameRef) (frames, atoms []int) {
		for _, b := range bs {
			n := 0
			for _, r := range b {
				n += r.Atoms
			}
			frames = append(frames, len(b))
			atoms = append(atoms, n)
		}
		return
	}
	tests := []struct {
		maxF, maxA   int
		frames, atom []int
	}{
		{0, 0, []int{8}, []int{64}},
		{3, 0, []int{3, 3, 2}, []int{16, 6, 42}},
		{0, 16, []int{3, 3, 1, 1}, []int{16, 6, 40, 2}},       // d (40 atoms) alone
		{2, 12, []int{2, 2, 2, 1, 1}, []int{6, 12, 4, 40, 2}}, // 12 atoms fill a batch exactly
	}
	for _, tt := range tests {
		bs := Batches(refs, tt.maxF, tt.maxA)
		f, a := size(bs)
		if !reflect.DeepEqual(f, tt.frames) || !reflect.DeepEqual(a, tt.atom) {
			t.Errorf("Batches(%d, %d): frames %v atoms %v, want %v %v", tt.maxF, tt.maxA, f, a, tt.frames, tt.atom)
		}
		var flat []FrameRef
		for _, b := range bs {
			flat = append(flat, b...)
		}
		if !reflect.DeepEqual(flat, refs) {
			t.Errorf("Batches(%d, %d) lost or reordered frames", tt.maxF, tt.maxA)
		}
	}
	if Batches(nil, 4, 0) != nil {
		t.Error("Batches(nil) is not empty")
	}
}

func TestPack(t *testing.T) {
	f := mustOpen(t, fixEMT)
	frames, err := f.Frames(f.Refs())
	if err != nil {
		t.Fatal(err)
	}
	frames = append(frames, Frame{Numbers: []int{1}, Positions: []float64{1, 2, 3}, Energy: -1, Forces: []float64{0, 0, 0}})
	b := Pack(frames)
	if b.Len() != 5 || len(b.Numbers) != 4*32+1 || len(b.Positions) != 3*len(b.Numbers) || len(b.Forces) != 3*len(b.Numbers) {
		t.Fatalf("sizes: %d frames, %d atoms, %d forces", b.Len(), len(b.Numbers), len(b.Forces))
	}
	if b.Cells != nil || b.Stress != nil {
		t.Error("cells or stress packed although the last frame has none")
	}
	if want := []int{0, 32, 64, 96, 128, 129}; !reflect.DeepEqual(b.Offsets, want) {
		t.Errorf("Offsets %v, want %v", b.Offsets, want)
	}
	for i := range frames {
		for a := b.Offsets[i]; a < b.Offsets[i+1]; a++ {
			if b.Frame[a] != i || b.Numbers[a] != frames[i].Numbers[a-b.Offsets[i]] {
				t.Fatalf("atom %d: frame %d, Z %d", a, b.Frame[a], b.Numbers[a])
			}
		}
		if b.Energies[i] != frames[i].Energy || b.PBC[i] != frames[i].PBC {
			t.Errorf("frame %d energy/pbc", i)
		}
	}
	if b.Positions[3*128+2] != 3 {
		t.Error("positions of the last frame misplaced")
	}
	b = Pack(frames[:4])
	if len(b.Cells) != 36 || len(b.Stress) != 36 || b.Cells[9] != frames[1].Cell[0] || b.Stress[9+4] != frames[1].Stress[4] {
		t.Error("cells/stress of periodic frames not packed")
	}
}

func TestSubsampleTotal(t *testing.T) {
	refs := someRefs(200, 30, 5)
	prev := map[FrameRef]bool{}
	for _, k := range []int{10, 50, 235, 1000} {
		got := SubsampleTotal(refs, k, 7)
		if len(got) != min(k, len(refs)) {
			t.Fatalf("k=%d: %d frames", k, len(got))
		}
		cur := map[FrameRef]bool{}
		for _, r := range got {
			cur[r] = true
		}
		for r := range prev {
			if !cur[r] {
				t.Errorf("k=%d does not contain %v chosen with the smaller k", k, r)
			}
		}
		prev = cur
		if !reflect.DeepEqual(got, sortedRefs(got)) {
			t.Errorf("k=%d: output not in refs order", k)
		}
	}
	a, b := SubsampleTotal(refs, 20, 7), SubsampleTotal(refs, 20, 8)
	if reflect.DeepEqual(a, b) {
		t.Error("seeds 7 and 8 choose the same frames")
	}
	// Drawn across systems, not only from the first one.
	systems := map[string]bool{}
	for _, r := range SubsampleTotal(refs, 50, 7) {
		systems[r.System] = true
	}
	if len(systems) < 2 {
		t.Errorf("50 frames drawn from systems %v only", systems)
	}
}
