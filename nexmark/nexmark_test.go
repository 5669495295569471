package nexmark

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/floedb/floe/chunk"
)

func newGen(t testing.TB, mod func(*Config)) *Generator {
	t.Helper()
	cfg := DefaultConfig()
	if mod != nil {
		mod(&cfg)
	}
	g, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestGolden pins the first events of the default configuration, so that any change to the
// generator's output is noticed. Regenerate deliberately if the rules change.
func TestGolden(t *testing.T) {
	want := []string{
		"1 auction 1000|e qco|pkn oq fntgdwoxe|349555|7826626|1436918400000|1436918400165|1000|13|echzunvzyhldqlfdnhtdoaaumpwfldmcenwzzleutfcciebfowvocgikxgpfzzqkdnwkungjjnisuzsrvpisnhiokcskikagwmdezvmvdrykqyrjyyaoxvqugwfqddqdqlstybmeiinymhdfgmhdhicnosjgbcnrotzxvarwhivmvcvdrycdkhnsetqwwpujosnlfzjddclppbdwxnulzrmosvmydejhniejuhdahjwbjtacublpipsqjxyvnvkalzfbqgxuhqnqgxfeywlktgztltfkbsqfrxvtwdwovqdidwlrrwgzbwcpecblowhpxfrdmappmbdrnwscvkwevpjmoeoasvubqgndjwihtxemynqwegbgytubaivwxgooneyippzrrai",
		"2 auction 1001|qmwvp mqjgoegbg|cv y usow|468654|469328|1436918400000|1436918400268|1000|12|vtjmngbuyzxuhqfdwasaeksdjdinvfbzchagthodaiajnmzyaollqiziflcizyaexbvzwxhpnjpkpehgntryeppkzzqfpgemrbdqdwgethatyoxzravskazeghksnnpoxoodxygyzddyczyiugvjoddtlgzdwfzrjotzhrapfcoptcrwspewpkgmytjusvckrlipxcypsfigrkltwfjuqmmxfffhjslhjwsturtkvtsadlsoncgrokqtiktzeizwkxwxvwcqahdmpvjbvjifqcooeyhchmvtbnkgpetbjgzymextxvkhsljcpgabfmathdmidkwwcvmvjgtgxpandmnsxbgcjaahgpvzwovwjmieypjdzogyititjcntxfghihmimbvikpayigccanrtmkkjfjvepuomyvksfzvengifrlikmhahlnyomagxjfopryxfwhdddcectcxnkmcdlkduwquzdonvbmblmgfzqgxgmqu",
		"3 auction 1002|zzlnytnadol|yt xvv gsmcjo|62199555|66297271|1436918400000|1436918400303|1000|11|yuqorohntnxyluphguuvyvfdktyaqqlholfxslmgogihavzesqyfruxayvozoebwirodafvygmklfkpsdxsymzidjlytgoxujicelfxigubqcezesxyhcdaadnzvvrmlwhwulguahonvvollpnwgyzxnqiaupppzpjplqizeguxwjozrqgbohekninvffflhlhttkskxzkopbhurcskcenygafhdigbffonhinxwhyggiikgsyonofkyohwwnoxfvqgphzxfehdbusaflnxroxjtbjpdjenvsvtebaqibfnvmoqayrouvhoorhlakkxqsijnkgynjqctgrrbpxnkluztilnznwuktqpiwmwepbnleeumqnshjrcvjsgu",
		"4 bid 1004|1001|10521|channel-7412|https://www.nexmark.com/noiv/_vj/bm_u/item.htm?query=1&channel_id=792199168|1436918400000|sdwftreqnydaibozjumschfkmleczdzgkemvygbjystbvoydwdfvcvlhs",
		"5 bid 1000|1001|958|channel-9241|https://www.nexmark.com/hwd/ael/_heb/item.htm?query=1&channel_id=1742471168|1436918400000|mxbswvhzrtgzcmsmjcjbgwfmnyxjofvucrmzosgkonqkgrlapbvwgxeqffhf",
		"6 bid 1000|1001|5832944|channel-4139|https://www.nexmark.com/fhf/lrf/ehfk/item.htm?query=1&channel_id=737673216|1436918400000|wrqhnofzrhxqhpvmynjrisogtxbwitmtowdimhoxocjwtkrunsqcrzb",
		"50 person 1001|Vicky Bartels|ywxo@ize.com|5420 5199 6314 7251|Kent|OR|1436918400005|lgjyhqsxbwxnzsgifqyoymrzteytxozoegpldwtdqtvqtkudldnbmxuxjpbzhqnsmtermoyshxdnwxhkaqtghsfaggjtoubdjbtdfepahdmqsoustdmoatvyfrgowttlglmybuniumkumdxxoeiuzqiqfqwcqk",
		"100 person 1002|Julie Jones|kupyuo@wmwy.com|5195 8655 5546 1466|Portland|OR|1436918400010|hafhrhwdafyuykmomctnuoszllmwwzgmbzatrvcljgdudeqsaqfrvxvrqpkcdzzzwphvtwlxudijpladtbcawcrkiqrfmqavtehagpdqywespsnkmjbvknuodrgrbmahnbtiehbbyhfslwftluij",
		"51 auction 1003|ohwhnbdyq|jvzwtwbjs|407|757454|1436918400005|1436918400275|1000|12|vorfordaecmbqbppowerhaztvvxuqfletgtnfawnvqomkuybznqfvximmlanwfhxbwtcntutjrdfofvzojmhfifudnaifhejmbzwtpazedvochqjmkuthulzfwzkzrebyuqktpibhlkkiwtjeogsipuhrettrapcfjxjvhzlqnbtwsaucsiluvikjwzsuhjqfjglhumdfgsidoetifprpddbgnlunnhuquqpaibxvnsfyackcfkwwfyubelbbpiaswiftpvdnzzgsebbqvgtvskarbpgkfxuwmfmgxissidqpwrwzdmkurajdblxlzaguhclrwjpnjsjyhvawhkkntwmbuepjwxofobdefzcmhzkgiivuegklbebigtpvkwshoxziyeqqkmuapmvkovfyyoghkdoakltnjjmxsjgrvpatpdjhsizvtqx",
	}
	g := newGen(t, nil)
	for i, id := range []int64{1, 2, 3, 4, 5, 6, 50, 100, 51} {
		if got := g.Event(id).String(); got != want[i] {
			t.Errorf("event %d:\n got %s\nwant %s", id, got, want[i])
		}
	}
}

func readAll(t *testing.T, g *Generator, table Table, split, splits int, fields []int, chunkSize int) []*chunk.Chunk {
	t.Helper()
	r, err := g.NewReader(table, split, splits, fields)
	if err != nil {
		t.Fatal(err)
	}
	var out []*chunk.Chunk
	for {
		c := r.Next(chunkSize)
		if c == nil {
			if !r.Done() {
				t.Fatal("nil chunk before Done")
			}
			return out
		}
		out = append(out, c)
	}
}

func rowsOf(cs []*chunk.Chunk) []string {
	var rows []string
	for _, c := range cs {
		for i := range c.Len() {
			rows = append(rows, c.FormatRow(i))
		}
	}
	return rows
}

func TestDeterministic(t *testing.T) {
	a := rowsOf(readAll(t, newGen(t, func(c *Config) { c.EventsNum = 3000 }), Bid, 0, 1, nil, 100))
	b := rowsOf(readAll(t, newGen(t, func(c *Config) { c.EventsNum = 3000 }), Bid, 0, 1, nil, 777))
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Fatal("two runs with the same config differ")
	}
	c := rowsOf(readAll(t, newGen(t, func(c *Config) { c.EventsNum = 3000; c.Seed = 7 }), Bid, 0, 1, nil, 100))
	if strings.Join(a, "\n") == strings.Join(c, "\n") {
		t.Fatal("a different seed gave the same bids")
	}
}

