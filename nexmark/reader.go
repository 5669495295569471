package nexmark

import (
	"fmt"
	"math"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// Reader generates the rows of one split of one table into chunks. It is used by one
// goroutine.
type Reader struct {
	g      *Generator
	table  Table
	splits int64
	fields []int
	types  []types.Type
	// The next id is epoch·total + off, with off in [lo, hi), the table's offsets in an epoch.
	epoch, off int64
	lo, hi     int64
	split      int64
	last       int64
	needPrice  bool

	bids     []BidEvent
	persons  []PersonEvent
	auctions []AuctionEvent
	buf      []byte
}

// NewReader returns a reader of split split (0-based) of splits for table t. fields lists
// the table's field positions (see Table.Fields) to produce, in output order; nil means all.
func (g *Generator) NewReader(t Table, split, splits int, fields []int) (*Reader, error) {
	if splits < 1 || split < 0 || split >= splits {
		return nil, fmt.Errorf("nexmark: split %d of %d is out of range", split, splits)
	}
	all := t.Fields()
	if fields == nil {
		fields = make([]int, len(all))
		for i := range fields {
			fields[i] = i
		}
	}
	r := &Reader{g: g, table: t, splits: int64(splits), fields: append([]int(nil), fields...), epoch: int64(split), split: int64(split)}
	for _, f := range fields {
		if f < 0 || f >= len(all) {
			return nil, fmt.Errorf("nexmark: %s has no field %d", t, f)
		}
		r.types = append(r.types, all[f].Type)
		if t == Bid && f == BidPrice {
			r.needPrice = true
		}
	}
	switch t {
	case Person:
		r.lo, r.hi = 0, g.persons
	case Auction:
		r.lo, r.hi = g.persons, g.persons+g.auction
	default:
		r.lo, r.hi = g.persons+g.auction, g.total
	}
	r.off = r.lo
	r.last = g.cfg.EventsNum
	if r.last == 0 {
		r.last = math.MaxInt64 / 2
	}
	if r.id() < 1 {
		r.advance()
	}
	return r, nil
}

// Types returns the column types of the chunks the reader produces.
func (r *Reader) Types() []types.Type { return append([]types.Type(nil), r.types...) }

func (r *Reader) id() int64 { return r.epoch*r.g.total + r.off }

func (r *Reader) advance() {
	r.off++
	if r.off == r.hi {
		r.off = r.lo
		r.epoch += r.splits
	}
}

// Done reports whether the split has no more rows (only ever true when EventsNum > 0).
func (r *Reader) Done() bool { return r.id() > r.last }

// SeekTo moves the reader to the row of event id id, which must be a row of its table and split
// (an id NextID returned, typically before a restart).
func (r *Reader) SeekTo(id int64) error {
	epoch, off := id/r.g.total, id%r.g.total
	if id < 1 || off < r.lo || off >= r.hi || epoch%r.splits != r.split {
		return fmt.Errorf("nexmark: event %d is not a %s row of split %d of %d", id, r.table, r.split, r.splits)
	}
	r.epoch, r.off = epoch, off
	return nil
}

// NextID returns the event id of the next row.
func (r *Reader) NextID() int64 { return r.id() }

// NextTime returns the event time (epoch ms) of the next row.
func (r *Reader) NextTime() int64 { return r.g.EventTime(r.id()) }

// Next returns a chunk of up to maxRows rows (capped at 65536) (at least one unless Done), or nil when Done.
func (r *Reader) Next(maxRows int) *chunk.Chunk { return r.NextBefore(maxRows, math.MaxInt64) }

// NextBefore is Next restricted to rows whose event time is at most until (epoch ms); it
// returns nil when no such row is left. Throttled sources use it to follow the wall clock.
func (r *Reader) NextBefore(maxRows int, until int64) *chunk.Chunk {
	limit := min(max(maxRows, 1), 1<<16)
	n := 0
	switch r.table {
	case Bid:
		if cap(r.bids) < limit {
			r.bids = make([]BidEvent, limit)
		}
		bids := r.bids[:limit]
		for n < limit && !r.Done() {
			id := r.id()
			if r.g.EventTime(id) > until {
				break
			}
			r.g.bid(id, &bids[n], r.needPrice)
			n++
			r.advance()
		}
	case Person:
		if cap(r.persons) < limit {
			r.persons = make([]PersonEvent, limit)
		}
		ps := r.persons[:limit]
		for n < limit && !r.Done() {
			id := r.id()
			if r.g.EventTime(id) > until {
				break
			}
			r.buf = r.g.person(id, &ps[n], r.buf)
			n++
			r.advance()
		}
	default:
		if cap(r.auctions) < limit {
			r.auctions = make([]AuctionEvent, limit)
		}
		as := r.auctions[:limit]
		for n < limit && !r.Done() {
			id := r.id()
			if r.g.EventTime(id) > until {
				break
			}
			r.buf = r.g.auctionEvent(id, &as[n], r.buf)
			n++
			r.advance()
		}
	}
	if n == 0 {
		return nil
	}
	c := &chunk.Chunk{Kinds: make([]chunk.RowKind, n), Cols: make([]*chunk.Vector, len(r.fields))}
	for k, f := range r.fields {
		c.Cols[k] = r.column(f, n)
	}
	return c
}

func ints(t types.Type, n int, f func(i int) int64) *chunk.Vector {
	v := &chunk.Vector{Type: t, I64: make([]int64, n)}
	for i := range v.I64 {
		v.I64[i] = f(i)
	}
	return v
}

func strs(n int, f func(i int) string) *chunk.Vector {
	v := &chunk.Vector{Type: types.StringType, Str: make([]string, n)}
	for i := range v.Str {
		v.Str[i] = f(i)
	}
	return v
}

// column builds the vector of field f for the n events in the reader's buffer.
func (r *Reader) column(f, n int) *chunk.Vector {
	switch r.table {
	case Bid:
		bs := r.bids[:n]
		switch f {
		case BidAuction:
			return ints(types.BigIntType, n, func(i int) int64 { return bs[i].Auction })
		case BidBidder:
			return ints(types.BigIntType, n, func(i int) int64 { return bs[i].Bidder })
		case BidPrice:
			return ints(types.BigIntType, n, func(i int) int64 { return bs[i].Price })
		case BidChannel:
			return strs(n, func(i int) string { return bs[i].Channel })
		case BidURL:
			return strs(n, func(i int) string { return bs[i].URL })
		case BidDateTime:
			return ints(tsType, n, func(i int) int64 { return bs[i].DateTime * 1000 })
		default:
			return strs(n, func(i int) string { return bs[i].Extra })
		}
	case Person:
		ps := r.persons[:n]
		switch f {
		case PersonID:
			return ints(types.BigIntType, n, func(i int) int64 { return ps[i].ID })
		case PersonName:
			return strs(n, func(i int) string { return ps[i].Name })
		case PersonEmailAddress:
			return strs(n, func(i int) string { return ps[i].EmailAddress })
		case PersonCreditCard:
			return strs(n, func(i int) string { return ps[i].CreditCard })
		case PersonCity:
			return strs(n, func(i int) string { return ps[i].City })
		case PersonState:
			return strs(n, func(i int) string { return ps[i].State })
		case PersonDateTime:
			return ints(tsType, n, func(i int) int64 { return ps[i].DateTime * 1000 })
		default:
			return strs(n, func(i int) string { return ps[i].Extra })
		}
	default:
		as := r.auctions[:n]
		switch f {
		case AuctionID:
			return ints(types.BigIntType, n, func(i int) int64 { return as[i].ID })
		case AuctionItemName:
			return strs(n, func(i int) string { return as[i].ItemName })
		case AuctionDescription:
			return strs(n, func(i int) string { return as[i].Description })
		case AuctionInitialBid:
			return ints(types.BigIntType, n, func(i int) int64 { return as[i].InitialBid })
		case AuctionReserve:
			return ints(types.BigIntType, n, func(i int) int64 { return as[i].Reserve })
		case AuctionDateTime:
			return ints(tsType, n, func(i int) int64 { return as[i].DateTime * 1000 })
		case AuctionExpires:
			return ints(tsType, n, func(i int) int64 { return as[i].Expires * 1000 })
		case AuctionSeller:
			return ints(types.BigIntType, n, func(i int) int64 { return as[i].Seller })
		case AuctionCategory:
			return ints(types.BigIntType, n, func(i int) int64 { return as[i].Category })
		default:
			return strs(n, func(i int) string { return as[i].Extra })
		}
	}
}
