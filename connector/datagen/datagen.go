package datagen

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/types"
)

// Name is the connector's name.
const Name = "datagen"

// Factory returns the datagen connector's factory.
func Factory() *connector.Factory {
	return &connector.Factory{
		Name: Name,
		Doc: "Generates rows from per-field generators, as Flink's datagen connector: each field is 'random' (uniform " +
			"between 'min' and 'max', hexadecimal strings of 'length', times up to 'max-past' before now) or a " +
			"'sequence' from 'start' to 'end'. Supported types: BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, " +
			"DECIMAL, CHAR, VARCHAR, STRING, BYTES, DATE, TIME, TIMESTAMP and TIMESTAMP_LTZ (random TIMESTAMP values use " +
			"the UTC wall clock). The source is bounded by 'number-of-rows' or by its sequences; with parallel splits, " +
			"split i generates its share of the rows and a contiguous part of every sequence. Rows are throttled to " +
			"'rows-per-second' on the wall clock.",
		Spec:      spec(),
		NewSource: newSource,
	}
}

type source struct {
	fields  []*field
	rate    int64
	rows    int64 // -1: unbounded
	seed    uint64
	bounded bool
	// clock paces the rows; now is the time random temporal values are relative to. Both are
	// time.Now outside tests.
	clock, now func() time.Time
}

func newSource(cc connector.CreateContext) (connector.Source, error) {
	o := cc.Options
	s := &source{rate: o.Int("rows-per-second"), rows: -1, clock: time.Now, now: time.Now}
	if s.rate <= 0 {
		return nil, optErr("rows-per-second", "%d must be positive", s.rate)
	}
	if o.Has("number-of-rows") {
		if s.rows = o.Int("number-of-rows"); s.rows < 0 {
			return nil, optErr("number-of-rows", "%d must not be negative", s.rows)
		}
	}
	if o.Has("seed") {
		s.seed = uint64(o.Int("seed"))
	} else {
		s.seed = uint64(time.Now().UnixNano())
	}
	var err error
	if s.fields, err = parseFields(cc.Table, cc.Columns, o); err != nil {
		return nil, err
	}
	s.bounded = s.rows >= 0
	for _, f := range s.fields {
		if f.kind == kindSequence {
			s.bounded = true
		}
	}
	return s, nil
}

type split struct{ index, count int }

func (s split) ID() string { return fmt.Sprintf("datagen-%d-of-%d", s.index, s.count) }

func (s *source) Splits(parallelism int) ([]connector.Split, error) {
	n := max(parallelism, 1)
	out := make([]connector.Split, n)
	for i := range out {
		out[i] = split{index: i, count: n}
	}
	return out, nil
}

func (s *source) Bounded() bool { return s.bounded }

// share returns the offset of part i of p equal parts of n (n = 0 stands for 2^64).
func share(n uint64, i, p int) uint64 {
	if n == 0 {
		hi, lo := uint64(i), uint64(0) // i · 2^64
		q, _ := bits.Div64(hi%uint64(p), lo, uint64(p))
		return uint64(i)/uint64(p)<<63<<1 + q
	}
	hi, lo := bits.Mul64(n, uint64(i))
	q, _ := bits.Div64(hi, lo, uint64(p))
	return q
}

func (s *source) Open(ctx context.Context, sp connector.Split, projection []int) (connector.SplitReader, error) {
	return s.OpenAt(ctx, sp, projection, nil)
}

// positionVersion is the first byte of an encoded position, followed by the uvarint count of
// rows emitted and, per projected column, its index and the states of its two generators.
const positionVersion = 1

// Position implements connector.PositionedReader.
func (r *reader) Position() ([]byte, error) {
	b := []byte{positionVersion}
	b = binary.AppendUvarint(b, uint64(r.emitted))
	b = binary.AppendUvarint(b, uint64(len(r.cols)))
	for k, c := range r.cols {
		b = binary.AppendUvarint(b, uint64(c))
		b = binary.BigEndian.AppendUint64(b, r.rngs[k].s)
		b = binary.BigEndian.AppendUint64(b, r.nullRNGs[k].s)
	}
	return b, nil
}

