package autodiff

import "fmt"

// GradOptions configure Gradients. The zero value (or nil) means: seeds of ones for
// scalar outputs, no graph for the gradients, the graph kept.
type GradOptions struct {
	// CreateGraph records the gradient computation itself, so that the returned
	// gradients are graph values that can be differentiated again (forces in a loss,
	// Hessian–vector products). Without it, gradients are constants.
	CreateGraph bool
	// Seeds are the cotangents for each output (same shapes as the outputs); nil means
	// one for every output, which requires the outputs to hold one element each.
	Seeds []*Var
	// FreeGraph cuts the graph behind ys during the pass: each op's links to its
	// inputs are dropped as soon as its backward rule has run, so that intermediate
	// results nobody else holds can be reclaimed while the pass goes on (the second
	// backward of force training frees the first backward's graph this way). The
	// graph can no longer be differentiated: Gradients and JVP panic on a graph that
	// was cut. It cannot be combined with CreateGraph.
	//
	// Values of Vars computed without an arena stay valid. With an arena, the
	// buffers of intermediate results go back to it as soon as no backward rule
	// needs them, so that the pass runs in the memory of the graph it frees: only
	// the values of ys and xs stay valid, as if Release had been called for the rest
	// (copy forces or energies out before, if they are needed).
	FreeGraph bool

	noRecycle bool // tests: never hand a cotangent back during the pass
}

// Grad returns ∂y/∂x for each x, for a one-element y, as constants. An x that y does
// not depend on gets a zero gradient.
func Grad(y *Var, xs ...*Var) []*Var { return Gradients([]*Var{y}, xs, nil) }

// Gradients returns Σⱼ seedⱼ·∂ysⱼ/∂x for each x in xs by reverse-mode differentiation
// (a vector–Jacobian product). Each op's backward rule runs once, in reverse
// topological order of the graph restricted to paths from xs to ys.
//
// Without CreateGraph, the cotangents of intermediate results are recycled as soon as
// they have been used, through the arena of ys (see Arena) or, when they have none,
// an arena private to the call; the returned gradients then come from that arena.
//
// Gradients panics if a seed's shape differs from its output's, if seeds are nil
// and an output has more than one element, or if the graph was cut by FreeGraph.
func Gradients(ys, xs []*Var, opt *GradOptions) []*Var {
	if opt == nil {
		opt = &GradOptions{}
	}
	if opt.Seeds != nil && len(opt.Seeds) != len(ys) {
		panic(fmt.Sprintf("autodiff: %d seeds for %d outputs", len(opt.Seeds), len(ys)))
	}
	if opt.FreeGraph && opt.CreateGraph {
		panic("autodiff: Gradients with both FreeGraph and CreateGraph")
	}
	order, reaches := pathsTo(ys, xs)
	var ar *Arena // the arena of the cotangents when no graph is built
	if !opt.CreateGraph {
		if ar = arenaOf(ys...); ar == nil || opt.noRecycle {
			ar = NewArena()
			ar.noReuse = opt.noRecycle
		}
	}
	grads := make(map[*Var]*accum, len(order))
	for i, y := range ys {
		if reaches[y] {
			addGrad(grads, y, seedOf(y, i, opt, ar), false, ar)
		}
	}
	isX := make(map[*Var]bool, len(xs))
	for _, x := range xs {
		isX[x] = true
	}
	isY := make(map[*Var]bool, len(ys))
	for _, y := range ys {
		isY[y] = true
	}
	// order is a post-order (inputs before outputs); walk it backwards.
	for k := len(order) - 1; k >= 0; k-- {
		v := order[k]
		if a := grads[v]; a != nil && v.op != nil {
			if !isX[v] {
				delete(grads, v) // this gradient is consumed here
			}
			backwardStep(grads, v, a, reaches, isX[v], opt.CreateGraph, ar)
		}
		if opt.FreeGraph && v.op != nil {
			if v.arena != nil && !isX[v] && !isY[v] && !anySameData(v.value, v.inputs) {
				v.arena.putData(v.value) // every rule that reads this value has run
			}
			v.op, v.inputs, v.freed = nil, nil, true
			order[k] = nil
			delete(reaches, v)
		}
	}
	res := make([]*Var, len(xs))
	for i, x := range xs {
		if a := grads[x]; a != nil && opt.CreateGraph {
			res[i] = a.v
		} else if a != nil {
			res[i] = &Var{value: a.v.value, arena: arenaOf(ys...)}
		} else {
			res[i] = Constant(ZerosOf(x.value.DType(), x.value.Shape...))
		}
	}
	return res
}

