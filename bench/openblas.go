package bench

// #cgo LDFLAGS: -lopenblas
// /* Declared here rather than through <cblas.h>, which Debian may point at another
//    BLAS's header; 101 = CblasRowMajor and 111 = CblasNoTrans in every CBLAS. */
// void cblas_dgemm(int order, int transa, int transb, int m, int n, int k,
//                  double alpha, const double *a, int lda, const double *b, int ldb,
//                  double beta, double *c, int ldc);
// char* openblas_get_corename(void);
// char* openblas_get_config(void);
// int openblas_get_num_threads(void);
import "C"

import (
	"fmt"
	"unsafe"
)

// Dgemm computes c = a·b for row-major a (m, k), b (k, n) and c (m, n) with
// OpenBLAS's cblas_dgemm, without allocating: the reference for the engine's
// MatMul. It panics if a slice is shorter than its shape needs.
func Dgemm(m, n, k int, a, b, c []float64) {
	if len(a) < m*k || len(b) < k*n || len(c) < m*n {
		panic(fmt.Sprintf("bench: Dgemm(%d, %d, %d) with slices of %d, %d, %d", m, n, k, len(a), len(b), len(c)))
	}
	if m == 0 || n == 0 || k == 0 {
		return
	}
	C.cblas_dgemm(101, 111, 111, C.int(m), C.int(n), C.int(k), 1,
		(*C.double)(unsafe.Pointer(&a[0])), C.int(k),
		(*C.double)(unsafe.Pointer(&b[0])), C.int(n), 0,
		(*C.double)(unsafe.Pointer(&c[0])), C.int(n))
}

// OpenBLASInfo describes the OpenBLAS library the process runs on.
type OpenBLASInfo struct {
	Core    string `json:"core"`    // kernel family in use, e.g. "Haswell"
	Config  string `json:"config"`  // build configuration string
	Threads int    `json:"threads"` // threads OpenBLAS uses
}

// OpenBLAS returns the core, configuration and thread count of the loaded OpenBLAS.
func OpenBLAS() OpenBLASInfo {
	return OpenBLASInfo{
		Core:    C.GoString(C.openblas_get_corename()),
		Config:  C.GoString(C.openblas_get_config()),
		Threads: int(C.openblas_get_num_threads()),
	}
}
