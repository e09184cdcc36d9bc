package rancher

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// NormalizeURL turns RANCHER_URL into the URL the first request goes to, as go-rancher v2 did: an empty
// path or "/" becomes /v2-beta, a leading /v1 segment becomes /v2-beta, anything else (a project URL, a
// URL ending in /schemas) is kept. Credentials written in the URL are returned apart and removed from it.
func NormalizeURL(raw string) (normalized string, user *url.Userinfo, err error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", nil, &ConfigError{Msg: "RANCHER_URL is not set (set it or pass --url)"}
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", nil, &ConfigError{Msg: fmt.Sprintf("RANCHER_URL %q is not an http(s) URL such as http://rancher:8080", redactURL(raw))}
	}
	user, u.User = u.User, nil
	switch {
	case u.Path == "" || u.Path == "/":
		u.Path = "/v2-beta"
	case u.Path == "/v1" || strings.HasPrefix(u.Path, "/v1/"):
		u.Path = "/v2-beta" + strings.TrimPrefix(u.Path, "/v1")
	}
	u.RawPath = ""
	return u.String(), user, nil
}

var versionSegment = regexp.MustCompile(`^v[0-9]+(-[a-z]+)?$`)

// versionRoot returns the API version root of an API URL (http://h:8080/v2-beta for
// http://h:8080/v2-beta/projects/1a5/schemas), keeping any path prefix before the version.
func versionRoot(apiURL string) string {
	u, err := url.Parse(apiURL)
	if err != nil {
		return apiURL
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i, s := range segs {
		if versionSegment.MatchString(s) {
			u.Path = "/" + strings.Join(segs[:i+1], "/")
			u.RawQuery = ""
			return u.String()
		}
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/v2-beta"
	u.RawQuery = ""
	return u.String()
}

// projectSchemasURL is the schemas URL scoped to one environment, which works for account and
// environment keys alike.
func projectSchemasURL(apiURL, projectID string) string {
	return versionRoot(apiURL) + "/projects/" + url.PathEscape(projectID) + "/schemas"
}

// resolveURL resolves ref (possibly relative) against base.
func resolveURL(base, ref string) string {
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}

// appendFilters adds filters to a URL's query the way go-rancher did (keys sorted, values escaped, so
// removed_null=<nil> is sent as removed_null=%3Cnil%3E).
func appendFilters(rawURL string, f Filters) (string, error) { return appendQuery(rawURL, f.Query()) }

// appendQuery adds query values to a URL's query, keys sorted and values escaped.
func appendQuery(rawURL string, extra url.Values) (string, error) {
	if len(extra) == 0 {
		return rawURL, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", err
	}
	q := u.Query()
	for k, vs := range extra {
		for _, v := range vs {
			q.Add(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

var projectPath = regexp.MustCompile(`^(.*/v[0-9]+(?:-[a-z]+)?)/projects/([^/]+)/?$`)

// discoveryURL is where schema discovery starts. A project URL (/v2-beta/projects/1a5) goes straight to
// that project's schemas: the original fetched the project and then the unscoped schemas, which is the
// same for an environment key and useless for an account key (its user schemas cannot create stacks).
func discoveryURL(normalized string) string {
	u, err := url.Parse(normalized)
	if err != nil {
		return normalized
	}
	m := projectPath.FindStringSubmatch(u.Path)
	if m == nil || m[2] == "schemas" {
		return normalized
	}
	u.Path = m[1] + "/projects/" + m[2] + "/schemas"
	return u.String()
}
