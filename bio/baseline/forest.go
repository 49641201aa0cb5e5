package baseline

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// ForestOptions configure FitForest. Zero fields take scikit-learn's defaults for
// RandomForestClassifier, which this forest follows.
type ForestOptions struct {
	Trees       int    // number of trees (100)
	MaxFeatures int    // features tried per split (0: ⌊√p⌋, at least 1)
	MinLeaf     int    // least samples in a leaf (1)
	MaxDepth    int    // 0: grow until leaves are pure or cannot be split
	NoBootstrap bool   // grow every tree on all samples instead of a bootstrap sample
	Seed        uint64 // seeds the bootstraps and the features tried
}

// Forest is a random forest of CART classification trees (Breiman, Mach. Learn.
// 45, 5 (2001)) for binary labels.
type Forest struct {
	Trees []*Tree
}

// Tree is one classification tree. Node 0 is the root; a leaf has Feature −1.
type Tree struct {
	Nodes []Node
}

// Node is one node of a Tree: samples with x[Feature] ≤ Threshold go to Left,
// the others to Right. P is the weighted fraction of positive training samples
// that reached the node.
type Node struct {
	Feature     int
	Threshold   float64
	Left, Right int
	P           float64
}

// FitForest grows a random forest on samples x (n rows of p features) with
// labels y (0 or 1). Each tree is grown on a bootstrap sample (n draws with
// replacement, as integer weights), splitting each node on the best Gini
// decrease among MaxFeatures features drawn without replacement (features
// constant in the node are skipped and do not count, as in scikit-learn) at the
// midpoints between successive distinct values. The same data and options give
// the same forest. It returns an error for no samples, ragged rows, or labels
// other than 0 and 1.
func FitForest(x [][]float64, y []float64, opt *ForestOptions) (*Forest, error) {
	if err := checkXY(x, y); err != nil {
		return nil, err
	}
	o := ForestOptions{}
	if opt != nil {
		o = *opt
	}
	if o.Trees <= 0 {
		o.Trees = 100
	}
	p := len(x[0])
	if o.MaxFeatures <= 0 {
		o.MaxFeatures = max(1, int(math.Sqrt(float64(p))))
	}
	o.MaxFeatures = min(o.MaxFeatures, p)
	if o.MinLeaf <= 0 {
		o.MinLeaf = 1
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0xf04e57))
	f := &Forest{}
	n := len(x)
	for range o.Trees {
		w := make([]float64, n)
		if o.NoBootstrap {
			for i := range w {
				w[i] = 1
			}
		} else {
			for range n {
				w[rng.IntN(n)]++
			}
		}
		g := &grower{x: x, y: y, w: w, opt: &o, rng: rng, feats: make([]int, p)}
		for i := range g.feats {
			g.feats[i] = i
		}
		var idx []int
		for i, wi := range w {
			if wi > 0 {
				idx = append(idx, i)
			}
		}
		t := &Tree{}
		g.grow(t, idx, 0)
		f.Trees = append(f.Trees, t)
	}
	return f, nil
}

func checkXY(x [][]float64, y []float64) error {
	if len(x) == 0 {
		return errors.New("no training samples")
	}
	if len(x) != len(y) {
		return fmt.Errorf("%d samples but %d labels", len(x), len(y))
	}
	for i, row := range x {
		if len(row) != len(x[0]) {
			return fmt.Errorf("sample %d has %d features, sample 0 has %d", i, len(row), len(x[0]))
		}
		if y[i] != 0 && y[i] != 1 {
			return fmt.Errorf("label %d is %v, want 0 or 1", i, y[i])
		}
	}
	if len(x[0]) == 0 {
		return errors.New("samples have no features")
	}
	return nil
}

// Prob returns the forest's probability that x is positive: the mean over trees
// of the positive fraction in the leaf x reaches. It panics if x has the wrong
// length.
func (f *Forest) Prob(x []float64) float64 {
	s := 0.0
	for _, t := range f.Trees {
		s += t.Prob(x)
	}
	return s / float64(len(f.Trees))
}

