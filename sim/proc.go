package sim

import (
	"context"
	"time"
)

// proc is one running process of a resource (activate, upgrade, a container start, …). Its code
// runs holding s.mu; sleep and waitFor release it while waiting. A newer process on the same
// resource supersedes it: every wait then returns false and the code must return. Whatever it changes
// it touches (rendercache.go) before it waits: waking up does not make cached renderings stale.
type proc struct {
	s   *Server
	r   *resource
	gen int
	ctx context.Context
	// due is when the process's last timed wait ended on the simulated clock, or when it was started: its
	// next sleep is measured from there, not from when it got s.mu back. Under load a process queues for
	// the lock after every wait; measured from then, each step of a transition took S plus that queueing.
	// A wait for a condition ends at an unknown time, so it clears due (the next sleep counts from now).
	due time.Time
}

// supersede stops r's running process, if any. Caller holds s.mu.
func (s *Server) supersede(r *resource) {
	r.gen++
	if r.cancel != nil {
		r.cancel()
		r.cancel = nil
	}
	r.running = false
}

// startProc supersedes r's process and runs fn in a new one. Caller holds s.mu.
func (s *Server) startProc(r *resource, fn func(p *proc)) {
	s.supersede(r)
	ctx, cancel := context.WithCancel(s.ctx)
	r.cancel = cancel
	r.running = true
	p := &proc{s: s, r: r, gen: r.gen, ctx: ctx, due: s.clk.Now()}
	s.clk.goProc(func() {
		p.lock()
		defer p.unlock()
		if p.alive() {
			fn(p)
		}
		if r.gen == p.gen {
			r.running = false
			cancel()
		}
	})
}

// lock takes the simulation's lock for a process: first procMu, which it keeps while it holds s.mu, so
// that at most one process at a time queues for s.mu. At --step 0 a big deploy has hundreds of processes
// ready to run; queued for s.mu with the API's requests, each request waited for all of them (p99 of
// 60–150 ms at 500 services). Now a request waits for at most one process, and the requests before it.
// Processes lose nothing: s.mu let one of them run at a time anyway.
func (p *proc) lock() {
	p.s.procMu.Lock()
	p.s.lockWrite()
}

// unlock releases what lock took.
func (p *proc) unlock() {
	p.s.mu.Unlock()
	p.s.procMu.Unlock()
}

func (p *proc) alive() bool { return p.r.gen == p.gen && p.ctx.Err() == nil }

// sleep waits until d of simulated time after the process's last timed wait ended (or it started), without
// holding the lock; a process running late waits only what is left of d.
func (p *proc) sleep(d time.Duration) bool {
	now := p.s.clk.Now()
	from := p.due
	if from.IsZero() || from.After(now) {
		from = now
	}
	p.due = from.Add(d)
	p.unlock()
	sleep(p.ctx, p.s.clk, max(p.due.Sub(now), 0))
	p.lock()
	return p.alive()
}

// step waits one state step.
func (p *proc) step() bool { return p.sleep(p.s.opts.step()) }

// waitFor waits until cond holds (checked on every change in the simulation).
func (p *proc) waitFor(cond func() bool) bool { return p.waitOn(nil, cond) }

// waitOwn waits until cond holds, a condition on p.r and its containers only: it is checked when one of
// them changes (or on a change that names no resource), not on every change, which with N services
// waiting at once cost N² wake-ups.
func (p *proc) waitOwn(cond func() bool) bool { return p.waitOn(p.own, cond) }

func (p *proc) own() []*resource { return []*resource{p.r} }

// waitOn waits until cond holds, checked on every change of one of the resources keys returns (a
// container's change counts as one of its service's), or naming none; nil keys: on every change.
func (p *proc) waitOn(keys func() []*resource, cond func() bool) bool {
	for {
		if !p.alive() {
			return false
		}
		if cond() {
			return true
		}
		p.due = time.Time{}
		w := p.s.clk.newWaiter(-1)
		if keys == nil {
			p.s.changeWs = append(p.s.changeWs, w)
		} else {
			for _, k := range keys() {
				p.s.keyedWs[k] = append(p.s.keyedWs[k], w)
			}
		}
		p.unlock()
		stop := context.AfterFunc(p.ctx, func() { p.s.clk.fire(w) })
		p.s.clk.wait(w)
		stop()
		p.lock()
	}
}

