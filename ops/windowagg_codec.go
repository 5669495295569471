package ops

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/floedb/floe/agg"
)

// sessionCodec encodes a SESSION window aggregation's *sessionState (state
// "window-agg-sessions"), format version 1:
//
//	version     byte 0x01
//	sessions    uvarint count, then per session in order: Start as varint, End - Start as
//	            varint, uvarint group count, then per group sorted by key: the key
//	            (key-encoded GroupCols) as uvarint length and bytes, then the group's
//	            accumulators in agg's self-delimiting encoding (agg.AccumulatorsCodec)
//
// varint and uvarint are encoding/binary's (varint is zigzag). Groups are sorted so that equal
// states encode to equal bytes. Like the Aggregator it belongs to, a sessionCodec is used by
// one goroutine.
type sessionCodec struct {
	accs   *agg.AccumulatorsCodec
	groups []string // scratch: sorted group keys
}

// sessionStateVersion is the format version byte that starts every encoded sessionState.
const sessionStateVersion byte = 1

// errCorruptSessions is returned (wrapped) for bytes that are not an encoded sessionState.
var errCorruptSessions = errors.New("corrupt session window state")

func newSessionCodec(ag *agg.Aggregator) *sessionCodec { return &sessionCodec{accs: ag.Codec()} }

func (c *sessionCodec) Encode(dst []byte, v any) ([]byte, error) {
	st, ok := v.(*sessionState)
	if !ok || st == nil {
		return dst, fmt.Errorf("cannot encode %T as session window state: want a non-nil *sessionState", v)
	}
	dst = append(dst, sessionStateVersion)
	dst = binary.AppendUvarint(dst, uint64(len(st.Sessions)))
	for _, s := range st.Sessions {
		dst = binary.AppendVarint(dst, s.Start)
		dst = binary.AppendVarint(dst, s.End-s.Start)
		c.groups = c.groups[:0]
		for g := range s.Groups {
			c.groups = append(c.groups, g)
		}
		slices.SortFunc(c.groups, strings.Compare)
		dst = binary.AppendUvarint(dst, uint64(len(c.groups)))
		var err error
		for _, g := range c.groups {
			dst = binary.AppendUvarint(dst, uint64(len(g)))
			dst = append(dst, g...)
			if dst, err = c.accs.Append(dst, s.Groups[g]); err != nil {
				break
			}
		}
		clear(c.groups)
		if err != nil {
			return dst, fmt.Errorf("cannot encode session [%d, %d): %w", s.Start, s.End, err)
		}
	}
	return dst, nil
}

func (c *sessionCodec) Decode(src []byte) (any, error) {
	if len(src) == 0 {
		return nil, fmt.Errorf("%w: empty", errCorruptSessions)
	}
	if src[0] != sessionStateVersion {
		return nil, fmt.Errorf("unsupported session window state format version %d (this build reads version %d)", src[0], sessionStateVersion)
	}
	b := src[1:]
	// Each session takes at least 3 bytes, each group at least 2 bytes and its accumulators.
	n, b, err := sessionCount(b, 3)
	if err != nil {
		return nil, err
	}
	st := &sessionState{Sessions: make([]*session, n)}
	for i := range st.Sessions {
		s := &session{}
		var span int64
		if s.Start, b, err = sessionVarint(b); err == nil {
			span, b, err = sessionVarint(b)
		}
		if err != nil {
			return nil, err
		}
		s.End = s.Start + span
		var groups int
		if groups, b, err = sessionCount(b, 3); err != nil {
			return nil, err
		}
		s.Groups = make(map[string]*agg.Accumulators, groups)
		for range groups {
			var klen int
			if klen, b, err = sessionCount(b, 1); err != nil {
				return nil, err
			}
			g := string(b[:klen])
			b = b[klen:]
			if _, dup := s.Groups[g]; dup {
				return nil, fmt.Errorf("%w: session [%d, %d) holds a group twice", errCorruptSessions, s.Start, s.End)
			}
			if s.Groups[g], b, err = c.accs.Read(b); err != nil {
				return nil, fmt.Errorf("cannot decode a group of session [%d, %d): %w", s.Start, s.End, err)
			}
		}
		st.Sessions[i] = s
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", errCorruptSessions, len(b))
	}
	return st, nil
}

// sessionCount reads a count of elements of at least size bytes each from the front of b,
// checking that b can hold them.
func sessionCount(b []byte, size int) (int, []byte, error) {
	n, w := binary.Uvarint(b)
	if w <= 0 {
		return 0, nil, fmt.Errorf("%w: truncated or invalid count", errCorruptSessions)
	}
	b = b[w:]
	if n > uint64(len(b)/size) {
		return 0, nil, fmt.Errorf("%w: %d elements in %d bytes", errCorruptSessions, n, len(b))
	}
	return int(n), b, nil
}

func sessionVarint(b []byte) (int64, []byte, error) {
	v, w := binary.Varint(b)
	if w <= 0 {
		return 0, nil, fmt.Errorf("%w: truncated or invalid session bound", errCorruptSessions)
	}
	return v, b[w:], nil
}
