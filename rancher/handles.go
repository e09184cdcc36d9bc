package rancher

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// Stacks is the handle of stacks.
func (c *Client) Stacks() *Handle[resources.Stack] { return NewHandle[resources.Stack](c, "stack") }

// Services is the handle of services of every kind: /services lists service, loadBalancerService,
// dnsService and externalService alike. Create the other kinds through ServiceKind.
func (c *Client) Services() *Handle[resources.Service] {
	return NewHandle[resources.Service](c, "service")
}

// ListPage is the page size of the client's lists of a stack's services (limit): Cattle's default of 100 cost
// a big stack's read a round trip per 100 services; Cattle allows up to 3000, its documentation says 1000.
const ListPage = 1000

// ListServicesWithoutUpgrade lists services like Services().List, each without its upgrade strategy: a
// service being upgraded carries two whole launch configs there, which readers of a stack's services do not
// look at, so a big stack's list is decoded (and kept) at half the size. Pages hold ListPage services unless
// f sets a limit.
func (c *Client) ListServicesWithoutUpgrade(ctx context.Context, f Filters) ([]resources.Service, error) {
	if _, ok := f["limit"]; !ok {
		f = maps.Clone(f)
		f["limit"] = strconv.Itoa(ListPage)
	}
	list, err := NewHandle[serviceWithoutUpgrade](c, "service").List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]resources.Service, len(list))
	for i := range list {
		out[i] = list[i].Service
	}
	return out, nil
}

// serviceWithoutUpgrade decodes a service but its upgrade strategy.
type serviceWithoutUpgrade struct {
	resources.Service
	Upgrade skipped `json:"upgrade"` // shadows Service.Upgrade, which stays nil
}

// skipped decodes any JSON value into nothing.
type skipped struct{}

func (*skipped) UnmarshalJSON([]byte) error { return nil }

// ServiceKind is the handle of one kind of service ("loadBalancerService", "dnsService",
// "externalService"), whose creates go to that kind's collection, as the original's did.
func (c *Client) ServiceKind(kind string) *Handle[resources.Service] {
	return NewHandle[resources.Service](c, kind)
}

// Containers is the handle of containers.
func (c *Client) Containers() *Handle[resources.Container] {
	return NewHandle[resources.Container](c, "container")
}

// Hosts is the handle of hosts.
func (c *Client) Hosts() *Handle[resources.Host] { return NewHandle[resources.Host](c, "host") }

// Settings is the handle of settings; Get takes a setting name (rancher.compose.version).
func (c *Client) Settings() *Handle[resources.Setting] {
	return NewHandle[resources.Setting](c, "setting")
}

// Certificates is the handle of certificates.
func (c *Client) Certificates() *Handle[resources.Certificate] {
	return NewHandle[resources.Certificate](c, "certificate")
}

// PullTasks is the handle of image pull tasks.
func (c *Client) PullTasks() *Handle[resources.PullTask] {
	return NewHandle[resources.PullTask](c, "pullTask")
}

// VolumeTemplates is the handle of stack volume templates.
func (c *Client) VolumeTemplates() *Handle[resources.VolumeTemplate] {
	return NewHandle[resources.VolumeTemplate](c, "volumeTemplate")
}

// ServiceConsumeMaps is the handle of service links (List with Filters{"serviceId": id}).
func (c *Client) ServiceConsumeMaps() *Handle[resources.ServiceConsumeMap] {
	return NewHandle[resources.ServiceConsumeMap](c, "serviceConsumeMap")
}

// Projects is the handle of environments.
func (c *Client) Projects() *Handle[resources.Project] {
	return NewHandle[resources.Project](c, "project")
}

// TransformURL is where launch configs are built: the schemas URL with "/schemas" replaced by
// "/scripts/transform", as the original computed it.
func (c *Client) TransformURL() string {
	self := c.SchemasURL()
	return strings.SplitN(self, "/schemas", 2)[0] + "/scripts/transform"
}

// Transform POSTs a Docker inspect document to scripts/transform and decodes the launch config it
// returns into out. The call has no side effect, so it is retried like a read.
func (c *Client) Transform(ctx context.Context, inspect any, out any) error {
	if err := c.doJSON(ctx, http.MethodPost, c.TransformURL(), inspect, out, retryIdempotent); err != nil {
		return fmt.Errorf("transform: %w", err)
	}
	return nil
}
