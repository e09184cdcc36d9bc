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

// DefaultTTL is the lease's length when Options.TTL is not set. The holder renews it every third of it,
// so a run that dies (kill -9, a lost agent) frees the stack within a minute.
const DefaultTTL = 60 * time.Second

// Store reads and writes a stack's outputs.
type Store interface {
	Outputs(ctx context.Context, stackID string) (map[string]string, error)
	SetOutputs(ctx context.Context, stackID string, outputs map[string]string) error
}

// Holder is who holds a lock and until when.
type Holder struct {
	Owner string `json:"owner"`
	// Host and PID locate the holding process (empty in locks written by older versions).
	Host     string    `json:"host,omitempty"`
	PID      int       `json:"pid,omitempty"`
	Token    string    `json:"token"`
	Acquired time.Time `json:"acquired"`
	Expires  time.Time `json:"expires"`
}

// Expired tells whether the holder's lease has run out at now.
func (h Holder) Expired(now time.Time) bool { return !now.Before(h.Expires) }

// Options tune Acquire. The zero value works: the real clock, crypto/rand tokens, a DefaultTTL lease.
type Options struct {
	// Owner names the run for whoever is refused: user@host, pid, CI job URL.
	Owner string
	// Host and PID are this process's, recorded so that a refused run on the same host can tell whether
	// the holder still runs.
	Host string
	PID  int
	// TTL is the lease's length (default DefaultTTL); KeepAlive renews it every TTL/3.
	TTL time.Duration
	// Force breaks a live lock held by someone else (--force-unlock). An expired one is taken over anyway.
	Force bool
	// Settle is how long to wait before reading the lock back (default 300 ms).
	Settle time.Duration
	// Outputs, when not nil, are the stack's outputs as the caller has just read them (with the stack
	// itself): Acquire then does not read them again before writing. The read back after Settle is what
	// detects a race, so a read a moment older changes nothing.
	Outputs map[string]string
	// Attempts bounds the tries of each lock write (default 5), Backoff is the first wait between them
	// (default 200 ms, doubled each time); the context bounds both.
	Attempts int
	Backoff  time.Duration
	// BreakCommand is the command line that breaks the lock, for the refusal's message.
	BreakCommand string
	// StackName names the stack in messages (default: the stack id given to Acquire).
	StackName string
	// Alive, when set, tells whether pid runs on host (known false when it cannot tell), for the message.
	Alive func(host string, pid int) (alive, known bool)
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
	Token func() string
}

// Lock is a held deploy lock.
type Lock struct {
	store   Store
	stackID string
	opts    Options
	holder  Holder
	// Broken is the live lock Force broke, if any.
	Broken *Holder
	// TookOver is the expired lease this lock replaced, if any (its run died or lost the API).
	TookOver *Holder
}

// stackName is how messages name the stack: its name when the caller gave it, else its id.
func (l *Lock) stackName() string {
	if l.opts.StackName != "" {
		return l.opts.StackName
	}
	return l.stackID
}

// Holder returns who holds this lock (us).
func (l *Lock) Holder() Holder { return l.holder }

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
	written time.Time
}

// Lock is the lock as written, to release it when the run ends before Confirm (Release leaves a lock
// that is not ours alone).
func (p *Pending) Lock() *Lock { return p.l }

// Confirm waits for what is left of the settle since the write, then reads the lock back: another run's
// token there means it wrote after us and won (HeldError).
func (p *Pending) Confirm(ctx context.Context) (*Lock, error) {
	o := p.l.opts
	if left := o.Settle - o.Now().Sub(p.written); left > 0 {
		if err := o.Sleep(ctx, left); err != nil {
			return nil, err
		}
	}
	if err := p.l.verify(ctx); err != nil {
		return nil, err
	}
	return p.l, nil
}

// Begin is the first half of Acquire: read the lock (unless opts.Outputs), refuse another holder's live
// lease (unless Force), and write ours, retrying within ctx.
func Begin(ctx context.Context, store Store, stackID string, opts Options) (*Pending, error) {
	opts = opts.withDefaults()
	outputs := opts.Outputs
	if outputs == nil {
		var err error
		if outputs, err = store.Outputs(ctx, stackID); err != nil {
			return nil, fmt.Errorf("reading the deploy lock of stack %s: %w", stackID, err)
		}
	}
	l := &Lock{store: store, stackID: stackID, opts: opts}
	now := opts.Now()
	l.holder = Holder{Owner: opts.Owner, Host: opts.Host, PID: opts.PID, Token: opts.Token(), Acquired: now, Expires: now.Add(opts.TTL)}
	if err := l.claim(outputs); err != nil {
		return nil, err
	}
	if err := l.writeRetrying(ctx, outputs, l.claim); err != nil {
		l.removeIfOurs(ctx)
		return nil, err
	}
	return &Pending{l: l, written: opts.Now()}, nil
}

