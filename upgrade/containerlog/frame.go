package containerlog

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
)

// maxFrame bounds a frame's payload: a log chunk is far smaller, a larger length is a broken stream.
const maxFrame = 16 << 20

// frame reads one data frame's payload; control frames are skipped, a close frame is io.EOF.
func (w *Stream) frame() ([]byte, error) {
	for {
		opcode, payload, err := readFrame(w.r)
		if err != nil {
			return nil, eof(err)
		}
		switch opcode {
		case 0x8:
			return nil, io.EOF
		case 0x0, 0x1, 0x2:
			return payload, nil
		}
	}
}

// readFrame reads one websocket frame (RFC 6455 §5.2); server frames are unmasked, but a mask is honoured.
func readFrame(r *bufio.Reader) (byte, []byte, error) {
	var hdr [2]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, err
	}
	opcode, masked, n := hdr[0]&0x0f, hdr[1]&0x80 != 0, uint64(hdr[1]&0x7f)
	switch n {
	case 126:
		var ext [2]byte
		if _, err := io.ReadFull(r, ext[:]); err != nil {
			return 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(ext[:]))
	case 127:
		var ext [8]byte
		if _, err := io.ReadFull(r, ext[:]); err != nil {
			return 0, nil, err
		}
		n = binary.BigEndian.Uint64(ext[:])
	}
	var mask [4]byte
	if masked {
		if _, err := io.ReadFull(r, mask[:]); err != nil {
			return 0, nil, err
		}
	}
	if n > maxFrame {
		return 0, nil, fmt.Errorf("log frame of %d bytes is too large", n)
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		return 0, nil, err
	}
	if masked {
		for i := range payload {
			payload[i] ^= mask[i%4]
		}
	}
	return opcode, payload, nil
}

// eof reports a stream cut off mid-frame, or closed under the reader (ctx ended), as its end.
func eof(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return io.EOF
	}
	return err
}
