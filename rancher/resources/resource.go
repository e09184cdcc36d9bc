// Package resources holds the Rancher v2-beta API types that rancher-compose sends and receives.
//
// The types mirror go-rancher v2 (github.com/rancher/go-rancher/v2 at af955cd, the version rancher-compose
// v0.12.5 vendored) field for field: the json tags make them round-trip the API's JSON, and the yaml tags
// are the keys of the io.rancher.service.hash digests (see rancher/digest), so neither may be renamed.
package resources

// Resource is the part every API object shares. Like go-rancher's, its fields have no yaml tags, so the
// digest sees them under their lower-cased Go names (id, type, links, actions), nested under "resource"
// because embedding structs never inlines them in yaml.v2. Links and Actions have no omitempty: a create
// body carries "links":null,"actions":null exactly as the original sends.
type Resource struct {
	Id      string            `json:"id,omitempty"`
	Type    string            `json:"type,omitempty"`
	Links   map[string]string `json:"links"`
	Actions map[string]string `json:"actions"`
}
