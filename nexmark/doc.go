// Package nexmark is a deterministic generator of the Nexmark benchmark's events: people who
// register, auctions they open, and bids on those auctions.
//
// It follows the rules of the public nexmark/nexmark (Flink) generator (see
// shared/nexmark/GENERATOR.md) with two deliberate differences: the person-id offset of 1000 is
// added to bidders once (as Beam, RisingWave and Feldera do), and every random choice is seeded
// from the event id, so that a Config produces exactly the same events on every run, under every
// split count.
//
// # Numbering and time
//
// Events are numbered 1, 2, 3, ... and the number is the event id. The kind of an event follows
// from id mod (PersonProportion + AuctionProportion + BidProportion): with the default 1/3/46, each
// block of 50 ids ("epoch") holds one person, three auctions and 46 bids. Event n happens at
// BaseTime + floor(n · 10^6 / FirstEventRate) / 1000 milliseconds, whatever the split count, so
// all splits share one event-time timeline.
//
// # Splits
//
// A Reader reads one split of a table: split i of p owns the epochs i, i+p, i+2p, ... Every
// event belongs to exactly one split and depends only on its id, so the union of the splits is
// the same set of events for every p, and event times increase within each split.
//
// # Speed
//
// Generation writes straight into chunk vectors, one column at a time, and only for the
// requested columns. Bid strings are never built per event: channels and URLs come from tables
// computed once per Generator (as the reference generator caches them), and the extra padding is
// a slice of one shared random-letter pool.
package nexmark
