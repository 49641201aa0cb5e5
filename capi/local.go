package main

// The functions a simulation code that splits space between processes needs (a
// KIM-API model driver, LAMMPS): the model's reach, and energies and forces of a
// domain given as owned and padding particles with neighbour lists.

/*
#include <stdlib.h>
*/
import "C"

import (
	"unsafe"

	"github.com/sciadapt/sciadapt/potentials"
)

// maxNeighbors bounds the total length of the neighbour lists of one call.
const maxNeighbors = 1 << 30

//export sciadapt_potential_info
func sciadapt_potential_info(handle C.int, cutoff *C.double, influence_distance *C.double, nspecies *C.int, species *C.int, max_species C.int) C.int {
	return call("sciadapt_potential_info", func() *failure {
		p, f := lookupPotential(handle)
		if f != nil {
			return f
		}
		sp := p.model.Species()
		switch {
		case max_species < 0:
			return fail(codeArgument, "max_species = %d; need ≥ 0", max_species)
		case species == nil && max_species > 0:
			return fail(codeArgument, "species is NULL but max_species = %d", max_species)
		}
		if cutoff != nil {
			*cutoff = C.double(p.model.Config.Cutoff)
		}
		if influence_distance != nil {
			*influence_distance = C.double(potentials.InfluenceDistance(p.model))
		}
		if nspecies != nil {
			*nspecies = C.int(len(sp))
		}
		if max_species > 0 {
			dst := unsafe.Slice(species, int(max_species))
			for k := 0; k < len(sp) && k < int(max_species); k++ {
				dst[k] = C.int(sp[k])
			}
		}
		return nil
	})
}

//export sciadapt_potential_compute_local
func sciadapt_potential_compute_local(handle C.int, n C.int, positions *C.double, numbers *C.int, contributing *C.int, neighbor_start *C.int, neighbors *C.int, energy *C.double, particle_energy *C.double, forces *C.double, virial *C.double, particle_virial *C.double) C.int {
	return call("sciadapt_potential_compute_local", func() *failure {
		p, f := lookupPotential(handle)
		if f != nil {
			return f
		}
		N := int(n)
		switch {
		case n < 0 || n > maxAtoms:
			return fail(codeArgument, "n = %d particles; need 0 ≤ n ≤ %d", n, maxAtoms)
		case N > 0 && (positions == nil || numbers == nil || contributing == nil):
			return fail(codeArgument, "positions, numbers and contributing must not be NULL")
		case neighbor_start == nil:
			return fail(codeArgument, "neighbor_start must not be NULL (n + 1 offsets)")
		}
		l, f := localOf(N, positions, numbers, contributing, neighbor_start, neighbors)
		if f != nil {
			return f
		}
		opt := &potentials.LocalOptions{Virial: virial != nil || particle_virial != nil}
		p.mu.Lock()
		r, err := potentials.ComputeLocal(p.model, l, opt)
		p.mu.Unlock()
		if err != nil {
			return fail(codeArgument, "%v", err)
		}
		if energy != nil {
			*energy = C.double(r.Energy)
		}
		if particle_energy != nil && N > 0 {
			copy(out(particle_energy, N), r.AtomEnergies)
		}
		if forces != nil && N > 0 {
			copy(out(forces, 3*N), r.Forces)
		}
		if virial != nil {
			copy(out(virial, 6), r.Virial[:])
		}
		if particle_virial != nil && N > 0 {
			copy(out(particle_virial, 6*N), r.AtomVirials)
		}
		return nil
	})
}

// localOf copies the C arrays of a domain into a potentials.Local.
func localOf(N int, positions *C.double, numbers, contributing, neighborStart, neighbors *C.int) (*potentials.Local, *failure) {
	start := unsafe.Slice(neighborStart, N+1)
	total := int(start[N])
	if total < 0 || total > maxNeighbors {
		return nil, fail(codeArgument, "neighbor_start[n] = %d neighbours; need 0 ≤ … ≤ %d", total, maxNeighbors)
	}
	if total > 0 && neighbors == nil {
		return nil, fail(codeArgument, "neighbors is NULL but neighbor_start[n] = %d", total)
	}
	l := &potentials.Local{
		Numbers: make([]int, N), Contributing: make([]bool, N),
		NeighborStart: make([]int, N+1), Neighbors: make([]int, total),
	}
	if N > 0 {
		l.Positions = doubles(positions, 3*N)
		for i, z := range unsafe.Slice(numbers, N) {
			l.Numbers[i] = int(z)
		}
		for i, c := range unsafe.Slice(contributing, N) {
			l.Contributing[i] = c != 0
		}
	}
	for i, s := range start {
		l.NeighborStart[i] = int(s)
	}
	if total > 0 {
		for k, j := range unsafe.Slice(neighbors, total) {
			l.Neighbors[k] = int(j)
		}
	}
	return l, nil
}
