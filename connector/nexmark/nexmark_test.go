package nexmark

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/types"
)

var bidCols = []connector.Column{
	{Name: "auction", Type: types.BigIntType}, {Name: "bidder", Type: types.BigIntType},
	{Name: "price", Type: types.BigIntType}, {Name: "channel", Type: types.StringType},
	{Name: "url", Type: types.StringType}, {Name: "dateTime", Type: types.TimestampType(3)},
	{Name: "extra", Type: types.StringType},
}

func create(opts map[string]string, cols []connector.Column) (connector.Source, error) {
	f := Factory()
	o, err := f.Spec.Validate(opts)
	if err != nil {
		return nil, err
	}
	return f.NewSource(connector.CreateContext{Table: "t", Columns: cols, Options: o})
}

func readSplits(t *testing.T, src connector.Source, parallelism int, projection []int) []*chunk.Chunk {
	t.Helper()
	splits, err := src.Splits(parallelism)
	if err != nil {
		t.Fatal(err)
	}
	var out []*chunk.Chunk
	for _, sp := range splits {
		r, err := src.Open(context.Background(), sp, projection)
		if err != nil {
			t.Fatal(err)
		}
		for {
			c, err := r.Next(context.Background(), 1000)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if c == nil {
				continue
			}
			if c.Len() > 1000 {
				t.Fatalf("chunk of %d rows, max 1000", c.Len())
			}
			out = append(out, c)
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func count(cs []*chunk.Chunk) int {
	n := 0
	for _, c := range cs {
		n += c.Len()
	}
	return n
}

func TestBoundedSplits(t *testing.T) {
	src, err := create(map[string]string{"connector": "nexmark", "events.num": "10000"}, bidCols)
	if err != nil {
		t.Fatal(err)
	}
	if !src.Bounded() {
		t.Fatal("events.num > 0 must be bounded")
	}
	for _, p := range []int{1, 3} {
		splits, _ := src.Splits(p)
		if len(splits) != p || splits[0].ID() != "nexmark-bid-0-of-"+string(rune('0'+p)) {
			t.Fatalf("splits %v", splits)
		}
		// Ids 1..10000: 200 people, 600 auctions, 9200 bids.
		if n := count(readSplits(t, src, p, []int{0, 2})); n != 9200 {
			t.Fatalf("p=%d: %d bids, want 9200", p, n)
		}
	}
	src, _ = create(map[string]string{"events.num": "10000", "split.count": "4"}, bidCols)
	if splits, _ := src.Splits(2); len(splits) != 4 {
		t.Fatalf("split.count=4 gave %d splits", len(splits))
	}
	unb, _ := create(map[string]string{}, bidCols)
	if unb.Bounded() {
		t.Fatal("events.num = 0 must be unbounded")
	}
}

func TestColumnsSubsetAnyOrderAnyCase(t *testing.T) {
	cols := []connector.Column{{Name: "EXTRA", Type: types.VarcharType(200)}, {Name: "Price", Type: types.BigIntType.WithNotNull(true)}, {Name: "datetime", Type: types.TimestampType(3)}}
	src, err := create(map[string]string{"events.num": "100", "table": "BID"}, cols)
	if err != nil {
		t.Fatal(err)
	}
	cs := readSplits(t, src, 1, []int{1, 2, 0})
	c := cs[0]
	if len(c.Cols) != 3 || !c.Cols[0].Type.Equal(types.BigIntType) || c.Cols[2].Type != types.VarcharType(200) {
		t.Fatalf("types %v", c.Types())
	}
	// Event 4 is the first bid (see the generator's golden values).
	if got := c.FormatRow(0); !strings.HasPrefix(got, "+I[10521, 2015-07-15T00:00, sdwftreq") {
		t.Fatalf("first row %s", got)
	}
}

func TestPersonAndAuctionTables(t *testing.T) {
	person := []connector.Column{{Name: "id", Type: types.BigIntType}, {Name: "name", Type: types.StringType}, {Name: "state", Type: types.StringType}}
	src, err := create(map[string]string{"table": "person", "events.num": "1000"}, person)
	if err != nil {
		t.Fatal(err)
	}
	cs := readSplits(t, src, 2, []int{0, 1, 2})
	if count(cs) != 20 {
		t.Fatalf("%d people, want 20", count(cs))
	}
	// Split 0 of 2 owns epochs 0, 2, ...: its first person is event 100.
	if got := cs[0].FormatRow(0); got != "+I[1002, Julie Jones, OR]" {
		t.Fatalf("first person %s", got)
	}
	auction := []connector.Column{{Name: "id", Type: types.BigIntType}, {Name: "expires", Type: types.TimestampType(3)}, {Name: "category", Type: types.BigIntType}}
	src, err = create(map[string]string{"table": "auction", "events.num": "1000"}, auction)
	if err != nil {
		t.Fatal(err)
	}
	cs = readSplits(t, src, 1, []int{0, 1, 2})
	if count(cs) != 60 || cs[0].FormatRow(0) != "+I[1000, 2015-07-15T00:00:00.165, 13]" {
		t.Fatalf("%d auctions, first %s", count(cs), cs[0].FormatRow(0))
	}
}

func TestOptionErrors(t *testing.T) {
	for _, tc := range []struct {
		opts map[string]string
		cols []connector.Column
		want string
	}{
		{map[string]string{"events.nm": "5"}, bidCols, "option 'events.nm': unknown option (did you mean 'events.num'?)"},
		{map[string]string{"events.num": "many"}, bidCols, "option 'events.num': 'many' is not an integer"},
		{map[string]string{"table": "bids"}, bidCols, "option 'table': 'bids' is not one of person, auction, bid"},
		{map[string]string{"first-event.rate": "0"}, bidCols, "option 'first-event.rate': 0 must be positive"},
		{map[string]string{"events.num": "-1"}, bidCols, "option 'events.num': -1 must be zero or positive"},
		{map[string]string{"bid.avg-size": "big"}, bidCols, "option 'bid.avg-size': 'big' is not a size between 0 and 1mb (e.g. '100b', '2kb')"},
		{map[string]string{"base-time": "yesterday"}, bidCols, "option 'base-time': 'yesterday' is neither epoch milliseconds nor a timestamp 'yyyy-MM-dd HH:mm:ss[.fff]'"},
		{map[string]string{"split.count": "0"}, bidCols, "option 'split.count': 0 must be between 1 and 65536"},
		{map[string]string{}, []connector.Column{{Name: "bidderz", Type: types.BigIntType}}, "table 't': column 'bidderz' is not a field of the nexmark bid table (fields: auction, bidder, price, channel, url, dateTime, extra)"},
		{map[string]string{}, []connector.Column{{Name: "price", Type: types.IntType}}, "table 't': column 'price' has type INT, but nexmark bid field 'price' is BIGINT"},
		{map[string]string{}, []connector.Column{{Name: "dateTime", Type: types.TimestampType(6)}}, "table 't': column 'dateTime' has type TIMESTAMP(6), but nexmark bid field 'dateTime' is TIMESTAMP(3)"},
		{map[string]string{"table": "person"}, []connector.Column{{Name: "price", Type: types.BigIntType}}, "table 't': column 'price' is not a field of the nexmark person table (fields: id, name, emailAddress, creditCard, city, state, dateTime, extra)"},
	} {
		_, err := create(tc.opts, tc.cols)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%v: got %v\nwant %s", tc.opts, err, tc.want)
		}
	}
}

func TestOptionValues(t *testing.T) {
	o, err := Factory().Spec.Validate(map[string]string{"base-time": "2020-01-01 00:00:00", "bid.avg-size": "1kb", "seed": "3", "events.num": "7"})
	if err != nil {
		t.Fatal(err)
	}
	cfg, table, err := Config(o)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.BaseTime != 1577836800000 || cfg.AvgBidSize != 1024 || cfg.Seed != 3 || cfg.EventsNum != 7 || table.String() != "bid" || cfg.FirstEventRate != 10000 {
		t.Fatalf("%+v %v", cfg, table)
	}
	o, _ = Factory().Spec.Validate(map[string]string{"base-time": "1000"})
	if cfg, _, _ = Config(o); cfg.BaseTime != 1000 {
		t.Fatalf("epoch base time %d", cfg.BaseTime)
	}
}

// TestThrottle checks that max-emit-speed = false follows the wall clock: 300 events at
// 2,000 events/s take about 150 ms.
func TestThrottle(t *testing.T) {
	src, err := create(map[string]string{"events.num": "300", "first-event.rate": "2000", "max-emit-speed": "false"}, bidCols[:1])
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if n := count(readSplits(t, src, 1, []int{0})); n != 276 {
		t.Fatalf("%d bids, want 276", n)
	}
	if d := time.Since(start); d < 130*time.Millisecond || d > 2*time.Second {
		t.Fatalf("throttled read took %v, want about 150ms", d)
	}
}

func TestCancel(t *testing.T) {
	src, _ := create(map[string]string{}, bidCols)
	splits, _ := src.Splits(1)
	r, _ := src.Open(context.Background(), splits[0], []int{0})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Next(ctx, 10); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}

// readAll reads a reader to its end, chunk by chunk of at most max rows, as formatted rows.
func readAll(t *testing.T, r connector.SplitReader, max int) []string {
	t.Helper()
	var rows []string
	for {
		c, err := r.Next(context.Background(), max)
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatal(err)
		}
		for i := range chunkLen(c) {
			rows = append(rows, c.FormatRow(i))
		}
	}
}

func chunkLen(c *chunk.Chunk) int {
	if c == nil {
		return 0
	}
	return c.Len()
}

// TestResumeAtPosition cuts a split's reading after k chunks at many points, reopens it at the
// reported position and checks that the rows read before and after the cut are exactly those
// of an uninterrupted read.
func TestResumeAtPosition(t *testing.T) {
	for _, table := range []string{"bid", "auction", "person"} {
		cols := bidCols
		switch table {
		case "auction":
			cols = []connector.Column{{Name: "id", Type: types.BigIntType}, {Name: "seller", Type: types.BigIntType}}
		case "person":
			cols = []connector.Column{{Name: "id", Type: types.BigIntType}, {Name: "name", Type: types.StringType}}
		}
		src, err := create(map[string]string{"table": table, "events.num": "5000", "seed": "3"}, cols)
		if err != nil {
			t.Fatal(err)
		}
		rs := src.(connector.ResumableSource)
		splits, _ := src.Splits(3)
		proj := []int{0, 1}
		for _, sp := range splits {
			r, _ := src.Open(context.Background(), sp, proj)
			want := readAll(t, r, 37)
			for cut := 0; cut < 6; cut++ {
				r, _ := src.Open(context.Background(), sp, proj)
				var got []string
				for range cut {
					c, err := r.Next(context.Background(), 37)
					if err != nil {
						break
					}
					for i := range chunkLen(c) {
						got = append(got, c.FormatRow(i))
					}
				}
				pos, err := r.(connector.PositionedReader).Position()
				if err != nil {
					t.Fatal(err)
				}
				r2, err := rs.OpenAt(context.Background(), sp, proj, pos)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, readAll(t, r2, 53)...)
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Fatalf("%s split %s cut after %d chunks: %d rows, want %d (or different rows)", table, sp.ID(), cut, len(got), len(want))
				}
			}
		}
		if _, err := rs.OpenAt(context.Background(), splits[0], proj, []byte{1}); err == nil {
			t.Fatal("a truncated position was accepted")
		}
		pos, _ := func() ([]byte, error) {
			r, _ := src.Open(context.Background(), splits[1], proj)
			return r.(connector.PositionedReader).Position()
		}()
		if _, err := rs.OpenAt(context.Background(), splits[0], proj, pos); err == nil {
			t.Fatal("a position of another split was accepted")
		}
	}
}
