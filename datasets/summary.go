package datasets

import (
	"math"
	"sort"
)

// Range is the smallest and largest of some values; both NaN if there were none.
type Range struct{ Min, Max float64 }

func emptyRange() Range { return Range{math.NaN(), math.NaN()} }

func (r *Range) add(v float64) {
	if math.IsNaN(r.Min) || v < r.Min {
		r.Min = v
	}
	if math.IsNaN(r.Max) || v > r.Max {
		r.Max = v
	}
}

func (r *Range) merge(o Range) {
	if !math.IsNaN(o.Min) {
		r.add(o.Min)
		r.add(o.Max)
	}
}

// Stats are value statistics of a set of frames, in eV and Å.
type Stats struct {
	Frames        int
	Energy        Range   // total energy, eV
	EnergyPerAtom Range   // energy / N, eV/atom
	ForceMaxAbs   float64 // largest |F| component, eV/Å; NaN without forces
	ForceRMS      float64 // root mean square of all force components, eV/Å; NaN without forces
	Stress        Range   // stress components, eV/Å³; NaN without stress

	forceSq float64
	forceN  int
}

func newStats() Stats {
	return Stats{Energy: emptyRange(), EnergyPerAtom: emptyRange(), ForceMaxAbs: math.NaN(), ForceRMS: math.NaN(), Stress: emptyRange()}
}

func (s *Stats) add(fr *Frame) {
	s.Frames++
	s.Energy.add(fr.Energy)
	s.EnergyPerAtom.add(fr.Energy / float64(fr.Len()))
	for _, v := range fr.Forces {
		a := math.Abs(v)
		if math.IsNaN(s.ForceMaxAbs) || a > s.ForceMaxAbs {
			s.ForceMaxAbs = a
		}
		s.forceSq += v * v
		s.forceN++
	}
	if fr.Stress != nil {
		for _, v := range fr.Stress {
			s.Stress.add(v)
		}
	}
}

func (s *Stats) merge(o *Stats) {
	s.Frames += o.Frames
	s.Energy.merge(o.Energy)
	s.EnergyPerAtom.merge(o.EnergyPerAtom)
	if !math.IsNaN(o.ForceMaxAbs) && (math.IsNaN(s.ForceMaxAbs) || o.ForceMaxAbs > s.ForceMaxAbs) {
		s.ForceMaxAbs = o.ForceMaxAbs
	}
	s.forceSq += o.forceSq
	s.forceN += o.forceN
	s.Stress.merge(o.Stress)
}

func (s *Stats) finish() {
	if s.forceN > 0 {
		s.ForceRMS = math.Sqrt(s.forceSq / float64(s.forceN))
	}
}

// SystemSummary is a system's layout and value statistics.
type SystemSummary struct {
	SystemInfo
	Stats Stats
}

// Summary describes a whole atoms file.
type Summary struct {
	Systems  []SystemSummary // ordered by name
	Elements []int           // atomic numbers present, ascending
	Periodic bool            // some system has a cell
	All      Stats           // over every frame
}

// summaryBlock is the number of frames read at a time by Summary.
const summaryBlock = 1024

// Summary reads every frame, a block of frames at a time (memory stays small for
// any file size), and returns the file's statistics. A non-finite value anywhere is
// an error naming the group and frame.
func (f *File) Summary() (Summary, error) {
	sum := Summary{All: newStats()}
	seen := map[int]bool{}
	for _, info := range f.systems {
		ss := SystemSummary{SystemInfo: info, Stats: newStats()}
		for start := 0; start < info.Frames; start += summaryBlock {
			frames, err := f.readRows(info.Name, start, min(summaryBlock, info.Frames-start))
			if err != nil {
				return Summary{}, err
			}
			for i := range frames {
				ss.Stats.add(&frames[i])
			}
		}
		sum.All.merge(&ss.Stats)
		ss.Stats.finish()
		sum.Systems = append(sum.Systems, ss)
		for _, z := range info.Numbers {
			seen[z] = true
		}
		sum.Periodic = sum.Periodic || info.HasCell
	}
	sum.All.finish()
	for z := range seen {
		sum.Elements = append(sum.Elements, z)
	}
	sort.Ints(sum.Elements)
	return sum, nil
}