// claim checks that the lock in outputs may be replaced by ours: none, ours, an expired lease (recorded in
// TookOver), or a live one with Force (recorded in Broken); otherwise it refuses with a HeldError.
func (l *Lock) claim(outputs map[string]string) error {
	cur, ok := parse(outputs)
	switch {
	case !ok || cur.Token == l.holder.Token:
		return nil
	case cur.Expired(l.opts.Now()):
		l.TookOver = &cur
		return nil
	case l.opts.Force:
		l.Broken = &cur
		return nil
	}
	return l.heldError(cur)
}

func (l *Lock) heldError(cur Holder) *HeldError {
	e := &HeldError{Stack: l.stackName(), Holder: cur, BreakCommand: l.opts.BreakCommand}
	if l.opts.Alive != nil && cur.PID > 0 {
		if alive, known := l.opts.Alive(cur.Host, cur.PID); known && !alive {
			e.Dead = true
		}
	}
	return e
}

// writeRetrying writes outputs with our lock. A failed write is retried after reading the lock again:
// our token there means the write landed and only its answer was lost; check refuses what is there now.
func (l *Lock) writeRetrying(ctx context.Context, outputs map[string]string, check func(map[string]string) error) error {
	h := l.holder
	return l.retry(ctx, "writing", func() error { return l.write(ctx, outputs, &h) }, func(cur map[string]string) (bool, error) {
		if got, ok := parse(cur); ok && got.Token == h.Token && got.Expires.Equal(h.Expires) {
			return true, nil
		}
		outputs = cur
		return false, check(cur)
	})
}

// retry runs write until it succeeds, the attempts are spent or ctx ends; before each new attempt it reads
// the outputs again and asks settled whether the last write landed after all, or must not be repeated.
func (l *Lock) retry(ctx context.Context, what string, write func() error, settled func(map[string]string) (bool, error)) error {
	err := write()
	backoff := l.opts.Backoff
	for attempt := 2; err != nil && attempt <= l.opts.Attempts; attempt++ {
		if serr := l.opts.Sleep(ctx, backoff); serr != nil {
			break
		}
		backoff *= 2
		cur, rerr := l.store.Outputs(ctx, l.stackID)
		if rerr != nil {
			err = rerr
			continue
		}
		done, cerr := settled(cur)
		if done {
			return nil
		}
		if cerr != nil {
			return cerr
		}
		err = write()
	}
	if err != nil {
		return fmt.Errorf("%s the deploy lock of stack %s: %w", what, l.stackName(), err)
	}
	return nil
}

// removeIfOurs makes one attempt at removing our lock, after a write reported as failed that may have
// landed all the same (the lease would free the stack within a TTL anyway).
func (l *Lock) removeIfOurs(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	if outputs, err := l.store.Outputs(ctx, l.stackID); err == nil && l.stillOurs(outputs) == nil {
		_ = l.write(ctx, outputs, nil)
	}
}

func (l *Lock) verify(ctx context.Context) error {
	outputs, err := l.store.Outputs(ctx, l.stackID)
	if err != nil {
		return fmt.Errorf("reading back the deploy lock of stack %s: %w", l.stackName(), err)
	}
	cur, ok := parse(outputs)
	if !ok {
		return &LostError{Stack: l.stackName(), JustWritten: true}
	}
	if cur.Token != l.holder.Token {
		return l.heldError(cur)
	}
	return nil
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
	return l.store.SetOutputs(ctx, l.stackID, next)
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

// parse reads the lock from outputs. A value that does not decode counts as an expired lease of an
// unknown owner: it is taken over, with a warning that names it.
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
		o.TTL = DefaultTTL
	}
	if o.Owner == "" {
		o.Owner = "rancher-compose"
	}
	if o.Attempts <= 0 {
		o.Attempts = 5
	}
	if o.Backoff <= 0 {
		o.Backoff = 200 * time.Millisecond
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
