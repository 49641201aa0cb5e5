package adapters

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

	ad "github.com/sciadapt/sciadapt/autodiff"
	"github.com/sciadapt/sciadapt/internal/atomicfile"
	"github.com/sciadapt/sciadapt/internal/safetensors"
	"github.com/sciadapt/sciadapt/nn"
)

// Metadata keys and values of adapter files.
const (
	// FileFormat is the value of the "format" metadata key of adapter files.
	FileFormat = "sciadapt-adapter"

	metaFormat      = "format"
	metaConfig      = "adapter_config"
	metaName        = "adapter_name"
	metaFingerprint = "base_fingerprint"
	metaChecksum    = "sciadapt.checksum"
	metaVersion     = "sciadapt.file_version"
	fileVersion     = "1"
)

// File is the content of an adapter file.
type File struct {
	Path            string
	Name            string // the adapter's name
	Config          Config
	BaseFingerprint string // nn.Fingerprint of the base the adapter belongs to
	Tensors         []safetensors.Tensor
}

// Save writes the adapter to path atomically: a safetensors file holding only the
// trained tensors (Params, under their names, in float64), with metadata
// format="sciadapt-adapter", adapter_config (the Config as JSON), adapter_name,
// base_fingerprint and a checksum over all of these. It returns an error if the
// base has changed since Attach other than through this adapter (another adapter
// enabled or merged on it, or its weights trained), since the file would then name
// the wrong base. It panics if the adapter is not attached.
func (a *Adapter) Save(path string) error {
	b, err := a.encode()
	if err != nil {
		return fmt.Errorf("cannot save %s: %v", path, err)
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// encode returns the bytes of the adapter file.
func (a *Adapter) encode() ([]byte, error) {
	a.mustAttached("Save")
	if fp := a.currentBaseFingerprint(); fp != a.fingerprint {
		return nil, fmt.Errorf("adapter %s: the base model changed since the adapter was attached (fingerprint %s, was %s): disable other adapters on it and do not train its own weights", a.name, short(fp), short(a.fingerprint))
	}
	ts := a.tensors()
	cfg, err := json.Marshal(a.cfg)
	if err != nil {
		return nil, err
	}
	meta := map[string]string{
		metaFormat: FileFormat, metaConfig: string(cfg), metaName: a.name,
		metaFingerprint: a.fingerprint, metaVersion: fileVersion,
	}
	meta[metaChecksum] = checksum(meta, ts)
	var buf bytes.Buffer
	if err := safetensors.Write(&buf, safetensors.File{Tensors: ts, Metadata: meta}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// tensors returns the trained tensors (sharing data with the parameters), marked
// float32 when the adapter's precision is float32.
func (a *Adapter) tensors() []safetensors.Tensor {
	ts := nn.TensorsOf(a.Params())
	if len(a.sel) > 0 && !a.enabled {
		off := len(a.own)
		for i := range a.sel {
			ts[off+i].Data = a.trained[i]
		}
	}
	for i := range ts {
		ts[i].Float32 = a.cfg.Precision == "float32"
	}
	return ts
}

// Round rounds the adapter's values to its precision: to the nearest float32 for
// precision float32, so that the adapter in memory predicts what its file will
// (Save stores float32 values exactly); nothing for float64. Call it after training
// (and after any refit that depends on the trained values, then again). It panics
// if the adapter is not attached.
func (a *Adapter) Round() {
	a.mustAttached("Round")
	if a.cfg.Precision != "float32" {
		return
	}
	for _, p := range a.Params() {
		if p.DType() == ad.Float64 { // float32 parameters hold float32 values already
			for i, v := range p.Value().Data {
				p.Value().Data[i] = float64(float32(v))
			}
		}
	}
}

// currentBaseFingerprint returns the fingerprint of the base as it is with this
// adapter disabled and unmerged.
func (a *Adapter) currentBaseFingerprint() string {
	var restore func()
	switch {
	case a.merged:
		saved := make([][]float64, len(a.parts))
		for i, pt := range a.parts {
			if l, ok := pt.(*lora); ok {
				saved[i] = valuesOf(l.w)
				setValues(l.w, l.backup)
			}
		}
		restore = func() {
			for i, pt := range a.parts {
				if l, ok := pt.(*lora); ok {
					setValues(l.w, saved[i])
				}
			}
		}
	case len(a.sel) > 0 && a.enabled:
		saved := make([][]float64, len(a.sel))
		for i, p := range a.sel {
			saved[i] = valuesOf(p)
			setValues(p, a.orig[i])
		}
		restore = func() {
			for i, p := range a.sel {
				setValues(p, saved[i])
			}
		}
	}
	fp := nn.Fingerprint(a.base)
	if restore != nil {
		restore()
	}
	return fp
}

// checksum is a SHA-256 over the metadata that describes the adapter and over the
// names, shapes and exact values of its tensors.
func checksum(meta map[string]string, ts []safetensors.Tensor) string {
	h := sha256.New()
	for _, k := range []string{metaFormat, metaConfig, metaName, metaFingerprint, metaVersion} {
		io.WriteString(h, k)
		h.Write([]byte{0})
		io.WriteString(h, meta[k])
		h.Write([]byte{0})
	}
	var buf [8]byte
	for _, t := range ts {
		io.WriteString(h, t.Name)
		h.Write([]byte{0})
		for _, s := range t.Shape {
			binary.LittleEndian.PutUint64(buf[:], uint64(s))
			h.Write(buf[:])
		}
		for _, v := range t.Data {
			if t.Float32 {
				v = float64(float32(v)) // as it is stored
			}
			binary.LittleEndian.PutUint64(buf[:], math.Float64bits(v))
			h.Write(buf[:])
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// short abbreviates a fingerprint for messages.
func short(fp string) string {
	if len(fp) > 19 {
		return fp[:19] + "…"
	}
	return fp
}

// ReadFile reads and checks an adapter file: format, checksum (a corrupt file is
// refused) and configuration. It does not need the base model.
func ReadFile(path string) (*File, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := safetensors.Read(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable adapter file: %v", path, err)
	}
	switch format := f.Metadata[metaFormat]; format {
	case FileFormat:
	case "sciadapt-model":
		return nil, fmt.Errorf("%s: this is a model file, not an adapter file (pass it as the base model)", path)
	default:
		return nil, fmt.Errorf("%s: not a sciadapt adapter file (metadata format is %q, want %q)", path, format, FileFormat)
	}
	if v := f.Metadata[metaVersion]; v != fileVersion {
		return nil, fmt.Errorf("%s: adapter file version %q is not supported (this sciadapt reads version %s)", path, v, fileVersion)
	}
	if sum := checksum(f.Metadata, f.Tensors); sum != f.Metadata[metaChecksum] {
		return nil, fmt.Errorf("%s: checksum mismatch: the adapter file is corrupt (stored %s, computed %s)", path, short(f.Metadata[metaChecksum]), short(sum))
	}
	var cfg Config
	dec := json.NewDecoder(bytes.NewReader([]byte(f.Metadata[metaConfig])))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("%s: adapter_config: %v", path, err)
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	// Each size in the configuration implies at least that many stored values (a
	// LoRA site holds 2·rank, a prompt m vectors, FiLM's generator its hidden and
	// conditioning widths). Refuse a size the file cannot hold before anything is
	// allocated: an edited rank of 4e8 would otherwise run out of memory.
	need := max(2*float64(cfg.Rank), float64(cfg.PromptLength), float64(cfg.FiLMHidden), float64(cfg.CondDim), float64(cfg.NewRows))
	for _, o := range cfg.Overrides {
		need = max(need, 2*float64(o.Rank))
	}
	have := 0
	for _, t := range f.Tensors {
		have += len(t.Data)
	}
	if !(need <= float64(have)) {
		return nil, fmt.Errorf("%s: the adapter configuration needs at least %.4g values but the file holds %d (damaged or edited configuration?)", path, need, have)
	}
	return &File{
		Path: path, Name: f.Metadata[metaName], Config: cfg,
		BaseFingerprint: f.Metadata[metaFingerprint], Tensors: f.Tensors,
	}, nil
}

// Load reads an adapter file and attaches the adapter, enabled, to base. It refuses
// a corrupt file and a base whose fingerprint differs from the one the adapter was
// trained on; base must be in its original state (no other adapter enabled or
// merged on it). On error base is left unchanged.
func Load(path string, base nn.Module) (*Adapter, error) {
	f, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return f.Attach(base)
}

// Attach attaches the adapter of the file to base (see Load).
func (f *File) Attach(base nn.Module) (*Adapter, error) {
	fp := nn.Fingerprint(base)
	if fp != f.BaseFingerprint {
		return nil, fmt.Errorf("%s: adapter %q belongs to base model %s, but this base model is %s: load it onto the exact model it was trained on (if other adapters are enabled or merged on that model, disable them first)",
			f.Path, f.Name, short(f.BaseFingerprint), short(fp))
	}
	a, err := New(f.Name, f.Config)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", f.Path, err)
	}
	if err := a.attach(base, fp); err != nil {
		return nil, fmt.Errorf("%s: %v", f.Path, err)
	}
	ts := make(map[string]safetensors.Tensor, len(f.Tensors))
	for _, t := range f.Tensors {
		ts[t.Name] = t
	}
	if err := nn.CopyTensors(f.Path, ts, a.Params(), true); err != nil {
		a.Detach()
		return nil, err
	}
	return a, nil
}

// FileBytes returns the size in bytes of the adapter's file as Save writes it. It
// panics if the adapter is not attached.
func (a *Adapter) FileBytes() (int64, error) {
	b, err := a.encode()
	return int64(len(b)), err
}
