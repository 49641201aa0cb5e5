package mpi

import (
	"errors"
	"fmt"
	"os"
	"sync"
)

// Comm is a communicator: Size processes, each knowing its Rank, that take part in
// collective calls together. Every rank must make the same collective calls
// (AllReduceSum, Barrier) in the same order, or the job deadlocks.
type Comm interface {
	// Rank is this process's number, 0 ≤ Rank < Size.
	Rank() int
	// Size is the number of processes.
	Size() int
	// AllReduceSum replaces x by its element-wise sum over all ranks, on every rank.
	// It panics if the ranks pass slices of different lengths (where the
	// implementation can tell).
	AllReduceSum(x []float64)
	// Barrier returns once every rank has called it.
	Barrier()
	// Abort ends every process of the job with the exit code; it does not return.
	Abort(code int)
}

// ErrNoMPI is returned by Init in a binary built without the build tag "mpi".
var ErrNoMPI = errors.New("this binary was built without MPI; build with `make build-mpi` (go build -tags mpi, needs libopenmpi-dev)")

// Block returns the contiguous block [lo, hi) of n items that rank owns among size
// ranks: sizes differ by at most one, the larger blocks first, and the blocks of
// ranks 0 … size−1 tile [0, n) in order. It panics if n < 0, size < 1 or rank is
// outside [0, size).
func Block(n, rank, size int) (lo, hi int) {
	if n < 0 || size < 1 || rank < 0 || rank >= size {
		panic(fmt.Sprintf("mpi: Block(%d, %d, %d): need n ≥ 0 and 0 ≤ rank < size", n, rank, size))
	}
	q, r := n/size, n%size
	lo = rank*q + min(rank, r)
	hi = lo + q
	if rank < r {
		hi++
	}
	return lo, hi
}

// Self returns the communicator of this process alone (Size 1).
func Self() Comm { return self{} }

type self struct{}

func (self) Rank() int                { return 0 }
func (self) Size() int                { return 1 }
func (self) AllReduceSum(x []float64) {}
func (self) Barrier()                 {}
func (self) Abort(code int)           { os.Exit(code) }

// NewLocal returns size communicators that connect size goroutines of this process,
// one communicator per goroutine (rank k uses the k-th). Their sums add the ranks'
// terms in rank order, so results do not depend on scheduling. Abort panics (a
// test helper has no job to end). It panics if size < 1.
func NewLocal(size int) []Comm {
	if size < 1 {
		panic(fmt.Sprintf("mpi: NewLocal(%d): need size ≥ 1", size))
	}
	h := &hub{size: size, in: make([][]float64, size)}
	h.cond = sync.NewCond(&h.mu)
	c := make([]Comm, size)
	for k := range c {
		c[k] = &local{hub: h, rank: k}
	}
	return c
}

// hub is the meeting point of local ranks: a reusable barrier that also sums.
type hub struct {
	mu      sync.Mutex
	cond    *sync.Cond
	size    int
	arrived int
	gen     int         // generation of the current collective
	in      [][]float64 // each rank's slice in the current collective
	sum     []float64   // result of the last collective
}

type local struct {
	hub  *hub
	rank int
}

func (l *local) Rank() int { return l.rank }
func (l *local) Size() int { return l.hub.size }

func (l *local) Barrier() { l.AllReduceSum(nil) }

func (l *local) Abort(code int) {
	panic(fmt.Sprintf("mpi: rank %d of a local communicator aborted with code %d", l.rank, code))
}

func (l *local) AllReduceSum(x []float64) {
	h := l.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	gen := h.gen
	h.in[l.rank] = x
	h.arrived++
	if h.arrived == h.size {
		sum := make([]float64, len(x))
		for k, v := range h.in {
			if len(v) != len(x) {
				panic(fmt.Sprintf("mpi: AllReduceSum: rank %d passed %d values, rank %d passed %d", k, len(v), l.rank, len(x)))
			}
			for i := range sum {
				sum[i] += v[i]
			}
		}
		h.sum = sum
		h.arrived = 0
		h.gen++
		h.cond.Broadcast()
	} else {
		for h.gen == gen {
			h.cond.Wait()
		}
	}
	copy(x, h.sum)
	h.in[l.rank] = nil
}
