package lock

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// OutputKey is the stack output that holds the lock.
const OutputKey = "io.rancher-compose.deploy-lock"

// Store reads and writes a stack's outputs.
type Store interface {
	Outputs(ctx context.Context, stackID string) (map[string]string, error)
	SetOutputs(ctx context.Context, stackID string, outputs map[string]string) error
}

// Holder is who holds a lock and until when.
type Holder struct {
	Owner    string    `json:"owner"`
	Token    string    `json:"token"`
	Acquired time.Time `json:"acquired"`
	Expires  time.Time `json:"expires"`
}

// Options tune Acquire. Owner and TTL are required; the rest default to the real clock and crypto/rand.
type Options struct {
	// Owner names the run for whoever is refused: user@host, pid, CI job URL.
	Owner string
	TTL   time.Duration
	// Force breaks a lock held by someone else (--force-unlock).
	Force bool
	// Settle is how long to wait before reading the lock back (default 300 ms).
	Settle time.Duration
	// Outputs, when not nil, are the stack's outputs as the caller has just read them (with the stack
	// itself): Acquire then does not read them again before writing. The read back after Settle is what
	// detects a race, so a read a moment older changes nothing.
	Outputs map[string]string
	Now     func() time.Time
	Sleep   func(context.Context, time.Duration) error
	Token   func() string
}

// Lock is a held deploy lock.
type Lock struct {
	store   Store
	stackID string
	holder  Holder
	// Broken is the lock Force broke, if any.
	Broken *Holder
}

// Holder returns who holds this lock (us).
func (l *Lock) Holder() Holder { return l.holder }

// HeldError refuses a run because another one holds the stack.
type HeldError struct {
	Stack  string
	Holder Holder
	Stale  bool
}

