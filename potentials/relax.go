package potentials

// Relaxation is the outcome of Relax.
type Relaxation struct {
	FIREResult
	InitialEnergy, InitialFMax float64 // eV and eV/Å, at the starting positions
	Final                      Result  // energy, forces (and stress) at the relaxed positions
	NeighborListBuilds         int
}

// Relax relaxes the positions of s (modified in place; the cell is fixed) with m
// (and its attached adapter) by FIRE with default options until the largest
// atomic force is below fmax (eV/Å), in at most maxSteps steps, with neighbour
// lists of skin Å. onStep, if set, is called after every step. It returns the
// error of FIRE (so an error when it did not converge), or of the final
// evaluation.
func Relax(m *Model, s *Structure, fmax float64, maxSteps int, skin float64, onStep func()) (*Relaxation, error) {
	calc, err := NewMDCalculator(m, skin)
	if err != nil {
		return nil, err
	}
	r := &Relaxation{}
	r.FIREResult, err = FIRE(calc, s, fmax, maxSteps, &FIREOptions{Observe: func(step int, e, fmax float64) {
		if step == 0 {
			r.InitialEnergy, r.InitialFMax = e, fmax
		} else if onStep != nil {
			onStep()
		}
	}})
	if err != nil {
		return nil, err
	}
	if r.Final, err = calc.Compute(s); err != nil {
		return nil, err
	}
	r.NeighborListBuilds = calc.Builds()
	return r, nil
}

// Report returns the report of the relaxation (the "relax" command's), without
// the command's seconds.
func (r *Relaxation) Report(m *Model) RelaxReport {
	rep := RelaxReport{Steps: r.Steps, Converged: r.Converged, InitialEnergy: r.InitialEnergy, FinalEnergy: r.Energy,
		InitialFMax: r.InitialFMax, FinalFMax: r.FMax, NeighborListBuilds: r.NeighborListBuilds}
	rep.Total = parameterCount(m)
	return rep
}

// RelaxReport is the report of "relax".
type RelaxReport struct {
	Parameters
	Seconds            float64 `json:"seconds"`
	Steps              int     `json:"steps"`
	Converged          bool    `json:"converged"`
	InitialEnergy      float64 `json:"initial_energy_ev"`
	FinalEnergy        float64 `json:"final_energy_ev"`
	InitialFMax        float64 `json:"initial_fmax_ev_per_angstrom"`
	FinalFMax          float64 `json:"final_fmax_ev_per_angstrom"`
	NeighborListBuilds int     `json:"neighbor_list_builds"`
}
