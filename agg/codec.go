package agg

// Accumulators encoding, format version 1.
//
// An encoding is self-delimiting for the Aggregator that wrote it: the layout (which word
// holds what, how many entries each slice of Extra has, the types of their values) is the
// Aggregator's and is not stored, so an encoding is read with a codec of an Aggregator built
// from the same calls and input types. Notation: uvarint and varint are encoding/binary's
// (varint is zigzag), fixed64 is 8 bytes little-endian, bytes(n) n raw bytes.
//
//	version     byte 0x01
//	Rows        varint
//	words       uvarint number of words (must equal the Aggregator's), then each word: the
//	            IEEE-754 bits of a float sum or value as fixed64, any other word as varint
//	            (counts, integer sums and values, sequences, a DECIMAL's Hi and Lo words)
//
// Then, only when the Aggregator's calls need Extra, its slices in order, each entry in the
// order of Extra's slices (the Aggregator knows how many there are):
//
//	Datums      per entry, a value of the type of the call that owns it
//	Multisets   per MIN or MAX with retraction: uvarint entry count, then the entries sorted by
//	            value. Integer-class values (Multiset.Ints): the first value as varint, each
//	            next one as the uvarint difference from the previous, each followed by its
//	            count as varint. Other values (Multiset.Keys): the value, then its count as
//	            varint; the map key is the value's key encoding (chunk.EncodeDatums) and is
//	            recomputed when decoding.
//	Ordered     per FIRST_VALUE or LAST_VALUE with retraction: uvarint length, then per
//	            element its Seq as the varint difference from the previous element's (from 0
//	            for the first), then its value
//	Distinct    per set of DISTINCT argument columns, of m calls: uvarint number of slots S,
//	            the S*m Counts as varints, uvarint length of Free and its slots as uvarints (in
//	            order), then the value of every slot not in Free, by ascending slot: for a set
//	            over one integer-class column (DistinctValues.Ints) the value as varint, for
//	            other sets (DistinctValues.Keys) the key as uvarint length and bytes. Slots,
//	            free list and counts are kept exactly, so later additions reuse the same slots.
//
// A value is encoded by the physical storage class of its type (NULL never occurs: aggregates
// do not accumulate NULLs, and encoding one is an error):
//
//	int64       varint
//	float64     fixed64 of the IEEE-754 bits, exactly (-0.0 and NaN payloads survive; the key
//	            encoding would canonicalize them)
//	Decimal128  Hi as varint, then Lo as the varint of int64(Lo) (small negative numbers are
//	            short)
//	string      uvarint byte length, then the bytes (CHAR, VARCHAR, BYTES)
//	map         uvarint 0 for a nil map, else uvarint entry count + 1 and the entries sorted by
//	            key, each as key then value in the string encoding
//
// Map iteration order does not leak into the bytes: equal accumulators encode to equal bytes.
// The format is stable: checkpoints hold it. Changing it requires a new version byte, and the
// decoder of a new version keeps reading the old ones.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/state"
	"github.com/floedb/floe/types"
)

// accumulatorsVersion is the format version byte that starts every encoding.
const accumulatorsVersion byte = 1

// ErrCorruptAccumulators is returned (wrapped) when decoding bytes that are not an encoding of
// Accumulators for the codec's Aggregator.
var ErrCorruptAccumulators = errors.New("corrupt accumulators")

// AccumulatorsCodec encodes and decodes the Accumulators of one Aggregator (see the format
// above). It implements state.Codec for states whose values are *Accumulators. Like the
// Aggregator, a codec is used by one goroutine: it keeps scratch buffers, and decoding raises
// the Aggregator's FIRST_VALUE/LAST_VALUE arrival counter to at least every arrival sequence
// it reads, so that values accumulated later into decoded Accumulators order after the
// decoded ones.
type AccumulatorsCodec struct {
	a *Aggregator
	// floatWord marks the words that hold float64 bits (nil when there are none).
	floatWord []bool
	// seqWords are the words that hold insert-only FIRST_VALUE/LAST_VALUE arrival sequences.
	seqWords []int
	// The types of the values of Extra.Datums, Extra.Multisets and Extra.Ordered, by index.
	datumTypes, multisetTypes, orderedTypes []types.Type

	// Scratch: sorted map keys, slot occupancy, and one value's key encoding.
	ints     []int64
	strs     []string
	slotInts []int64
	slotStrs []string
	slotUsed []bool
	key      []byte
	one      [1]chunk.Datum
	ts       [1]types.Type
}

