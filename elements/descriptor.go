package elements

import (
	"fmt"
	"math"
	"slices"
)

// Indices of the components of a descriptor vector. Each component is the
// named property, standardised over the reference elements Z = 1–86 as
// described in the package documentation.
const (
	DescPeriod            = iota // period, 1–7
	DescGroup                    // group, 1–18; the f block (Group 0) counts as 3
	DescElectronegativity        // Pauling electronegativity; missing values imputed
	DescCovalentRadius           // covalent radius, Å
	DescIonizationEnergy         // first ionisation energy, eV; missing values imputed
	DescValenceElectrons         // valence electrons (package rule)
	DescBlockS                   // 1 if s block, else 0
	DescBlockP                   // 1 if p block, else 0
	DescBlockD                   // 1 if d block, else 0
	DescBlockF                   // 1 if f block, else 0
	DescMass                     // Mass, u

	// DescriptorLen is the length of a descriptor vector.
	DescriptorLen
)

// ScaleMaxZ is the largest atomic number of the reference elements
// (Z = 1 … ScaleMaxZ) over which every descriptor component is scaled to
// zero mean and unit variance.
const ScaleMaxZ = 86

// DescriptorNames returns the names of the descriptor components in order,
// with the units of the unscaled property; len = DescriptorLen.
func DescriptorNames() []string {
	return []string{
		DescPeriod:            "period",
		DescGroup:             "group (f block = 3)",
		DescElectronegativity: "Pauling electronegativity",
		DescCovalentRadius:    "covalent radius (Å)",
		DescIonizationEnergy:  "first ionisation energy (eV)",
		DescValenceElectrons:  "valence electrons",
		DescBlockS:            "s block",
		DescBlockP:            "p block",
		DescBlockD:            "d block",
		DescBlockF:            "f block",
		DescMass:              "atomic mass (u)",
	}
}

// descriptorTable holds every element's descriptor. It is built once when the
// package is initialised and never modified.
type descriptorTable struct {
	imputed [Count + 1][DescriptorLen]float64 // unscaled, missing values imputed
	mean    [DescriptorLen]float64            // over Z = 1 … ScaleMaxZ
	std     [DescriptorLen]float64            // population standard deviation, same set
	scaled  [Count + 1][DescriptorLen]float64 // (imputed − mean) / std
}

var descriptors = buildDescriptors()

// rawDescriptor returns the unscaled descriptor of e with NaN where the
// property is missing.
func rawDescriptor(e Element) [DescriptorLen]float64 {
	var d [DescriptorLen]float64
	d[DescPeriod] = float64(e.Period)
	d[DescGroup] = float64(e.Group)
	if e.Group == 0 {
		d[DescGroup] = 3
	}
	d[DescElectronegativity] = e.Electronegativity
	d[DescCovalentRadius] = e.CovalentRadius
	d[DescIonizationEnergy] = e.IonizationEnergy
	d[DescValenceElectrons] = float64(e.ValenceElectrons)
	switch e.Block {
	case "s":
		d[DescBlockS] = 1
	case "p":
		d[DescBlockP] = 1
	case "d":
		d[DescBlockD] = 1
	case "f":
		d[DescBlockF] = 1
	default:
		panic(fmt.Sprintf("elements: %s has block %q", e.Symbol, e.Block))
	}
	d[DescMass] = e.Mass
	return d
}

