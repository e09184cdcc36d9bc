package sim

import (
	"crypto/subtle"
	"net/http"
)

// apiKey is a credential the simulator accepts.
type apiKey struct {
	access, secret string
	// environment keys are scoped to the project; account keys see the user role unless a project
	// they are a member of is named in the URL.
	environment bool
	projects    []string
}

const (
	projectID   = "1a5"
	projectName = "Default"
	authRealm   = `Basic realm="Enter API access key and secret key as username and password"`
)

// AccountKey is a user-owned API key: it must name a project it belongs to (/v2-beta/projects/<id>/…).
type AccountKey struct {
	AccessKey, SecretKey string
	// Projects the account is a member of; the simulator has one project, "1a5".
	Projects []string
}

// authenticate finds the caller. A nil key with no error means access control is off.
func (s *Server) authenticate(r *http.Request) (*apiKey, *apiError) {
	user, pass, ok := r.BasicAuth()
	if ok {
		for _, k := range *s.keysNow.Load() {
			if subtle.ConstantTimeCompare([]byte(user), []byte(k.access)) == 1 &&
				subtle.ConstantTimeCompare([]byte(pass), []byte(k.secret)) == 1 {
				return k, nil
			}
		}
	}
	if s.opts.AccessControlOff {
		return nil, nil
	}
	return nil, httpErr(http.StatusUnauthorized)
}

// authorizeProject checks a /projects/<id>/ sub-context against the key.
func (s *Server) authorizeProject(k *apiKey, pid string) *apiError {
	if _, ok := parseID(pid); !ok {
		return httpErr(http.StatusForbidden)
	}
	if k == nil {
		if pid == s.env.id {
			return nil
		}
		return httpErr(http.StatusForbidden)
	}
	if k.environment {
		if pid == s.env.id {
			return nil
		}
		return httpErr(http.StatusForbidden)
	}
	for _, p := range k.projects {
		if p == pid {
			return nil
		}
	}
	return httpErr(http.StatusForbidden)
}

// canWrite reports whether the caller has the project role here (env key, admin, or account key in a project).
func (rc *reqCtx) canWrite() bool {
	return rc.account == nil || rc.account.environment || rc.sub != "" || rc.projectChosen
}
