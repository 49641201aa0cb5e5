// Command capi is sciadapt's C interface, built as a shared library:
//
//	go build -buildmode=c-shared -o bin/libsciadapt.so ./capi
//
// The functions, their arguments, units and error codes are documented in the
// hand-written header sciadapt.h beside this file (the header that the build
// writes next to the library declares the same functions with cgo's types; a test
// checks that the two agree). capi/README.md shows how to build and link.
//
// Every exported function runs its work through call, which turns errors into
// status codes, recovers any panic so that none crosses into C, and sets the
// calling thread's error message. The only mutable state is the table of open
// handles (handles), guarded by its mutex; each handle has its own mutex, which
// serialises calls on it.
package main

/*
#include <stdlib.h>
void sciadapt_set_last_error(const char *msg);
*/
import "C"

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/sciadapt/sciadapt/adapters"
	"github.com/sciadapt/sciadapt/constitutive"
	"github.com/sciadapt/sciadapt/potentials"
)

func main() {}

// Status codes; keep in step with the enum in sciadapt.h.
const (
	codeOK       = 0
	codeFile     = 1
	codeHandle   = 2
	codeArgument = 3
	codeCompute  = 4
	codeInternal = 5
)

// skin is the Verlet skin of the potentials' neighbour lists, Å (see sciadapt.h).
const skin = 1.0

// maxAtoms bounds n so that 3·n and 9 fit easily in an int and a C int.
const maxAtoms = 1 << 26

// nStateVars is the number of state variables of a material point (SCIADAPT_NSTATV).
const nStateVars = 13

// failure is an error with its status code.
type failure struct {
	code int
	msg  string
}

func fail(code int, format string, args ...any) *failure {
	return &failure{code, fmt.Sprintf(format, args...)}
}

// call runs f for the exported function name: a failure becomes its status code
// and the thread's error message; a panic becomes codeInternal, never a crash of
// the host program.
func call(name string, f func() *failure) (code C.int) {
	defer func() {
		if r := recover(); r != nil {
			setError(fmt.Sprintf("%s: internal error: %v (a bug in sciadapt; please report it)", name, r))
			code = codeInternal
		}
	}()
	if e := f(); e != nil {
		setError(name + ": " + e.msg)
		return C.int(e.code)
	}
	return codeOK
}

// setError stores msg, cut to whole characters below the C buffer's 1024 bytes,
// as the calling thread's last error. A cgo call from the goroutine of an
// exported function runs on the C thread that called it.
func setError(msg string) {
	const max = 1000
	if len(msg) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "…"
	}
	cs := C.CString(msg)
	C.sciadapt_set_last_error(cs)
	C.free(unsafe.Pointer(cs))
}

// table maps handles to open models. It is the package's only mutable state.
type table struct {
	mu    sync.Mutex
	last  int
	items map[int]any // *potential or *material
}

var handles = &table{items: map[int]any{}}

func (t *table) add(v any) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.last++
	t.items[t.last] = v
	return t.last
}

func (t *table) get(h int) any {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.items[h]
}

func (t *table) remove(h int) any {
	t.mu.Lock()
	defer t.mu.Unlock()
	v := t.items[h]
	delete(t.items, h)
	return v
}

// potential is an open interatomic potential.
type potential struct {
	mu    sync.Mutex // serialises calls: calc holds the last neighbour list
	calc  *potentials.MDCalculator
	model *potentials.Model // with its add-element adapter attached, if any
}

// material is an open constitutive model.
type material struct {
	mu    sync.Mutex
	model *constitutive.Model
}

func lookupPotential(h C.int) (*potential, *failure) {
	switch v := handles.get(int(h)).(type) {
	case *potential:
		return v, nil
	case *material:
		return nil, fail(codeHandle, "handle %d is a material model, not a potential", h)
	}
	return nil, fail(codeHandle, "handle %d is not open", h)
}

func lookupMaterial(h C.int) (*material, *failure) {
	switch v := handles.get(int(h)).(type) {
	case *material:
		return v, nil
	case *potential:
		return nil, fail(codeHandle, "handle %d is a potential, not a material model", h)
	}
	return nil, fail(codeHandle, "handle %d is not open", h)
}

