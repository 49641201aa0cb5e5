package datasets

// Batch is frames of any sizes packed into flat arrays, the form a model consumes:
// the atoms of all frames are concatenated, and Frame maps each atom to its frame
// for segment sums (atom energies → frame energies). Units are eV and Å.
type Batch struct {
	Numbers   []int     // atomic numbers of all atoms, length A = Σ N_b
	Positions []float64 // positions in Å, length 3A
	Frame     []int     // frame (0…B−1) of each atom, length A
	Offsets   []int     // atoms of frame b are Offsets[b] ≤ i < Offsets[b+1]; length B+1
	Energies  []float64 // energy of each frame in eV, length B

	Forces []float64 // forces in eV/Å, length 3A; nil unless every frame has forces
	Cells  []float64 // cells (rows, Å), length 9B; nil unless every frame has a cell
	PBC    [][3]bool // periodicity of each frame, length B
	Stress []float64 // stresses in eV/Å³ (row-major, + tensile), length 9B; nil unless every frame has one
}

// Len returns the number of frames B in the batch.
func (b *Batch) Len() int { return len(b.Energies) }

// Pack packs frames into a Batch; the batch does not share memory with frames.
func Pack(frames []Frame) Batch {
	total := 0
	allForces, allCells, allStress := len(frames) > 0, len(frames) > 0, len(frames) > 0
	for i := range frames {
		total += frames[i].Len()
		allForces = allForces && frames[i].Forces != nil
		allCells = allCells && frames[i].Cell != nil
		allStress = allStress && frames[i].Stress != nil
	}
	b := Batch{
		Numbers:   make([]int, 0, total),
		Positions: make([]float64, 0, 3*total),
		Frame:     make([]int, 0, total),
		Offsets:   make([]int, 1, len(frames)+1),
		Energies:  make([]float64, 0, len(frames)),
		PBC:       make([][3]bool, 0, len(frames)),
	}
	if allForces {
		b.Forces = make([]float64, 0, 3*total)
	}
	if allCells {
		b.Cells = make([]float64, 0, 9*len(frames))
	}
	if allStress {
		b.Stress = make([]float64, 0, 9*len(frames))
	}
	for i := range frames {
		fr := &frames[i]
		b.Numbers = append(b.Numbers, fr.Numbers...)
		b.Positions = append(b.Positions, fr.Positions...)
		for range fr.Numbers {
			b.Frame = append(b.Frame, i)
		}
		b.Offsets = append(b.Offsets, len(b.Numbers))
		b.Energies = append(b.Energies, fr.Energy)
		b.PBC = append(b.PBC, fr.PBC)
		if allForces {
			b.Forces = append(b.Forces, fr.Forces...)
		}
		if allCells {
			b.Cells = append(b.Cells, fr.Cell[:]...)
		}
		if allStress {
			b.Stress = append(b.Stress, fr.Stress[:]...)
		}
	}
	return b
}
