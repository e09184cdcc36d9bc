package lock

import (
	"encoding/json"
	"fmt"
)

// Newborn is the lock of a stack this run is about to create: its entry goes into the create request's
// outputs, so that the stack is locked from its first state. The API refuses a second stack of the same
// name (422 NotUnique), so no other run can have created it, and every run that finds it finds the lock:
// nothing is written afterwards, nothing has to settle or be read back (the package doc, Protocol).
type Newborn struct {
	l *Lock
}

// ForNewStack prepares the lock of a stack to be created: the holder is this run, with a fresh token and
// a lease of opts.TTL from now. opts.Force, opts.Outputs and opts.Settle do not apply (there is nothing
// to break, read or settle).
func ForNewStack(store Store, opts Options) *Newborn {
	opts = opts.withDefaults()
	now := opts.Now()
	return &Newborn{l: &Lock{store: store, opts: opts,
		holder: Holder{Owner: opts.Owner, Host: opts.Host, PID: opts.PID, Token: opts.Token(), Acquired: now, Expires: now.Add(opts.TTL)}}}
}

// Outputs is the outputs map the stack's create request carries: the lock, and nothing else.
func (n *Newborn) Outputs() (map[string]string, error) {
	data, err := json.Marshal(n.l.holder)
	if err != nil {
		return nil, fmt.Errorf("encoding the deploy lock: %w", err)
	}
	return map[string]string{OutputKey: string(data)}, nil
}

// Created is the lock held once the API created the stack (whose id is stackID) with Outputs: KeepAlive
// renews it and Release removes it, as for a lock taken by Acquire.
func (n *Newborn) Created(stackID string) *Lock {
	n.l.stackID = stackID
	return n.l
}
