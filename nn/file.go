package nn

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/internal/atomicfile"
	"github.com/sciadapt/sciadapt/internal/safetensors"
)

// Metadata keys of sciadapt model files.
const (
	metaFormat      = "format"
	metaKind        = "sciadapt.kind"
	metaConfig      = "sciadapt.config"
	metaFingerprint = "sciadapt.fingerprint"
	metaVersion     = "sciadapt.file_version"
	formatModel     = "sciadapt-model"
)

// ModelFile is a model file's content: its kind (e.g. "potential"), its JSON
// configuration, extra metadata, and its tensors by name.
type ModelFile struct {
	Path        string
	Kind        string
	Config      json.RawMessage
	Fingerprint string
	Meta        map[string]string
	Tensors     map[string]safetensors.Tensor
}

// SaveModel writes m's parameters with the model kind and configuration to path,
// atomically. extra metadata (string keys and values) may be nil.
func SaveModel(path, kind string, config any, m Module, extra map[string]string) error {
	if err := CheckNames(m); err != nil {
		return fmt.Errorf("cannot save %s: %v", path, err)
	}
	cfg, err := json.Marshal(config)
	if err != nil {
		return fmt.Errorf("cannot save %s: configuration: %v", path, err)
	}
	meta := map[string]string{
		metaFormat: formatModel, metaKind: kind, metaConfig: string(cfg),
		metaFingerprint: Fingerprint(m), metaVersion: "1",
	}
	for k, v := range extra {
		meta[k] = v
	}
	return WriteTensors(path, TensorsOf(m.Params()), meta)
}

// TensorsOf converts parameters to named tensors: float64 parameters share their
// data and are stored as F64, float32 ones are widened (exactly) and stored as F32.
func TensorsOf(ps []*Param) []safetensors.Tensor {
	ts := make([]safetensors.Tensor, len(ps))
	for i, p := range ps {
		v := p.Value()
		ts[i] = safetensors.Tensor{Name: p.Name, Shape: v.Shape, Data: v.Float64s(), Float32: v.DType() == ad.Float32}
	}
	return ts
}

// WriteTensors writes a safetensors file atomically.
func WriteTensors(path string, ts []safetensors.Tensor, meta map[string]string) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		return safetensors.Write(w, safetensors.File{Tensors: ts, Metadata: meta})
	})
}

// ReadTensors reads a safetensors file, with errors that name the file.
func ReadTensors(path string) (safetensors.File, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return safetensors.File{}, fmt.Errorf("%s: is a directory, not a model or adapter file", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return safetensors.File{}, err
	}
	if bytes.HasPrefix(b, []byte("\x89HDF\r\n\x1a\n")) {
		return safetensors.File{}, fmt.Errorf("%s: is an HDF5 data file, not a model or adapter file", path)
	}
	f, err := safetensors.Read(b)
	if err != nil {
		return safetensors.File{}, fmt.Errorf("%s: %v", path, err)
	}
	return f, nil
}

// ReadModelFile reads a model file written by SaveModel.
func ReadModelFile(path string) (*ModelFile, error) {
	f, err := ReadTensors(path)
	if err != nil {
		return nil, err
	}
	if f.Metadata[metaFormat] != formatModel {
		return nil, fmt.Errorf("%s: not a sciadapt model file (format %q; an adapter file goes in --adapter)", path, f.Metadata[metaFormat])
	}
	mf := &ModelFile{
		Path: path, Kind: f.Metadata[metaKind], Config: json.RawMessage(f.Metadata[metaConfig]),
		Fingerprint: f.Metadata[metaFingerprint], Meta: f.Metadata,
		Tensors: make(map[string]safetensors.Tensor, len(f.Tensors)),
	}
	for _, t := range f.Tensors {
		mf.Tensors[t.Name] = t
	}
	return mf, nil
}

// CheckSize refuses a configuration whose model would have more parameters than the
// file holds values. atLeast is a lower bound on the parameter count that the caller
// computes from the configuration (in float64, so that huge sizes do not overflow).
// Call it before building the model: a damaged or edited configuration (features
// 30000 in a 3 kB file) would otherwise try to allocate without bound.
func (mf *ModelFile) CheckSize(atLeast float64) error {
	have := 0
	for _, t := range mf.Tensors {
		have += len(t.Data)
	}
	if !(atLeast <= float64(have)) {
		return fmt.Errorf("%s: the model configuration needs at least %.4g parameters but the file holds %d values (damaged or edited configuration?)", mf.Path, atLeast, have)
	}
	return nil
}

// DecodeConfig unmarshals the model configuration into dst, refusing unknown fields.
func (mf *ModelFile) DecodeConfig(dst any) error {
	dec := json.NewDecoder(strings.NewReader(string(mf.Config)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("%s: model configuration: %v", mf.Path, err)
	}
	return nil
}

// LoadInto copies the file's tensors into m's parameters by name. Every parameter
// must be present with its shape, and the file may hold no other tensor; the
// fingerprint of the loaded model must match the file's.
func (mf *ModelFile) LoadInto(m Module) error {
	if err := CopyTensors(mf.Path, mf.Tensors, m.Params(), true); err != nil {
		return err
	}
	if mf.Fingerprint != "" && Fingerprint(m) != mf.Fingerprint {
		return fmt.Errorf("%s: fingerprint mismatch after loading (the file is corrupt)", mf.Path)
	}
	return nil
}

// CopyTensors copies named tensors into parameters, in each parameter's precision
// (F64 values are rounded to float32 for a float32 parameter). With exact, tensors
// that match no parameter are an error too.
func CopyTensors(path string, ts map[string]safetensors.Tensor, ps []*Param, exact bool) error {
	used := 0
	for _, p := range ps {
		t, ok := ts[p.Name]
		if !ok {
			return fmt.Errorf("%s: tensor %q is missing", path, p.Name)
		}
		if !sameInts(t.Shape, p.Value().Shape) {
			return fmt.Errorf("%s: tensor %q has shape %v, the model needs %v", path, p.Name, t.Shape, p.Value().Shape)
		}
		for _, v := range t.Data {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%s: tensor %q holds NaN or Inf", path, p.Name)
			}
		}
		if v := p.Value(); v.DType() == ad.Float32 {
			for j, x := range t.Data {
				v.Data32[j] = float32(x)
			}
		} else {
			copy(v.Data, t.Data)
		}
		used++
	}
	if exact && used != len(ts) {
		var extra []string
		names := map[string]bool{}
		for _, p := range ps {
			names[p.Name] = true
		}
		for n := range ts {
			if !names[n] {
				extra = append(extra, n)
			}
		}
		sort.Strings(extra)
		return fmt.Errorf("%s: tensors %v belong to no parameter of this model", path, extra)
	}
	return nil
}

func sameInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Fingerprint returns a SHA-256 over the names, shapes and exact values of m's
// parameters (float32 values widened to float64), in order: it identifies a base
// model bit for bit.
func Fingerprint(m Module) string {
	h := sha256.New()
	var buf [8]byte
	for _, p := range m.Params() {
		io.WriteString(h, p.Name)
		for _, s := range p.Value().Shape {
			binary.LittleEndian.PutUint64(buf[:], uint64(s))
			h.Write(buf[:])
		}
		for _, v := range p.Value().Float64s() {
			binary.LittleEndian.PutUint64(buf[:], math.Float64bits(v))
			h.Write(buf[:])
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
