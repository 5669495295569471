package nexmark

import (
	"fmt"
	"time"
)

// DefaultBaseTime is the default time of event 0: 2015-07-15 00:00:00 UTC in epoch
// milliseconds. A fixed default keeps runs reproducible.
var DefaultBaseTime = time.Date(2015, 7, 15, 0, 0, 0, 0, time.UTC).UnixMilli()

// Config holds the generator's parameters. Build one with DefaultConfig and change fields.
type Config struct {
	// Seed is mixed into every event's random stream; different seeds give different events.
	Seed uint64
	// EventsNum is the number of events (of all kinds) to generate; 0 means unbounded.
	EventsNum int64
	// FirstEventRate is the event-time rate in events per second (over all splits).
	FirstEventRate int64
	// BaseTime is the event time of event 0 in epoch milliseconds.
	BaseTime int64
	// PersonProportion, AuctionProportion and BidProportion fix the kinds of each block of
	// ids: the first PersonProportion ids of a block are people, the next AuctionProportion
	// auctions, the rest bids.
	PersonProportion  int
	AuctionProportion int
	BidProportion     int
	// AvgPersonSize, AvgAuctionSize and AvgBidSize are the average event sizes in bytes that the
	// extra field pads to.
	AvgPersonSize  int
	AvgAuctionSize int
	AvgBidSize     int
	// HotAuctionRatio: a bid goes to the hot auction with probability 1 - 1/HotAuctionRatio.
	HotAuctionRatio int
	// HotBiddersRatio: a bid comes from the hot bidder with probability 1 - 1/HotBiddersRatio.
	HotBiddersRatio int
	// HotSellersRatio: an auction is opened by the hot seller with probability
	// 1 - 1/HotSellersRatio.
	HotSellersRatio int
	// NumActivePeople is how many of the newest people non-hot bidders and sellers are drawn
	// from.
	NumActivePeople int
	// NumInFlightAuctions is how many of the newest auctions non-hot bids are drawn from; it
	// also sets the auction lifetime (about the time in which that many auctions are created).
	NumInFlightAuctions int
}

// DefaultConfig returns the reference generator's defaults: unbounded, 10,000 events/s,
// proportions 1/3/46, sizes 200/500/100 bytes, hot ratios 2 (auctions), 4 (bidders),
// 4 (sellers).
func DefaultConfig() Config {
	return Config{
		FirstEventRate:      10000,
		BaseTime:            DefaultBaseTime,
		PersonProportion:    1,
		AuctionProportion:   3,
		BidProportion:       46,
		AvgPersonSize:       200,
		AvgAuctionSize:      500,
		AvgBidSize:          100,
		HotAuctionRatio:     2,
		HotBiddersRatio:     4,
		HotSellersRatio:     4,
		NumActivePeople:     1000,
		NumInFlightAuctions: 100,
	}
}

// maxAvgSize bounds the average sizes so the shared padding pool stays small.
const maxAvgSize = 1 << 20

// Validate reports the first parameter that is out of range.
func (c Config) Validate() error {
	switch {
	case c.EventsNum < 0:
		return fmt.Errorf("events number %d is negative", c.EventsNum)
	case c.FirstEventRate <= 0:
		return fmt.Errorf("event rate %d must be positive", c.FirstEventRate)
	case c.PersonProportion <= 0 || c.AuctionProportion <= 0 || c.BidProportion <= 0:
		return fmt.Errorf("proportions %d/%d/%d must all be positive", c.PersonProportion, c.AuctionProportion, c.BidProportion)
	case c.PersonProportion+c.AuctionProportion+c.BidProportion > 1<<20:
		return fmt.Errorf("proportions %d/%d/%d add up to more than %d", c.PersonProportion, c.AuctionProportion, c.BidProportion, 1<<20)
	case c.AvgPersonSize < 0 || c.AvgAuctionSize < 0 || c.AvgBidSize < 0:
		return fmt.Errorf("average sizes %d/%d/%d must not be negative", c.AvgPersonSize, c.AvgAuctionSize, c.AvgBidSize)
	case c.AvgPersonSize > maxAvgSize || c.AvgAuctionSize > maxAvgSize || c.AvgBidSize > maxAvgSize:
		return fmt.Errorf("average sizes %d/%d/%d exceed %d bytes", c.AvgPersonSize, c.AvgAuctionSize, c.AvgBidSize, maxAvgSize)
	case c.HotAuctionRatio <= 0 || c.HotBiddersRatio <= 0 || c.HotSellersRatio <= 0:
		return fmt.Errorf("hot ratios %d/%d/%d must all be positive", c.HotAuctionRatio, c.HotBiddersRatio, c.HotSellersRatio)
	case c.NumActivePeople <= 0:
		return fmt.Errorf("active people %d must be positive", c.NumActivePeople)
	case c.NumInFlightAuctions <= 0:
		return fmt.Errorf("in-flight auctions %d must be positive", c.NumInFlightAuctions)
	}
	return nil
}
