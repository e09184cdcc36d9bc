package resources

// Schema describes one API type: where its collection lives (Links["collection"]), which HTTP methods the
// key may use on the collection and on its resources, and its fields and actions.
type Schema struct {
	Resource

	PluralName        string                 `json:"pluralName,omitempty"`
	ResourceMethods   []string               `json:"resourceMethods,omitempty"`
	ResourceFields    map[string]Field       `json:"resourceFields,omitempty"`
	ResourceActions   map[string]Action      `json:"resourceActions,omitempty"`
	CollectionMethods []string               `json:"collectionMethods,omitempty"`
	CollectionFields  map[string]Field       `json:"collectionFields,omitempty"`
	CollectionActions map[string]Action      `json:"collectionActions,omitempty"`
	CollectionFilters map[string]interface{} `json:"collectionFilters,omitempty"`
	IncludeableLinks  []string               `json:"includeableLinks,omitempty"`
}

// Field describes one field of a schema.
type Field struct {
	Type     string      `json:"type,omitempty"`
	Default  interface{} `json:"default,omitempty"`
	Nullable bool        `json:"nullable,omitempty"`
	Create   bool        `json:"create,omitempty"`
	Required bool        `json:"required,omitempty"`
	Update   bool        `json:"update,omitempty"`
	Options  []string    `json:"options,omitempty"`
}

// Action describes an action's input and output types.
type Action struct {
	Input  string `json:"input,omitempty"`
	Output string `json:"output,omitempty"`
}

// Schemas is the schema collection served at the URL the X-API-Schemas header names.
type Schemas struct {
	Collection
	Data []Schema `json:"data,omitempty"`
}

// HasMethod reports whether method is listed in methods (collectionMethods or resourceMethods).
func HasMethod(methods []string, method string) bool {
	for _, m := range methods {
		if m == method {
			return true
		}
	}
	return false
}
