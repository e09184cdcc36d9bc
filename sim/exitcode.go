package sim

import "encoding/json"

// The exit-code extension (Options.ExposeExitCode): rancher/cattle#2903 proposed a container field
// lastExitCode, filled from Docker's die event. Stock Rancher 1.6 never had it, so it is off by default.

// exit records that a container stopped by itself with code.
func (d *ctrData) exit(code int) {
	d.exited = true
	d.exitCode = code
	d.lastExit = &code
}

// ExposeExitCode tells whether containers render lastExitCode (Options.ExposeExitCode).
func (s *Server) ExposeExitCode() bool {
	s.lockWrite()
	defer s.mu.Unlock()
	return s.exposeExit
}

// SetExposeExitCode turns the lastExitCode field on or off from now on (also PUT /_sim/features).
func (s *Server) SetExposeExitCode(on bool) {
	s.lockWrite()
	defer s.mu.Unlock()
	s.invalidate()
	s.exposeExit = on
}

// addExitCode renders lastExitCode on containers when the extension is on. Caller holds s.mu.
func (s *Server) addExitCode(r *resource, out map[string]any) {
	if !s.exposeExit || r.typ != "container" {
		return
	}
	out["lastExitCode"] = nil
	if r.ctr != nil && r.ctr.lastExit != nil {
		out["lastExitCode"] = *r.ctr.lastExit
	}
}

// withExitCode returns raw (one of the served schema documents) with lastExitCode added to the container
// schema, shaped like the dump's other read-only int field startCount. Caller holds the server's mu.
func (set *schemaSet) withExitCode(raw string) string {
	if v, ok := set.withExit[raw]; ok {
		return v
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		return raw
	}
	for _, d := range asList(doc["data"]) {
		if m := asMap(d); m["id"] == "container" {
			fields := asMap(m["resourceFields"])
			field := asMap(deepCopy(fields["startCount"]))
			if field == nil {
				field = map[string]any{"type": "int", "nullable": true, "create": false, "update": false}
			}
			fields["lastExitCode"] = field
		}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return raw
	}
	if set.withExit == nil {
		set.withExit = map[string]string{}
	}
	set.withExit[raw] = string(b)
	return string(b)
}
