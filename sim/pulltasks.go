package sim

// createPullTask starts a pull on every active host matching the labels' hard host affinity:
// activating, per-host status "Pulling" → "Done", then active (§4.11).
func (s *Server) createPullTask(body map[string]any) (*resource, *apiError) {
	f := filterFields(s.schemas.byID["pullTask"], body, false)
	image := str(f["image"])
	if image == "" {
		return nil, invalid(codeMissingRequired, "image")
	}
	if f["mode"] == nil {
		f["mode"] = "all"
	}
	f["state"] = "activating"
	f["kind"] = "pullTask"
	status := map[string]any{}
	r := &resource{typ: "pullTask", table: "pullTask", f: f}
	fake := &resource{typ: "service", table: "service", f: map[string]any{"name": "pull",
		"launchConfig": map[string]any{"labels": f["labels"], "imageUuid": "docker:" + image}}}
	hosts := s.globalHosts(fake)
	for _, h := range hosts {
		status[h.str("name")] = "Pulling"
	}
	f["status"] = status
	s.st.insert(r, s.clk.Now())
	delay := s.behaviorFor(image).PullDelay.D()
	s.startProc(r, func(p *proc) {
		if !p.enter("activating") {
			return
		}
		for _, h := range hosts {
			s.setMessage(r, "Pulling "+image+" on "+h.str("name"))
			if !p.sleep(s.opts.step() + delay) {
				return
			}
			s.setMessage(r, "Finishing pull "+image+" on "+h.str("name"))
			status[h.str("name")] = "Done"
		}
		p.finish("active")
	})
	return r, nil
}
