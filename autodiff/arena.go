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
	p64   pool[float64]
	p32   pool[float32]
	bytes int // bytes of all buffers

	noReuse bool // tests: put does nothing

	// A scratch arena (parent set) is private to one backward pass: it takes its
	// buffers from parent and logs them, so that the pass can hand back the
	// temporaries of each backward rule.
	parent *Arena
	log64  [][]float64
	log32  [][]float32
}

// pool holds an arena's buffers of one element type.
type pool[T float] struct {
	free  map[int][]*slot[T] // free buffers by capacity (a size class)
	slots map[*T]*slot[T]    // every buffer, by first element
}

// slot is one buffer of an arena and its state.
type slot[T float] struct {
	buf  []T  // at full capacity
	out  bool // handed out and not yet handed back
	used bool // handed out since the last Release
}

// NewArena returns an empty arena.
func NewArena() *Arena {
	return &Arena{
		p64: pool[float64]{free: map[int][]*slot[float64]{}, slots: map[*float64]*slot[float64]{}},
		p32: pool[float32]{free: map[int][]*slot[float32]{}, slots: map[*float32]*slot[float32]{}},
	}
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
	a.bytes -= 8*a.p64.release() + 4*a.p32.release()
}

// release makes every used buffer free and drops the others; it returns the number
// of elements dropped.
func (p *pool[T]) release() int {
	dropped := 0
	clear(p.free)
	for k, s := range p.slots {
		if !s.used {
			delete(p.slots, k)
			dropped += cap(s.buf)
			continue
		}
		s.out, s.used = false, false
		p.free[cap(s.buf)] = append(p.free[cap(s.buf)], s)
	}
	return dropped
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

func (a *Arena) get64(n int, zero bool) []float64 {
	if a.parent != nil {
		buf := a.parent.get64(n, zero)
		a.mu.Lock()
		a.log64 = append(a.log64, buf)
		a.mu.Unlock()
		return buf
	}
	a.mu.Lock()
	buf, made := a.p64.get(n, zero)
	a.bytes += 8 * made
	a.mu.Unlock()
	return buf
}

func (a *Arena) get32(n int, zero bool) []float32 {
	if a.parent != nil {
		buf := a.parent.get32(n, zero)
		a.mu.Lock()
		a.log32 = append(a.log32, buf)
		a.mu.Unlock()
		return buf
	}
	a.mu.Lock()
	buf, made := a.p32.get(n, zero)
	a.bytes += 4 * made
	a.mu.Unlock()
	return buf
}

// get returns a buffer of n elements, zeroed if zero is set, and the number of
// elements newly made (net of the buffers it replaced).
func (p *pool[T]) get(n int, zero bool) ([]T, int) {
	if n == 0 {
		return []T{}, 0
	}
	c := sizeClass(n)
	for k, ck := 0, c; k < 4; k, ck = k+1, sizeClass(ck+1) {
		if list := p.free[ck]; len(list) > 0 {
			s := list[len(list)-1]
			p.free[ck] = list[:len(list)-1]
			s.out, s.used = true, true
			buf := s.buf[:n]
			if zero {
				clear(buf)
			}
			return buf, 0
		}
	}
	dropped := p.forgetBelow(c)
	s := &slot[T]{buf: make([]T, c), out: true, used: true}
	p.slots[&s.buf[0]] = s
	return s.buf[:n], c - dropped
}

// forgetBelow drops free buffers of the four classes below c, up to c elements in
// all, before a buffer of class c is made: when batches grow, the buffers of the
// smaller batch before are replaced rather than kept beside the new ones. It returns
// the number of elements dropped.
func (p *pool[T]) forgetBelow(c int) int {
	lo := c
	for range 4 {
		if lo <= 8 {
			break
		}
		lo = sizeClass(lo*4/5 - 1) // the class below
	}
	dropped := 0
	for ck := lo; ck < c && dropped < c; ck = sizeClass(ck + 1) {
		list := p.free[ck]
		for len(list) > 0 && dropped < c {
			s := list[len(list)-1]
			list = list[:len(list)-1]
			delete(p.slots, &s.buf[0])
			dropped += cap(s.buf)
		}
		p.free[ck] = list
	}
	return dropped
}

// putData hands the buffer of t back, before the next Release. Buffers the arena
// did not make are ignored.
func (a *Arena) putData(t *Tensor) {
	if a.parent != nil {
		a.parent.putData(t)
		return
	}
	if a.noReuse {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if t.Data32 != nil {
		a.p32.put(t.Data32)
	} else {
		a.p64.put(t.Data)
	}
}

func (p *pool[T]) put(buf []T) {
	if cap(buf) == 0 {
		return
	}
	buf = buf[:cap(buf)]
	s := p.slots[&buf[0]]
	if s == nil {
		return
	}
	if !s.out {
		panic("autodiff: internal: a buffer was handed back to its arena twice")
	}
	s.out = false
	p.free[cap(buf)] = append(p.free[cap(buf)], s)
}

// scratch returns a private arena that allocates from a and logs what it hands out.
func (a *Arena) scratch() *Arena { return &Arena{parent: a} }

// recycleExcept hands every buffer logged since the last call back to the parent,
// except those that a tensor of keep shares.
func (a *Arena) recycleExcept(keep []*Var) {
	for _, buf := range a.log64 {
		if t := (Tensor{Data: buf}); !anySameData(&t, keep) {
			a.parent.putData(&t)
		}
	}
	for _, buf := range a.log32 {
		if t := (Tensor{Data32: buf}); !anySameData(&t, keep) {
			a.parent.putData(&t)
		}
	}
	clear(a.log64)
	clear(a.log32)
	a.log64, a.log32 = a.log64[:0], a.log32[:0]
}
