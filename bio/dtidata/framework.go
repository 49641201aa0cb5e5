package dtidata

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/sciadapt/sciadapt/bio/seq"
)

// AcyclicKey is the FrameworkKey of a molecule without rings.
const AcyclicKey = "acyclic"

// FrameworkKey returns a coarse, deterministic signature of the Bemis–Murcko
// framework of the molecule written by smiles. It is an APPROXIMATION of scaffold
// grouping, not a Murcko scaffold:
//
// The framework itself is exact as a graph: atoms are read from the SMILES,
// hydrogens and bond orders are ignored, and atoms of degree ≤ 1 are pruned
// repeatedly, which removes every side chain and leaves the rings and the
// linkers between them (the Bemis–Murcko framework, without RDKit's exocyclic
// double-bonded atoms). What is approximate is the key: instead of a canonical
// SMILES of that graph (which needs canonical graph labelling, a cheminformatics
// toolkit we do not have) the key lists, for each ring system (atoms joined by ring
// bonds), its number of rings and its element composition, aromaticity ignored,
// sorted, followed by the number of linker atoms, e.g.
//
//	"R1:C6"               benzene, toluene, phenol (side chains stripped)
//	"R1:C6+R1:C6|L1"      diphenylmethane
//	"R2:C10"              naphthalene
//
// The key is invariant under the writing order of the SMILES and under Kekulé
// versus aromatic forms, so one molecule always gets one key. Different scaffolds
// with the same composition share a key (meta- and para-terphenyl, or indole and
// isoindole, collide), so groups are at least as coarse as true scaffold groups —
// safe for keeping similar compounds on one side of a split, not for counting
// distinct chemotypes. Molecules without rings get AcyclicKey.
func FrameworkKey(smiles string) (string, error) {
	toks, err := seq.TokenizeSMILES(smiles)
	if err != nil {
		return "", err
	}
	var (
		elem  []string
		edges = map[[2]int]bool{}
		prev  = -1
		stack []int
		open  = map[string]int{}
	)
	addEdge := func(a, b int) {
		if a > b {
			a, b = b, a
		}
		edges[[2]int{a, b}] = true
	}
	for _, t := range toks {
		switch {
		case t == "(":
			stack = append(stack, prev)
		case t == ")":
			prev = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
		case t == ".":
			prev = -1
		case len(t) == 1 && strings.ContainsRune(`-=#$:/\`, rune(t[0])):
			// bond order is ignored
		case t[0] >= '0' && t[0] <= '9' || t[0] == '%':
			if a, ok := open[t]; ok {
				if a == prev {
					return "", fmt.Errorf("SMILES %q: ring bond %s closes on the atom that opened it", smiles, t)
				}
				addEdge(a, prev)
				delete(open, t)
			} else {
				open[t] = prev
			}
		default: // an atom
			a := len(elem)
			elem = append(elem, atomElement(t))
			if prev >= 0 {
				addEdge(prev, a)
			}
			prev = a
		}
	}
	return frameworkKey(elem, edges), nil
}

// atomElement returns the element symbol of an atom token, capitalised ("c" → "C",
// "[nH+]" → "N", "[13CH3]" → "C", "[se]" → "Se", "*" → "*").
func atomElement(t string) string {
	if t[0] == '[' {
		t = strings.TrimLeft(t[1:], "0123456789")
		n := 1
		if len(t) > 1 && t[1] >= 'a' && t[1] <= 'z' {
			if (t[0] >= 'A' && t[0] <= 'Z') || t[:2] == "se" || t[:2] == "as" || t[:2] == "te" {
				n = 2
			}
		}
		t = t[:n]
	}
	return strings.ToUpper(t[:1]) + t[1:]
}

func frameworkKey(elem []string, edges map[[2]int]bool) string {
	n := len(elem)
	adj := make([][]int, n)
	for e := range edges {
		adj[e[0]] = append(adj[e[0]], e[1])
		adj[e[1]] = append(adj[e[1]], e[0])
	}
	// Prune atoms of degree ≤ 1 until none is left.
	alive := make([]bool, n)
	deg := make([]int, n)
	var queue []int
	for i := range adj {
		alive[i] = true
		deg[i] = len(adj[i])
		if deg[i] <= 1 {
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		a := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if !alive[a] {
			continue
		}
		alive[a] = false
		for _, b := range adj[a] {
			if alive[b] {
				deg[b]--
				if deg[b] <= 1 {
					queue = append(queue, b)
				}
			}
		}
	}
	// Ring bonds are the framework bonds that are not bridges.
	bridge := bridges(adj, alive)
	ringAtom := make([]bool, n)
	for e := range edges {
		if alive[e[0]] && alive[e[1]] && !bridge[e] {
			ringAtom[e[0]], ringAtom[e[1]] = true, true
		}
	}
	// Ring systems: components of ring atoms joined by ring bonds.
	seen := make([]bool, n)
	var systems []string
	linkers := 0
	for s := range n {
		if !alive[s] {
			continue
		}
		if !ringAtom[s] {
			linkers++
			continue
		}
		if seen[s] {
			continue
		}
		count := map[string]int{}
		atoms, bonds2 := 0, 0 // bonds counted from both ends
		stack := []int{s}
		seen[s] = true
		for len(stack) > 0 {
			a := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			atoms++
			count[elem[a]]++
			for _, b := range adj[a] {
				if !alive[b] || bridge[edgeKey(a, b)] {
					continue
				}
				bonds2++
				if !seen[b] {
					seen[b] = true
					stack = append(stack, b)
				}
			}
		}
		rings := bonds2/2 - atoms + 1
		systems = append(systems, "R"+strconv.Itoa(rings)+":"+formula(count))
	}
	if len(systems) == 0 {
		return AcyclicKey
	}
	sort.Strings(systems)
	key := strings.Join(systems, "+")
	if linkers > 0 {
		key += "|L" + strconv.Itoa(linkers)
	}
	return key
}

func edgeKey(a, b int) [2]int {
	if a > b {
		a, b = b, a
	}
	return [2]int{a, b}
}

// formula writes element counts with C first and the rest in byte order: "C9N2O".
func formula(count map[string]int) string {
	keys := sortedKeys(count)
	sort.SliceStable(keys, func(i, j int) bool { return keys[i] == "C" && keys[j] != "C" })
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k)
		if count[k] > 1 {
			b.WriteString(strconv.Itoa(count[k]))
		}
	}
	return b.String()
}

// bridges returns the bridges of the subgraph of alive atoms (Tarjan's low-link,
// iterative so that long chains cannot overflow the stack).
func bridges(adj [][]int, alive []bool) map[[2]int]bool {
	n := len(adj)
	disc := make([]int, n)
	low := make([]int, n)
	for i := range disc {
		disc[i] = -1
	}
	out := map[[2]int]bool{}
	timer := 0
	type frame struct{ v, parent, next int }
	for root := range n {
		if !alive[root] || disc[root] >= 0 {
			continue
		}
		disc[root], low[root] = timer, timer
		timer++
		st := []frame{{root, -1, 0}}
		for len(st) > 0 {
			f := &st[len(st)-1]
			if f.next < len(adj[f.v]) {
				w := adj[f.v][f.next]
				f.next++
				if !alive[w] || w == f.parent {
					continue
				}
				if disc[w] < 0 {
					disc[w], low[w] = timer, timer
					timer++
					st = append(st, frame{w, f.v, 0})
				} else {
					low[f.v] = min(low[f.v], disc[w])
				}
				continue
			}
			v, p := f.v, f.parent
			st = st[:len(st)-1]
			if p >= 0 {
				low[p] = min(low[p], low[v])
				if low[v] > disc[p] {
					out[edgeKey(p, v)] = true
				}
			}
		}
	}
	return out
}

// DrugFrameworks returns the FrameworkKey of every drug of d and a group number per
// drug: drugs with equal keys share a group, groups numbered 0, 1, … in order of
// first appearance. The error names the first drug whose SMILES does not parse.
func (d *Dataset) DrugFrameworks() (keys []string, groups []int, err error) {
	keys = make([]string, len(d.Drugs))
	groups = make([]int, len(d.Drugs))
	num := map[string]int{}
	for i, dr := range d.Drugs {
		k, err := FrameworkKey(dr.SMILES)
		if err != nil {
			return nil, nil, fmt.Errorf("drug %d (%s): %v", i, dr.ID, err)
		}
		g, ok := num[k]
		if !ok {
			g = len(num)
			num[k] = g
		}
		keys[i], groups[i] = k, g
	}
	return keys, groups, nil
}
