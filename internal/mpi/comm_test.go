package mpi_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/sciadapt/sciadapt/internal/mpi"
)

func TestBlock(t *testing.T) {
	for _, tc := range []struct {
		n, size int
		want    [][2]int
	}{
		{7, 2, [][2]int{{0, 4}, {4, 7}}},
		{7, 3, [][2]int{{0, 3}, {3, 5}, {5, 7}}},
		{2, 3, [][2]int{{0, 1}, {1, 2}, {2, 2}}},
		{0, 2, [][2]int{{0, 0}, {0, 0}}},
		{5, 1, [][2]int{{0, 5}}},
	} {
		for r, w := range tc.want {
			lo, hi := mpi.Block(tc.n, r, tc.size)
			if lo != w[0] || hi != w[1] {
				t.Errorf("Block(%d, %d, %d) = [%d, %d), want [%d, %d)", tc.n, r, tc.size, lo, hi, w[0], w[1])
			}
		}
	}
}

func TestBlockPanics(t *testing.T) {
	for _, a := range [][3]int{{-1, 0, 1}, {3, 0, 0}, {3, 2, 2}, {3, -1, 2}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Block%v did not panic", a)
				}
			}()
			mpi.Block(a[0], a[1], a[2])
		}()
	}
}

// TestLocalAllReduce sums rank-dependent vectors many times over, so that ranks
// race into consecutive collectives, and checks every rank's result each time.
func TestLocalAllReduce(t *testing.T) {
	for _, size := range []int{1, 2, 3, 5} {
		comms := mpi.NewLocal(size)
		var wg sync.WaitGroup
		errs := make([]error, size)
		for _, c := range comms {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for it := 0; it < 200; it++ {
					x := []float64{float64(c.Rank() + 1), float64(it * c.Rank()), 0.5}
					c.AllReduceSum(x)
					s := float64(size)
					want := []float64{s * (s + 1) / 2, float64(it) * s * (s - 1) / 2, 0.5 * s}
					for i := range x {
						if x[i] != want[i] {
							errs[c.Rank()] = fmt.Errorf("size %d, rank %d, iteration %d: sum %v, want %v", size, c.Rank(), it, x, want)
							return
						}
					}
					if it%50 == 0 {
						c.Barrier()
					}
				}
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestSelf(t *testing.T) {
	c := mpi.Self()
	x := []float64{1.5, -2}
	c.AllReduceSum(x)
	c.Barrier()
	if c.Rank() != 0 || c.Size() != 1 || x[0] != 1.5 || x[1] != -2 {
		t.Fatalf("Self: rank %d size %d sum %v", c.Rank(), c.Size(), x)
	}
}

// Sharding 10 frames over 3 ranks, and summing each rank's count of frames.
func Example() {
	comms := mpi.NewLocal(3)
	var wg sync.WaitGroup
	out := make([]string, 3)
	for _, c := range comms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lo, hi := mpi.Block(10, c.Rank(), c.Size())
			n := []float64{float64(hi - lo)}
			c.AllReduceSum(n)
			out[c.Rank()] = fmt.Sprintf("rank %d holds frames [%d, %d); all ranks hold %v", c.Rank(), lo, hi, n[0])
		}()
	}
	wg.Wait()
	for _, s := range out {
		fmt.Println(s)
	}
	// Output:
	// rank 0 holds frames [0, 4); all ranks hold 10
	// rank 1 holds frames [4, 7); all ranks hold 10
	// rank 2 holds frames [7, 10); all ranks hold 10
}
