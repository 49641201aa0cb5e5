package cli

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/sciadapt/sciadapt/internal/atomicfile"
)

// writeReport writes a JSON report atomically when path is not empty. Reports always
// carry trainable_parameters, total_parameters and seconds (DESIGN.md).
func writeReport(path string, report any) error {
	if path == "" {
		return nil
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return fmt.Errorf("report %s: %v", path, err)
		}
		return nil
	})
}
