package rancher

import (
	"fmt"
	"reflect"
	"sort"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// status is the lifecycle part of a resource that waits and retries look at.
type status struct {
	Name                 string
	State                string
	Transitioning        string
	TransitioningMessage string
}

// rawStatus decodes the fields every resource shares, from any resource's JSON.
type rawStatus struct {
	resources.Resource
	Name                 string `json:"name"`
	State                string `json:"state"`
	Transitioning        string `json:"transitioning"`
	TransitioningMessage string `json:"transitioningMessage"`
}

func (r *rawStatus) status() status {
	return status{Name: r.Name, State: r.State, Transitioning: r.Transitioning, TransitioningMessage: r.TransitioningMessage}
}

// baseOf returns the embedded resources.Resource of obj, a pointer to a struct embedding it.
func baseOf(obj any) (*resources.Resource, error) {
	if r, ok := obj.(*resources.Resource); ok {
		return r, nil
	}
	v := reflect.ValueOf(obj)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("%T is not a pointer to an API resource", obj)
	}
	f := v.Elem().FieldByName("Resource")
	if !f.IsValid() || f.Type() != reflect.TypeOf(resources.Resource{}) {
		return nil, fmt.Errorf("%T does not embed resources.Resource", obj)
	}
	return f.Addr().Interface().(*resources.Resource), nil
}

// statusOfObject reads Name, State, Transitioning and TransitioningMessage of a go-rancher style struct.
func statusOfObject(obj any) status {
	if r, ok := obj.(*rawStatus); ok {
		return r.status()
	}
	v := reflect.ValueOf(obj)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	get := func(name string) string {
		if v.Kind() != reflect.Struct {
			return ""
		}
		f := v.FieldByName(name)
		if f.IsValid() && f.Kind() == reflect.String {
			return f.String()
		}
		return ""
	}
	return status{Name: get("Name"), State: get("State"), Transitioning: get("Transitioning"), TransitioningMessage: get("TransitioningMessage")}
}

// describe names a resource in messages: `service "web" (1s3)`.
func describe(base *resources.Resource, st status) string {
	typ := base.Type
	if typ == "" {
		typ = "resource"
	}
	switch {
	case st.Name != "" && base.Id != "":
		return fmt.Sprintf("%s %q (%s)", typ, st.Name, base.Id)
	case st.Name != "":
		return fmt.Sprintf("%s %q", typ, st.Name)
	case base.Id != "":
		return fmt.Sprintf("%s %s", typ, base.Id)
	}
	return typ
}

func actionNames(actions map[string]string) []string {
	names := make([]string, 0, len(actions))
	for n := range actions {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// resetValue zeroes *dst before a decode, so maps and slices of the old value do not leak
// (json.Unmarshal merges maps).
func resetValue(dst any) {
	v := reflect.ValueOf(dst)
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		v.Elem().Set(reflect.Zero(v.Elem().Type()))
	}
}

// StateOf is a resource's state, with its transitioning message when it has one ("upgrading: 1 of 2
// containers started"), for progress output; "" when obj has no state field.
func StateOf(obj any) string {
	st := statusOfObject(obj)
	if st.TransitioningMessage != "" && st.State != "" {
		return st.State + ": " + st.TransitioningMessage
	}
	return st.State
}
