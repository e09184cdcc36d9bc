package sim

import (
	"archive/zip"
	"bytes"
	"net/http"

	"github.com/rancher-compose-ng/rancher-compose/sim/transform"
)

// serveLink answers GET <resource>/<link>.
func (s *Server) serveLink(rc *reqCtx, r *resource, link string) result {
	var list []*resource
	schema := ""
	switch {
	case r.table == "stack" && link == "services":
		list, schema = s.stackServices(r), "service"
	case r.table == "stack" && link == "composeconfig":
		return s.composeZip(r)
	case r.table == "service" && link == "instances":
		list, schema = append(s.serviceContainers(r), s.selectedContainers(r)...), "instance"
	case r.table == "service" && (link == "consumedservices" || link == "consumedbyservices"):
		inbound := link == "consumedbyservices"
		for _, m := range s.consumeMaps(r, inbound) {
			id := m.str("consumedServiceId")
			if inbound {
				id = m.str("serviceId")
			}
			if t := s.st.get("service", id); t != nil {
				list = append(list, t)
			}
		}
		schema = "service"
	case r.table == "host" && link == "instances":
		for _, c := range s.st.all("instance") {
			if c.ctr != nil && c.ctr.host == r {
				list = append(list, c)
			}
		}
		schema = "instance"
	case r.table == "instance" && link == "hosts":
		if r.ctr != nil && r.ctr.host != nil {
			list = append(list, r.ctr.host)
		}
		schema = "host"
	case r.table == "instance" && link == "services":
		if r.ctr != nil && r.ctr.service != nil {
			list = append(list, r.ctr.service)
		}
		schema = "service"
	case r.table == "instance" && link == "mounts":
		list, schema = s.mountsOf("instanceId", r.id()), "mount"
	case r.table == "instance" && link == "volumes":
		for _, m := range s.mountsOf("instanceId", r.id()) {
			if v := s.st.get("volume", m.str("volumeId")); v != nil {
				list = append(list, v)
			}
		}
		schema = "volume"
	case r.table == "volume" && link == "mounts":
		list, schema = s.mountsOf("volumeId", r.id()), "mount"
	case r.table == "stack" && (link == "volumes" || link == "volumetemplates"):
		table := map[string]string{"volumes": "volume", "volumetemplates": "volumeTemplate"}[link]
		for _, v := range s.st.all(table) {
			if v.str("stackId") == r.id() {
				list = append(list, v)
			}
		}
		schema = table
	case r.table == "project" && link == "schemas":
		return s.serveSchemas(rc, http.MethodGet, nil)
	default:
		schema = "service"
		if _, known := s.links(rc, r)[link]; !known {
			lowerKnown := false
			for k := range s.links(rc, r) {
				if lower(k) == link {
					lowerKnown = true
				}
			}
			if !lowerKnown {
				return errResult(httpErr(http.StatusNotFound))
			}
		}
	}
	return result{status: 200, body: s.collection(rc, s.schemas.byID[schema], list, nil)}
}

// composeZip is the stack's composeConfig link: a zip of docker-compose.yml and rancher-compose.yml.
func (s *Server) composeZip(stack *resource) result {
	cfg := s.exportConfig(stack, nil)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, key := range map[string]string{"docker-compose.yml": "dockerComposeConfig", "rancher-compose.yml": "rancherComposeConfig"} {
		w, _ := zw.Create(name)
		_, _ = w.Write([]byte(str(cfg[key])))
	}
	_ = zw.Close()
	return result{status: 200, raw: buf.String(), contentType: "application/zip"}
}

// transformHandler is POST /v2-beta/scripts/transform (sim/transform does the conversion).
func (s *Server) transformHandler(rc *reqCtx) result {
	out, err := transform.TransformJSON(rc.body)
	if err != nil {
		if te, ok := err.(*transform.Error); ok {
			ae := &apiError{Status: te.Status, Code: te.Code, Message: te.Message, Detail: te.Detail}
			return errResult(ae)
		}
		return errResult(httpErr(http.StatusInternalServerError))
	}
	if out == nil {
		return result{status: 200, raw: " "}
	}
	return result{status: 200, body: out}
}
