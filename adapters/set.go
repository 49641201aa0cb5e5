package adapters

import (
	"fmt"
	"strings"

	"github.com/sciadapt/sciadapt/nn"
)

// Set holds several adapters on one base model and switches between them by name.
// At most one adapter is active at a time; with none active the base computes
// exactly what it computed before any adapter was added.
type Set struct {
	base     nn.Module
	adapters []*Adapter
	active   *Adapter
}

// NewSet returns an empty set of adapters for base.
func NewSet(base nn.Module) *Set { return &Set{base: base} }

// Base returns the base model.
func (s *Set) Base() nn.Module { return s.base }

// Names returns the names of the adapters in the order they were added.
func (s *Set) Names() []string {
	names := make([]string, len(s.adapters))
	for i, a := range s.adapters {
		names[i] = a.name
	}
	return names
}

// Get returns the adapter of the given name, or nil.
func (s *Set) Get(name string) *Adapter {
	for _, a := range s.adapters {
		if a.name == name {
			return a
		}
	}
	return nil
}

// Active returns the active adapter's name, or "" when the base runs alone.
func (s *Set) Active() string {
	if s.active == nil {
		return ""
	}
	return s.active.name
}

// Add attaches a new adapter (made by New) to the base and makes it the active one.
func (s *Set) Add(a *Adapter) error {
	if s.Get(a.name) != nil {
		return fmt.Errorf("the set already holds an adapter named %q", a.name)
	}
	if a.attached {
		return fmt.Errorf("adapter %s is already attached; add a new adapter", a.name)
	}
	prev := s.Active()
	s.UseBase()
	if err := a.Attach(s.base); err != nil {
		s.restore(prev)
		return err
	}
	s.adapters = append(s.adapters, a)
	s.active = a
	return nil
}

// Load reads an adapter file, attaches the adapter to the base (checking that the
// file belongs to this base) and makes it the active one. The file's adapter name
// must not be in the set already; name, if not empty, renames it.
func (s *Set) Load(path, name string) (*Adapter, error) {
	f, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	if name != "" {
		f.Name = name
	}
	if s.Get(f.Name) != nil {
		return nil, fmt.Errorf("%s: the set already holds an adapter named %q; load it under another name", path, f.Name)
	}
	prev := s.Active()
	s.UseBase()
	a, err := f.Attach(s.base)
	if err != nil {
		s.restore(prev)
		return nil, err
	}
	s.adapters = append(s.adapters, a)
	s.active = a
	return a, nil
}

func (s *Set) restore(name string) {
	if name != "" {
		_ = s.Use(name)
	}
}

// Use makes the named adapter the only enabled one. Trainable flags follow: the
// base parameters are frozen except those the adapter trains.
func (s *Set) Use(name string) error {
	a := s.Get(name)
	if a == nil {
		return fmt.Errorf("no adapter named %q in the set (it holds: %s)", name, strings.Join(s.Names(), ", "))
	}
	if s.active == a {
		return nil
	}
	s.UseBase()
	nn.Freeze(s.base)
	a.Enable(true)
	s.active = a
	return nil
}

// UseBase disables every adapter (unmerging a merged one), so the base computes
// exactly what it computed before any adapter was added.
func (s *Set) UseBase() {
	for _, a := range s.adapters {
		a.Enable(false)
	}
	s.active = nil
}

// Remove detaches the named adapter and removes it from the set.
func (s *Set) Remove(name string) error {
	for i, a := range s.adapters {
		if a.name == name {
			if s.active == a {
				s.UseBase()
			}
			a.Detach()
			s.adapters = append(s.adapters[:i], s.adapters[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("no adapter named %q in the set", name)
}

// Merge merges the active adapter into the base weights (see Adapter.Merge).
func (s *Set) Merge() error {
	if s.active == nil {
		return fmt.Errorf("no adapter is active: Use one before merging")
	}
	return s.active.Merge()
}
