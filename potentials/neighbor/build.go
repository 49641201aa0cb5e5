package neighbor

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Build returns the full neighbour list of the atoms at positions (N×3, Å) for the
// cutoff opt.Cutoff+opt.Skin (Å), in O(N) time and memory with cell lists.
//
// cell holds the lattice vectors a, b, c as rows (Å), or is nil for a free system;
// pbc[k] says whether the system is periodic along lattice vector k. A cell whose
// axes are all non-periodic is ignored. Cells may be triclinic, left-handed, and
// smaller than twice the cutoff (an atom then has several images of itself and of
// each other atom in its list); atoms may lie outside the cell, and the shifts
// refer to the positions as given. See the package documentation for the method.
//
// Build returns an error for a non-positive or non-finite cutoff, a negative
// skin, positions that are not N×3 or not finite, a periodic axis without a
// cell, a degenerate cell, an atom more than 2²⁸ cells away from the origin, or a
// cell so small for the cutoff that the periodic images would exhaust memory.
func Build(positions []float64, cell *[9]float64, pbc [3]bool, opt Options) (*List, error) {
	return build(positions, cell, pbc, opt, tuning{workers: runtime.GOMAXPROCS(0), chunk: defaultChunk})
}

// defaultChunk is the number of atoms that one worker searches at a time.
const defaultChunk = 256

// tuning holds choices that change speed but never the result; tests vary them.
type tuning struct {
	workers   int  // goroutines
	chunk     int  // atoms per unit of work
	noPacking bool // sort entries rather than packed keys
}

// point is an atom or a periodic image of one, placed at R[atom] + shift·cell.
type point struct {
	x, y, z float64
	atom    int32
	shift   [3]int32
}

// entry is a neighbour of one atom while the list is being built.
type entry struct {
	j     int32
	shift [3]int32
}

func cmpEntry(a, b entry) int {
	if c := cmp.Compare(a.j, b.j); c != 0 {
		return c
	}
	if c := cmp.Compare(a.shift[0], b.shift[0]); c != 0 {
		return c
	}
	if c := cmp.Compare(a.shift[1], b.shift[1]); c != 0 {
		return c
	}
	return cmp.Compare(a.shift[2], b.shift[2])
}

// grid is a set of points counting-sorted into cubic bins of side ≥ the search
// radius, so that the neighbours of a point lie in its bin or the 26 around it.
type grid struct {
	min   [3]float64
	side  float64
	nb    [3]int
	start []int32 // points of bin b are pts[start[b]:start[b+1]]
	pts   []point

	perAtom int // a generous estimate of the number of neighbours of an atom
}