var _ state.Codec = (*AccumulatorsCodec)(nil)

// Codec returns a codec for the Accumulators of a, for the Codec of the state descriptors that
// hold them. The codec is tied to a: it reads only encodings written by a codec of an
// Aggregator with the same calls and input types.
func (a *Aggregator) Codec() *AccumulatorsCodec {
	c := &AccumulatorsCodec{
		a:             a,
		datumTypes:    make([]types.Type, a.datums),
		multisetTypes: make([]types.Type, a.multisets),
		orderedTypes:  make([]types.Type, a.ordered),
	}
	for i := range a.fns {
		f := &a.fns[i]
		if f.val >= 0 && f.phys == types.PhysFloat64 {
			if c.floatWord == nil {
				c.floatWord = make([]bool, a.words)
			}
			c.floatWord[f.val] = true
		}
		if f.seq >= 0 {
			c.seqWords = append(c.seqWords, f.seq)
		}
		if f.dat >= 0 {
			c.datumTypes[f.dat] = f.argType
		}
		if f.ext >= 0 {
			switch f.kind {
			case fnMin, fnMax:
				c.multisetTypes[f.ext] = f.argType
			case fnFirst, fnLast:
				c.orderedTypes[f.ext] = f.argType
			}
		}
	}
	return c
}

// Encode appends the encoding of v, which must be a *Accumulators of the codec's Aggregator,
// to dst (state.Codec).
func (c *AccumulatorsCodec) Encode(dst []byte, v any) ([]byte, error) {
	acc, ok := v.(*Accumulators)
	if !ok || acc == nil {
		return dst, fmt.Errorf("cannot encode %T as aggregate accumulators: want a non-nil *agg.Accumulators", v)
	}
	return c.Append(dst, acc)
}

// Decode decodes a value written by Encode into fresh Accumulators (state.Codec): the result
// is a *Accumulators.
func (c *AccumulatorsCodec) Decode(src []byte) (any, error) {
	acc, rest, err := c.Read(src)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrCorruptAccumulators, len(rest))
	}
	return acc, nil
}

