package upgrade

// HashKey is where rancher-compose keeps its digests: in service.metadata and in every launch config's labels.
const HashKey = "io.rancher.service.hash"

// Service kinds as the API names them (the `type` of the resource and the collection a create posts to).
const (
	KindService        = "service"
	KindLoadBalancer   = "loadBalancerService"
	KindExternal       = "externalService"
	KindDNS            = "dnsService"
	KindNetworkDriver  = "networkDriverService"
	KindStorageDriver  = "storageDriverService"
	noneImage          = "rancher/none"
	defaultBatchSize   = 2
	defaultIntervalMil = 1000
)

// Digests are the three io.rancher.service.hash values of one service (service-hash.md §1).
type Digests struct {
	Service   string            `json:"service"`
	Primary   string            `json:"launchConfig"`
	Sidekicks map[string]string `json:"sidekicks,omitempty"`
}

// Strategy is upgrade_strategy from rancher-compose.yml. Zero BatchSize or IntervalMillis means "not set".
type Strategy struct {
	StartFirst     bool  `json:"startFirst,omitempty"`
	BatchSize      int64 `json:"batchSize,omitempty"`
	IntervalMillis int64 `json:"intervalMillis,omitempty"`
}

// Link is one entry of links or external_links: Target is a project service name or "stack/service".
type Link struct {
	Target string `json:"target"`
	Alias  string `json:"alias,omitempty"`
	// External marks external_links (and any stack/service target): it is resolved in Rancher, never a dependency.
	External bool `json:"external,omitempty"`
	// ServiceID is the resolved target in a plan's set-links step ("" for a project service not created yet).
	ServiceID string `json:"serviceId,omitempty"`
}

// Desired is one compose service as the project wants it, built by the launch-config builder.
// Bodies are JSON objects (map[string]any) exactly as they go on the wire, so this package needs no API structs.
type Desired struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	// Links are the service links to post with setservicelinks.
	Links []Link `json:"links,omitempty"`
	// DependsOn are the project services this one waits for: link targets and LB port-rule targets (§3.12).
	DependsOn []string `json:"dependsOn,omitempty"`
	// Gates are the compose depends_on entries: this service is not created, activated or upgraded before
	// each one's service reached its condition (they are in DependsOn too).
	Gates []Gate `json:"gates,omitempty"`
	// ManagesLinks is false when links are not managed: selector links, external services, new-style LBs (§3.5).
	ManagesLinks bool     `json:"managesLinks"`
	Digests      Digests  `json:"digests"`
	Scale        int64    `json:"scale"`
	Strategy     Strategy `json:"strategy"`
	// Images are pulled with --pull (plain services with an image only).
	Images []string `json:"images,omitempty"`
	// PullLabels go into each pull task so Cattle picks matching hosts.
	PullLabels map[string]string `json:"pullLabels,omitempty"`
	// CreateBody is POSTed to the kind's collection when the service is missing.
	CreateBody map[string]any `json:"-"`
	// ServiceBody is the full CompositeService JSON PUT on a service-level change (scale is replaced).
	ServiceBody map[string]any `json:"-"`
	// LaunchConfig is the primary launch config with its hash label; Sidekicks are keyed by name.
	LaunchConfig map[string]any            `json:"-"`
	Sidekicks    map[string]map[string]any `json:"-"`
	// image is the compose image of a shape (ShapeOf), which has no launch config yet.
	image string
}

// Image is the primary image of a desired service without the "docker:" prefix, or "" (a shape's: its
// compose image).
func (d *Desired) Image() string {
	if d.LaunchConfig == nil {
		return d.image
	}
	return imageOf(d.LaunchConfig)
}

// Options are the flags of `up` that shape a plan.
type Options struct {
	Upgrade        bool // --upgrade, -u, --recreate
	ForceUpgrade   bool // --force-upgrade, --force-recreate
	ConfirmUpgrade bool // --confirm-upgrade, -c
	Rollback       bool // --rollback, -r
	Pull           bool // --pull
	// BatchSize and IntervalMillis are the flag values; BatchSizeSet/IntervalSet say they were given
	// explicitly, so they beat upgrade_strategy from rancher-compose.yml. Zero values mean the defaults 2 and 1000.
	BatchSize      int64
	IntervalMillis int64
	BatchSizeSet   bool
	IntervalSet    bool
	// Services are the positional service names; empty means every service of the project.
	Services []string
	// ApplyScale applies a changed scale: from rancher-compose.yml (new; the original never did, rancher#4897).
	ApplyScale bool
	// Atomic confirms every upgraded service only when all are healthy, and otherwise rolls them all back.
	Atomic bool
	// CreateOnly is the `create` command: missing services are created and linked, nothing is started,
	// upgraded or confirmed (original-behavior.md §3.2).
	CreateOnly bool
	// ShowSecrets prints environment values and secret variables' values in plan diffs (--show-secrets);
	// otherwise a diff says that such a value changed, not to what.
	ShowSecrets bool
	// Secrets are the values of the variables whose names look secret, hidden wherever they land.
	Secrets []string
	// WaitHealthy counts a service as done only when its new containers are healthy (or running, or exited 0).
	WaitHealthy bool
}

func (o Options) selected(name string) bool {
	if len(o.Services) == 0 {
		return true
	}
	for _, s := range o.Services {
		if s == name {
			return true
		}
	}
	return false
}

func (o Options) batchSize(s Strategy) int64 {
	switch {
	case o.BatchSizeSet:
		return o.BatchSize
	case s.BatchSize > 0:
		return s.BatchSize
	case o.BatchSize > 0:
		return o.BatchSize
	}
	return defaultBatchSize
}

func (o Options) interval(s Strategy) int64 {
	switch {
	case o.IntervalSet:
		return o.IntervalMillis
	case s.IntervalMillis > 0:
		return s.IntervalMillis
	case o.IntervalMillis > 0:
		return o.IntervalMillis
	}
	return defaultIntervalMil
}
