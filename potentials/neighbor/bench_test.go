package neighbor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// BenchmarkBuild times Build for random atoms at a liquid-like density of
// 0.1 atoms/Å³ (about that of liquid copper, 0.076, or water, 0.1) with a 5 Å
// cutoff, in a periodic cube and as a free cluster of the same shape. About 52
// neighbours per atom; the time per atom should not grow with N.
func BenchmarkBuild(b *testing.B) {
	for _, periodic := range []bool{true, false} {
		for _, n := range []int{1000, 10000, 100000} {
			name := fmt.Sprintf("periodic/N=%d", n)
			if !periodic {
				name = fmt.Sprintf("free/N=%d", n)
			}
			b.Run(name, func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, uint64(n)))
				cell := cubic(math.Cbrt(float64(n) / 0.1))
				pos := randomIn(rng, n, cell, [3]float64{}, [3]float64{1, 1, 1})
				pbc := [3]bool{periodic, periodic, periodic}
				opt := Options{Cutoff: 5}
				b.ReportAllocs()
				var pairs int
				for b.Loop() {
					l, err := Build(pos, &cell, pbc, opt)
					if err != nil {
						b.Fatal(err)
					}
					pairs = l.Len()
				}
				b.ReportMetric(float64(pairs)/float64(n), "pairs/atom")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/atom")
			})
		}
	}
}