// Append appends the encoding of acc to dst. The encoding is self-delimiting, so other codecs
// can embed it (Read reads it back from the front of a longer slice).
func (c *AccumulatorsCodec) Append(dst []byte, acc *Accumulators) ([]byte, error) {
	a := c.a
	if len(acc.Words) != a.words {
		return dst, fmt.Errorf("cannot encode accumulators of %d words with a codec for %d", len(acc.Words), a.words)
	}
	dst = append(dst, accumulatorsVersion)
	dst = binary.AppendVarint(dst, acc.Rows)
	dst = binary.AppendUvarint(dst, uint64(len(acc.Words)))
	for i, w := range acc.Words {
		if c.floatWord != nil && c.floatWord[i] {
			dst = binary.LittleEndian.AppendUint64(dst, uint64(w))
		} else {
			dst = binary.AppendVarint(dst, w)
		}
	}
	if !a.extra {
		return dst, nil
	}
	x := acc.Extra
	if x == nil || len(x.Datums) != a.datums || len(x.Multisets) != a.multisets || len(x.Ordered) != a.ordered || len(x.Distinct) != len(a.sets) {
		return dst, errors.New("cannot encode accumulators whose Extra does not have the Aggregator's layout")
	}
	var err error
	for i, d := range x.Datums {
		if dst, err = appendValue(dst, c.datumTypes[i], d); err != nil {
			return dst, err
		}
	}
	for i := range x.Multisets {
		if dst, err = c.appendMultiset(dst, c.multisetTypes[i], &x.Multisets[i]); err != nil {
			return dst, err
		}
	}
	for i, ord := range x.Ordered {
		t := c.orderedTypes[i]
		dst = binary.AppendUvarint(dst, uint64(len(ord)))
		prev := int64(0)
		for _, o := range ord {
			dst = binary.AppendVarint(dst, o.Seq-prev)
			prev = o.Seq
			if dst, err = appendValue(dst, t, o.V); err != nil {
				return dst, err
			}
		}
	}
	for si := range x.Distinct {
		if dst, err = c.appendDistinct(dst, &a.sets[si], &x.Distinct[si]); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

func (c *AccumulatorsCodec) appendMultiset(dst []byte, t types.Type, ms *Multiset) ([]byte, error) {
	if t.Kind.Physical() == types.PhysInt64 {
		if len(ms.Keys) != 0 {
			return dst, fmt.Errorf("cannot encode a MIN/MAX multiset over %s holding encoded keys", t)
		}
		c.ints = c.ints[:0]
		for v := range ms.Ints {
			c.ints = append(c.ints, v)
		}
		slices.Sort(c.ints)
		dst = binary.AppendUvarint(dst, uint64(len(c.ints)))
		for i, v := range c.ints {
			if i == 0 {
				dst = binary.AppendVarint(dst, v)
			} else {
				dst = binary.AppendUvarint(dst, uint64(v)-uint64(c.ints[i-1]))
			}
			dst = binary.AppendVarint(dst, ms.Ints[v])
		}
		return dst, nil
	}
	if len(ms.Ints) != 0 {
		return dst, fmt.Errorf("cannot encode a MIN/MAX multiset over %s holding integers", t)
	}
	c.strs = c.strs[:0]
	for k := range ms.Keys {
		c.strs = append(c.strs, k)
	}
	slices.SortFunc(c.strs, strings.Compare)
	dst = binary.AppendUvarint(dst, uint64(len(c.strs)))
	var err error
	for _, k := range c.strs {
		e := ms.Keys[k]
		if dst, err = appendValue(dst, t, e.V); err != nil {
			break
		}
		dst = binary.AppendVarint(dst, e.N)
	}
	clear(c.strs)
	return dst, err
}

func (c *AccumulatorsCodec) appendDistinct(dst []byte, set *distinctSet, dv *DistinctValues) ([]byte, error) {
	m := len(set.members)
	if len(dv.Counts)%m != 0 {
		return dst, fmt.Errorf("cannot encode DISTINCT state of %d counts for %d calls", len(dv.Counts), m)
	}
	slots := len(dv.Counts) / m
	// Every slot holds exactly one value or is free.
	c.slotUsed = slices.Grow(c.slotUsed[:0], slots)[:slots]
	clear(c.slotUsed)
	occupy := func(s int) error {
		if s < 0 || s >= slots || c.slotUsed[s] {
			return fmt.Errorf("cannot encode inconsistent DISTINCT state: slot %d of %d is used twice or does not exist", s, slots)
		}
		c.slotUsed[s] = true
		return nil
	}
	for _, s := range dv.Free {
		if err := occupy(s); err != nil {
			return dst, err
		}
	}
	if set.ints {
		if len(dv.Keys) != 0 {
			return dst, errors.New("cannot encode DISTINCT state over an integer column holding encoded keys")
		}
		c.slotInts = slices.Grow(c.slotInts[:0], slots)[:slots]
		for v, s := range dv.Ints {
			if err := occupy(s); err != nil {
				return dst, err
			}
			c.slotInts[s] = v
		}
	} else {
		if len(dv.Ints) != 0 {
			return dst, errors.New("cannot encode DISTINCT state over encoded keys holding integers")
		}
		c.slotStrs = slices.Grow(c.slotStrs[:0], slots)[:slots]
		for k, s := range dv.Keys {
			if err := occupy(s); err != nil {
				clear(c.slotStrs)
				return dst, err
			}
			c.slotStrs[s] = k
		}
	}
	if len(dv.Free)+len(dv.Ints)+len(dv.Keys) != slots {
		clear(c.slotStrs)
		return dst, fmt.Errorf("cannot encode inconsistent DISTINCT state: %d of %d slots hold no value and are not free", slots-len(dv.Free)-len(dv.Ints)-len(dv.Keys), slots)
	}
	dst = binary.AppendUvarint(dst, uint64(slots))
	for _, n := range dv.Counts {
		dst = binary.AppendVarint(dst, n)
	}
	dst = binary.AppendUvarint(dst, uint64(len(dv.Free)))
	for _, s := range dv.Free {
		dst = binary.AppendUvarint(dst, uint64(s))
	}
	// Free slots are marked in slotUsed too: mark them again as not holding a value.
	for _, s := range dv.Free {
		c.slotUsed[s] = false
	}
	for s := range slots {
		if !c.slotUsed[s] {
			continue
		}
		if set.ints {
			dst = binary.AppendVarint(dst, c.slotInts[s])
		} else {
			dst = binary.AppendUvarint(dst, uint64(len(c.slotStrs[s])))
			dst = append(dst, c.slotStrs[s]...)
		}
	}
	clear(c.slotStrs)
	return dst, nil
}

// appendValue appends non-NULL value d of type t.
func appendValue(dst []byte, t types.Type, d chunk.Datum) ([]byte, error) {
	if d.Null {
		return dst, fmt.Errorf("cannot encode a NULL %s in accumulators: aggregates never accumulate NULL", t)
	}
	switch t.Kind.Physical() {
	case types.PhysInt64:
		dst = binary.AppendVarint(dst, d.I)
	case types.PhysFloat64:
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(d.F))
	case types.PhysDecimal:
		dst = binary.AppendVarint(dst, d.D.Hi)
		dst = binary.AppendVarint(dst, int64(d.D.Lo))
	case types.PhysString:
		dst = binary.AppendUvarint(dst, uint64(len(d.S)))
		dst = append(dst, d.S...)
	case types.PhysMap:
		if d.M == nil {
			return binary.AppendUvarint(dst, 0), nil
		}
		dst = binary.AppendUvarint(dst, uint64(len(d.M))+1)
		keys := make([]string, 0, len(d.M))
		for k := range d.M {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			dst = binary.AppendUvarint(dst, uint64(len(k)))
			dst = append(dst, k...)
			v := d.M[k]
			dst = binary.AppendUvarint(dst, uint64(len(v)))
			dst = append(dst, v...)
		}
	}
	return dst, nil
}

// Read decodes one encoding written by Append from the front of src into fresh Accumulators
// (allocated as NewAccumulators does) and returns them with the bytes that follow.
func (c *AccumulatorsCodec) Read(src []byte) (*Accumulators, []byte, error) {
	a := c.a
	r := reader{b: src}
	if v := r.byte(); r.err == nil && v != accumulatorsVersion {
		return nil, nil, fmt.Errorf("unsupported accumulators format version %d (this build reads version %d)", v, accumulatorsVersion)
	}
	rows := r.varint()
	if n := r.uvarint(); r.err == nil && n != uint64(a.words) {
		return nil, nil, fmt.Errorf("%w: encoded with %d words, but the aggregate calls have %d: the state belongs to other calls", ErrCorruptAccumulators, n, a.words)
	}
	if r.err != nil {
		return nil, nil, r.err
	}
	acc := a.NewAccumulators()
	acc.Rows = rows
	for i := range acc.Words {
		if c.floatWord != nil && c.floatWord[i] {
			acc.Words[i] = int64(r.fixed64())
		} else {
			acc.Words[i] = r.varint()
		}
	}
	seqs := int64(0) // the largest arrival sequence read
	for _, w := range c.seqWords {
		seqs = max(seqs, acc.Words[w])
	}
	if x := acc.Extra; x != nil {
		for i := range x.Datums {
			x.Datums[i] = r.value(c.datumTypes[i])
		}
		for i := range x.Multisets {
			c.readMultiset(&r, c.multisetTypes[i], &x.Multisets[i])
		}
		for i := range x.Ordered {
			t := c.orderedTypes[i]
			n := r.count(1 + minValueBytes(t))
			if n == 0 {
				continue
			}
			ord := make([]Ordered, n)
			seq := int64(0)
			for j := range ord {
				seq += r.varint()
				ord[j] = Ordered{Seq: seq, V: r.value(t)}
				seqs = max(seqs, seq)
			}
			x.Ordered[i] = ord
		}
		for si := range x.Distinct {
			c.readDistinct(&r, &a.sets[si], &x.Distinct[si])
		}
	}
	if r.err != nil {
		return nil, nil, r.err
	}
	a.seq = max(a.seq, seqs)
	return acc, r.b, nil
}

func (c *AccumulatorsCodec) readMultiset(r *reader, t types.Type, ms *Multiset) {
	if t.Kind.Physical() == types.PhysInt64 {
		n := r.count(2)
		if n == 0 {
			return
		}
		ms.Ints = make(map[int64]int64, n)
		v := int64(0)
		for i := range n {
			if i == 0 {
				v = r.varint()
			} else {
				v = int64(uint64(v) + r.uvarint())
			}
			ms.Ints[v] = r.varint()
		}
		return
	}
	n := r.count(1 + minValueBytes(t))
	if n == 0 {
		return
	}
	ms.Keys = make(map[string]Counted, n)
	c.ts[0] = t
	for range n {
		e := Counted{V: r.value(t)}
		e.N = r.varint()
		if r.err != nil {
			return
		}
		c.one[0] = e.V
		c.key = chunk.EncodeDatums(c.key[:0], c.ts[:], c.one[:])
		ms.Keys[string(c.key)] = e
	}
	c.one[0] = chunk.Datum{}
}

func (c *AccumulatorsCodec) readDistinct(r *reader, set *distinctSet, dv *DistinctValues) {
	m := len(set.members)
	slots := r.count(m)
	if slots > 0 {
		dv.Counts = make([]int64, slots*m)
		for i := range dv.Counts {
			dv.Counts[i] = r.varint()
		}
	}
	nfree := r.count(1)
	if nfree > slots {
		r.fail("%d free slots of %d", nfree, slots)
		return
	}
	c.slotUsed = slices.Grow(c.slotUsed[:0], slots)[:slots]
	clear(c.slotUsed)
	if nfree > 0 {
		dv.Free = make([]int, nfree)
		for i := range dv.Free {
			s := r.uvarint()
			if r.err != nil {
				return
			}
			if s >= uint64(slots) || c.slotUsed[s] {
				r.fail("free slot %d of %d is invalid or repeated", s, slots)
				return
			}
			c.slotUsed[s] = true
			dv.Free[i] = int(s)
		}
	}
	values := slots - nfree
	if values == 0 {
		return
	}
	if len(r.b) < values { // each value takes at least one byte
		r.fail("%d DISTINCT values in %d bytes", values, len(r.b))
		return
	}
	if set.ints {
		dv.Ints = make(map[int64]int, values)
	} else {
		dv.Keys = make(map[string]int, values)
	}
	for s := range slots {
		if c.slotUsed[s] {
			continue
		}
		if set.ints {
			v := r.varint()
			if _, dup := dv.Ints[v]; dup && r.err == nil {
				r.fail("DISTINCT value %d repeated", v)
			}
			dv.Ints[v] = s
		} else {
			k := r.string()
			if _, dup := dv.Keys[k]; dup && r.err == nil {
				r.fail("DISTINCT value repeated")
			}
			dv.Keys[k] = s
		}
		if r.err != nil {
			return
		}
	}
}

// minValueBytes is the fewest bytes a value of type t encodes to.
func minValueBytes(t types.Type) int {
	switch t.Kind.Physical() {
	case types.PhysFloat64:
		return 8
	case types.PhysDecimal:
		return 2
	}
	return 1
}

// reader decodes from the front of b. The first error sticks: later reads return zero values
// and counts of 0, so decoding loops stop without checking after every read.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", ErrCorruptAccumulators, fmt.Sprintf(format, args...))
	}
	r.b = nil
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.fail("truncated")
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

