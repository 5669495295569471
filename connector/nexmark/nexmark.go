package nexmark

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/connector/internal/textval"
	gen "github.com/floedb/floe/nexmark"
	"github.com/floedb/floe/types"
)

// Name is the connector's name in WITH ('connector' = 'nexmark').
const Name = "nexmark"

// spec is the nexmark connector's option spec.
func spec() connector.Spec {
	return connector.Spec{
		{Key: "table", Type: connector.Enum, Enum: []string{"person", "auction", "bid"}, Default: "bid",
			Doc: "Which event kind the table holds; its columns must be fields of that kind."},
		{Key: "events.num", Type: connector.Int, Default: "0",
			Doc: "Number of events of all kinds to generate (about 92% are bids); 0 means unbounded."},
		{Key: "first-event.rate", Type: connector.Int, Default: "10000",
			Doc: "Event-time rate in events per second over all splits; event n happens at base-time + n/rate."},
		{Key: "base-time", Type: connector.String, Default: "2015-07-15 00:00:00",
			Doc: "Event time of event 0: a timestamp 'yyyy-MM-dd HH:mm:ss[.fff]' (UTC) or epoch milliseconds. Fixed by default so runs are reproducible."},
		{Key: "person.proportion", Type: connector.Int, Default: "1", Doc: "People in each block of person + auction + bid proportion events."},
		{Key: "auction.proportion", Type: connector.Int, Default: "3", Doc: "Auctions in each block of events."},
		{Key: "bid.proportion", Type: connector.Int, Default: "46", Doc: "Bids in each block of events."},
		{Key: "person.avg-size", Type: connector.String, Default: "200b", Doc: "Average person size that the extra field pads to, in bytes ('200', '200b', '1kb')."},
		{Key: "auction.avg-size", Type: connector.String, Default: "500b", Doc: "Average auction size that the extra field pads to."},
		{Key: "bid.avg-size", Type: connector.String, Default: "100b", Doc: "Average bid size that the extra field pads to."},
		{Key: "bid.hot-ratio.auctions", Type: connector.Int, Default: "2", Doc: "A bid goes to the hot auction with probability 1 - 1/ratio."},
		{Key: "bid.hot-ratio.bidders", Type: connector.Int, Default: "4", Doc: "A bid comes from the hot bidder with probability 1 - 1/ratio."},
		{Key: "auction.hot-ratio.sellers", Type: connector.Int, Default: "4", Doc: "An auction is opened by the hot seller with probability 1 - 1/ratio."},
		{Key: "max-emit-speed", Type: connector.Bool, Default: "true",
			Doc: "Emit events as fast as possible (as Flink's option); false throttles each split to the wall clock at first-event.rate."},
		{Key: "split.count", Type: connector.Int, Doc: "Number of splits; defaults to the source's parallelism."},
		{Key: "seed", Type: connector.Int, Default: "0", Doc: "Seed of the random choices (Floe extension); the same seed gives the same events."},
	}
}

// Factory returns the nexmark connector's factory.
func Factory() *connector.Factory {
	return &connector.Factory{
		Name: Name,
		Doc: "Generates the events of the Nexmark benchmark (people, auctions and bids of an online auction site) " +
			"in-process and deterministically: the same options give the same events at every parallelism. " +
			"Each table holds one event kind, chosen by 'table'; declare any subset of its fields, in any order, with " +
			"BIGINT for ids and prices, STRING for text and TIMESTAMP(3) for dateTime and expires. " +
			"Fields: person(id, name, emailAddress, creditCard, city, state, dateTime, extra); " +
			"auction(id, itemName, description, initialBid, reserve, dateTime, expires, seller, category, extra); " +
			"bid(auction, bidder, price, channel, url, dateTime, extra). " +
			"Event time advances by the rate, not the wall clock, unless 'max-emit-speed' is false; declare " +
			"WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND as the benchmark does.",
		Spec:      spec(),
		NewSource: newSource,
	}
}

// parseSize parses a memory size: a number of bytes optionally followed by b, kb, mb (case-
// insensitive, 1024-based as Flink's MemorySize).
func parseSize(key, v string) (int, error) {
	s := strings.ToLower(strings.TrimSpace(v))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"kb", 1 << 10}, {"k", 1 << 10}, {"mb", 1 << 20}, {"m", 1 << 20}, {"bytes", 1}, {"b", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n*mult > 1<<20 {
		return 0, &connector.OptionError{Key: key, Msg: fmt.Sprintf("'%s' is not a size between 0 and 1mb (e.g. '100b', '2kb')", v)}
	}
	return int(n * mult), nil
}