func build(positions []float64, cell *[9]float64, pbc [3]bool, opt Options, tu tuning) (*List, error) {
	chunk := tu.chunk
	g, err := prepare(positions, cell, pbc, opt)
	if err != nil {
		return nil, err
	}
	list := &List{I: []int{}, J: []int{}, Shift: [][3]int{}, Cutoff: opt.Cutoff, Skin: opt.Skin}
	n := g.n
	if n == 0 {
		return list, nil
	}
	pcell := g.cellIfPeriodic()

	// The home of atom i is its position wrapped into the cell along periodic axes,
	// R[i] + home[i]·cell; every other point holds its shift relative to R[atom].
	home := make([][3]int32, n)
	pts := make([]point, 0, n)
	// Point shifts lie in [mlo, mhi] and home shifts in [hlo, hhi], so pair shifts
	// (point minus home) lie in [mlo−hhi, mhi−hlo].
	var mlo, mhi, hlo, hhi [3]int32
	for a := 0; a < n; a++ {
		var lo, hi [3]int32
		for k := 0; k < 3; k++ {
			if !pbc[k] {
				continue
			}
			f := g.frac[3*a+k]
			s := math.Floor(f)
			w := f - s // in [0, 1], up to rounding
			// The fractional reach, with room for rounding in f.
			p := g.pad[k]*(1+1e-9) + 1e-9 + 1e-12*math.Abs(f)
			home[a][k] = int32(-s)
			lo[k] = int32(-s + math.Ceil(-p-w))
			hi[k] = int32(-s + math.Floor(1+p-w))
			if a == 0 {
				mlo[k], mhi[k], hlo[k], hhi[k] = lo[k], hi[k], home[a][k], home[a][k]
			}
			mlo[k], mhi[k] = min(mlo[k], lo[k]), max(mhi[k], hi[k])
			hlo[k], hhi[k] = min(hlo[k], home[a][k]), max(hhi[k], home[a][k])
		}
		if len(pts) > math.MaxInt32-int(hi[0]-lo[0]+1)*int(hi[1]-lo[1]+1)*int(hi[2]-lo[2]+1) {
			return nil, fmt.Errorf("neighbor: more than %d atoms and periodic images; use a larger cell or fewer atoms", math.MaxInt32)
		}
		var m [3]int32
		for m[0] = lo[0]; m[0] <= hi[0]; m[0]++ {
			for m[1] = lo[1]; m[1] <= hi[1]; m[1]++ {
				for m[2] = lo[2]; m[2] <= hi[2]; m[2]++ {
					pts = append(pts, placed(positions, pcell, a, m))
				}
			}
		}
	}
	var smin, smax [3]int32
	for k := 0; k < 3; k++ {
		smin[k], smax[k] = mlo[k]-hhi[k], mhi[k]-hlo[k]
	}

	// Distances between points differ from those of pairVector only by rounding,
	// a few ulps of the largest coordinates involved and far below margin. A
	// candidate closer than rc−margin is a pair, one farther than rc+margin is
	// not, and one in between is decided by pairVector itself.
	scale := 0.0
	for _, v := range positions {
		scale = math.Max(scale, math.Abs(v))
	}
	if pcell != nil {
		reach := 0.0
		for k := 0; k < 3; k++ {
			reach = math.Max(reach, math.Max(math.Abs(float64(mlo[k])), math.Abs(float64(mhi[k]))))
		}
		for _, v := range pcell {
			scale += math.Abs(v) * (reach + 1)
		}
	}
	margin := 1e-9*g.rc + 1e-12*scale
	search := g.rc + margin
	gr := newGrid(pts, search)
	pts = nil

	counts := make([]int32, n)
	nchunk := (n + chunk - 1) / chunk
	found := make([]chunkResult, nchunk)
	pk := newPacking(n, smin, smax)
	pk.ok = pk.ok && !tu.noPacking
	parallel(tu.workers, nchunk, func(c int) {
		lo, hi := c*chunk, min((c+1)*chunk, n)
		found[c] = gr.search(positions, pcell, home, lo, hi, g.rc, margin, &pk, counts)
	})

	total := 0
	offset := make([]int, nchunk)
	for c, f := range found {
		offset[c] = total
		total += len(f.keys) + len(f.ents)
	}
	list.I = make([]int, total)
	list.J = make([]int, total)
	list.Shift = make([][3]int, total)
	parallel(tu.workers, nchunk, func(c int) {
		p := offset[c]
		f := found[c]
		for i := c * chunk; i < min((c+1)*chunk, n); i++ {
			for range counts[i] {
				var e entry
				if pk.ok {
					e = pk.decode(f.keys[0])
					f.keys = f.keys[1:]
				} else {
					e = f.ents[0]
					f.ents = f.ents[1:]
				}
				list.I[p] = i
				list.J[p] = int(e.j)
				list.Shift[p] = [3]int{int(e.shift[0]), int(e.shift[1]), int(e.shift[2])}
				p++
			}
		}
		found[c] = chunkResult{}
	})
	return list, nil
}

// chunkResult holds the sorted neighbours of a run of atoms, as packed keys if
// the packing fits and as entries otherwise.
type chunkResult struct {
	keys []uint64
	ents []entry
}

// packing encodes a neighbour (j, shift) as one uint64 whose numerical order is
// the order of (j, shift[0], shift[1], shift[2]): each field is offset to start at
// zero and given the bits its range needs. It fits (ok) unless the shifts span a
// huge range. Sorting packed keys is several times faster than sorting entries
// and takes half the memory.
type packing struct {
	ok   bool
	min  [3]int32
	off  [3]uint // bit offset of each shift component
	mask [3]uint64
	jOff uint // bit offset of j
}

