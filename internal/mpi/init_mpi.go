//go:build mpi

package mpi

/*
#cgo pkg-config: ompi-c
#include <stdlib.h>
#include <mpi.h>

// One-line helpers: MPI_COMM_WORLD, MPI_DOUBLE, MPI_SUM, MPI_IN_PLACE and the
// thread levels are macros (or addresses of library globals) that cgo cannot use.
static int sci_init(int want, int *got) { return MPI_Init_thread(NULL, NULL, want, got); }
static int sci_serialized(void) { return MPI_THREAD_SERIALIZED; }
static int sci_initialized(void) { int f = 0; MPI_Initialized(&f); return f; }
static int sci_finalized(void) { int f = 0; MPI_Finalized(&f); return f; }
static int sci_finalize(void) { return MPI_Finalize(); }
static int sci_rank(int *r) { return MPI_Comm_rank(MPI_COMM_WORLD, r); }
static int sci_size(int *s) { return MPI_Comm_size(MPI_COMM_WORLD, s); }
static int sci_allreduce_sum(double *x, int n) { return MPI_Allreduce(MPI_IN_PLACE, x, n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD); }
static int sci_barrier(void) { return MPI_Barrier(MPI_COMM_WORLD); }
static int sci_abort(int code) { return MPI_Abort(MPI_COMM_WORLD, code); }
static int sci_error_string(int code, char *buf, int *len) { return MPI_Error_string(code, buf, len); }
static int sci_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
static int sci_version(char *buf, int *len) { return MPI_Get_library_version(buf, len); }
static int sci_max_version(void) { return MPI_MAX_LIBRARY_VERSION_STRING; }
*/
import "C"

import (
	"fmt"
	"strings"
	"sync"
	"unsafe"
)

// Enabled reports whether this binary was built with MPI (build tag "mpi").
const Enabled = true

// mu serialises every MPI call (MPI_THREAD_SERIALIZED: one call at a time, from
// any thread).
var mu sync.Mutex

// world is the MPI_COMM_WORLD communicator.
type world struct{ rank, size int }

// Init starts MPI (MPI_Init_thread asking for MPI_THREAD_SERIALIZED) and returns the
// world communicator. Under mpirun or srun --mpi=pmix each process gets its rank;
// started alone, the process is a world of one. It returns an error if MPI cannot
// start or gives a lower thread level. Calling it again returns the same world.
func Init() (Comm, error) {
	mu.Lock()
	defer mu.Unlock()
	if C.sci_finalized() != 0 {
		return nil, fmt.Errorf("mpi: Init after Finalize")
	}
	if C.sci_initialized() == 0 {
		var got C.int
		if rc := C.sci_init(C.sci_serialized(), &got); rc != 0 {
			return nil, fmt.Errorf("mpi: MPI_Init_thread: %s", errorString(rc))
		}
		if got < C.sci_serialized() {
			return nil, fmt.Errorf("mpi: the MPI library gives thread level %d, below MPI_THREAD_SERIALIZED (%d)", int(got), int(C.sci_serialized()))
		}
	}
	var r, s C.int
	if rc := C.sci_rank(&r); rc != 0 {
		return nil, fmt.Errorf("mpi: MPI_Comm_rank: %s", errorString(rc))
	}
	if rc := C.sci_size(&s); rc != 0 {
		return nil, fmt.Errorf("mpi: MPI_Comm_size: %s", errorString(rc))
	}
	return &world{rank: int(r), size: int(s)}, nil
}

// Finalize ends MPI (MPI_Finalize) if it was started and not yet ended. Every rank
// must call it before it exits normally.
func Finalize() error {
	mu.Lock()
	defer mu.Unlock()
	if C.sci_initialized() == 0 || C.sci_finalized() != 0 {
		return nil
	}
	if rc := C.sci_finalize(); rc != 0 {
		return fmt.Errorf("mpi: MPI_Finalize: %s", errorString(rc))
	}
	return nil
}

// Version returns the MPI library's version string (MPI_Get_library_version).
func Version() string {
	buf := (*C.char)(C.malloc(C.size_t(C.sci_max_version())))
	defer C.free(unsafe.Pointer(buf))
	var n C.int
	if C.sci_version(buf, &n) != 0 {
		return "unknown MPI library"
	}
	return strings.TrimRight(C.GoStringN(buf, n), "\x00 \n")
}

func errorString(code C.int) string {
	buf := (*C.char)(C.malloc(C.size_t(C.sci_max_error_string())))
	defer C.free(unsafe.Pointer(buf))
	var n C.int
	if C.sci_error_string(code, buf, &n) != 0 {
		return fmt.Sprintf("MPI error %d", int(code))
	}
	return C.GoStringN(buf, n)
}

func (w *world) Rank() int { return w.rank }
func (w *world) Size() int { return w.size }

// AllReduceSum sums x over all ranks in place (MPI_Allreduce with MPI_IN_PLACE,
// MPI_DOUBLE, MPI_SUM). MPI's default error handler aborts the job on failure, so
// an error return here means a broken library; it panics then.
func (w *world) AllReduceSum(x []float64) {
	if len(x) == 0 {
		w.Barrier()
		return
	}
	mu.Lock()
	defer mu.Unlock()
	// x holds no Go pointers, so passing its address to C is allowed by cgo's rules.
	if rc := C.sci_allreduce_sum((*C.double)(unsafe.Pointer(&x[0])), C.int(len(x))); rc != 0 {
		panic("mpi: MPI_Allreduce: " + errorString(rc))
	}
}

// Barrier waits for every rank (MPI_Barrier).
func (w *world) Barrier() {
	mu.Lock()
	defer mu.Unlock()
	if rc := C.sci_barrier(); rc != 0 {
		panic("mpi: MPI_Barrier: " + errorString(rc))
	}
}

// Abort ends every process of the job with code (MPI_Abort).
func (w *world) Abort(code int) {
	mu.Lock()
	C.sci_abort(C.int(code))
	select {} // MPI_Abort does not return
}
