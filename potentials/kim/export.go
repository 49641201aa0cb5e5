package kim

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/sciadapt/sciadapt/elements"
	"github.com/sciadapt/sciadapt/nn"
	"github.com/sciadapt/sciadapt/potentials"
)

// DriverName is the KIM item name of the model driver in the driver/ directory.
const DriverName = "Sciadapt"

// Names of the parameter files in a portable model directory.
const (
	ParamsFile  = "sciadapt.params"
	ModelFile   = "sciadapt.model"
	AdapterFile = "sciadapt.adapter"
)

// ExportOptions are the inputs of Export.
type ExportOptions struct {
	Model   string // model file written by "sciadapt train potential"
	Adapter string // add-element adapter of that model, or "" for none
	Out     string // directory to write; it must not exist, or be empty
	// Name is the KIM item name: a C identifier. "" gives
	// Sciadapt_<elements>_<first 8 hex digits of the SHA-256 of the files>.
	Name string
}

// Exported describes a portable model that Export wrote.
type Exported struct {
	Name              string   // KIM item name
	Dir               string   // the directory written
	Species           []string // element symbols, in the model's order
	Cutoff            float64  // r_c, Å
	Interactions      int      // T, interaction blocks
	InfluenceDistance float64  // T·r_c, Å
	Shift             float64  // E_0, eV: the model's energy minus the KIM energy
	Parameters        int      // parameters of the model and adapter
}

// validName is a C identifier, as KIM item names must be.
var validName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// CheckName returns an error unless name can name a KIM item: a C identifier of
// at most 128 characters.
func CheckName(name string) error {
	if !validName.MatchString(name) || len(name) > 128 {
		return fmt.Errorf("KIM name %q: want a C identifier (a letter, then letters, digits and _), at most 128 characters", name)
	}
	return nil
}

// Export writes a KIM parameterized portable model for the model in opt.Model
// (with the add-element adapter in opt.Adapter, if given) to opt.Out, atomically:
// on error nothing is left behind. Errors name the file and the problem: a model
// or adapter that cannot be read, an adapter of another base, a bad name, an
// output directory that is not empty.
func Export(opt ExportOptions) (*Exported, error) {
	if opt.Out == "" {
		return nil, fmt.Errorf("no output directory")
	}
	if opt.Name != "" {
		if err := CheckName(opt.Name); err != nil {
			return nil, err
		}
	}
	if err := checkOut(opt.Out); err != nil {
		return nil, err
	}
	m, err := potentials.Load(opt.Model)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	if files[ModelFile], err = os.ReadFile(opt.Model); err != nil {
		return nil, err
	}
	nParams, _ := nn.Counts(m)
	if opt.Adapter != "" {
		a, err := potentials.LoadElementAdapter(opt.Adapter, m)
		if err != nil {
			return nil, err
		}
		for _, p := range a.Params() {
			nParams += p.Size()
		}
		if files[AdapterFile], err = os.ReadFile(opt.Adapter); err != nil {
			return nil, err
		}
	}
	e := &Exported{Name: opt.Name, Dir: opt.Out, Cutoff: m.Config.Cutoff, Interactions: m.Config.Interactions,
		InfluenceDistance: potentials.InfluenceDistance(m), Shift: m.Shift.Value().Data[0], Parameters: nParams}
	for _, z := range m.Species() {
		e.Species = append(e.Species, elements.Symbol(z))
	}
	if e.Name == "" {
		e.Name = defaultName(e.Species, files)
	}
	files[ParamsFile] = params(e, opt.Adapter != "")
	files["CMakeLists.txt"] = cmakeLists(e.Name, opt.Adapter != "")
	files["kimspec.edn"] = kimspec(e, opt)
	files["README.md"] = readme(e, opt)
	if err := writeDir(opt.Out, files); err != nil {
		return nil, err
	}
	return e, nil
}

// checkOut refuses an output path that is a file or a non-empty directory.
func checkOut(out string) error {
	fi, err := os.Stat(out)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s exists and is not a directory", out)
	}
	ents, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	if len(ents) > 0 {
		return fmt.Errorf("%s is not empty; remove it or choose another --out", out)
	}
	return nil
}

// defaultName is Sciadapt_<elements>_<hash>, the hash over the model and adapter.
func defaultName(species []string, files map[string][]byte) string {
	h := sha256.New()
	h.Write(files[ModelFile])
	h.Write(files[AdapterFile])
	return "Sciadapt_" + strings.Join(species, "") + "_" + hex.EncodeToString(h.Sum(nil))[:8]
}

// writeDir writes files into a temporary directory beside out, syncs them and
// renames the directory to out.
func writeDir(out string, files map[string][]byte) error {
	parent := filepath.Dir(filepath.Clean(out))
	tmp, err := os.MkdirTemp(parent, ".kim-export-*")
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	for name, b := range files {
		if err := writeSynced(filepath.Join(tmp, name), b); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		if err := os.Remove(out); err != nil { // empty, checked before
			return err
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	ok = true
	if d, err := os.Open(parent); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

func writeSynced(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// params is the driver's settings file (see the driver's source for its format).
func params(e *Exported, adapter bool) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# sciadapt KIM model %s, read by the %s model driver\n", e.Name, DriverName)
	fmt.Fprintf(&b, "format sciadapt-kim 1\nmodel %s\n", ModelFile)
	if adapter {
		fmt.Fprintf(&b, "adapter %s\n", AdapterFile)
	}
	fmt.Fprintf(&b, "species %s\n", strings.Join(e.Species, " "))
	return b.Bytes()
}

// cmakeLists is the KIM-API build description of the portable model.
func cmakeLists(name string, adapter bool) []byte {
	files := fmt.Sprintf("%q %q", ParamsFile, ModelFile)
	if adapter {
		files += fmt.Sprintf(" %q", AdapterFile)
	}
	return []byte(fmt.Sprintf(`# KIM-API portable model written by "sciadapt export kim". Install with
#     kim-api-collections-management install user THIS_DIRECTORY
# after the %[2]s model driver ("make kim-driver" in the sciadapt repository).
cmake_minimum_required(VERSION 3.10)

list(APPEND CMAKE_PREFIX_PATH $ENV{KIM_API_CMAKE_PREFIX_DIR})
find_package(KIM-API-ITEMS 2.2 REQUIRED CONFIG)

kim_api_items_setup_before_project(ITEM_TYPE "portableModel")
project(%[1]s)
kim_api_items_setup_after_project(ITEM_TYPE "portableModel")

add_kim_api_model_library(
  NAME            ${PROJECT_NAME}
  DRIVER_NAME     "%[2]s"
  PARAMETER_FILES %[3]s
  )
`, name, DriverName, files))
}
