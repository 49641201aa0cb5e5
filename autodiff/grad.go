package autodiff

import "fmt"

// GradOptions configure Gradients. The zero value (or nil) means: seeds of ones for
// scalar outputs, no graph for the gradients.
type GradOptions struct {
	// CreateGraph records the gradient computation itself, so that the returned
	// gradients are graph values that can be differentiated again (forces in a loss,
	// Hessian–vector products). Without it, gradients are constants.
	CreateGraph bool
	// Seeds are the cotangents for each output (same shapes as the outputs); nil means
	// one for every output, which requires the outputs to hold one element each.
	Seeds []*Var
}

// Grad returns ∂y/∂x for each x, for a one-element y, as constants. An x that y does
// not depend on gets a zero gradient.
func Grad(y *Var, xs ...*Var) []*Var { return Gradients([]*Var{y}, xs, nil) }

// Gradients returns Σⱼ seedⱼ·∂ysⱼ/∂x for each x in xs by reverse-mode differentiation
// (a vector–Jacobian product). Each op's backward rule runs once, in reverse
// topological order of the graph restricted to paths from xs to ys.
//
// Gradients panics if a seed's shape differs from its output's, or if seeds are nil
// and an output has more than one element.
func Gradients(ys, xs []*Var, opt *GradOptions) []*Var {
	if opt == nil {
		opt = &GradOptions{}
	}
	if opt.Seeds != nil && len(opt.Seeds) != len(ys) {
		panic(fmt.Sprintf("autodiff: %d seeds for %d outputs", len(opt.Seeds), len(ys)))
	}
	order, reaches := pathsTo(ys, xs)

	grads := make(map[*Var]*accum, len(order))
	for i, y := range ys {
		if !reaches[y] {
			continue
		}
		var seed *Var
		if opt.Seeds != nil {
			seed = opt.Seeds[i]
			if !sameShape(seed.value.Shape, y.value.Shape) {
				panic(fmt.Sprintf("autodiff: seed of shape %v for output of shape %v", seed.value.Shape, y.value.Shape))
			}
		} else {
			if y.value.Size() != 1 {
				panic(fmt.Sprintf("autodiff: gradient of a non-scalar output of shape %v needs a seed", y.value.Shape))
			}
			seed = Constant(Full(1, y.value.Shape...))
		}
		if !opt.CreateGraph {
			seed = Detach(seed)
		}
		addGrad(grads, y, seed, opt.CreateGraph)
	}

	isX := make(map[*Var]bool, len(xs))
	for _, x := range xs {
		isX[x] = true
	}
	// order is a post-order (inputs before outputs); walk it backwards.
	for k := len(order) - 1; k >= 0; k-- {
		v := order[k]
		a := grads[v]
		if a == nil || v.op == nil {
			continue
		}
		if !isX[v] {
			delete(grads, v) // free memory: this gradient is consumed here
		}
		need := make([]bool, len(v.inputs))
		any := false
		for i, in := range v.inputs {
			need[i] = in.requiresGrad && reaches[in]
			any = any || need[i]
		}
		if !any {
			continue
		}
		g, out, ins := a.v, v, v.inputs
		if !opt.CreateGraph {
			out = Detach(v)
			ins = make([]*Var, len(v.inputs))
			for i, in := range v.inputs {
				ins[i] = Detach(in)
			}
		}
		gs := v.op.vjp(g, out, ins, need)
		for i, gi := range gs {
			if need[i] && gi != nil {
				checkGradShape(v.op, gi, v.inputs[i])
				addGrad(grads, v.inputs[i], gi, opt.CreateGraph)
			}
		}
	}

	res := make([]*Var, len(xs))
	for i, x := range xs {
		if a := grads[x]; a != nil {
			res[i] = a.v
		} else {
			res[i] = Constant(Zeros(x.value.Shape...))
		}
	}
	return res
}

// accum is a running gradient sum; owned marks a tensor that Gradients allocated and
// may therefore add into in place (only when no graph is being built).
type accum struct {
	v     *Var
	owned bool
}

func addGrad(grads map[*Var]*accum, x, g *Var, createGraph bool) {
	a := grads[x]
	switch {
	case a == nil:
		grads[x] = &accum{v: g}
	case createGraph:
		a.v = Add(a.v, g)
	default:
		if !a.owned {
			a.v = Constant(a.v.value.Clone())
			a.owned = true
		}
		addInto(a.v.value.Data, g.value.Data)
	}
}

func addInto(dst, src []float64) {
	src = src[:len(dst)]
	for i := range dst {
		dst[i] += src[i]
	}
}

func checkGradShape(o op, g, x *Var) {
	if !sameShape(g.value.Shape, x.value.Shape) {
		panic(fmt.Sprintf("autodiff: internal: %s backward gave shape %v for input %v", o.name(), g.value.Shape, x.value.Shape))
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
		if !sameShape(x.value.Shape, vs[i].value.Shape) {
			panic(fmt.Sprintf("autodiff: tangent of shape %v for input of shape %v", vs[i].value.Shape, x.value.Shape))
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
			res[i] = Constant(Zeros(y.value.Shape...))
		}
	}
	return res
}
