package resources

// Setting is a server setting read by name (GET settings/<name>), such as rancher.compose.version or
// lb.instance.image. The server answers with an activeSetting; ActiveValue is the value in force.
type Setting struct {
	Resource

	ActiveValue string `json:"activeValue,omitempty"`
	Name        string `json:"name,omitempty"`
	Source      string `json:"source,omitempty"`
	Value       string `json:"value,omitempty"`
}
