package demo

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/demodata"
	"github.com/sciadapt/sciadapt/constitutive/curves"
)

// Export writes the embedded data sets into dir, the Al 6061 curves also as
// a curves HDF5 file (al6061.h5), for the notebooks and for trying the commands by
// hand. It refuses a dir that already holds any of the files.
func Export(dir string, log func(format string, args ...any)) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	names := append(append([]string{}, demodata.Names...), "al6061.h5")
	for _, n := range names {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return fmt.Errorf("%s: already exists; export into an empty directory", filepath.Join(dir, n))
		}
	}
	err := writeData(dir)
	if err != nil {
		for _, n := range names { // no partial export is left behind
			os.Remove(filepath.Join(dir, n))
		}
		return err
	}
	for _, n := range names {
		log("wrote %s", filepath.Join(dir, n))
	}
	return nil
}

// writeData writes the embedded files and the Al curves as a curves file.
func writeData(dir string) error {
	if _, err := demodata.WriteTo(dir); err != nil {
		return err
	}
	cs, err := Curves()
	if err != nil {
		return err
	}
	return curves.Write(filepath.Join(dir, "al6061.h5"), cs)
}