// TestSplitInvariance checks that the union of the splits is the same set of events for
// p = 1, 2, 4, that event times increase within each split, and that every split's rows are
// the events Event(id) describes.
func TestSplitInvariance(t *testing.T) {
	g := newGen(t, func(c *Config) { c.EventsNum = 12345 })
	for _, table := range []Table{Person, Auction, Bid} {
		var want []string
		for _, p := range []int{1, 2, 4} {
			var all []string
			for i := range p {
				cs := readAll(t, g, table, i, p, nil, 256)
				last := int64(math.MinInt64)
				dt := table.FieldIndex("dateTime")
				for _, c := range cs {
					for _, ts := range c.Cols[dt].I64 {
						if ts < last {
							t.Fatalf("%s split %d/%d: time %d after %d", table, i, p, ts, last)
						}
						last = ts
					}
				}
				all = append(all, rowsOf(cs)...)
			}
			sort.Strings(all)
			if p == 1 {
				want = all
				continue
			}
			if strings.Join(all, "\n") != strings.Join(want, "\n") {
				t.Fatalf("%s: union of %d splits differs from one split (%d vs %d rows)", table, p, len(all), len(want))
			}
		}
	}
}

func TestReaderMatchesEvent(t *testing.T) {
	g := newGen(t, func(c *Config) { c.EventsNum = 2000 })
	for _, table := range []Table{Person, Auction, Bid} {
		r, err := g.NewReader(table, 1, 3, nil)
		if err != nil {
			t.Fatal(err)
		}
		for !r.Done() {
			id := r.NextID()
			c := r.Next(1)
			e := g.Event(id)
			if e.Kind != table {
				t.Fatalf("id %d is a %s, read as %s", id, e.Kind, table)
			}
			got := c.FormatRow(0)
			want := "+I[" + strings.Join(eventFields(e), ", ") + "]"
			if got != want {
				t.Fatalf("id %d:\n got %s\nwant %s", id, got, want)
			}
		}
	}
}