// uvarint and varint read one-byte values inline (most counts and small words), longer ones
// in uvarintSlow.
func (r *reader) uvarint() uint64 {
	if b := r.b; len(b) > 0 && b[0] < 0x80 {
		r.b = b[1:]
		return uint64(b[0])
	}
	return r.uvarintSlow()
}

func (r *reader) varint() int64 {
	ux := r.uvarint()
	return int64(ux>>1) ^ -int64(ux&1)
}

func (r *reader) uvarintSlow() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("truncated or invalid varint or count")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) fixed64() uint64 {
	if len(r.b) < 8 {
		r.fail("truncated")
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

// count reads an element count and checks that the remaining bytes can hold that many
// elements of at least size bytes each, which bounds what a corrupt count allocates.
func (r *reader) count(size int) int {
	n := r.uvarint()
	if r.err != nil {
		return 0
	}
	if n > uint64(len(r.b)/max(size, 1)) {
		r.fail("%d elements in %d bytes", n, len(r.b))
		return 0
	}
	return int(n)
}

func (r *reader) string() string {
	n := r.count(1)
	if r.err != nil {
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// value reads a non-NULL value of type t.
func (r *reader) value(t types.Type) chunk.Datum {
	var d chunk.Datum
	switch t.Kind.Physical() {
	case types.PhysInt64:
		d.I = r.varint()
	case types.PhysFloat64:
		d.F = math.Float64frombits(r.fixed64())
	case types.PhysDecimal:
		d.D.Hi = r.varint()
		d.D.Lo = uint64(r.varint())
	case types.PhysString:
		d.S = r.string()
	case types.PhysMap:
		n := r.uvarint()
		if r.err != nil || n == 0 {
			return d
		}
		n--
		if n > uint64(len(r.b)/2) {
			r.fail("map of %d entries in %d bytes", n, len(r.b))
			return d
		}
		d.M = make(map[string]string, n)
		for range n {
			k := r.string()
			d.M[k] = r.string()
			if r.err != nil {
				return d
			}
		}
	}
	return d
}
