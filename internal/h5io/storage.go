package h5io

// #cgo LDFLAGS: -lhdf5
// #cgo linux CFLAGS: -I/usr/lib/x86_64-linux-gnu/hdf5/serial/include -I/usr/include/hdf5/serial
// #cgo linux LDFLAGS: -L/usr/lib/x86_64-linux-gnu/hdf5/serial
// #include <hdf5.h>
import "C"

import "strconv"

// storage returns the number of bytes the file holds for the data of the dataset
// with HDF5 identifier id, and whether the data pass through filters (compression),
// so that the stored size may be smaller than the data.
func storage(id int64) (stored uint64, filtered bool) {
	stored = uint64(C.H5Dget_storage_size(C.hid_t(id)))
	if dcpl := C.H5Dget_create_plist(C.hid_t(id)); dcpl >= 0 {
		filtered = C.H5Pget_nfilters(dcpl) > 0
		C.H5Pclose(dcpl)
	}
	return stored, filtered
}

// shapeText writes a shape as (2,3,3).
func shapeText(shape []int) string {
	b := []byte{'('}
	for i, v := range shape {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(v), 10)
	}
	return string(append(b, ')'))
}