// ownersOf are the services owning containers (the containers themselves when standalone), as wait keys.
func ownersOf(cs []*resource) func() []*resource {
	seen := map[*resource]bool{}
	keys := []*resource{}
	for _, c := range cs {
		k := c
		if c.ctr != nil && c.ctr.service != nil {
			k = c.ctr.service
		}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return func() []*resource { return keys }
}

// block parks the process until it is superseded (a stuck transition).
func (p *proc) block() {
	p.due = time.Time{}
	p.unlock()
	w := p.s.clk.newWaiter(-1)
	stop := context.AfterFunc(p.ctx, func() { p.s.clk.fire(w) })
	p.s.clk.wait(w)
	stop()
	p.lock()
}

// changed wakes every process waiting for a condition and marks every cached rendering stale: a
// change not pinned to resources. Caller holds s.mu.
func (s *Server) changed() {
	s.invalidate()
	s.wakeAll()
}

// changedAmong is changed for a change of rs only: every waiting process wakes, but only what shows rs
// is rendered again. Caller holds s.mu.
func (s *Server) changedAmong(rs ...*resource) {
	s.touchAll(rs)
	s.wakeAll()
}

// wakeAll wakes every process waiting for a condition. Caller holds s.mu.
func (s *Server) wakeAll() {
	s.wakeUnkeyed()
	for k, ws := range s.keyedWs {
		for _, w := range ws {
			s.clk.fire(w)
		}
		delete(s.keyedWs, k)
	}
}

// changedAbout wakes the processes waiting on r (or, for a container, on its service) and those waiting
// on any change. Caller holds s.mu.
func (s *Server) changedAbout(r *resource) {
	s.touch(r)
	s.wakeAbout(r)
}

// wakeAbout is changedAbout's wake-up. Caller holds s.mu.
func (s *Server) wakeAbout(r *resource) {
	s.wakeUnkeyed()
	s.wakeKey(r)
	if r.ctr != nil && r.ctr.service != nil {
		s.wakeKey(r.ctr.service)
	}
}

func (s *Server) wakeUnkeyed() {
	for _, w := range s.changeWs {
		s.clk.fire(w)
	}
	s.changeWs = nil
}

func (s *Server) wakeKey(k *resource) {
	for _, w := range s.keyedWs[k] {
		s.clk.fire(w)
	}
	delete(s.keyedWs, k)
}

// setState moves r to state and clears any transitioning error. Caller holds s.mu.
func (s *Server) setState(r *resource, state string) {
	r.f["state"] = state
	if r.ctr != nil && (len(r.ctr.history) == 0 || r.ctr.history[len(r.ctr.history)-1].State != state) {
		r.ctr.history = append(r.ctr.history, StateChange{State: state, At: s.clk.Now()})
	}
	r.trError = false
	r.trMsg = ""
	r.trProg = nil
	s.schedFlags(r)
	s.changedAbout(r)
}

// enter sets a transitioning state, applying the stuck/error faults: false means stop here.
func (p *proc) enter(state string) bool {
	s := p.s
	s.setState(p.r, state)
	if contains(s.faults.StuckStates, state) {
		p.block()
		return false
	}
	if contains(s.faults.ErrorStates, state) {
		msg := s.faults.ErrorMessage
		if msg == "" {
			msg = "Simulated failure in state " + state
		}
		p.r.trError = true
		p.r.trMsg = msg
		s.changedAbout(p.r)
		return false
	}
	return true
}

// finish sets a stable end state.
func (p *proc) finish(state string) { p.s.setState(p.r, state) }

// setMessage updates transitioningMessage while in a transitioning state. Only r's own rendering shows
// it (a service does not show its containers' messages, nor a stack its services'), so only r is
// touched: a container's five start messages do not make its service render again.
func (s *Server) setMessage(r *resource, msg string) {
	r.trMsg = msg
	r.renderVer++
	s.wakeAbout(r)
}
