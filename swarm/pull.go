package swarm

import (
	"context"
	"fmt"
	"sort"
)

// PullOutcome is what pulling one image did.
type PullOutcome struct {
	Image string
	// Pulled is true when the registry answered; otherwise Warning says the local copy is used.
	Pulled  bool
	Warning string
}

// Pull pulls each service's image on this daemon. Without a reachable registry an image that is already
// present locally is a warning, not a failure (Swarm runs it as it is); one that is missing fails. On a
// multi-node cluster every node needs the image: pull there too, or use a registry.
func Pull(ctx context.Context, c *Client, d *DesiredStack, names []string) ([]PullOutcome, error) {
	want := selection(names)
	seen := map[string]bool{}
	var images []string
	for _, s := range d.Services {
		if img := imageOf(s.Spec); want(s.Name) && !seen[img] {
			seen[img] = true
			images = append(images, img)
		}
	}
	sort.Strings(images)
	var out []PullOutcome
	for _, img := range images {
		err := c.PullImage(ctx, img)
		if err == nil {
			out = append(out, PullOutcome{Image: img, Pulled: true})
			continue
		}
		present, perr := c.ImagePresent(ctx, img)
		if perr != nil || !present {
			return out, fmt.Errorf("pulling %s: %w (and it is not present locally)", img, err)
		}
		out = append(out, PullOutcome{Image: img, Warning: fmt.Sprintf("could not pull %s (%v); using the local image", img, err)})
	}
	return out, nil
}