// parseBaseTime accepts epoch milliseconds or a timestamp text (UTC).
func parseBaseTime(v string) (int64, error) {
	s := strings.TrimSpace(v)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	us, err := textval.ParseTimestamp(s, true)
	if err != nil {
		return 0, &connector.OptionError{Key: "base-time", Msg: fmt.Sprintf("'%s' is neither epoch milliseconds nor a timestamp 'yyyy-MM-dd HH:mm:ss[.fff]'", v)}
	}
	return us / 1000, nil
}

// Config builds the generator configuration and table from validated options.
func Config(o connector.Options) (gen.Config, gen.Table, error) {
	cfg := gen.DefaultConfig()
	table, err := gen.ParseTable(o.String("table"))
	if err != nil {
		return cfg, 0, &connector.OptionError{Key: "table", Msg: err.Error()}
	}
	positive := func(key string, allowZero bool) (int64, error) {
		n := o.Int(key)
		if n < 0 || (n == 0 && !allowZero) {
			want := "positive"
			if allowZero {
				want = "zero or positive"
			}
			return 0, &connector.OptionError{Key: key, Msg: fmt.Sprintf("%d must be %s", n, want)}
		}
		if n > 1<<30 && key != "events.num" && key != "first-event.rate" {
			return 0, &connector.OptionError{Key: key, Msg: fmt.Sprintf("%d is too large", n)}
		}
		return n, nil
	}
	ints := []struct {
		key       string
		allowZero bool
		set       func(int64)
	}{
		{"events.num", true, func(n int64) { cfg.EventsNum = n }},
		{"first-event.rate", false, func(n int64) { cfg.FirstEventRate = n }},
		{"person.proportion", false, func(n int64) { cfg.PersonProportion = int(n) }},
		{"auction.proportion", false, func(n int64) { cfg.AuctionProportion = int(n) }},
		{"bid.proportion", false, func(n int64) { cfg.BidProportion = int(n) }},
		{"bid.hot-ratio.auctions", false, func(n int64) { cfg.HotAuctionRatio = int(n) }},
		{"bid.hot-ratio.bidders", false, func(n int64) { cfg.HotBiddersRatio = int(n) }},
		{"auction.hot-ratio.sellers", false, func(n int64) { cfg.HotSellersRatio = int(n) }},
	}
	for _, it := range ints {
		n, err := positive(it.key, it.allowZero)
		if err != nil {
			return cfg, 0, err
		}
		it.set(n)
	}
	if cfg.BaseTime, err = parseBaseTime(o.String("base-time")); err != nil {
		return cfg, 0, err
	}
	if cfg.AvgPersonSize, err = parseSize("person.avg-size", o.String("person.avg-size")); err != nil {
		return cfg, 0, err
	}
	if cfg.AvgAuctionSize, err = parseSize("auction.avg-size", o.String("auction.avg-size")); err != nil {
		return cfg, 0, err
	}
	if cfg.AvgBidSize, err = parseSize("bid.avg-size", o.String("bid.avg-size")); err != nil {
		return cfg, 0, err
	}
	cfg.Seed = uint64(o.Int("seed"))
	if err := cfg.Validate(); err != nil {
		return cfg, 0, fmt.Errorf("nexmark: %w", err)
	}
	return cfg, table, nil
}

type source struct {
	gen        *gen.Generator
	table      gen.Table
	fields     []int // field position of each declared column
	colTypes   []types.Type
	splitCount int
	throttle   bool
	now        func() time.Time
}

func newSource(cc connector.CreateContext) (connector.Source, error) {
	cfg, table, err := Config(cc.Options)
	if err != nil {
		return nil, err
	}
	s := &source{table: table, throttle: !cc.Options.Bool("max-emit-speed"), now: time.Now}
	if cc.Options.Has("split.count") {
		n := cc.Options.Int("split.count")
		if n < 1 || n > 1<<16 {
			return nil, &connector.OptionError{Key: "split.count", Msg: fmt.Sprintf("%d must be between 1 and 65536", n)}
		}
		s.splitCount = int(n)
	}
	fields := table.Fields()
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	for _, c := range cc.Columns {
		i := table.FieldIndex(c.Name)
		if i < 0 {
			return nil, fmt.Errorf("table '%s': column '%s' is not a field of the nexmark %s table (fields: %s)", cc.Table, c.Name, table, strings.Join(names, ", "))
		}
		want := fields[i].Type
		ok := c.Type.Kind == want.Kind
		if want.Kind == types.Timestamp {
			ok = ok && c.Type.Precision == 3
		}
		if !ok {
			return nil, fmt.Errorf("table '%s': column '%s' has type %s, but nexmark %s field '%s' is %s", cc.Table, c.Name, c.Type, table, fields[i].Name, want)
		}
		s.fields = append(s.fields, i)
		s.colTypes = append(s.colTypes, c.Type)
	}
	if s.gen, err = gen.New(cfg); err != nil {
		return nil, fmt.Errorf("nexmark: %w", err)
	}
	return s, nil
}

