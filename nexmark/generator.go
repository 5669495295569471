package nexmark

import (
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// Reference constants of the Nexmark generator.
const (
	firstPersonID   = 1000
	firstAuctionID  = 1000
	firstCategoryID = 10
	numCategories   = 5
	idLead          = 10  // ids of people and auctions not yet created that may be chosen
	hotBatch        = 100 // hot ids are the first (or second) of the newest batch of 100
	numChannels     = 10000
	minStringLength = 3
	// extraPoolBase is how many distinct start offsets the padding pool offers.
	extraPoolBase = 1 << 18
)

var (
	usStates   = []string{"AZ", "CA", "ID", "OR", "WA", "WY"}
	usCities   = []string{"Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"}
	firstNames = []string{"Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"}
	lastNames  = []string{"Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"}
	hotChannel = []string{"Google", "Facebook", "Baidu", "Apple"}
)

// Seeds of the streams behind the generator's fixed tables, kept apart from event streams.
const (
	poolStream    = 0x5851F42D4C957F2D
	hotURLStream  = 0x14057B7EF767814F
	channelStream = 0x2545F4914F6CDD1D
)

// PersonEvent is a person registering.
type PersonEvent struct {
	ID           int64
	Name         string
	EmailAddress string
	CreditCard   string
	City         string
	State        string
	DateTime     int64 // epoch milliseconds
	Extra        string
}

// AuctionEvent is an auction being opened.
type AuctionEvent struct {
	ID          int64
	ItemName    string
	Description string
	InitialBid  int64
	Reserve     int64
	DateTime    int64 // epoch milliseconds
	Expires     int64 // epoch milliseconds
	Seller      int64
	Category    int64
	Extra       string
}

// BidEvent is a bid on an auction.
type BidEvent struct {
	Auction  int64
	Bidder   int64
	Price    int64
	Channel  string
	URL      string
	DateTime int64 // epoch milliseconds
	Extra    string
}

// Event is one generated event; the field named by Kind is set.
type Event struct {
	ID      int64
	Kind    Table
	Person  PersonEvent
	Auction AuctionEvent
	Bid     BidEvent
}

// Generator produces the events of one Config. It is immutable after New and safe for
// concurrent use; readers of different splits share it.
type Generator struct {
	cfg     Config
	total   int64 // events per epoch
	persons int64
	auction int64
	// auctionHorizon is the number of events in which NumInFlightAuctions auctions are created.
	auctionHorizon int64
	pool           string
	names          []string
	hotURLs        [4]string
	channelNames   []string
	channelURLs    []string
}

// New validates cfg and builds its generator (about a millisecond: the channel and padding
// tables are computed here).
func New(cfg Config) (*Generator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	g := &Generator{
		cfg:     cfg,
		total:   int64(cfg.PersonProportion + cfg.AuctionProportion + cfg.BidProportion),
		persons: int64(cfg.PersonProportion),
		auction: int64(cfg.AuctionProportion),
	}
	g.auctionHorizon = int64(cfg.NumInFlightAuctions) * g.total / g.auction

	maxExtra := max(cfg.AvgPersonSize, cfg.AvgAuctionSize, cfg.AvgBidSize)*6/5 + 2
	pool := make([]byte, extraPoolBase+maxExtra)
	r := newRNG(cfg.Seed^poolStream, 0)
	for i := 0; i < len(pool); {
		x := r.next()
		for k := 0; k < 8 && i < len(pool); k++ {
			var hi uint64
			hi, x = bits.Mul64(x, 26)
			pool[i] = byte('a' + hi)
			i++
		}
	}
	g.pool = string(pool)

	for _, f := range firstNames {
		for _, l := range lastNames {
			g.names = append(g.names, f+" "+l)
		}
	}
	var buf []byte
	for i := range g.hotURLs {
		r := newRNG(cfg.Seed^hotURLStream, uint64(i))
		g.hotURLs[i] = string(appendBaseURL(buf[:0], &r))
	}
	g.channelNames = make([]string, numChannels)
	g.channelURLs = make([]string, numChannels)
	for ch := range numChannels {
		r := newRNG(cfg.Seed^channelStream, uint64(ch))
		buf = appendBaseURL(buf[:0], &r)
		if r.intn(10) > 0 {
			buf = append(buf, "&channel_id="...)
			buf = strconv.AppendInt(buf, channelID(ch), 10)
		}
		g.channelURLs[ch] = string(buf)
		g.channelNames[ch] = "channel-" + strconv.Itoa(ch)
	}
	return g, nil
}

// channelID is the reference generator's id of a non-hot channel: the absolute value of the
// bit-reversed 32-bit channel number, with Java's overflow (the minimum stays negative).
func channelID(ch int) int64 {
	v := int32(bits.Reverse32(uint32(ch)))
	if v < 0 && v != math.MinInt32 {
		v = -v
	}
	return int64(v)
}

// appendBaseURL appends https://www.nexmark.com/<a>/<b>/<c>/item.htm?query=1 with a, b, c
// random strings of 3 or 4 characters.
func appendBaseURL(b []byte, r *rng) []byte {
	b = append(b, "https://www.nexmark.com/"...)
	for range 3 {
		b = appendRandomString(b, r, 5, '_')
		b = append(b, '/')
	}
	return append(b, "item.htm?query=1"...)
}

// appendRandomString appends a string of length uniform in [3, maxLength-1] of lowercase
// letters, each replaced by special with probability 1/13; a space special is trimmed from
// both ends.
func appendRandomString(b []byte, r *rng, maxLength int, special byte) []byte {
	n := minStringLength + int(r.intn(int64(maxLength-minStringLength)))
	start := len(b)
	for range n {
		if r.intn(13) == 0 {
			b = append(b, special)
		} else {
			b = append(b, byte('a'+r.intn(26)))
		}
	}
	if special == ' ' {
		s := b[start:]
		lo, hi := 0, len(s)
		for lo < hi && s[lo] == ' ' {
			lo++
		}
		for hi > lo && s[hi-1] == ' ' {
			hi--
		}
		n := copy(s, s[lo:hi])
		b = b[:start+n]
	}
	return b
}

// Config returns the generator's configuration.
func (g *Generator) Config() Config { return g.cfg }

// KindOf returns the kind of event id.
func (g *Generator) KindOf(id int64) Table {
	off := id % g.total
	switch {
	case off < g.persons:
		return Person
	case off < g.persons+g.auction:
		return Auction
	}
	return Bid
}

// EventTime returns the event time of event id in epoch milliseconds:
// BaseTime + floor(id · 10^6 / rate) / 1000.
func (g *Generator) EventTime(id int64) int64 {
	hi, lo := bits.Mul64(uint64(id), 1000)
	rate := uint64(g.cfg.FirstEventRate)
	if hi >= rate {
		return math.MaxInt64
	}
	q, _ := bits.Div64(hi, lo, rate)
	return g.cfg.BaseTime + int64(q)
}

// lastPerson returns the newest person id (base 0) at event id.
func (g *Generator) lastPerson(id int64) int64 {
	epoch, off := id/g.total, id%g.total
	if off >= g.persons {
		off = g.persons - 1
	}
	return epoch*g.persons + off
}

// lastAuction returns the newest auction id (base 0) at event id.
func (g *Generator) lastAuction(id int64) int64 {
	epoch, off := id/g.total, id%g.total
	switch {
	case off < g.persons:
		epoch--
		off = g.auction - 1
	case off >= g.persons+g.auction:
		off = g.auction - 1
	default:
		off -= g.persons
	}
	return epoch*g.auction + off
}

// randomPerson picks an active person (base 0), possibly one not created yet.
func (g *Generator) randomPerson(id int64, r *rng) int64 {
	numPeople := g.lastPerson(id) + 1
	active := min(numPeople, int64(g.cfg.NumActivePeople))
	return numPeople - active + r.intn(active+idLead)
}

// randomAuction picks an in-flight auction (base 0), possibly one not created yet.
func (g *Generator) randomAuction(id int64, r *rng) int64 {
	hi := g.lastAuction(id)
	lo := max(hi-int64(g.cfg.NumInFlightAuctions), 0)
	return lo + r.intn(hi-lo+1+idLead)
}

// price returns round(10^(6u) · 100): log-uniform from 100 to 100,000,000 (cents).
func price(u float64) int64 {
	return int64(math.Floor(float64(pow10x6(u)*100) + 0.5))
}

// exp2Table[k] = 2^(k/1024), a static lookup table for pow10x6.
var exp2Table = func() (t [1025]float64) {
	for k := range t {
		t[k] = math.Exp2(float64(k) / 1024)
	}
	return t
}()

// pow10x6 returns 10^(6u) for u in [0, 1), to within a few ulps: 2^t with t = 6u·log2(10)
// split into an integer part, a 10-bit table lookup and a short Taylor series for the rest.
// It is about five times faster than math.Pow, which dominated bid generation.
func pow10x6(u float64) float64 {
	t := float64(u*6) * math.Log2E * math.Ln10
	i := math.Floor(t)
	f := float64(t-i) * 1024
	k := math.Floor(f)
	y := float64((f-k)/1024) * math.Ln2 // y < ln2/1024
	p := 1 + y*(1+y*(0.5+y*(1.0/6+y*(1.0/24))))
	return math.Ldexp(exp2Table[int(k)]*p, int(i))
}

// extraSize draws the padding length so that current + padding averages avg, within ±20%.
func extraSize(r *rng, current, avg int) int {
	if current > avg {
		return 0
	}
	desired := avg - current
	delta := int(math.Floor(float64(desired)*0.2 + 0.5))
	size := desired - delta
	if delta > 0 {
		size += int(r.intn(int64(2 * delta)))
	}
	return size
}

// extra draws a padding string of size letters: a slice of the shared pool.
func (g *Generator) extra(r *rng, size int) string {
	if size == 0 {
		r.next()
		return ""
	}
	off := int(r.intn(extraPoolBase))
	return g.pool[off : off+size]
}

// bid generates the bid with event id id. The price is computed only when withPrice is set
// (its random draw is made either way, so the other fields do not change).
func (g *Generator) bid(id int64, b *BidEvent, withPrice bool) {
	r := newRNG(g.cfg.Seed, uint64(id))
	var auction, bidder int64
	if r.intn(int64(g.cfg.HotAuctionRatio)) > 0 {
		auction = g.lastAuction(id) / hotBatch * hotBatch
	} else {
		auction = g.randomAuction(id, &r)
	}
	if r.intn(int64(g.cfg.HotBiddersRatio)) > 0 {
		bidder = g.lastPerson(id)/hotBatch*hotBatch + 1
	} else {
		bidder = g.randomPerson(id, &r)
	}
	b.Auction = auction + firstAuctionID
	b.Bidder = bidder + firstPersonID
	u := r.float()
	if withPrice {
		b.Price = price(u)
	}
	if r.intn(2) > 0 {
		i := r.intn(int64(len(hotChannel)))
		b.Channel, b.URL = hotChannel[i], g.hotURLs[i]
	} else {
		ch := r.intn(numChannels)
		b.Channel, b.URL = g.channelNames[ch], g.channelURLs[ch]
	}
	b.DateTime = g.EventTime(id)
	b.Extra = g.extra(&r, extraSize(&r, 32, g.cfg.AvgBidSize))
}

// person generates the person with event id id; buf is scratch space for its strings.
func (g *Generator) person(id int64, p *PersonEvent, buf []byte) []byte {
	r := newRNG(g.cfg.Seed, uint64(id))
	p.ID = g.lastPerson(id) + firstPersonID
	p.Name = g.names[r.intn(int64(len(firstNames)))*int64(len(lastNames))+r.intn(int64(len(lastNames)))]
	buf = appendRandomString(buf[:0], &r, 7, ' ')
	buf = append(buf, '@')
	buf = appendRandomString(buf, &r, 5, ' ')
	buf = append(buf, ".com"...)
	p.EmailAddress = string(buf)
	buf = buf[:0]
	for i := range 4 {
		if i > 0 {
			buf = append(buf, ' ')
		}
		n := r.intn(10000)
		buf = append(buf, byte('0'+n/1000), byte('0'+n/100%10), byte('0'+n/10%10), byte('0'+n%10))
	}
	p.CreditCard = string(buf)
	p.City = usCities[r.intn(int64(len(usCities)))]
	p.State = usStates[r.intn(int64(len(usStates)))]
	p.DateTime = g.EventTime(id)
	size := 8 + len(p.Name) + len(p.EmailAddress) + len(p.CreditCard) + len(p.City) + len(p.State)
	p.Extra = g.extra(&r, extraSize(&r, size, g.cfg.AvgPersonSize))
	return buf
}

// auctionEvent generates the auction with event id id; buf is scratch space for its strings.
func (g *Generator) auctionEvent(id int64, a *AuctionEvent, buf []byte) []byte {
	r := newRNG(g.cfg.Seed, uint64(id))
	a.ID = g.lastAuction(id) + firstAuctionID
	var seller int64
	if r.intn(int64(g.cfg.HotSellersRatio)) > 0 {
		seller = g.lastPerson(id) / hotBatch * hotBatch
	} else {
		seller = g.randomPerson(id, &r)
	}
	a.Seller = seller + firstPersonID
	a.Category = firstCategoryID + r.intn(numCategories)
	a.InitialBid = price(r.float())
	a.DateTime = g.EventTime(id)
	horizon := g.EventTime(id+g.auctionHorizon) - a.DateTime
	a.Expires = a.DateTime + 1 + r.intn(max(2*horizon, 1))
	buf = appendRandomString(buf[:0], &r, 20, ' ')
	a.ItemName = string(buf)
	buf = appendRandomString(buf[:0], &r, 100, ' ')
	a.Description = string(buf)
	a.Reserve = a.InitialBid + price(r.float())
	size := 8 + len(a.ItemName) + len(a.Description) + 8 + 8 + 8 + 8 + 8
	a.Extra = g.extra(&r, extraSize(&r, size, g.cfg.AvgAuctionSize))
	return buf
}

// Event generates event id (id >= 1) alone.
func (g *Generator) Event(id int64) Event {
	e := Event{ID: id, Kind: g.KindOf(id)}
	switch e.Kind {
	case Person:
		g.person(id, &e.Person, nil)
	case Auction:
		g.auctionEvent(id, &e.Auction, nil)
	default:
		g.bid(id, &e.Bid, true)
	}
	return e
}

// String renders the event in a stable text form for tests and tools.
func (e Event) String() string {
	var b strings.Builder
	b.WriteString(strconv.FormatInt(e.ID, 10))
	b.WriteByte(' ')
	b.WriteString(e.Kind.String())
	b.WriteByte(' ')
	switch e.Kind {
	case Person:
		p := e.Person
		b.WriteString(strings.Join([]string{strconv.FormatInt(p.ID, 10), p.Name, p.EmailAddress, p.CreditCard, p.City, p.State, strconv.FormatInt(p.DateTime, 10), p.Extra}, "|"))
	case Auction:
		a := e.Auction
		b.WriteString(strings.Join([]string{strconv.FormatInt(a.ID, 10), a.ItemName, a.Description, strconv.FormatInt(a.InitialBid, 10), strconv.FormatInt(a.Reserve, 10), strconv.FormatInt(a.DateTime, 10), strconv.FormatInt(a.Expires, 10), strconv.FormatInt(a.Seller, 10), strconv.FormatInt(a.Category, 10), a.Extra}, "|"))
	default:
		d := e.Bid
		b.WriteString(strings.Join([]string{strconv.FormatInt(d.Auction, 10), strconv.FormatInt(d.Bidder, 10), strconv.FormatInt(d.Price, 10), d.Channel, d.URL, strconv.FormatInt(d.DateTime, 10), d.Extra}, "|"))
	}
	return b.String()
}
