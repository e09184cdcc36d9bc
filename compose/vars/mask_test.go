package vars

import (
	"reflect"
	"testing"
)

func TestMaskValuesReachesNestedStrings(t *testing.T) {
	type inner struct{ URL string }
	type doc struct {
		Labels  map[string]string
		Command []string
		Any     map[string]any
		Ptr     *inner
		ByName  map[string]inner
		private string
	}
	d := doc{
		Labels:  map[string]string{"db.url": "postgres://u:hunter2@db", "plain": "x"},
		Command: []string{"run", "--token=hunter2"},
		Any:     map[string]any{"k": []any{"a hunter2 b"}, "n": 3},
		Ptr:     &inner{URL: "hunter2"},
		ByName:  map[string]inner{"a": {URL: "https://hunter2@x"}},
		private: "hunter2",
	}
	MaskValues(&d, []string{"hunter2"})
	want := doc{
		Labels:  map[string]string{"db.url": "postgres://u:*****@db", "plain": "x"},
		Command: []string{"run", "--token=*****"},
		Any:     map[string]any{"k": []any{"a ***** b"}, "n": 3},
		Ptr:     &inner{URL: "*****"},
		ByName:  map[string]inner{"a": {URL: "https://*****@x"}},
		private: "hunter2",
	}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("got  %+v\nwant %+v", d, want)
	}
}
