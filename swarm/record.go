package swarm

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"

	swarmtypes "github.com/moby/moby/api/types/swarm"
)

// Our records on each service (labels on the service spec, never on containers, so writing them restarts
// nothing).
const (
	// LabelHash is the hash of the spec we last deployed (specHash).
	LabelHash = "io.rancher-compose.hash"
	// LabelState is "confirmed", or "pending" while an upgrade awaits `upgrade --confirm` or `rollback`.
	LabelState = "io.rancher-compose.state"
	// LabelConfirmedHash and LabelConfirmed are the hash and the spec (base64 JSON, records left out) of
	// the last confirmed version: what rollback restores.
	LabelConfirmedHash = "io.rancher-compose.confirmed-hash"
	LabelConfirmed     = "io.rancher-compose.confirmed-spec"
)

// Record states.
const (
	StateConfirmed = "confirmed"
	StatePending   = "pending"
)

var recordLabels = []string{LabelHash, LabelState, LabelConfirmedHash, LabelConfirmed, LabelStoppedReplicas}

// Record is what a service's labels say about our deploys.
type Record struct {
	Hash          string
	State         string
	ConfirmedHash string
	Confirmed     *swarmtypes.ServiceSpec
}

// ReadRecord decodes the records of a service spec; ok is false when the service was not deployed by us.
func ReadRecord(spec swarmtypes.ServiceSpec) (Record, bool, error) {
	l := spec.Labels
	r := Record{Hash: l[LabelHash], State: l[LabelState], ConfirmedHash: l[LabelConfirmedHash]}
	if r.Hash == "" {
		return r, false, nil
	}
	if enc := l[LabelConfirmed]; enc != "" {
		raw, err := base64.StdEncoding.DecodeString(enc)
		if err != nil {
			return r, true, fmt.Errorf("label %s: %w", LabelConfirmed, err)
		}
		var s swarmtypes.ServiceSpec
		if err := json.Unmarshal(raw, &s); err != nil {
			return r, true, fmt.Errorf("label %s: %w", LabelConfirmed, err)
		}
		r.Confirmed = &s
	}
	return r, true, nil
}

// withRecords returns spec carrying our records. Hashes are passed in, never recomputed from a spec read
// back from the daemon (which fills in defaults and would change the hash).
func withRecords(spec swarmtypes.ServiceSpec, hash, state string, confirmed swarmtypes.ServiceSpec, confirmedHash string) swarmtypes.ServiceSpec {
	out := stripRecords(spec)
	raw, _ := json.Marshal(stripRecords(confirmed))
	out.Labels[LabelHash] = hash
	out.Labels[LabelState] = state
	out.Labels[LabelConfirmedHash] = confirmedHash
	out.Labels[LabelConfirmed] = base64.StdEncoding.EncodeToString(raw)
	return out
}

// stripRecords returns a copy of spec whose labels hold none of our records.
func stripRecords(spec swarmtypes.ServiceSpec) swarmtypes.ServiceSpec {
	labels := make(map[string]string, len(spec.Labels))
	for k, v := range spec.Labels {
		labels[k] = v
	}
	for _, k := range recordLabels {
		delete(labels, k)
	}
	spec.Labels = labels
	return spec
}

// specHash identifies a spec by content, leaving out our records, the replica count (scaling is not an
// upgrade, as on Rancher) and the update settings (they shape how an upgrade runs, not what runs).
func specHash(spec swarmtypes.ServiceSpec) string {
	s := stripRecords(spec)
	s.UpdateConfig, s.RollbackConfig = nil, nil
	if s.Mode.Replicated != nil {
		s.Mode = swarmtypes.ServiceMode{Replicated: &swarmtypes.ReplicatedService{}}
	}
	raw, _ := json.Marshal(s)
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:12])
}