// seedOf returns the cotangent of output i.
func seedOf(y *Var, i int, opt *GradOptions, ar *Arena) *Var {
	var seed *Var
	if opt.Seeds != nil {
		seed = opt.Seeds[i]
		if !sameShape(seed.value.Shape, y.value.Shape) || seed.value.DType() != y.value.DType() {
			panic(fmt.Sprintf("autodiff: seed %v %v for output %v %v", seed.value.DType(), seed.value.Shape, y.value.DType(), y.value.Shape))
		}
	} else {
		if y.value.Size() != 1 {
			panic(fmt.Sprintf("autodiff: gradient of a non-scalar output of shape %v needs a seed", y.value.Shape))
		}
		seed = Constant(FullOf(y.value.DType(), 1, y.value.Shape...))
	}
	if !opt.CreateGraph {
		seed = &Var{value: seed.value, arena: ar}
	}
	return seed
}

// backwardStep runs v's backward rule on its cotangent a and adds the results to
// the cotangents of v's inputs. Without a graph (ar set), a cotangent that the pass
// owns is handed back to ar once used, unless a result shares its memory or v is
// one of the xs.
func backwardStep(grads map[*Var]*accum, v *Var, a *accum, reaches map[*Var]bool, isX, createGraph bool, ar *Arena) {
	need := make([]bool, len(v.inputs))
	any := false
	for i, in := range v.inputs {
		need[i] = in.requiresGrad && reaches[in]
		any = any || need[i]
	}
	if !any {
		return
	}
	g, out, ins := a.v, v, v.inputs
	var sc *Arena // the rule's own allocations, to hand back the temporaries
	if !createGraph {
		sc = ar.scratch()
		g = &Var{value: a.v.value, arena: sc}
		out = &Var{value: v.value, arena: sc}
		ins = make([]*Var, len(v.inputs))
		for i, in := range v.inputs {
			ins[i] = &Var{value: in.value, arena: sc}
		}
	}
	gs := v.op.vjp(g, out, ins, need)
	if sc != nil {
		sc.recycleExcept(gs)
	}
	for i, gi := range gs {
		if need[i] && gi != nil {
			checkGradShape(v.op, gi, v.inputs[i])
		}
	}
	owned := make([]bool, len(gs))
	keep := isX // a's buffer stays in use
	if !createGraph {
		for i, gi := range gs {
			if !need[i] || gi == nil {
				continue
			}
			alone := !anySameData(gi.value, gs[:i]) && !anySameData(gi.value, gs[i+1:])
			switch {
			case sameData(gi.value, g.value):
				// A view of the cotangent (Add, Reshape pass it on): ownership
				// moves to the input's sum if this is the only view.
				keep = true
				owned[i] = a.owned && alone && !isX
			case sameData(gi.value, out.value) || anySameData(gi.value, ins):
			default:
				owned[i] = alone
			}
		}
	}
	for i, gi := range gs {
		if need[i] && gi != nil {
			addGrad(grads, v.inputs[i], gi, owned[i], ar)
		}
	}
	if a.owned && !keep {
		ar.putData(g.value)
	}
}

// sameData reports whether two tensors share memory.
func sameData(a, b *Tensor) bool {
	if a.Data32 != nil || b.Data32 != nil {
		return sameBuffer(a.Data32, b.Data32)
	}
	return sameBuffer(a.Data, b.Data)
}

// sameBuffer reports whether two slices share their backing array's end (slices of
// one buffer do).
func sameBuffer[T float](a, b []T) bool {
	return cap(a) > 0 && cap(b) > 0 && &a[:cap(a)][cap(a)-1] == &b[:cap(b)][cap(b)-1]
}

func anySameData(t *Tensor, vs []*Var) bool {
	for _, v := range vs {
		if v != nil && sameData(t, v.value) {
			return true
		}
	}
	return false
}

// accum is a running gradient sum; owned marks a tensor that only this sum uses
// (made during the pass without a graph), which may be added into in place and
// handed back to the pass's arena when consumed.
type accum struct {
	v     *Var
	owned bool
}

// addGrad adds g (owned if only the caller holds it) to the cotangent of x. Without
// a graph (ar set), sums are formed in place in an owned tensor.
func addGrad(grads map[*Var]*accum, x, g *Var, owned bool, ar *Arena) {
	a := grads[x]
	switch {
	case a == nil:
		grads[x] = &accum{v: g, owned: owned}
	case ar == nil:
		a.v = Add(a.v, g)
	case a.owned:
		addInto(a.v.value, g.value)
		if owned {
			ar.putData(g.value)
		}
	case owned:
		addInto(g.value, a.v.value)
		a.v, a.owned = g, true
	default:
		sum := newTensor(ar, a.v.value.DType(), false, a.v.value.Shape)
		if sum.Data32 != nil {
			kernel(kAdd, sum.Data32, a.v.value.Data32, g.value.Data32)
		} else {
			kernel(kAdd, sum.Data, a.v.value.Data, g.value.Data)
		}
		a.v, a.owned = &Var{value: sum, arena: ar}, true
	}
}

