package datasets

import (
	"errors"
	"math"
	"strings"

	"github.com/sciadapt/sciadapt/internal/h5io"
)

// ANI1xOptions controls ImportANI1x.
type ANI1xOptions struct {
	// EnergyKey is the dataset holding the energies, e.g. "wb97x_dz.energy" or
	// "ccsd(t)_cbs.energy". Required.
	EnergyKey string
	// ForcesKey is the dataset holding the forces, e.g. "wb97x_dz.forces"; empty
	// imports no forces.
	ForcesKey string
	// Units of the data; zero fields mean hartree and Å, the units of ANI-1x.
	Units Units
}

// ANI1xReport counts what ImportANI1x read and skipped.
type ANI1xReport struct {
	Systems       int      // systems passed to add
	Frames        int      // frames passed to add
	SkippedEnergy int      // frames skipped because their energy is NaN
	SkippedForces int      // frames skipped because a force component is NaN (energy known)
	EmptySystems  int      // groups whose every frame was skipped
	Keys          []string // the datasets of the first group, for choosing keys
}

// ImportANI1x reads a file in the ANI-1x layout: one group per formula holding
// atomic_numbers (N), coordinates (M,N,3) and one (M,) energy dataset and one
// (M,N,3) forces dataset per level of theory, named "<method>.energy" and
// "<method>.forces", with NaN where a value was not computed. Frames whose chosen
// energy (or, with a forces key, any force component) is NaN are skipped and
// counted; ±Inf, or NaN in coordinates, is an error. Values are converted to eV and
// Å (hartree → eV by default).
//
// Groups are read one at a time, in name order, and passed to add (typically
// (*Writer).Add), so memory holds one group, never the whole file.
func ImportANI1x(path string, opts ANI1xOptions, add func(system string, frames []Frame) error) (ANI1xReport, error) {
	var rep ANI1xReport
	if opts.EnergyKey == "" {
		return rep, errors.New("an energy key is required (e.g. wb97x_dz.energy)")
	}
	u := opts.Units.orDefault(mustDefaultUnits(FormatANI1x))
	ke, kl, kf, _ := u.factors()
	f, err := h5io.Open(path)
	if err != nil {
		return rep, err
	}
	defer f.Close()
	names, err := f.Root().Groups()
	if err != nil {
		return rep, err
	}
	if len(names) == 0 {
		return rep, &h5io.Error{File: path, Err: errors.New("no groups: not an ANI-1x-style file (one group per formula)")}
	}
	for gi, name := range names {
		g, err := f.Root().OpenGroup(name)
		if err != nil {
			return rep, err
		}
		keys, err := g.Datasets()
		if err != nil {
			g.Close()
			return rep, err
		}
		if gi == 0 {
			rep.Keys = keys
		}
		frames, skipE, skipF, err := readANIGroup(g, keys, opts, ke, kl, kf)
		g.Close()
		if err != nil {
			return rep, err
		}
		rep.SkippedEnergy += skipE
		rep.SkippedForces += skipF
		if len(frames) == 0 {
			rep.EmptySystems++
			continue
		}
		if err := add(name, frames); err != nil {
			return rep, err
		}
		rep.Systems++
		rep.Frames += len(frames)
	}
	return rep, nil
}

// readANIGroup reads one ANI-1x group and returns its usable frames.
func readANIGroup(g *h5io.Group, keys []string, opts ANI1xOptions, ke, kl, kf float64) (frames []Frame, skipE, skipF int, err error) {
	hasKey := func(k string) bool {
		for _, x := range keys {
			if x == k {
				return true
			}
		}
		return false
	}
	for _, k := range []string{"atomic_numbers", "coordinates", opts.EnergyKey, opts.ForcesKey} {
		if k != "" && !hasKey(k) {
			return nil, 0, 0, g.Errorf("dataset %q is missing (the group has %s); is this the ANI-1x layout?", k, strings.Join(keys, ", "))
		}
	}
	z, zshape, err := g.ReadInt("atomic_numbers")
	if err != nil {
		return nil, 0, 0, err
	}
	if len(zshape) != 1 || zshape[0] == 0 {
		return nil, 0, 0, g.Errorf("atomic_numbers has shape %s, want (N,) with N ≥ 1", shapeString(zshape))
	}
	if err := checkNumbers(z); err != nil {
		return nil, 0, 0, g.Errorf("atomic_numbers: %v", err)
	}
	n := len(z)
	coords, cshape, err := g.ReadFloat64("coordinates")
	if err != nil {
		return nil, 0, 0, err
	}
	if len(cshape) != 3 || cshape[1] != n || cshape[2] != 3 {
		return nil, 0, 0, g.Errorf("coordinates has shape %s but atomic_numbers has %d atoms (want (M,%d,3))", shapeString(cshape), n, n)
	}
	m := cshape[0]
	energy, eshape, err := g.ReadFloat64(opts.EnergyKey)
	if err != nil {
		return nil, 0, 0, err
	}
	if !sameShape(eshape, []int{m}) {
		return nil, 0, 0, g.Errorf("%s has shape %s but coordinates %s (want (%d,))", opts.EnergyKey, shapeString(eshape), shapeString(cshape), m)
	}
	var forces []float64
	if opts.ForcesKey != "" {
		var fshape []int
		if forces, fshape, err = g.ReadFloat64(opts.ForcesKey); err != nil {
			return nil, 0, 0, err
		}
		if !sameShape(fshape, cshape) {
			return nil, 0, 0, g.Errorf("%s has shape %s but coordinates %s", opts.ForcesKey, shapeString(fshape), shapeString(cshape))
		}
	}
	for k := 0; k < m; k++ {
		e := energy[k]
		if math.IsNaN(e) {
			skipE++
			continue
		}
		if math.IsInf(e, 0) {
			return nil, 0, 0, g.Errorf("frame %d: %s is %v", k, opts.EnergyKey, e)
		}
		pos := coords[k*3*n : (k+1)*3*n]
		if err := checkFinite("coordinates", pos, 3); err != nil {
			return nil, 0, 0, g.Errorf("frame %d: %v", k, err)
		}
		fr := Frame{Index: k, Numbers: append([]int(nil), z...), Positions: scale(pos, kl), Energy: e * ke}
		if forces != nil {
			fv := forces[k*3*n : (k+1)*3*n]
			nan := false
			for i, v := range fv {
				if math.IsNaN(v) {
					nan = true
					break
				}
				if math.IsInf(v, 0) {
					return nil, 0, 0, g.Errorf("frame %d: %s of atom %d is %v", k, opts.ForcesKey, i/3, v)
				}
			}
			if nan {
				skipF++
				continue
			}
			fr.Forces = scale(fv, kf)
		}
		if err := checkFrameValues(&fr); err != nil {
			return nil, 0, 0, g.Errorf("frame %d: after conversion to eV and Å: %v", k, err)
		}
		frames = append(frames, fr)
	}
	return frames, skipE, skipF, nil
}
