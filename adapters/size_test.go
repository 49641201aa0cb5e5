package adapters

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciadapt/sciadapt/internal/safetensors"
)

// TestReadFileRefusesSizesTheFileCannotHold writes adapter files whose configuration
// states a LoRA rank or prompt length far beyond their stored values, with a valid
// checksum (as an edited file would carry), and checks that ReadFile refuses them
// before anything is allocated.
func TestReadFileRefusesSizesTheFileCannotHold(t *testing.T) {
	ts := []safetensors.Tensor{{Name: "enc.lora_A", Shape: []int{2, 4}, Data: make([]float64, 8)}}
	for _, tc := range []struct {
		cfg  string
		want string // "" for accepted
	}{
		{`{"method":"lora","targets":["enc"],"rank":2}`, ""},
		{`{"method":"lora","targets":["enc"],"rank":400000000}`, "needs at least 8e+08 values but the file holds 8"},
		{`{"method":"lora","targets":["enc"],"rank":2,"overrides":[{"pattern":"enc","rank":100}]}`, "needs at least 200 values"},
		{`{"method":"prompt","targets":["enc"],"prompt_length":1000000}`, "needs at least 1e+06 values"},
	} {
		meta := map[string]string{metaFormat: FileFormat, metaConfig: tc.cfg, metaName: "a",
			metaFingerprint: "sha256:00", metaVersion: fileVersion}
		meta[metaChecksum] = checksum(meta, ts)
		var buf bytes.Buffer
		if err := safetensors.Write(&buf, safetensors.File{Tensors: ts, Metadata: meta}); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "a.adapter")
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadFile(path)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", tc.cfg, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "a.adapter")):
			t.Errorf("%s: error %v, want one naming the file and containing %q", tc.cfg, err, tc.want)
		}
	}
}
