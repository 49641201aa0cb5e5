package h5io

import (
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/hdf5"
)

// TestUnstoredData checks that a dataset declared but never written (HDF5 would
// read its fill value) is refused, naming the dataset and the bytes missing, while
// a written dataset of the same kind reads.
func TestUnstoredData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.h5")
	if err := WriteAtomic(path, func(f *File) error { return f.Root().WriteFloat64("written", []float64{1, 2, 3}, 3) }); err != nil {
		t.Fatal(err)
	}
	hf, err := hdf5.OpenFile(path, hdf5.F_ACC_RDWR)
	if err != nil {
		t.Fatal(err)
	}
	sp, err := hdf5.CreateSimpleDataspace([]uint{1e9}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := hf.CreateDataset("declared", hdf5.T_NATIVE_DOUBLE, sp)
	if err != nil {
		t.Fatal(err)
	}
	ds.Close()
	sp.Close()
	hf.Close()

	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _, err := f.Root().ReadFloat64("written"); err != nil || len(v) != 3 || v[2] != 3 {
		t.Errorf("written: %v, %v", v, err)
	}
	_, _, err = f.Root().ReadFloat64Rows("declared", 0, 10)
	want := `x.h5: dataset "declared": has shape (1000000000) but the file stores 0 of its 8000000000 bytes`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("declared: error %v, want one containing %q", err, want)
	}
}