// paths reads the model and optional adapter paths.
func paths(model, adapter *C.char, handle *C.int) (string, string, *failure) {
	if model == nil || handle == nil {
		return "", "", fail(codeArgument, "model_path and handle must not be NULL")
	}
	m := C.GoString(model)
	if m == "" {
		return "", "", fail(codeArgument, "model_path is empty")
	}
	a := ""
	if adapter != nil {
		a = C.GoString(adapter)
	}
	return m, a, nil
}

// doubles returns a copy of the n doubles at p.
func doubles(p *C.double, n int) []float64 {
	return slices.Clone(unsafe.Slice((*float64)(unsafe.Pointer(p)), n))
}

// out returns the n doubles at p as a slice to write to.
func out(p *C.double, n int) []float64 {
	return unsafe.Slice((*float64)(unsafe.Pointer(p)), n)
}

//export sciadapt_potential_open
func sciadapt_potential_open(model_path *C.char, adapter_path *C.char, handle *C.int) C.int {
	return call("sciadapt_potential_open", func() *failure {
		mp, ap, f := paths(model_path, adapter_path, handle)
		if f != nil {
			return f
		}
		m, err := potentials.Load(mp)
		if err != nil {
			return fail(codeFile, "%v", err)
		}
		if ap != "" {
			if _, err := potentials.LoadElementAdapter(ap, m); err != nil {
				return fail(codeFile, "%v", err)
			}
		}
		calc, err := potentials.NewMDCalculator(m, skin)
		if err != nil {
			return fail(codeInternal, "%v", err)
		}
		*handle = C.int(handles.add(&potential{calc: calc, model: m}))
		return nil
	})
}

//export sciadapt_potential_compute
func sciadapt_potential_compute(handle C.int, n C.int, positions *C.double, numbers *C.int, cell *C.double, energy *C.double, forces *C.double, stress *C.double) C.int {
	return call("sciadapt_potential_compute", func() *failure {
		p, f := lookupPotential(handle)
		if f != nil {
			return f
		}
		switch {
		case n < 1 || n > maxAtoms:
			return fail(codeArgument, "n = %d atoms; need 1 ≤ n ≤ %d", n, maxAtoms)
		case positions == nil || numbers == nil:
			return fail(codeArgument, "positions and numbers must not be NULL")
		case stress != nil && cell == nil:
			return fail(codeArgument, "stress needs a periodic cell; pass stress = NULL for a free molecule")
		}
		N := int(n)
		s := &potentials.Structure{Positions: doubles(positions, 3*N), Numbers: make([]int, N)}
		for i, z := range unsafe.Slice(numbers, N) {
			s.Numbers[i] = int(z)
		}
		if cell != nil {
			var c [9]float64
			copy(c[:], doubles(cell, 9))
			s.Cell, s.PBC = &c, [3]bool{true, true, true}
		}
		p.mu.Lock()
		r, err := p.calc.Compute(s)
		p.mu.Unlock()
		if err != nil {
			// The Go API numbers structures in batches; here there is only one.
			msg := strings.TrimPrefix(err.Error(), "structure 0: ")
			return fail(codeArgument, "%s", strings.TrimPrefix(msg, "structure 0, "))
		}
		if energy != nil {
			*energy = C.double(r.Energy)
		}
		if forces != nil {
			copy(out(forces, 3*N), r.Forces)
		}
		if stress != nil {
			copy(out(stress, 9), r.Stress[:])
		}
		return nil
	})
}

//export sciadapt_potential_close
func sciadapt_potential_close(handle C.int) C.int {
	return call("sciadapt_potential_close", func() *failure {
		if _, f := lookupPotential(handle); f != nil {
			return f
		}
		handles.remove(int(handle))
		return nil
	})
}

//export sciadapt_material_open
func sciadapt_material_open(model_path *C.char, adapter_path *C.char, handle *C.int) C.int {
	return call("sciadapt_material_open", func() *failure {
		mp, ap, f := paths(model_path, adapter_path, handle)
		if f != nil {
			return f
		}
		m, err := constitutive.Load(mp)
		if err != nil {
			return fail(codeFile, "%v", err)
		}
		if ap != "" {
			if _, err := adapters.Load(ap, m); err != nil {
				return fail(codeFile, "%v", err)
			}
		}
		*handle = C.int(handles.add(&material{model: m}))
		return nil
	})
}