// Prob returns the positive fraction of the leaf that x reaches.
func (t *Tree) Prob(x []float64) float64 {
	k := 0
	for {
		nd := &t.Nodes[k]
		if nd.Feature < 0 {
			return nd.P
		}
		if x[nd.Feature] <= nd.Threshold {
			k = nd.Left
		} else {
			k = nd.Right
		}
	}
}

// grower grows one tree.
type grower struct {
	x     [][]float64
	y, w  []float64
	opt   *ForestOptions
	rng   *rand.Rand
	feats []int
}

// grow appends the node for samples idx (and its subtree) and returns its index.
func (g *grower) grow(t *Tree, idx []int, depth int) int {
	k := len(t.Nodes)
	wPos, wAll := 0.0, 0.0
	for _, i := range idx {
		wAll += g.w[i]
		wPos += g.w[i] * g.y[i]
	}
	t.Nodes = append(t.Nodes, Node{Feature: -1, P: wPos / wAll})
	if wPos == 0 || wPos == wAll || len(idx) < 2*g.opt.MinLeaf || (g.opt.MaxDepth > 0 && depth >= g.opt.MaxDepth) {
		return k
	}
	feat, thr, ok := g.bestSplit(idx)
	if !ok {
		return k
	}
	var left, right []int
	for _, i := range idx {
		if g.x[i][feat] <= thr {
			left = append(left, i)
		} else {
			right = append(right, i)
		}
	}
	l := g.grow(t, left, depth+1)
	r := g.grow(t, right, depth+1)
	t.Nodes[k].Feature, t.Nodes[k].Threshold, t.Nodes[k].Left, t.Nodes[k].Right = feat, thr, l, r
	return k
}

// bestSplit draws features in random order and returns the split with the
// largest Gini decrease among the first MaxFeatures that are not constant on
// idx. ok is false when every feature is constant or no split leaves MinLeaf
// samples on both sides.
func (g *grower) bestSplit(idx []int) (feat int, thr float64, ok bool) {
	best := math.Inf(1)
	tried := 0
	for j := 0; j < len(g.feats) && tried < g.opt.MaxFeatures; j++ {
		r := j + g.rng.IntN(len(g.feats)-j)
		g.feats[j], g.feats[r] = g.feats[r], g.feats[j]
		f := g.feats[j]
		if g.constant(idx, f) {
			continue
		}
		tried++
		if imp, t, found := g.splitOn(idx, f); found && imp < best {
			best, feat, thr, ok = imp, f, t, true
		}
	}
	return feat, thr, ok
}

func (g *grower) constant(idx []int, f int) bool {
	v := g.x[idx[0]][f]
	for _, i := range idx[1:] {
		if g.x[i][f] != v {
			return false
		}
	}
	return true
}

// splitOn returns the lowest weighted Gini impurity of the children over the
// thresholds of feature f, and that threshold.
func (g *grower) splitOn(idx []int, f int) (imp, thr float64, found bool) {
	s := append([]int(nil), idx...)
	sort.SliceStable(s, func(a, b int) bool { return g.x[s[a]][f] < g.x[s[b]][f] })
	totW, totP := 0.0, 0.0
	for _, i := range s {
		totW += g.w[i]
		totP += g.w[i] * g.y[i]
	}
	lw, lp := 0.0, 0.0
	imp = math.Inf(1)
	for k := 0; k+1 < len(s); k++ {
		i := s[k]
		lw += g.w[i]
		lp += g.w[i] * g.y[i]
		a, b := g.x[i][f], g.x[s[k+1]][f]
		if a == b || k+1 < g.opt.MinLeaf || len(s)-k-1 < g.opt.MinLeaf {
			continue
		}
		rw, rp := totW-lw, totP-lp
		v := lw*gini(lp/lw) + rw*gini(rp/rw)
		if v < imp {
			imp, thr, found = v, a+(b-a)/2, true
		}
	}
	return imp, thr, found
}

// gini is the Gini impurity 2p(1 − p) of a node with positive fraction p.
func gini(p float64) float64 { return 2 * p * (1 - p) }
