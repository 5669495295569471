package nexmark

import "testing"

func benchBids(b *testing.B, fields []int) {
	g, err := New(DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	r, err := g.NewReader(Bid, 0, 1, fields)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	rows := 0
	for rows < b.N {
		c := r.Next(min(1024, b.N-rows))
		rows += c.Len()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "bids/s")
}

// BenchmarkBidsAllColumns generates full bid rows (all 7 columns, url and extra included).
func BenchmarkBidsAllColumns(b *testing.B) { benchBids(b, nil) }

// BenchmarkBidsTwoColumns generates the (auction, price) projection of q2.
func BenchmarkBidsTwoColumns(b *testing.B) { benchBids(b, []int{BidAuction, BidPrice}) }

// BenchmarkPersons generates full person rows.
func BenchmarkPersons(b *testing.B) {
	g, err := New(DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	r, err := g.NewReader(Person, 0, 1, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	rows := 0
	for rows < b.N {
		rows += r.Next(min(1024, b.N-rows)).Len()
	}
}
