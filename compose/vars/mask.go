package vars

import (
	"reflect"
	"strings"
)

// ContainsAny reports whether s holds one of the values.
func ContainsAny(s string, values []string) bool {
	for _, v := range values {
		if v != "" && strings.Contains(s, v) {
			return true
		}
	}
	return false
}

// MaskValues replaces, in every string reachable from ptr (struct fields, map values, slice items,
// pointers and interfaces), each occurrence of one of values by Masked. It changes the data in place: call
// it on a copy that is only printed.
func MaskValues(ptr any, values []string) {
	if len(values) == 0 {
		return
	}
	maskValue(reflect.ValueOf(ptr), values)
}

func maskValue(v reflect.Value, values []string) reflect.Value {
	switch v.Kind() {
	case reflect.String:
		if ContainsAny(v.String(), values) {
			s := v.String()
			for _, secret := range values {
				if secret != "" {
					s = strings.ReplaceAll(s, secret, Masked)
				}
			}
			out := reflect.New(v.Type()).Elem()
			out.SetString(s)
			return out
		}
	case reflect.Pointer:
		if !v.IsNil() {
			setIfChanged(v.Elem(), maskValue(v.Elem(), values))
		}
	case reflect.Interface:
		if !v.IsNil() {
			inner := maskValue(v.Elem(), values)
			if inner != v.Elem() {
				out := reflect.New(v.Type()).Elem()
				out.Set(inner)
				return out
			}
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.CanSet() {
				setIfChanged(f, maskValue(f, values))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if item := v.Index(i); item.CanSet() {
				setIfChanged(item, maskValue(item, values))
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			val := v.MapIndex(k)
			if masked := maskValue(val, values); masked != val {
				v.SetMapIndex(k, masked)
			} else if val.Kind() == reflect.Pointer || val.Kind() == reflect.Map || val.Kind() == reflect.Interface {
				continue
			} else if val.Kind() == reflect.Struct || val.Kind() == reflect.Slice {
				cp := reflect.New(val.Type()).Elem()
				cp.Set(val)
				maskValue(cp.Addr(), values)
				v.SetMapIndex(k, cp)
			}
		}
	}
	return v
}

func setIfChanged(dst, v reflect.Value) {
	if v != dst && dst.CanSet() {
		dst.Set(v)
	}
}