type split struct {
	table        gen.Table
	index, count int
}

func (s split) ID() string { return fmt.Sprintf("nexmark-%s-%d-of-%d", s.table, s.index, s.count) }

func (s *source) Splits(parallelism int) ([]connector.Split, error) {
	n := s.splitCount
	if n == 0 {
		n = max(parallelism, 1)
	}
	out := make([]connector.Split, n)
	for i := range out {
		out[i] = split{table: s.table, index: i, count: n}
	}
	return out, nil
}

func (s *source) Bounded() bool { return s.gen.Config().EventsNum > 0 }

func (s *source) Open(ctx context.Context, sp connector.Split, projection []int) (connector.SplitReader, error) {
	return s.OpenAt(ctx, sp, projection, nil)
}

// positionVersion is the first byte of an encoded position; the rest is the uvarint id of the
// split's next event.
const positionVersion = 1

// OpenAt implements connector.ResumableSource: position is what reader.Position returned (nil
// starts at the beginning). Events are a pure function of their id, so the rows after a
// position are exactly those an uninterrupted reader would have produced.
func (s *source) OpenAt(ctx context.Context, sp connector.Split, projection []int, position []byte) (connector.SplitReader, error) {
	nsp, ok := sp.(split)
	if !ok {
		return nil, fmt.Errorf("nexmark: split %s does not belong to this source", sp.ID())
	}
	fields := make([]int, len(projection))
	ts := make([]types.Type, len(projection))
	for k, c := range projection {
		if c < 0 || c >= len(s.fields) {
			return nil, fmt.Errorf("nexmark: projection column %d is out of range", c)
		}
		fields[k], ts[k] = s.fields[c], s.colTypes[c]
	}
	r, err := s.gen.NewReader(s.table, nsp.index, nsp.count, fields)
	if err != nil {
		return nil, err
	}
	if position != nil {
		id, n := binary.Uvarint(position[min(1, len(position)):])
		if len(position) < 2 || position[0] != positionVersion || n != len(position)-1 {
			return nil, fmt.Errorf("nexmark: split %s: invalid position %x", sp.ID(), position)
		}
		if err := r.SeekTo(int64(id)); err != nil {
			return nil, fmt.Errorf("nexmark: split %s: %w", sp.ID(), err)
		}
	}
	// A throttled reader follows the wall clock from the event it starts at.
	return &reader{r: r, types: ts, throttle: s.throttle, now: s.now, origin: r.NextTime()}, nil
}

type reader struct {
	r        *gen.Reader
	types    []types.Type
	throttle bool
	now      func() time.Time
	origin   int64 // event time (ms) of the first row, which is due when reading starts
	start    time.Time
}

// Position implements connector.PositionedReader: the id of the next event.
func (r *reader) Position() ([]byte, error) {
	return binary.AppendUvarint([]byte{positionVersion}, uint64(r.r.NextID())), nil
}

// maxWait bounds how long a throttled Next waits for its next event before reporting that
// no data is available yet.
const maxWait = 100 * time.Millisecond

func (r *reader) Next(ctx context.Context, max int) (*chunk.Chunk, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if r.r.Done() {
		return nil, io.EOF
	}
	var c *chunk.Chunk
	if !r.throttle {
		c = r.r.Next(max)
	} else {
		if r.start.IsZero() {
			r.start = r.now()
		}
		due := r.start.Add(time.Duration(r.r.NextTime()-r.origin) * time.Millisecond)
		if wait := due.Sub(r.now()); wait > 0 {
			if wait > maxWait {
				return nil, nil
			}
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, ctx.Err()
			case <-t.C:
			}
		}
		c = r.r.NextBefore(max, r.origin+r.now().Sub(r.start).Milliseconds())
		if c == nil {
			return nil, nil
		}
	}
	for k, v := range c.Cols {
		v.Type = r.types[k]
	}
	return c, nil
}

func (r *reader) Close() error { return nil }
