package sim

// transitioningStates are the `transitioning=` states of every process (§5): in them
// transitioning is "yes".
var transitioningStates = setOf("registering", "activating", "updating-active", "updating-inactive",
	"deactivating", "removing", "purging", "upgrading", "canceling-upgrade", "rolling-back",
	"finishing-upgrade", "restarting", "creating", "starting", "stopping", "erroring", "migrating",
	"updating-running", "updating-stopped")

// serviceActions is §5.1's table: process-backed actions legal in each service state.
var serviceActions = map[string][]string{
	"requested":         {"create", "remove"},
	"registering":       {"remove"},
	"inactive":          {"activate", "update", "remove", "upgrade"},
	"activating":        {"update", "deactivate", "remove", "upgrade"},
	"active":            {"update", "deactivate", "remove", "upgrade", "restart"},
	"updating-active":   {"update", "deactivate", "remove", "upgrade"},
	"updating-inactive": {"deactivate", "remove"},
	"deactivating":      {"remove"},
	"upgrading":         {"update", "remove", "cancelupgrade", "rollback"},
	"upgraded":          {"remove", "rollback", "finishupgrade"},
	"canceling-upgrade": {"update", "remove"},
	"canceled-upgrade":  {"remove", "continueupgrade", "rollback"},
	"rolling-back":      {"update", "remove"},
	"finishing-upgrade": {"update", "remove", "cancelupgrade"},
	"restarting":        {"activate", "deactivate", "remove"},
}

// serviceAPIActions are handler actions, shown in every state but removing/removed.
var serviceAPIActions = []string{"setservicelinks", "addservicelink", "removeservicelink"}

// stackActions is §5.2's table.
var stackActions = map[string][]string{
	"requested":         {"create", "remove"},
	"activating":        {"remove", "error"},
	"active":            {"update", "remove", "upgrade"},
	"upgrading":         {"remove", "cancelupgrade", "rollback"},
	"upgraded":          {"remove", "rollback", "finishupgrade"},
	"canceled-upgrade":  {"remove", "upgrade", "rollback"},
	"finishing-upgrade": {"remove", "cancelupgrade"},
	"error":             {"remove"},
	"erroring":          {"remove"},
	"updating-active":   {"remove"},
	"rolling-back":      {"remove"},
	"canceling-upgrade": {"remove"},
}

var stackAPIActions = []string{"activateservices", "deactivateservices", "exportconfig", "addoutputs"}

// containerActions is §4.7's table.
var containerActions = map[string][]string{
	"running":    {"stop", "restart", "update", "migrate", "logs", "execute", "proxy", "console"},
	"stopped":    {"start", "remove", "update", "error", "logs"},
	"creating":   {"start", "stop", "remove", "error"},
	"requested":  {"remove"},
	"starting":   {"stop"},
	"restarting": {"stop"},
	"error":      {"remove"},
	"erroring":   {"remove"},
	"removed":    {"purge"},
}

var hostActions = map[string][]string{
	"active":   {"update", "deactivate", "dockersocket"},
	"inactive": {"update", "activate", "remove"},
}

// genericActions covers simple resources (certificates, volumes, pull tasks, links).
var genericActions = map[string][]string{
	"active":   {"update", "remove"},
	"inactive": {"update", "remove"},
}

// legalActions lists the actions of r in its current state, filtered by its schema.
func (s *Server) legalActions(r *resource) []string {
	if isSystem(r) {
		return nil
	}
	st := r.state()
	var names []string
	switch r.table {
	case "service":
		names = append(names, serviceActions[st]...)
		if st != "removing" && st != "removed" {
			names = append(names, serviceAPIActions...)
		}
	case "stack":
		names = append(names, stackActions[st]...)
		if st != "removed" {
			names = append(names, stackAPIActions...)
		}
	case "instance":
		names = containerActions[st]
	case "host":
		names = hostActions[st]
	default:
		names = genericActions[st]
	}
	sd := s.schemas.byID[r.typ]
	var out []string
	for _, n := range names {
		if sd == nil || sd.ResourceActions[n] {
			out = append(out, n)
		}
	}
	return out
}

func (s *Server) actionLegal(r *resource, name string) bool {
	for _, a := range s.legalActions(r) {
		if a == name {
			return true
		}
	}
	return false
}

func setOf(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}
