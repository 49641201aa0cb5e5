package h5io

import (
	"fmt"
	"runtime"

	"gonum.org/v1/hdf5"
)

// Error is a problem with an HDF5 file that a user can fix: a missing or mistyped
// object, a bad shape, a damaged file. Its message has the form
//
//	FILE: OBJECT: PROBLEM      e.g.  data.h5: group "ethanol": dataset "forces" is missing
//
// where OBJECT is empty for problems with the file as a whole.
type Error struct {
	File   string // file name as the caller gave it
	Object string // e.g. `group "ethanol"`, `dataset "ethanol/forces"`; "" for the file
	Err    error  // the problem
}

func (e *Error) Error() string {
	if e.Object == "" {
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("%s: %s: %v", e.File, e.Object, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// quiet locks the calling goroutine to its OS thread and switches off HDF5's
// automatic error printing on that thread; HDF5 keeps the setting per thread, so it
// must be set on the thread that makes the following calls. Use as
//
//	defer quiet()()
func quiet() (unlock func()) {
	runtime.LockOSThread()
	_ = hdf5.DisplayErrors(false) // fails only if the library is not initialised
	return runtime.UnlockOSThread
}

// quote names an object for messages: `group "ethanol"`.
func quote(kind, path string) string {
	return fmt.Sprintf("%s %q", kind, path)
}

// join returns the HDF5 path of name inside the group at dir ("" is the root).
func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}