// newPacking returns the packing for atom indices below n and shifts with
// components smin[k] ≤ s[k] ≤ smax[k].
func newPacking(n int, smin, smax [3]int32) packing {
	var p packing
	used := uint(0)
	for k := 2; k >= 0; k-- {
		nb := uint(bits.Len64(uint64(int64(smax[k]) - int64(smin[k]))))
		p.min[k] = smin[k]
		p.off[k] = used
		p.mask[k] = 1<<nb - 1
		used += nb
	}
	p.jOff = used
	used += uint(bits.Len64(uint64(max(n-1, 0))))
	p.ok = used <= 64
	return p
}

func (p *packing) encode(e entry) uint64 {
	return uint64(e.j)<<p.jOff |
		uint64(int64(e.shift[0])-int64(p.min[0]))<<p.off[0] |
		uint64(int64(e.shift[1])-int64(p.min[1]))<<p.off[1] |
		uint64(int64(e.shift[2])-int64(p.min[2]))<<p.off[2]
}

func (p *packing) decode(key uint64) entry {
	var e entry
	e.j = int32(key >> p.jOff) // a shift by 64 gives 0, as j must then be
	for k := 0; k < 3; k++ {
		e.shift[k] = int32(int64(key>>p.off[k]&p.mask[k]) + int64(p.min[k]))
	}
	return e
}

// placed returns the point of atom a shifted by m lattice vectors.
func placed(positions []float64, cell *[9]float64, a int, m [3]int32) point {
	p := point{x: positions[3*a], y: positions[3*a+1], z: positions[3*a+2], atom: int32(a), shift: m}
	if cell != nil && m != [3]int32{} {
		m0, m1, m2 := float64(m[0]), float64(m[1]), float64(m[2])
		p.x += m0*cell[0] + m1*cell[3] + m2*cell[6]
		p.y += m0*cell[1] + m1*cell[4] + m2*cell[7]
		p.z += m0*cell[2] + m1*cell[5] + m2*cell[8]
	}
	return p
}

// newGrid bins pts into cubes of side at least r over their bounding box. The
// number of bins is held below about twice the number of points, widening the
// bins if the points are spread thinly, so memory stays O(N) for any input.
func newGrid(pts []point, r float64) *grid {
	gr := &grid{}
	lo := [3]float64{math.Inf(1), math.Inf(1), math.Inf(1)}
	hi := [3]float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)}
	for _, p := range pts {
		c := [3]float64{p.x, p.y, p.z}
		for k := 0; k < 3; k++ {
			lo[k] = math.Min(lo[k], c[k])
			hi[k] = math.Max(hi[k], c[k])
		}
	}
	var ext [3]float64
	for k := 0; k < 3; k++ {
		ext[k] = hi[k] - lo[k]
	}
	gr.min = lo
	maxBins := 2*float64(len(pts)) + 8
	side := r * (1 + 1e-9)
	var nb [3]float64
	for {
		prod := 1.0
		for k := 0; k < 3; k++ {
			nb[k] = math.Max(1, math.Floor(ext[k]/side))
			prod *= nb[k]
		}
		if prod <= maxBins {
			break
		}
		side *= math.Max(1.01, math.Cbrt(prod/maxBins))
	}
	gr.side = side
	// Expected neighbours per atom: the mean density of points in the box times
	// the volume of the cutoff sphere, with some room.
	vol := 1.0
	for k := 0; k < 3; k++ {
		vol *= math.Max(ext[k], r)
	}
	gr.perAtom = int(math.Min(float64(len(pts)), 1.15*float64(len(pts))/vol*4*math.Pi/3*r*r*r)) + 4
	nbins := 1
	for k := 0; k < 3; k++ {
		gr.nb[k] = int(nb[k])
		nbins *= gr.nb[k]
	}
	// Counting sort of the points by bin, stable so the order is deterministic.
	bin := make([]int32, len(pts))
	gr.start = make([]int32, nbins+1)
	for q, p := range pts {
		b := gr.binOf(p.x, p.y, p.z)
		bin[q] = int32(b)
		gr.start[b+1]++
	}
	for b := 0; b < nbins; b++ {
		gr.start[b+1] += gr.start[b]
	}
	next := slices.Clone(gr.start[:nbins])
	gr.pts = make([]point, len(pts))
	for q, p := range pts {
		gr.pts[next[bin[q]]] = p
		next[bin[q]]++
	}
	return gr
}