func eventFields(e Event) []string {
	ts := func(ms int64) string { return chunk.FormatJavaLocalDateTime(ms * 1000) }
	i := func(v int64) string { return fmt.Sprint(v) }
	switch e.Kind {
	case Person:
		p := e.Person
		return []string{i(p.ID), p.Name, p.EmailAddress, p.CreditCard, p.City, p.State, ts(p.DateTime), p.Extra}
	case Auction:
		a := e.Auction
		return []string{i(a.ID), a.ItemName, a.Description, i(a.InitialBid), i(a.Reserve), ts(a.DateTime), ts(a.Expires), i(a.Seller), i(a.Category), a.Extra}
	}
	b := e.Bid
	return []string{i(b.Auction), i(b.Bidder), i(b.Price), b.Channel, b.URL, ts(b.DateTime), b.Extra}
}

func TestProjection(t *testing.T) {
	g := newGen(t, func(c *Config) { c.EventsNum = 1000 })
	full := readAll(t, g, Bid, 0, 1, nil, 1000)[0]
	proj := readAll(t, g, Bid, 0, 1, []int{BidPrice, BidAuction}, 1000)[0]
	if len(proj.Cols) != 2 || proj.Len() != full.Len() {
		t.Fatalf("projection has %d columns, %d rows", len(proj.Cols), proj.Len())
	}
	for i := range full.Len() {
		if proj.Cols[0].I64[i] != full.Cols[BidPrice].I64[i] || proj.Cols[1].I64[i] != full.Cols[BidAuction].I64[i] {
			t.Fatalf("row %d: projection (%d, %d) differs from full row %s", i, proj.Cols[0].I64[i], proj.Cols[1].I64[i], full.FormatRow(i))
		}
	}
	if _, err := g.NewReader(Bid, 0, 1, []int{7}); err == nil || err.Error() != "nexmark: bid has no field 7" {
		t.Fatalf("bad field: %v", err)
	}
	if _, err := g.NewReader(Bid, 2, 2, nil); err == nil || err.Error() != "nexmark: split 2 of 2 is out of range" {
		t.Fatalf("bad split: %v", err)
	}
}

