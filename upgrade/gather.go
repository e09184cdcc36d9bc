package upgrade

import (
	"context"
	"slices"
	"time"
)

// Gathering. Once changes of a kind have been seen to end about as late as each other (fine), a service
// changed that way is read when it is expected to have ended. A wave of hundreds of changes goes out over a
// while (a few hundred milliseconds through the client's connections), so their expected ends are spread
// over that while, and reading each at its own costs a request each. While more waited services heading for
// the same state are expected to end soon, those due are held back, at most gatherMax after the first of
// them was expected to end, and then one landing (landing.go) answers them together, when it pays
// (landingPays). One the landing does not hold (still moving, or ended otherwise) stays due and is read by
// id.

// gatherMax bounds how long a service expected to have ended is held back for others of its wave: its
// consumers wait that much longer at most, while the wave's last services are the ones they wait for.
const gatherMax = 500 * time.Millisecond

// gathered is a group of waited services heading for one settled state: due, expected to have ended
// (since first at the earliest), and pending, expected to end later (by last at the latest).
type gathered struct {
	due, pending []string
	first, last  time.Time
}

// gather sends a landing for each group of due services expected to have ended that is worth one, holds
// back those whose wave still has services expected to end within gatherMax, and returns the due services
// left to read otherwise, the services it accounts for (held or pending: a list of the moving services
// would not spare their reads) and when the first held group is to be sent (zero: none held).
func (f *feed) gather(ctx context.Context, stackID string, p *stackPoll, now time.Time, due []string) (rest []string, held map[string]bool, wake time.Time) {
	if f.listIn == nil {
		return due, nil, time.Time{}
	}
	groups := p.gatherGroups(now, due)
	if len(groups) == 0 {
		return due, nil, time.Time{}
	}
	held = map[string]bool{}
	for to, g := range groups {
		all := len(g.due) + len(g.pending)
		if !f.landingPays(stackID, to, all) {
			continue
		}
		if len(g.pending) > 0 && now.Before(g.first.Add(gatherMax)) {
			for _, id := range append(g.due, g.pending...) {
				held[id] = true
			}
			if w := minTime(g.last, g.first.Add(gatherMax)); wake.IsZero() || w.Before(wake) {
				wake = w
			}
			continue
		}
		f.sendLanding(ctx, stackID, p, to, g.due)
		for _, id := range g.pending {
			held[id] = true
		}
	}
	rest = slices.DeleteFunc(due, func(id string) bool { return held[id] || p.covered(id) })
	return rest, held, wake
}

// gatherGroups groups, by the state they head for, the due services expected to have ended and the other
// waited services expected to end within gatherMax; only groups with a due service are returned.
func (p *stackPoll) gatherGroups(now time.Time, due []string) map[string]*gathered {
	groups := map[string]*gathered{}
	for _, id := range due {
		if to, start, ok := p.expectedEnd(id); ok && start.Before(now.Add(p.rtt)) { // due at its start, by an older round trip
			g := groups[to]
			if g == nil {
				g = &gathered{first: start, last: start}
				groups[to] = g
			}
			g.due = append(g.due, id)
			g.first = minTime(g.first, start)
		}
	}
	if len(groups) == 0 {
		return nil
	}
	for id := range p.waiting {
		to, start, ok := p.expectedEnd(id)
		g := groups[to]
		if !ok || g == nil || !p.pace[id].due.After(now) || start.After(now.Add(gatherMax)) || p.covered(id) {
			continue
		}
		g.pending = append(g.pending, id)
		g.last = maxTime(g.last, maxTime(start, p.pace[id].due)) // when it is read next, not before
	}
	return groups
}

// expectedEnd tells the state a waited service this client changed heads for and when a read of it is
// expected to find it there (the start of its fine window); ok is false when no such end is expected, the
// service already left its transition (a landing of its own), it is an upgrade read coarsely, or a
// consumer waits on it alone (hurried).
func (p *stackPoll) expectedEnd(id string) (to string, start time.Time, ok bool) {
	if sp := p.pace[id]; sp == nil || sp.hurried {
		return "", time.Time{}, false
	}
	return p.endOf(id)
}

// endOf is expectedEnd, hurried or not.
func (p *stackPoll) endOf(id string) (to string, start time.Time, ok bool) {
	sp := p.pace[id]
	if sp == nil || sp.left || !sp.moving || sp.exp.coarse {
		return "", time.Time{}, false
	}
	to = settlesTo[sp.exp.state]
	t, _ := p.expected(&sp.exp)
	if t == nil || to == "" {
		return "", time.Time{}, false
	}
	return to, p.windowStart(&sp.exp, t), true
}