// voigt lists the tensor indices of the Voigt components 11, 22, 33, 12, 13, 23.
var voigt = [6][2]int{{0, 0}, {1, 1}, {2, 2}, {0, 1}, {0, 2}, {1, 2}}

// strainOf returns the symmetric tensor of a Voigt strain with engineering shear.
func strainOf(v []float64) constitutive.Mat3 {
	var e constitutive.Mat3
	for I, ij := range voigt {
		x := v[I]
		if I >= 3 {
			x /= 2
		}
		e[ij[0]][ij[1]], e[ij[1]][ij[0]] = x, x
	}
	return e
}

// voigtStrain writes the Voigt form, engineering shear, of the strain e to v (6).
func voigtStrain(v []float64, e constitutive.Mat3) {
	for I, ij := range voigt {
		v[I] = e[ij[0]][ij[1]]
		if I >= 3 {
			v[I] *= 2
		}
	}
}

//export sciadapt_material_update
func sciadapt_material_update(handle C.int, stress *C.double, statev *C.double, ddsdde *C.double, stran *C.double, dstran *C.double, temp C.double, dtemp C.double, ntens C.int, nstatv C.int) C.int {
	return call("sciadapt_material_update", func() *failure {
		mat, f := lookupMaterial(handle)
		if f != nil {
			return f
		}
		nt := int(ntens)
		switch {
		case nt != 6 && nt != 4:
			return fail(codeArgument, "ntens = %d; need 6 (3-D) or 4 (plane strain, axisymmetric)", nt)
		case nstatv < nStateVars:
			return fail(codeArgument, "nstatv = %d; a material point needs %d state variables (SCIADAPT_NSTATV)", nstatv, nStateVars)
		case stress == nil || statev == nil || ddsdde == nil || dstran == nil:
			return fail(codeArgument, "stress, statev, ddsdde and dstran must not be NULL")
		}
		_ = stran // accepted for UMAT compatibility; statev carries the strains
		d := make([]float64, 6)
		copy(d, doubles(dstran, nt))
		sv := doubles(statev, nStateVars)
		for i, x := range append(slices.Clone(d), sv...) {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				if i < 6 {
					return fail(codeArgument, "dstran[%d] is %v", i, x)
				}
				return fail(codeArgument, "statev[%d] is %v", i-6, x)
			}
		}
		if sv[12] < 0 {
			return fail(codeArgument, "statev[12] (equivalent plastic strain) is %g < 0", sv[12])
		}
		tK := float64(temp) + float64(dtemp)
		if !(tK > 0) || math.IsInf(tK, 0) {
			return fail(codeArgument, "temp + dtemp = %g K; need a positive temperature in kelvin", tK)
		}
		state := constitutive.State{Elastic: strainOf(sv[0:6]), Plastic: strainOf(sv[6:12]), Alpha: sv[12]}
		mat.mu.Lock()
		r, err := mat.model.Update(state, strainOf(d), tK)
		mat.mu.Unlock()
		if err != nil {
			return fail(codeCompute, "%v", err)
		}
		sOut := out(stress, nt)
		for I := 0; I < nt; I++ {
			sOut[I] = r.Stress[voigt[I][0]][voigt[I][1]]
		}
		D := out(ddsdde, nt*nt)
		for I := 0; I < nt; I++ {
			row := 3*voigt[I][0] + voigt[I][1]
			for J := 0; J < nt; J++ {
				k, l := voigt[J][0], voigt[J][1]
				dij := r.Tangent[row][3*k+l]
				if k != l { // ε_kl = ε_lk = γ/2
					dij = (r.Tangent[row][3*k+l] + r.Tangent[row][3*l+k]) / 2
				}
				D[I+J*nt] = dij
			}
		}
		svOut := out(statev, nStateVars)
		voigtStrain(svOut[0:6], r.State.Elastic)
		voigtStrain(svOut[6:12], r.State.Plastic)
		svOut[12] = r.State.Alpha
		return nil
	})
}

//export sciadapt_material_close
func sciadapt_material_close(handle C.int) C.int {
	return call("sciadapt_material_close", func() *failure {
		if _, f := lookupMaterial(handle); f != nil {
			return f
		}
		handles.remove(int(handle))
		return nil
	})
}
