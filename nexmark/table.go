package nexmark

import (
	"fmt"
	"strings"

	"github.com/floedb/floe/types"
)

// Table is one of the three event kinds; each is offered as a table of its own.
type Table uint8

// The event kinds.
const (
	Person Table = iota
	Auction
	Bid
)

// String returns the table's name: person, auction or bid.
func (t Table) String() string {
	switch t {
	case Person:
		return "person"
	case Auction:
		return "auction"
	case Bid:
		return "bid"
	}
	return fmt.Sprintf("table(%d)", uint8(t))
}

// ParseTable parses a table name, case-insensitively.
func ParseTable(s string) (Table, error) {
	switch strings.ToLower(s) {
	case "person":
		return Person, nil
	case "auction":
		return Auction, nil
	case "bid":
		return Bid, nil
	}
	return 0, fmt.Errorf("unknown nexmark table '%s' (want person, auction or bid)", s)
}

// Field is one column of a table.
type Field struct {
	Name string
	Type types.Type
}

var (
	tsType = types.TimestampType(3)

	personFields = []Field{
		{"id", types.BigIntType}, {"name", types.StringType}, {"emailAddress", types.StringType},
		{"creditCard", types.StringType}, {"city", types.StringType}, {"state", types.StringType},
		{"dateTime", tsType}, {"extra", types.StringType},
	}
	auctionFields = []Field{
		{"id", types.BigIntType}, {"itemName", types.StringType}, {"description", types.StringType},
		{"initialBid", types.BigIntType}, {"reserve", types.BigIntType}, {"dateTime", tsType},
		{"expires", tsType}, {"seller", types.BigIntType}, {"category", types.BigIntType},
		{"extra", types.StringType},
	}
	bidFields = []Field{
		{"auction", types.BigIntType}, {"bidder", types.BigIntType}, {"price", types.BigIntType},
		{"channel", types.StringType}, {"url", types.StringType}, {"dateTime", tsType},
		{"extra", types.StringType},
	}
)

// Field positions of the person table.
const (
	PersonID = iota
	PersonName
	PersonEmailAddress
	PersonCreditCard
	PersonCity
	PersonState
	PersonDateTime
	PersonExtra
)

// Field positions of the auction table.
const (
	AuctionID = iota
	AuctionItemName
	AuctionDescription
	AuctionInitialBid
	AuctionReserve
	AuctionDateTime
	AuctionExpires
	AuctionSeller
	AuctionCategory
	AuctionExtra
)

// Field positions of the bid table.
const (
	BidAuction = iota
	BidBidder
	BidPrice
	BidChannel
	BidURL
	BidDateTime
	BidExtra
)

// Fields returns the table's columns in their canonical order (a copy).
func (t Table) Fields() []Field {
	switch t {
	case Person:
		return append([]Field(nil), personFields...)
	case Auction:
		return append([]Field(nil), auctionFields...)
	default:
		return append([]Field(nil), bidFields...)
	}
}

// FieldIndex returns the position of the field named name (case-insensitive), or -1.
func (t Table) FieldIndex(name string) int {
	for i, f := range t.Fields() {
		if strings.EqualFold(f.Name, name) {
			return i
		}
	}
	return -1
}
