package autodiff

import (
	"fmt"
	"runtime"
	"sync"
)

// Pairs is a fixed list of directed pairs p = (I[p], J[p]) from nJ sending rows to nI
// receiving rows (a neighbour list: pair p carries a message from atom J[p] to atom
// I[p]). It is the index of the message-passing ops MessagePass and PairProduct.
//
// NewPairs groups the pairs by receiving row and by sending row once (counting sorts,
// O(P + n)), so that every scatter in those ops, forward or backward, is a sum over a
// contiguous segment of one row's pairs, taken in increasing pair order. Pairs in any
// order are accepted; pairs sorted by I (as neighbor.Build and potentials batches give
// them) make the forward scatter read the pair rows contiguously.
//
// A Pairs is immutable after NewPairs and may be shared between goroutines and graphs.
type Pairs struct {
	i, j   []int
	nI, nJ int
	byI    segments // pairs grouped by receiving row
	byJ    segments // pairs grouped by sending row
	t      *Pairs   // the transpose, sharing everything
}

// segments groups pair indices by row: the pairs of row r are order[start[r]:start[r+1]],
// in increasing pair index, or the pair indices start[r] … start[r+1]−1 themselves when
// order is nil (pairs already sorted by that row).
type segments struct {
	start []int
	order []int
}

// NewPairs returns the pair index of I and J (equal lengths) between nI receiving and
// nJ sending rows. The slices are not copied and must not be changed afterwards.
// It panics if the lengths differ or an index is out of range.
func NewPairs(I, J []int, nI, nJ int) *Pairs {
	if len(I) != len(J) {
		panic(fmt.Sprintf("autodiff: NewPairs with %d receiving and %d sending indices", len(I), len(J)))
	}
	if nI < 0 || nJ < 0 {
		panic(fmt.Sprintf("autodiff: NewPairs with %d receiving and %d sending rows", nI, nJ))
	}
	p := &Pairs{i: I, j: J, nI: nI, nJ: nJ, byI: group(I, nI, "receiving"), byJ: group(J, nJ, "sending")}
	p.t = &Pairs{i: J, j: I, nI: nJ, nJ: nI, byI: p.byJ, byJ: p.byI, t: p}
	return p
}

// group sorts pair indices by row with a stable counting sort.
func group(idx []int, n int, what string) segments {
	start := make([]int, n+1)
	sorted := true
	for p, r := range idx {
		if r < 0 || r >= n {
			panic(fmt.Sprintf("autodiff: NewPairs: %s index %d of pair %d out of range [0,%d)", what, r, p, n))
		}
		start[r+1]++
		if p > 0 && r < idx[p-1] {
			sorted = false
		}
	}
	for r := 0; r < n; r++ {
		start[r+1] += start[r]
	}
	if sorted {
		return segments{start: start}
	}
	order := make([]int, len(idx))
	next := append([]int(nil), start[:n]...)
	for p, r := range idx {
		order[next[r]] = p
		next[r]++
	}
	return segments{start: start, order: order}
}

// Len returns the number of pairs.
func (p *Pairs) Len() int { return len(p.i) }

// Rows returns the number of receiving rows nI and sending rows nJ.
func (p *Pairs) Rows() (nI, nJ int) { return p.nI, p.nJ }

// I returns the receiving row of each pair (not a copy: do not change it).
func (p *Pairs) I() []int { return p.i }

// J returns the sending row of each pair (not a copy: do not change it).
func (p *Pairs) J() []int { return p.j }

// SortedByI reports whether the pairs are sorted by receiving row.
func (p *Pairs) SortedByI() bool { return p.byI.order == nil }

// Transpose returns the pairs with the roles of I and J exchanged (J[p] → I[p]
// becomes I[p] → J[p]); it shares all storage with p.
func (p *Pairs) Transpose() *Pairs { return p.t }

// pair returns the k-th pair index of the segment that ends at start[r+1].
func (s *segments) pair(k int) int {
	if s.order == nil {
		return k
	}
	return s.order[k]
}

// minParallel is the work (elements written) below which a kernel runs on the
// calling goroutine: splitting smaller loops costs more than it saves.
const minParallel = 1 << 15

// parallelRows calls f on consecutive ranges [lo, hi) covering [0, n), on up to
// GOMAXPROCS goroutines when n·width is large. Each row must be computed by f from
// inputs alone, so results do not depend on how the rows are split.
func parallelRows(n, width int, f func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 || n < 2 || n*width < minParallel {
		f(0, n)
		return
	}
	workers = min(workers, n)
	var wg sync.WaitGroup
	wg.Add(workers - 1)
	for w := 1; w < workers; w++ {
		go func(w int) {
			defer wg.Done()
			f(w*n/workers, (w+1)*n/workers)
		}(w)
	}
	f(0, n/workers)
	wg.Wait()
}
