package compose

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// MaxInputSize caps what is read from any one input (compose file, -f -, rancher-compose.yml, --env-file,
// .env, env_file, extends target, bindings file), so that a device or an endless stream fails fast with
// bounded memory instead of reading forever.
const MaxInputSize = 10 << 20

// ErrInputTooLarge is the error of an input larger than MaxInputSize.
var ErrInputTooLarge = fmt.Errorf("larger than %d MiB (input is capped)", MaxInputSize>>20)

// readInput is the one way loading reads an input (name, for the error): at most MaxInputSize bytes, and
// given up as soon as ctx ends (an interrupt, the deadline), even when the read is blocked on a pipe or
// FIFO whose writer never finishes.
func readInput(ctx context.Context, name string, open func() (io.ReadCloser, error)) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		rc, err := open()
		if err != nil {
			done <- result{err: err}
			return
		}
		defer rc.Close()
		data, err := io.ReadAll(io.LimitReader(rc, MaxInputSize+1))
		if err == nil && len(data) > MaxInputSize {
			data, err = nil, ErrInputTooLarge
		}
		done <- result{data, err}
	}()
	select {
	case r := <-done:
		return r.data, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("still reading %s: %w", name, ctx.Err())
	}
}

// readFile reads the file at path (absolute, or relative to the process's directory) with readInput.
func (o *Options) readFile(path string) ([]byte, error) {
	return o.noteCutOff(readInput(o.context(), path, func() (io.ReadCloser, error) { return os.Open(path) }))
}

// noteCutOff remembers the first read the context cut off, for Load to return.
func (o *Options) noteCutOff(data []byte, err error) ([]byte, error) {
	if o.cutOff == nil && err != nil && o.ctx != nil && o.ctx.Err() != nil && errors.Is(err, o.ctx.Err()) {
		o.cutOff = err
	}
	return data, err
}

// readStdin reads -f - with readInput.
func (o *Options) readStdin() ([]byte, error) {
	if o.Stdin == nil {
		return nil, errors.New("no standard input")
	}
	return o.noteCutOff(readInput(o.context(), "standard input (-f -)", func() (io.ReadCloser, error) { return io.NopCloser(o.Stdin), nil }))
}

func (o *Options) context() context.Context {
	if o.ctx == nil {
		return context.Background()
	}
	return o.ctx
}