// resume moves a new reader to a position Position returned.
func (r *reader) resume(pos []byte) error {
	bad := errors.New("datagen: invalid position")
	if len(pos) < 1 || pos[0] != positionVersion {
		return bad
	}
	pos = pos[1:]
	emitted, n := binary.Uvarint(pos)
	if n <= 0 || emitted > uint64(r.limit) {
		return bad
	}
	pos = pos[n:]
	cols, n := binary.Uvarint(pos)
	if n <= 0 {
		return bad
	}
	pos = pos[n:]
	saved := map[int][2]uint64{}
	for range cols {
		c, n := binary.Uvarint(pos)
		if n <= 0 || len(pos) < n+16 {
			return bad
		}
		saved[int(c)] = [2]uint64{binary.BigEndian.Uint64(pos[n:]), binary.BigEndian.Uint64(pos[n+8:])}
		pos = pos[n+16:]
	}
	if len(pos) != 0 {
		return bad
	}
	for k, c := range r.cols {
		st, ok := saved[c]
		if !ok {
			return fmt.Errorf("datagen: cannot resume: column %d was not generated before the checkpoint (the columns read changed)", c)
		}
		r.rngs[k].s, r.nullRNGs[k].s = st[0], st[1]
	}
	r.emitted, r.from = int64(emitted), int64(emitted)
	return nil
}

// OpenAt implements connector.ResumableSource: the generators continue from their states at
// the position, so the rows are those an uninterrupted reader would have produced (with the
// same columns; random temporal values stay relative to the current time).
func (s *source) OpenAt(ctx context.Context, sp connector.Split, projection []int, position []byte) (connector.SplitReader, error) {
	ds, ok := sp.(split)
	if !ok {
		return nil, fmt.Errorf("datagen: split %s does not belong to this source", sp.ID())
	}
	r := &reader{s: s, limit: math.MaxInt64, clock: s.clock}
	if s.rows >= 0 {
		r.limit = s.rows / int64(ds.count)
		if int64(ds.index) < s.rows%int64(ds.count) {
			r.limit++
		}
	}
	r.seqStart = make([]int64, len(s.fields))
	for i, f := range s.fields {
		if f.kind != kindSequence {
			continue
		}
		n := uint64(f.end) - uint64(f.start) + 1
		lo, hi := share(n, ds.index, ds.count), share(n, ds.index+1, ds.count)
		if ds.index+1 == ds.count {
			hi = n
		}
		r.seqStart[i] = f.start + int64(lo)
		if cnt := hi - lo; cnt < uint64(r.limit) {
			r.limit = int64(cnt)
		}
	}
	r.rate = s.rate / int64(ds.count)
	if int64(ds.index) < s.rate%int64(ds.count) {
		r.rate++
	}
	r.rate = max(r.rate, 1)
	for _, c := range projection {
		if c < 0 || c >= len(s.fields) {
			return nil, fmt.Errorf("datagen: projection column %d is out of range", c)
		}
		r.cols = append(r.cols, c)
		r.rngs = append(r.rngs, newRNG(s.seed, uint64(ds.index)<<20|uint64(c)))
		r.nullRNGs = append(r.nullRNGs, newRNG(^s.seed, uint64(ds.index)<<20|uint64(c)))
	}
	if position != nil {
		if err := r.resume(position); err != nil {
			return nil, fmt.Errorf("split %s: %w", sp.ID(), err)
		}
	}
	return r, nil
}

type reader struct {
	s        *source
	cols     []int
	rngs     []rng // values
	nullRNGs []rng // null decisions, apart so that chunk sizes do not change the values
	seqStart []int64
	emitted  int64
	from     int64 // emitted when reading started (rows before were read by an earlier run)
	limit    int64
	rate     int64
	clock    func() time.Time
	start    time.Time
	buf      []byte
}

const maxWait = 100 * time.Millisecond

func (r *reader) Next(ctx context.Context, maxRows int) (*chunk.Chunk, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if r.emitted >= r.limit {
		return nil, io.EOF
	}
	if r.start.IsZero() {
		r.start = r.clock()
	}
	allowed := func() int64 {
		el := r.clock().Sub(r.start)
		hi, lo := bits.Mul64(uint64(el.Nanoseconds()), uint64(r.rate))
		if hi >= 1e9 {
			return math.MaxInt64
		}
		q, _ := bits.Div64(hi, lo, 1e9)
		return int64(min(q, math.MaxInt64)) + 1
	}
	avail := allowed() - (r.emitted - r.from)
	if avail <= 0 {
		// Row number emitted (0-based) is due (emitted-from)/rate seconds after the start.
		due := r.start.Add(time.Duration(float64(r.emitted-r.from) / float64(r.rate) * float64(time.Second)))
		wait := max(min(due.Sub(r.clock()), maxWait), time.Millisecond)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		if avail = allowed() - (r.emitted - r.from); avail <= 0 {
			return nil, nil
		}
	}
	n := int(min(int64(max(maxRows, 1)), avail, r.limit-r.emitted))
	c := &chunk.Chunk{Kinds: make([]chunk.RowKind, n), Cols: make([]*chunk.Vector, len(r.cols))}
	nowMicros := r.s.now().UnixMicro()
	for k, ci := range r.cols {
		c.Cols[k] = r.column(r.s.fields[ci], &r.rngs[k], r.seqStart[ci]+r.emitted, n, nowMicros)
		r.nulls(r.s.fields[ci], &r.nullRNGs[k], c.Cols[k])
	}
	r.emitted += int64(n)
	return c, nil
}