func TestProportions(t *testing.T) {
	g := newGen(t, func(c *Config) { c.EventsNum = 50000 })
	counts := map[Table]int{}
	for _, table := range []Table{Person, Auction, Bid} {
		for _, c := range readAll(t, g, table, 0, 3, nil, 4096) {
			counts[table] += c.Len()
		}
		for _, c := range readAll(t, g, table, 1, 3, nil, 4096) {
			counts[table] += c.Len()
		}
		for _, c := range readAll(t, g, table, 2, 3, nil, 4096) {
			counts[table] += c.Len()
		}
	}
	// Ids 1..50000: one person per 50 ids (50, 100, ..., 50000), three auctions, the rest bids.
	if counts[Person] != 1000 || counts[Auction] != 3000 || counts[Bid] != 46000 {
		t.Fatalf("counts %v, want 1000 people, 3000 auctions, 46000 bids", counts)
	}
	// Person and auction ids are dense and increasing.
	ps := readAll(t, g, Person, 0, 1, []int{PersonID}, 5000)[0].Cols[0].I64
	for i, id := range ps {
		if id != int64(1001+i) {
			t.Fatalf("person %d has id %d", i, id)
		}
	}
	as := readAll(t, g, Auction, 0, 1, []int{AuctionID}, 5000)[0].Cols[0].I64
	for i, id := range as {
		if id != int64(1000+i) {
			t.Fatalf("auction %d has id %d", i, id)
		}
	}
}

func TestEventTime(t *testing.T) {
	g := newGen(t, func(c *Config) { c.FirstEventRate = 3 })
	base := DefaultBaseTime
	for id, want := range map[int64]int64{1: 333, 2: 666, 3: 1000, 4: 1333, 300: 100000} {
		if got := g.EventTime(id) - base; got != want {
			t.Errorf("EventTime(%d) = base+%d, want base+%d", id, got, want)
		}
	}
	if DefaultBaseTime != 1436918400000 {
		t.Fatalf("DefaultBaseTime = %d", DefaultBaseTime)
	}
}

