package autodiff

import (
	"math/bits"
	"sync"
)

// Arena recycles the buffers of op results across the steps of a loop (training
// steps, MD steps), so that a step reuses the memory of the one before instead of
// allocating, zeroing and page-faulting fresh memory and leaving the garbage
// collector to find it.
//
// Leaves made by (*Arena).Variable and (*Arena).Constant carry the arena, and every
// op result computed from such a Var (its first input that carries an arena decides)
// takes its buffer from the arena. Release returns every buffer handed out since the
// previous Release to the arena at once; the tensors of all those results are invalid
// afterwards, so a caller copies out what it keeps (a loss value, forces) before
// calling Release. Gradients also hands back to the arena, during the pass, the
// cotangents and temporaries it has used (see Gradients).
//
// Buffers come in size classes at most 25 % apart, and a request is served from the
// smallest free buffer of its class or the next three (at most twice the size asked
// for), so batches of different sizes reuse each other's buffers. A buffer made
// anew replaces free buffers of the four classes below (those of a smaller batch
// before), and Release drops the buffers that went unused since the previous
// Release, so an arena holds about what one step needs. Drop the arena (and every Var computed with it) to free
// all of its memory.
//
// An Arena may be used from several goroutines at once; Release must not run while
// a computation with the arena is under way. Results do not depend on whether an
// arena is used: buffers are zeroed wherever an op accumulates into them.
type Arena struct {
	mu    sync.Mutex
	free  map[int][]*slot    // free buffers by capacity (a size class)
	slots map[*float64]*slot // every buffer the arena holds, by first element
	bytes int                // bytes of all buffers

	noReuse bool // tests: put does nothing

	// A scratch arena (parent set) is private to one backward pass: it takes its
	// buffers from parent and logs them, so that the pass can hand back the
	// temporaries of each backward rule.
	parent *Arena
	log    [][]float64
}

// slot is one buffer of an arena and its state.
type slot struct {
	buf  []float64 // at full capacity
	out  bool      // handed out and not yet handed back
	used bool      // handed out since the last Release
}

// scratch returns a private arena that allocates from a and logs what it hands out.
func (a *Arena) scratch() *Arena { return &Arena{parent: a} }

// recycleExcept hands every buffer logged since the last call back to the parent,
// except those that a tensor of keep shares.
func (a *Arena) recycleExcept(keep []*Var) {
	for _, buf := range a.log {
		t := Tensor{Data: buf}
		if !anySameData(&t, keep) {
			a.parent.put(buf)
		}
	}
	clear(a.log)
	a.log = a.log[:0]
}

// NewArena returns an empty arena.
func NewArena() *Arena {
	return &Arena{free: map[int][]*slot{}, slots: map[*float64]*slot{}}
}

// Variable returns a leaf like Variable whose computations allocate from a.
func (a *Arena) Variable(t *Tensor) *Var { return &Var{value: t, requiresGrad: true, arena: a} }

// Constant returns a leaf like Constant whose computations allocate from a.
func (a *Arena) Constant(t *Tensor) *Var { return &Var{value: t, arena: a} }

// Release makes every buffer the arena has handed out available again, and drops
// the buffers that were not used since the previous Release. Tensors of results
// computed with the arena must not be used afterwards.
func (a *Arena) Release() {
	a.mu.Lock()
	defer a.mu.Unlock()
	clear(a.free)
	for p, s := range a.slots {
		if !s.used {
			delete(a.slots, p)
			a.bytes -= 8 * cap(s.buf)
			continue
		}
		s.out, s.used = false, false
		a.free[cap(s.buf)] = append(a.free[cap(s.buf)], s)
	}
}

// Bytes returns the memory the arena holds, in bytes.
func (a *Arena) Bytes() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.bytes
}

// sizeClass returns the capacity of the buffer that holds n > 0 elements: n itself
// up to 8, else the smallest m·2^e ≥ n with m ∈ {5, 6, 7, 8} (at most 25 % more).
func sizeClass(n int) int {
	if n <= 8 {
		return n
	}
	e := bits.Len(uint(n-1)) - 3 // 4·2^e ≤ n−1 < 8·2^e
	m := (n + 1<<e - 1) >> e     // ⌈n/2^e⌉ ∈ 5…8
	return m << e
}

// get returns a buffer of n elements, zeroed if zero is set.
func (a *Arena) get(n int, zero bool) []float64 {
	if n == 0 {
		return []float64{}
	}
	if a.parent != nil {
		buf := a.parent.get(n, zero)
		a.mu.Lock()
		a.log = append(a.log, buf)
		a.mu.Unlock()
		return buf
	}
	c := sizeClass(n)
	a.mu.Lock()
	for k, ck := 0, c; k < 4; k, ck = k+1, sizeClass(ck+1) {
		if list := a.free[ck]; len(list) > 0 {
			s := list[len(list)-1]
			a.free[ck] = list[:len(list)-1]
			s.out, s.used = true, true
			a.mu.Unlock()
			buf := s.buf[:n]
			if zero {
				clear(buf)
			}
			return buf
		}
	}
	a.forgetBelow(c)
	s := &slot{buf: make([]float64, c), out: true, used: true}
	a.slots[&s.buf[0]] = s
	a.bytes += 8 * c
	a.mu.Unlock()
	return s.buf[:n]
}

// forgetBelow drops free buffers of the four classes below c, up to c elements in
// all, before a buffer of class c is made: when batches grow, the buffers of the
// smaller batch before are replaced rather than kept beside the new ones.
func (a *Arena) forgetBelow(c int) {
	lo := c
	for range 4 {
		if lo <= 8 {
			break
		}
		lo = sizeClass(lo*4/5 - 1) // the class below
	}
	need := c
	for ck := lo; ck < c && need > 0; ck = sizeClass(ck + 1) {
		list := a.free[ck]
		for len(list) > 0 && need > 0 {
			s := list[len(list)-1]
			list = list[:len(list)-1]
			delete(a.slots, &s.buf[0])
			a.bytes -= 8 * cap(s.buf)
			need -= cap(s.buf)
		}
		a.free[ck] = list
	}
}

// put hands a buffer from get back before the next Release. Buffers the arena did
// not make are ignored.
func (a *Arena) put(buf []float64) {
	if a.parent != nil {
		a.parent.put(buf)
		return
	}
	if cap(buf) == 0 || a.noReuse {
		return
	}
	buf = buf[:cap(buf)]
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.slots[&buf[0]]
	if s == nil {
		return
	}
	if !s.out {
		panic("autodiff: internal: a buffer was handed back to its arena twice")
	}
	s.out = false
	a.free[cap(buf)] = append(a.free[cap(buf)], s)
}