func buildDescriptors() *descriptorTable {
	t := new(descriptorTable)
	var raw [Count + 1][DescriptorLen]float64
	for z := 1; z <= Count; z++ {
		raw[z] = rawDescriptor(table[z])
	}

	// Imputation: the mean of the component over the reference elements of
	// the same group (Group 0, the f block, is a group here) that have a
	// value; if none has, the mean over all reference elements that have one.
	for c := range DescriptorLen {
		var sum float64
		var n int
		groupSum := make(map[int]float64)
		groupN := make(map[int]int)
		for z := 1; z <= ScaleMaxZ; z++ {
			v := raw[z][c]
			if math.IsNaN(v) {
				continue
			}
			sum += v
			n++
			groupSum[table[z].Group] += v
			groupN[table[z].Group]++
		}
		if n == 0 {
			panic(fmt.Sprintf("elements: descriptor component %d has no value for Z ≤ %d", c, ScaleMaxZ))
		}
		for z := 1; z <= Count; z++ {
			v := raw[z][c]
			if math.IsNaN(v) {
				g := table[z].Group
				if groupN[g] > 0 {
					v = groupSum[g] / float64(groupN[g])
				} else {
					v = sum / float64(n)
				}
			}
			t.imputed[z][c] = v
		}
	}

	// Standardisation over the reference elements.
	for c := range DescriptorLen {
		var mean float64
		for z := 1; z <= ScaleMaxZ; z++ {
			mean += t.imputed[z][c]
		}
		mean /= ScaleMaxZ
		var ss float64
		for z := 1; z <= ScaleMaxZ; z++ {
			d := t.imputed[z][c] - mean
			ss += d * d
		}
		std := math.Sqrt(ss / ScaleMaxZ)
		if std == 0 {
			panic(fmt.Sprintf("elements: descriptor component %d is constant over Z ≤ %d", c, ScaleMaxZ))
		}
		t.mean[c], t.std[c] = mean, std
		for z := 1; z <= Count; z++ {
			t.scaled[z][c] = (t.imputed[z][c] - mean) / std
		}
	}
	return t
}

// Descriptor returns the descriptor vector of the element with atomic number
// z: DescriptorLen components, indexed by the Desc constants, each scaled to
// zero mean and unit variance over Z = 1 … ScaleMaxZ. Every component is
// finite. The result is a new slice that the caller may modify.
func Descriptor(z int) ([]float64, error) {
	if z < 1 || z > Count {
		return nil, fmt.Errorf("no element has atomic number %d (known elements: Z = 1–%d)", z, Count)
	}
	d := descriptors.scaled[z]
	return d[:], nil
}

// distance is the Euclidean distance between the descriptors of a and b.
func distance(a, b int) float64 {
	da, db := &descriptors.scaled[a], &descriptors.scaled[b]
	var ss float64
	for c := range DescriptorLen {
		d := da[c] - db[c]
		ss += d * d
	}
	return math.Sqrt(ss)
}

// Neighbours returns the k candidates nearest to element z in descriptor space
// (Euclidean distance between Descriptor vectors), nearest first; candidates
// at equal distance are ordered by atomic number. A candidate listed twice is
// returned once. If fewer than k distinct candidates are given, all are
// returned. z itself is not excluded: if it is a candidate it comes first, at
// distance 0.
//
// Neighbours panics if z or a candidate is not an atomic number 1 … Count, or
// if k < 0.
func Neighbours(z int, candidates []int, k int) []int {
	if z < 1 || z > Count {
		panic(fmt.Sprintf("elements: Neighbours: atomic number %d out of range 1–%d", z, Count))
	}
	if k < 0 {
		panic(fmt.Sprintf("elements: Neighbours: negative k %d", k))
	}
	for _, c := range candidates {
		if c < 1 || c > Count {
			panic(fmt.Sprintf("elements: Neighbours: candidate atomic number %d out of range 1–%d", c, Count))
		}
	}
	return nearest(z, candidates, k, distance)
}

// nearest returns the k distinct candidates with the smallest dist(z, c),
// nearest first, ties ordered by atomic number.
func nearest(z int, candidates []int, k int, dist func(a, b int) float64) []int {
	type cand struct {
		z int
		d float64
	}
	seen := make(map[int]bool, len(candidates))
	cs := make([]cand, 0, len(candidates))
	for _, c := range candidates {
		if seen[c] {
			continue
		}
		seen[c] = true
		cs = append(cs, cand{c, dist(z, c)})
	}
	slices.SortFunc(cs, func(a, b cand) int {
		if a.d < b.d {
			return -1
		}
		if a.d > b.d {
			return 1
		}
		return a.z - b.z
	})
	n := min(k, len(cs))
	out := make([]int, n)
	for i := range n {
		out[i] = cs[i].z
	}
	return out
}
