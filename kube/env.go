package kube

import (
	"sort"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/compose/vars"
)

// env lists the service's environment by name. A secret-looking variable with a value (vars.LooksSecret)
// is read from the pod's Secret instead of being written into the manifest.
func (pb *podBuilder) env(s *compose.Service) []corev1.EnvVar {
	names := make([]string, 0, len(s.Compose.Environment))
	for k := range s.Compose.Environment {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []corev1.EnvVar
	for _, k := range names {
		v := s.Compose.Environment[k]
		if errs := validation.IsEnvVarName(k); len(errs) > 0 {
			pb.c.notes.add(Dropped, s.Key("environment"), "variable %q: %s", k, errs[0])
			continue
		}
		if v != "" && vars.LooksSecret(k) {
			pb.secrets[k] = v
			out = append(out, corev1.EnvVar{Name: k, ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
				LocalObjectReference: corev1.LocalObjectReference{Name: pb.secretName()}, Key: k,
			}}})
			continue
		}
		out = append(out, corev1.EnvVar{Name: k, Value: v})
	}
	pb.c.use(s, "environment", "env_file")
	return out
}

// secretName is the Secret holding the pod's secret-looking environment values.
func (pb *podBuilder) secretName() string {
	return dnsLabel(pb.name[:min(len(pb.name), 55)] + "-secrets")
}

// secret emits the pod's Secret (with --include-secrets) or says which Secret the manifests expect.
func (pb *podBuilder) secret() {
	if len(pb.secrets) == 0 {
		return
	}
	keys := make([]string, 0, len(pb.secrets))
	for k := range pb.secrets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	c := pb.c
	if !c.opts.IncludeSecrets {
		c.notes.add(Info, pb.primary.Key("environment"), "secret-looking variables %v are read from Secret %s/%s, which is not emitted: create it, or convert with --include-secrets",
			keys, c.ns, pb.secretName())
		return
	}
	data := make(map[string]string, len(keys))
	for _, k := range keys {
		data[k] = pb.secrets[k]
	}
	sec := &corev1.Secret{TypeMeta: typeMeta("v1", "Secret"), ObjectMeta: c.meta(pb.secretName(), pb.name),
		Type: corev1.SecretTypeOpaque, StringData: data}
	c.add("Secret", sec.Name, sec)
}