func (gr *grid) cellCoord(x float64, k int) int {
	u := int((x - gr.min[k]) / gr.side)
	return max(0, min(u, gr.nb[k]-1))
}

func (gr *grid) binOf(x, y, z float64) int {
	return (gr.cellCoord(z, 2)*gr.nb[1]+gr.cellCoord(y, 1))*gr.nb[0] + gr.cellCoord(x, 0)
}

// search finds the neighbours of atoms lo ≤ i < hi, sorted, and stores their
// numbers in counts[i]. Candidates within rc ± margin of the wrapped atom are
// decided by pairVector.
func (gr *grid) search(positions []float64, cell *[9]float64, home [][3]int32, lo, hi int, rc, margin float64, pk *packing, counts []int32) chunkResult {
	var res chunkResult
	if pk.ok {
		res.keys = make([]uint64, 0, gr.perAtom*(hi-lo))
	} else {
		res.ents = make([]entry, 0, gr.perAtom*(hi-lo))
	}
	outer2 := (rc + margin) * (rc + margin)
	inner2 := max(rc-margin, 0) * max(rc-margin, 0)
	rc2 := rc * rc
	for i := lo; i < hi; i++ {
		h := placed(positions, cell, i, home[i])
		cx, cy, cz := gr.cellCoord(h.x, 0), gr.cellCoord(h.y, 1), gr.cellCoord(h.z, 2)
		first := len(res.keys) + len(res.ents)
		for bz := max(cz-1, 0); bz <= min(cz+1, gr.nb[2]-1); bz++ {
			for by := max(cy-1, 0); by <= min(cy+1, gr.nb[1]-1); by++ {
				row := (bz*gr.nb[1] + by) * gr.nb[0]
				b0 := row + max(cx-1, 0)
				b1 := row + min(cx+1, gr.nb[0]-1)
				for _, p := range gr.pts[gr.start[b0]:gr.start[b1+1]] {
					dx, dy, dz := p.x-h.x, p.y-h.y, p.z-h.z
					d2 := dx*dx + dy*dy + dz*dz
					if d2 >= outer2 {
						continue
					}
					e := entry{j: p.atom, shift: [3]int32{p.shift[0] - h.shift[0], p.shift[1] - h.shift[1], p.shift[2] - h.shift[2]}}
					if int(e.j) == i && e.shift == [3]int32{} {
						continue
					}
					if d2 >= inner2 {
						x, y, z := pairVector(positions, cell, i, int(e.j), [3]int{int(e.shift[0]), int(e.shift[1]), int(e.shift[2])})
						if x*x+y*y+z*z >= rc2 {
							continue
						}
					}
					if pk.ok {
						res.keys = append(res.keys, pk.encode(e))
					} else {
						res.ents = append(res.ents, e)
					}
				}
			}
		}
		if pk.ok {
			slices.Sort(res.keys[first:])
		} else {
			slices.SortFunc(res.ents[first:], cmpEntry)
		}
		counts[i] = int32(len(res.keys) + len(res.ents) - first)
	}
	return res
}

// parallel calls f(0), …, f(n−1) on up to workers goroutines. Each call writes only
// its own outputs, so the result does not depend on scheduling.
func parallel(workers, n int, f func(int)) {
	workers = max(1, min(workers, n))
	if workers == 1 {
		for c := 0; c < n; c++ {
			f(c)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				c := int(next.Add(1) - 1)
				if c >= n {
					return
				}
				f(c)
			}
		}()
	}
	wg.Wait()
}