func (r *reader) Close() error { return nil }

// column generates n values of field f; seq is the sequence value of the first row.
func (r *reader) column(f *field, rg *rng, seq int64, n int, nowMicros int64) *chunk.Vector {
	t := f.typ
	v := chunk.NewVector(t, n)
	if f.kind == kindSequence {
		for i := range n {
			k := seq + int64(i)
			switch {
			case t.Kind == types.Float || t.Kind == types.Double:
				v.F64 = append(v.F64, float64(k))
			case t.Kind == types.Decimal:
				b := new(big.Int).Mul(big.NewInt(k), pow10(t.Scale))
				d, _ := types.DecimalFromBig(b)
				v.Dec = append(v.Dec, d)
			case t.IsString():
				v.Str = append(v.Str, strconv.FormatInt(k, 10))
			default:
				v.I64 = append(v.I64, k)
			}
		}
		return v
	}
	switch {
	case t.Kind == types.Boolean:
		for range n {
			v.I64 = append(v.I64, int64(rg.next()>>63))
		}
	case t.IsInteger():
		span := uint64(f.maxI) - uint64(f.minI) + 1
		for range n {
			if span == 0 {
				v.I64 = append(v.I64, int64(rg.next()))
			} else {
				v.I64 = append(v.I64, f.minI+int64(rg.bounded(span)))
			}
		}
	case t.Kind == types.Float || t.Kind == types.Double:
		for range n {
			u := rg.float()
			x := f.minF*(1-u) + f.maxF*u
			if t.Kind == types.Float {
				x = float64(float32(x))
			}
			v.F64 = append(v.F64, x)
		}
	case t.Kind == types.Decimal:
		span := new(big.Int).Sub(f.maxD, f.minD)
		span.Add(span, big.NewInt(1))
		x := new(big.Int)
		for range n {
			var d types.Decimal128
			if span.IsUint64() && f.minD.IsInt64() {
				b := new(big.Int).SetUint64(rg.bounded(span.Uint64()))
				d, _ = types.DecimalFromBig(b.Add(b, f.minD))
			} else {
				x.SetUint64(rg.next())
				x.Lsh(x, 64)
				x.Or(x, new(big.Int).SetUint64(rg.next()))
				x.Mod(x, span)
				d, _ = types.DecimalFromBig(x.Add(x, f.minD))
			}
			v.Dec = append(v.Dec, d)
		}
	case t.IsString() || t.Kind == types.Bytes:
		const hex = "0123456789abcdef"
		b := r.buf[:0]
		ends := make([]int, n)
		for i := range n {
			l := f.length
			if f.varLen && l > 0 {
				l = 1 + int(rg.bounded(uint64(l)))
			}
			for j := 0; j < l; {
				x := rg.next()
				for k := 0; k < 8 && j < l; k, j = k+1, j+1 {
					if t.Kind == types.Bytes {
						b = append(b, byte(x))
						x >>= 8
					} else {
						b = append(b, hex[x&15])
						x >>= 4
					}
				}
			}
			ends[i] = len(b)
		}
		all := string(b)
		r.buf = b
		start := 0
		for _, e := range ends {
			v.Str = append(v.Str, all[start:e])
			start = e
		}
	default: // DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ
		past := uint64(f.maxPast.Microseconds()) + 1
		for range n {
			us := nowMicros - int64(rg.bounded(past))
			switch t.Kind {
			case types.Date:
				us = floorDiv(us, 86400e6)
			case types.Time:
				us = truncate(us-floorDiv(us, 86400e6)*86400e6, t.Precision)
			default:
				us = truncate(us, t.Precision)
			}
			v.I64 = append(v.I64, us)
		}
	}
	return v
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// truncate cuts micros to precision fractional-second digits.
func truncate(us int64, precision int) int64 {
	if precision >= 6 {
		return us
	}
	m := int64(1)
	for range 6 - precision {
		m *= 10
	}
	return floorDiv(us, m) * m
}

// nulls marks values NULL at the field's null rate (clearing their slots).
func (r *reader) nulls(f *field, rg *rng, v *chunk.Vector) {
	if f.nullRate <= 0 {
		return
	}
	for i := range v.Len() {
		if rg.float() < f.nullRate {
			v.SetNull(i)
			switch {
			case v.I64 != nil && i < len(v.I64):
				v.I64[i] = 0
			case v.F64 != nil && i < len(v.F64):
				v.F64[i] = 0
			case v.Dec != nil && i < len(v.Dec):
				v.Dec[i] = types.Decimal128{}
			case v.Str != nil && i < len(v.Str):
				v.Str[i] = ""
			}
		}
	}
}