// TestDistributions checks the hot-id, channel, price, category and size rules on 200,000
// events.
func TestDistributions(t *testing.T) {
	g := newGen(t, func(c *Config) { c.EventsNum = 200000 })
	var n, hotAuction, hotBidder, hotChannel, withChannelID, priceBelowMedian, badPrice int
	var extraMin, extraMax = 1 << 30, 0
	for id := int64(1); id <= 200000; id++ {
		if g.KindOf(id) != Bid {
			continue
		}
		b := g.Event(id).Bid
		n++
		if b.Auction == g.lastAuction(id)/100*100+1000 {
			hotAuction++
		}
		if b.Bidder == g.lastPerson(id)/100*100+1+1000 {
			hotBidder++
		}
		switch b.Channel {
		case "Google", "Facebook", "Baidu", "Apple":
			hotChannel++
		default:
			if !strings.HasPrefix(b.Channel, "channel-") || !strings.HasPrefix(b.URL, "https://www.nexmark.com/") {
				t.Fatalf("bid %d: channel %q url %q", id, b.Channel, b.URL)
			}
			if strings.Contains(b.URL, "&channel_id=") {
				withChannelID++
			}
		}
		if b.Price < 100000 {
			priceBelowMedian++
		}
		if b.Price < 100 || b.Price > 100000000 {
			badPrice++
		}
		extraMin, extraMax = min(extraMin, len(b.Extra)), max(extraMax, len(b.Extra))
	}
	near := func(name string, got int, of int, want, tol float64) {
		if f := float64(got) / float64(of); math.Abs(f-want) > tol {
			t.Errorf("%s: fraction %.4f, want %.4f ± %.3f", name, f, want, tol)
		}
	}
	// Hot with probability 1/2 (auctions) and 3/4 (bidders); a random pick hits the hot id
	// rarely.
	near("hot auctions", hotAuction, n, 0.5, 0.02)
	near("hot bidders", hotBidder, n, 0.75, 0.02)
	near("hot channels", hotChannel, n, 0.5, 0.01)
	near("channel_id in non-hot urls", withChannelID, n-hotChannel, 0.9, 0.02)
	near("prices below 1000.00", priceBelowMedian, n, 0.5, 0.01)
	if badPrice > 0 {
		t.Errorf("%d prices outside [100, 100000000]", badPrice)
	}
	// Bid padding: 100 - 32 = 68 bytes ± 20% (delta 14): [54, 81].
	if extraMin != 54 || extraMax != 81 {
		t.Errorf("bid extra lengths [%d, %d], want [54, 81]", extraMin, extraMax)
	}
	// Sellers: hot with probability 3/4; categories 10..14; expiry after the start.
	var auctions, hotSeller int
	for id := int64(1); id <= 200000; id++ {
		if g.KindOf(id) != Auction {
			continue
		}
		a := g.Event(id).Auction
		auctions++
		if a.Seller == g.lastPerson(id)/100*100+1000 {
			hotSeller++
		}
		if a.Category < 10 || a.Category > 14 || a.Expires <= a.DateTime || a.Reserve <= a.InitialBid {
			t.Fatalf("auction %d: %+v", id, a)
		}
	}
	near("hot sellers", hotSeller, auctions, 0.75, 0.03)
}

func TestPersonFields(t *testing.T) {
	g := newGen(t, nil)
	cities := strings.Join(usCities, ",")
	for id := int64(50); id <= 50*2000; id += 50 {
		p := g.Event(id).Person
		at := strings.IndexByte(p.EmailAddress, '@')
		if at < 0 || !strings.HasSuffix(p.EmailAddress, ".com") || len(p.CreditCard) != 19 || !strings.Contains(cities, p.City) || len(p.State) != 2 {
			t.Fatalf("person %d: %+v", id, p)
		}
		if strings.HasPrefix(p.EmailAddress, " ") || strings.HasSuffix(p.EmailAddress[:at], " ") { // a random string may trim to ""
			t.Fatalf("person %d: untrimmed email %q", id, p.EmailAddress)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*Config)
		want string
	}{
		{func(c *Config) { c.FirstEventRate = 0 }, "event rate 0 must be positive"},
		{func(c *Config) { c.BidProportion = 0 }, "proportions 1/3/0 must all be positive"},
		{func(c *Config) { c.HotAuctionRatio = -1 }, "hot ratios -1/4/4 must all be positive"},
		{func(c *Config) { c.EventsNum = -5 }, "events number -5 is negative"},
		{func(c *Config) { c.AvgBidSize = 1 << 21 }, "average sizes 200/500/2097152 exceed 1048576 bytes"},
	} {
		cfg := DefaultConfig()
		tc.mod(&cfg)
		if _, err := New(cfg); err == nil || err.Error() != tc.want {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
}

func TestParseTable(t *testing.T) {
	for _, s := range []string{"person", "Auction", "BID"} {
		tb, err := ParseTable(s)
		if err != nil || !strings.EqualFold(tb.String(), s) {
			t.Fatalf("ParseTable(%q) = %v, %v", s, tb, err)
		}
	}
	if _, err := ParseTable("bids"); err == nil || err.Error() != "unknown nexmark table 'bids' (want person, auction or bid)" {
		t.Fatal(err)
	}
	if Bid.FieldIndex("DATETIME") != BidDateTime || Auction.FieldIndex("nope") != -1 {
		t.Fatal("FieldIndex")
	}
}
