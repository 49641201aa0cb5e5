// Package paths checks and expands the file arguments of the sciadapt commands:
// glob patterns that the shell did not expand, SPLIT=FILE prefixes, outputs that
// would replace one of their inputs or could not be written at the end. Misuses
// of the command line are usage.Error values (exit code 2); files that do not
// exist or are folders are plain errors that name them (exit code 1).
package paths

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sciadapt/sciadapt/cmd/sciadapt/internal/usage"
)

// Files turns arguments into a list of files: an argument with glob characters
// is expanded (the shell may not have done it, if quoted), and every file must
// exist and not be a folder (the error for a folder suggests its files with
// extension ext, such as ".csv"). Duplicates are kept once, in argument order.
func Files(args []string, ext string) ([]string, error) {
	var files []string
	seen := make(map[string]bool)
	for _, a := range args {
		matches := []string{a}
		if strings.ContainsAny(a, "*?[") {
			m, err := filepath.Glob(a)
			if err != nil {
				return nil, usage.Errorf("bad file pattern %q: %v", a, err)
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("no file matches %q", a)
			}
			matches = m
		}
		for _, f := range matches {
			st, err := os.Stat(f)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", f, unwrapPathError(err))
			}
			if st.IsDir() {
				return nil, fmt.Errorf("%s: is a directory; give the files, for example %s", f, filepath.Join(f, "*"+ext))
			}
			if !seen[f] {
				seen[f] = true
				files = append(files, f)
			}
		}
	}
	return files, nil
}

// CheckOutNotInput refuses an output file that is one of the inputs (the same
// path, or the same file by another name): the command would replace its own
// source.
func CheckOutNotInput(out string, inputs []string) error {
	outAbs, err := filepath.Abs(out)
	if err != nil {
		return nil
	}
	outSt, outErr := os.Stat(out)
	for _, in := range inputs {
		a, _ := filepath.Abs(in)
		same := a == outAbs
		if !same && outErr == nil {
			if st, err := os.Stat(in); err == nil {
				same = os.SameFile(st, outSt)
			}
		}
		if same {
			return usage.Errorf("--out %s is also an input; write to another file", out)
		}
	}
	return nil
}

// SplitPrefixed parses "NAME=PATH" (NAME without '/' or '\') or "PATH". An
// argument that names an existing file is always a plain path, and the path
// must exist.
func SplitPrefixed(arg string) (name, path string, err error) {
	if _, err := os.Stat(arg); err == nil {
		return "", arg, nil
	}
	if i := strings.IndexByte(arg, '='); i >= 0 && !strings.ContainsAny(arg[:i], `/\`) {
		name, path = arg[:i], arg[i+1:]
		if name == "" || path == "" {
			return "", "", usage.Errorf("%q: want NAME=FILE with both parts", arg)
		}
	} else {
		path = arg
	}
	if _, err := os.Stat(path); err != nil {
		return "", "", fmt.Errorf("%s: %v", path, unwrapPathError(err))
	}
	return name, path, nil
}

// CheckOutputs refuses, before any work is done, output files that could not be
// written at the end: a path that is a folder, or one in a folder that does not
// exist. Without it a command writing two files (a model, then its report) could
// fail on the second after writing the first. flagPaths alternates flag names and
// paths; empty paths are skipped.
func CheckOutputs(flagPaths ...string) error {
	for i := 0; i+1 < len(flagPaths); i += 2 {
		flag, path := flagPaths[i], flagPaths[i+1]
		if path == "" {
			continue
		}
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			return fmt.Errorf("--%s %s: is a folder; give a file name", flag, path)
		}
		dir := filepath.Dir(path)
		st, err := os.Stat(dir)
		switch {
		case err != nil:
			return fmt.Errorf("--%s %s: folder %s does not exist", flag, path, dir)
		case !st.IsDir():
			return fmt.Errorf("--%s %s: %s is not a folder", flag, path, dir)
		}
	}
	return nil
}

// unwrapPathError returns the cause of an *os.PathError ("no such file or
// directory"), for messages that name the file themselves.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
