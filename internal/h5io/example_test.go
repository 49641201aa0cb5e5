package h5io_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/sciadapt/sciadapt/internal/h5io"
)

// Write a small file atomically, then read two rows of a (4, 2) dataset without
// reading the rest.
func Example() {
	dir, err := os.MkdirTemp("", "h5io")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "curves.h5")

	err = h5io.WriteAtomic(path, func(f *h5io.File) error {
		g, err := f.Root().CreateGroup("specimen_1")
		if err != nil {
			return err
		}
		defer g.Close()
		if err := g.WriteStringAttr("stress_unit", "MPa"); err != nil {
			return err
		}
		// Columns: strain, stress.
		return g.WriteFloat64("curve", []float64{0, 0, 0.001, 69, 0.002, 138, 0.01, 275}, 4, 2)
	})
	if err != nil {
		log.Fatal(err)
	}

	f, err := h5io.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	g, err := f.Root().OpenGroup("specimen_1")
	if err != nil {
		log.Fatal(err)
	}
	defer g.Close()
	unit, _ := g.ReadStringAttr("stress_unit")
	rows, shape, err := g.ReadFloat64Rows("curve", 1, 2)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(shape, rows, unit)
	_, _, err = g.ReadFloat64("temperature")
	fmt.Println(filepath.Base(err.Error()))
	// Output:
	// [2 2] [0.001 69 0.002 138] MPa
	// curves.h5: group "specimen_1": dataset "temperature" is missing
}
