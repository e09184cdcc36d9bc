package compose

import "github.com/rancher-compose-ng/rancher-compose/compose/vars"

// SecretValues returns the values of the variables whose names look secret (vars.LooksSecret) that the
// files interpolate, so that printed output can hide them wherever they landed (a label, a command, a URL).
func (p *Project) SecretValues() []string {
	var out []string
	for _, v := range p.Variables {
		if v.Value != "" && vars.LooksSecret(v.Name) {
			out = append(out, v.Value)
		}
	}
	return out
}
