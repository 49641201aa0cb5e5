package h5io

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"gonum.org/v1/hdf5"
)

// Group is an open HDF5 group (the root group or a child of it).
type Group struct {
	file *File
	path string // "" for the root, else "a" or "a/b"
	g    *hdf5.Group
}

// File returns the file the group belongs to.
func (g *Group) File() *File { return g.file }

// Path returns the group's path without the leading slash: "" for the root,
// "ethanol" for /ethanol.
func (g *Group) Path() string { return g.path }

// Object names the group in messages: `group "ethanol"`, or "" for the root.
func (g *Group) Object() string {
	if g.path == "" {
		return ""
	}
	return quote("group", g.path)
}

// Errorf returns an *Error naming the file and this group:
//
//	data.h5: group "ethanol": <formatted problem>
//
// Use it for problems the caller finds in what it read.
func (g *Group) Errorf(format string, args ...any) error {
	return &Error{File: g.file.name, Object: g.Object(), Err: fmt.Errorf(format, args...)}
}

// errorf is Errorf for problems with a named member (dataset or attribute) of g.
func (g *Group) errorf(kind, name string, format string, args ...any) error {
	return &Error{File: g.file.name, Object: g.member(kind, name), Err: fmt.Errorf(format, args...)}
}

// member names a dataset or attribute of g for messages.
func (g *Group) member(kind, name string) string {
	if kind == "attribute" && g.path != "" {
		return fmt.Sprintf("attribute %q of group %q", name, g.path)
	}
	if kind == "attribute" {
		return quote("attribute", name)
	}
	return quote(kind, join(g.path, name))
}

// Close releases the group. Closing the root group returned by File.Root is a no-op
// (the file closes it).
func (g *Group) Close() error {
	if g == nil || g == g.file.root {
		return nil
	}
	defer quiet()()
	return g.close()
}

func (g *Group) close() error {
	if g.g == nil {
		return nil
	}
	err := g.g.Close()
	g.g = nil
	return err
}

// Has reports whether g has a member (group, dataset or other link) called name.
// name must be a plain name without "/".
func (g *Group) Has(name string) bool {
	if name == "" || strings.Contains(name, "/") {
		return false
	}
	defer quiet()()
	return g.g.LinkExists(name)
}

// Groups returns the names of the child groups of g in byte order.
func (g *Group) Groups() ([]string, error) { return g.members(hdf5.H5G_GROUP) }

// Datasets returns the names of the datasets in g in byte order.
func (g *Group) Datasets() ([]string, error) { return g.members(hdf5.H5G_DATASET) }

func (g *Group) members(want hdf5.GType) ([]string, error) {
	defer quiet()()
	n, err := g.g.NumObjects()
	if err != nil {
		return nil, g.Errorf("cannot list the members (damaged file?)")
	}
	var names []string
	for i := uint(0); i < n; i++ {
		typ, err := g.g.ObjectTypeByIndex(i)
		if err != nil {
			// A dangling soft or external link has no object type; skip it.
			continue
		}
		if typ != want {
			continue
		}
		name, err := g.g.ObjectNameByIndex(i)
		if err != nil {
			return nil, g.Errorf("cannot read the name of member %d (damaged file?)", i)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names, nil
}

// OpenGroup opens the child group name of g. The caller closes it.
func (g *Group) OpenGroup(name string) (*Group, error) {
	if err := checkName(name); err != nil {
		return nil, g.Errorf("group name %q: %v", name, err)
	}
	defer quiet()()
	if !g.g.LinkExists(name) {
		return nil, g.errorf("group", name, "is missing")
	}
	c, err := g.g.OpenGroup(name)
	if err != nil {
		return nil, g.errorf("group", name, "cannot be opened (is it a dataset?)")
	}
	return &Group{file: g.file, path: join(g.path, name), g: c}, nil
}

// CreateGroup creates the child group name of g. The caller closes it.
func (g *Group) CreateGroup(name string) (*Group, error) {
	if err := checkName(name); err != nil {
		return nil, g.Errorf("cannot create group %q: %v", name, err)
	}
	defer quiet()()
	if g.g.LinkExists(name) {
		return nil, g.errorf("group", name, "already exists")
	}
	c, err := g.g.CreateGroup(name)
	if err != nil {
		return nil, g.errorf("group", name, "HDF5 could not create it")
	}
	return &Group{file: g.file, path: join(g.path, name), g: c}, nil
}

// checkName reports whether name can be the name of an HDF5 link.
func checkName(name string) error {
	switch {
	case name == "":
		return errors.New("empty name")
	case name == ".":
		return errors.New(`"." is not a valid name`)
	case strings.Contains(name, "/"):
		return errors.New(`a name may not contain "/"`)
	case strings.ContainsRune(name, 0):
		return errors.New("a name may not contain a NUL byte")
	}
	return nil
}

// CheckName reports whether name is usable as the name of a group, dataset or
// attribute (non-empty, not ".", no "/" and no NUL byte).
func CheckName(name string) error { return checkName(name) }