// Error names the holder, since when, and how to proceed.
func (e *HeldError) Error() string {
	if e.Stale {
		return fmt.Sprintf("stack %s is locked by %s since %s; the lock expired at %s (stale): if that run is gone, rerun with --force-unlock",
			e.Stack, e.Holder.Owner, e.Holder.Acquired.UTC().Format(time.RFC3339), e.Holder.Expires.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("stack %s is being deployed by %s since %s (lock expires %s); wait for it, or rerun with --force-unlock if that run is dead",
		e.Stack, e.Holder.Owner, e.Holder.Acquired.UTC().Format(time.RFC3339), e.Holder.Expires.UTC().Format(time.RFC3339))
}

// Acquire takes the deploy lock of the stack, as the package doc describes: Begin, then Confirm.
func Acquire(ctx context.Context, store Store, stackID string, opts Options) (*Lock, error) {
	p, err := Begin(ctx, store, stackID, opts)
	if err != nil {
		return nil, err
	}
	return p.Confirm(ctx)
}

// Pending is a lock written but not read back yet. Work that changes nothing (reading the stack, building
// the services, planning) may run before Confirm, so the settle costs no time of its own; nothing may be
// changed before Confirm succeeds.
type Pending struct {
	l       *Lock
	opts    Options
	written time.Time
}

// Lock is the lock as written, to release it when the run ends before Confirm (Release leaves a lock
// that is not ours alone).
func (p *Pending) Lock() *Lock { return p.l }

// Confirm waits for what is left of the settle since the write, then reads the lock back: another run's
// token there means it wrote after us and won (HeldError).
func (p *Pending) Confirm(ctx context.Context) (*Lock, error) {
	if left := p.opts.Settle - p.opts.Now().Sub(p.written); left > 0 {
		if err := p.opts.Sleep(ctx, left); err != nil {
			return nil, err
		}
	}
	if err := p.l.verify(ctx); err != nil {
		return nil, err
	}
	return p.l, nil
}

// Begin is the first half of Acquire: read the lock (unless opts.Outputs), refuse another holder's, and
// write ours.
func Begin(ctx context.Context, store Store, stackID string, opts Options) (*Pending, error) {
	opts = opts.withDefaults()
	outputs := opts.Outputs
	if outputs == nil {
		var err error
		if outputs, err = store.Outputs(ctx, stackID); err != nil {
			return nil, fmt.Errorf("reading the deploy lock of stack %s: %w", stackID, err)
		}
	}
	l := &Lock{store: store, stackID: stackID}
	if cur, ok := parse(outputs); ok {
		stale := !opts.Now().Before(cur.Expires)
		if !opts.Force {
			return nil, &HeldError{Stack: stackID, Holder: cur, Stale: stale}
		}
		l.Broken = &cur
	}
	now := opts.Now()
	l.holder = Holder{Owner: opts.Owner, Token: opts.Token(), Acquired: now, Expires: now.Add(opts.TTL)}
	if err := l.write(ctx, outputs, &l.holder); err != nil {
		return nil, err
	}
	return &Pending{l: l, opts: opts, written: opts.Now()}, nil
}

func (l *Lock) verify(ctx context.Context) error {
	outputs, err := l.store.Outputs(ctx, l.stackID)
	if err != nil {
		return fmt.Errorf("reading back the deploy lock of stack %s: %w", l.stackID, err)
	}
	cur, ok := parse(outputs)
	if !ok {
		return fmt.Errorf("the deploy lock of stack %s vanished right after it was written: another run is releasing or breaking it", l.stackID)
	}
	if cur.Token != l.holder.Token {
		return &HeldError{Stack: l.stackID, Holder: cur}
	}
	return nil
}

// Release removes the lock if it is still ours. A lock someone broke in the meantime is left to them, and
// reported as an error.
func (l *Lock) Release(ctx context.Context) error {
	outputs, err := l.store.Outputs(ctx, l.stackID)
	if err != nil {
		return fmt.Errorf("reading the deploy lock of stack %s: %w", l.stackID, err)
	}
	cur, ok := parse(outputs)
	if !ok || cur.Token != l.holder.Token {
		return fmt.Errorf("the deploy lock of stack %s was broken by %s while this run held it", l.stackID, nonEmpty(cur.Owner, "another run"))
	}
	return l.write(ctx, outputs, nil)
}

// write stores outputs with the lock key set to h, or removed when h is nil; other keys are kept.
func (l *Lock) write(ctx context.Context, outputs map[string]string, h *Holder) error {
	next := make(map[string]string, len(outputs)+1)
	for k, v := range outputs {
		next[k] = v
	}
	delete(next, OutputKey)
	if h != nil {
		data, err := json.Marshal(h)
		if err != nil {
			return err
		}
		next[OutputKey] = string(data)
	}
	if err := l.store.SetOutputs(ctx, l.stackID, next); err != nil {
		return fmt.Errorf("writing the deploy lock of stack %s: %w", l.stackID, err)
	}
	return nil
}

// Peek returns the current holder of the stack's lock, if any (for `ps` and error messages).
func Peek(ctx context.Context, store Store, stackID string) (*Holder, error) {
	outputs, err := store.Outputs(ctx, stackID)
	if err != nil {
		return nil, err
	}
	if h, ok := parse(outputs); ok {
		return &h, nil
	}
	return nil, nil
}

// parse reads the lock from outputs. A value that does not decode counts as a stale lock of an unknown
// owner, so it is never silently overwritten.
func parse(outputs map[string]string) (Holder, bool) {
	raw, ok := outputs[OutputKey]
	if !ok || raw == "" {
		return Holder{}, false
	}
	var h Holder
	if err := json.Unmarshal([]byte(raw), &h); err != nil || h.Token == "" {
		return Holder{Owner: fmt.Sprintf("an unreadable lock (%q)", raw)}, true
	}
	return h, true
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.Token == nil {
		o.Token = randomToken
	}
	if o.Settle == 0 {
		o.Settle = 300 * time.Millisecond
	}
	if o.TTL <= 0 {
		o.TTL = 30 * time.Minute
	}
	if o.Owner == "" {
		o.Owner = "rancher-compose"
	}
	return o
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func randomToken() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func nonEmpty(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