// addInto adds src to dst elementwise (same precision and size).
func addInto(dst, src *Tensor) {
	if dst.Data32 != nil {
		addSlice(dst.Data32, src.Data32)
	} else {
		addSlice(dst.Data, src.Data)
	}
}

func addSlice[T float](dst, src []T) {
	src = src[:len(dst)]
	for i := range dst {
		dst[i] += src[i]
	}
}

func checkGradShape(o op, g, x *Var) {
	if !sameShape(g.value.Shape, x.value.Shape) || g.value.DType() != x.value.DType() {
		panic(fmt.Sprintf("autodiff: internal: %s backward gave %v %v for input %v %v", o.name(),
			g.value.DType(), g.value.Shape, x.value.DType(), x.value.Shape))
	}
}

// pathsTo returns the Vars that require a gradient and are reachable from ys, in
// post-order (every input before the Vars computed from it), and marks those from
// which some x can be reached, i.e. that lie on a path from an x to a y.
func pathsTo(ys, xs []*Var) ([]*Var, map[*Var]bool) {
	isX := make(map[*Var]bool, len(xs))
	for _, x := range xs {
		isX[x] = true
	}
	reaches := make(map[*Var]bool)
	visited := make(map[*Var]bool)
	var order []*Var
	// Iterative DFS: graphs of deep networks would overflow a recursive walk's stack
	// only at extreme depth, but iteration also keeps the order cheap to build.
	type frame struct {
		v *Var
		i int
	}
	for _, y := range ys {
		if !y.requiresGrad || visited[y] {
			continue
		}
		stack := []frame{{v: y}}
		visited[y] = true
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.i < len(top.v.inputs) {
				in := top.v.inputs[top.i]
				top.i++
				if in.requiresGrad && !visited[in] {
					visited[in] = true
					stack = append(stack, frame{v: in})
				}
				continue
			}
			v := top.v
			stack = stack[:len(stack)-1]
			if v.freed {
				panic("autodiff: differentiating through a graph that Gradients cut (GradOptions.FreeGraph)")
			}
			r := isX[v]
			for _, in := range v.inputs {
				r = r || reaches[in]
			}
			if r {
				reaches[v] = true
			}
			order = append(order, v)
		}
	}
	return order, reaches
}

// JVPOptions configure JVP. The zero value (or nil) means no graph for the tangents.
type JVPOptions struct {
	// CreateGraph records the tangent computation, so the results can be
	// differentiated again (as in forward-over-reverse Hessian–vector products).
	CreateGraph bool
}

// JVP returns the forward-mode derivatives Σᵢ ∂ys/∂xsᵢ·vsᵢ (Jacobian–vector
// products) of the recorded graph from xs to ys, with tangent vs[i] for xs[i] (same
// shapes). Each op's forward rule runs once, in topological order. Outputs that do
// not depend on xs get zero tangents.
func JVP(ys, xs, vs []*Var, opt *JVPOptions) []*Var {
	if opt == nil {
		opt = &JVPOptions{}
	}
	if len(xs) != len(vs) {
		panic(fmt.Sprintf("autodiff: %d tangents for %d inputs", len(vs), len(xs)))
	}
	tan := make(map[*Var]*Var)
	for i, x := range xs {
		if !sameShape(x.value.Shape, vs[i].value.Shape) || x.value.DType() != vs[i].value.DType() {
			panic(fmt.Sprintf("autodiff: tangent %v %v for input %v %v", vs[i].value.DType(), vs[i].value.Shape, x.value.DType(), x.value.Shape))
		}
		t := vs[i]
		if !opt.CreateGraph {
			t = Detach(t)
		}
		tan[x] = t
	}
	order, reaches := pathsTo(ys, xs)
	for _, v := range order {
		if !reaches[v] || v.op == nil || tan[v] != nil {
			continue
		}
		ts := make([]*Var, len(v.inputs))
		for i, in := range v.inputs {
			ts[i] = tan[in]
		}
		out, ins := v, v.inputs
		if !opt.CreateGraph {
			out = Detach(v)
			ins = make([]*Var, len(v.inputs))
			for i, in := range v.inputs {
				ins[i] = Detach(in)
			}
		}
		if t := v.op.jvp(ts, out, ins); t != nil {
			checkGradShape(v.op, t, v)
			tan[v] = t
		}
	}
	res := make([]*Var, len(ys))
	for i, y := range ys {
		if t := tan[y]; t != nil {
			res[i] = t
		} else {
			res[i] = Constant(ZerosOf(y.value.DType(), y.value.Shape...))
		}
	}
	return res
}
