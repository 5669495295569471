package blackhole

import (
	"context"
	"testing"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/types"
)

func TestDiscardsAndCounts(t *testing.T) {
	f := Factory()
	if _, err := f.Spec.Validate(map[string]string{"connector": "blackhole", "path": "x"}); err == nil || err.Error() != "option 'path': unknown option" {
		t.Fatalf("got %v", err)
	}
	s, err := f.NewSink(connector.CreateContext{})
	if err != nil {
		t.Fatal(err)
	}
	c := chunk.New([]types.Type{types.BigIntType}, 3)
	for i := range 3 {
		c.AppendRow(chunk.RowKind(i), []chunk.Datum{chunk.Int(int64(i))})
	}
	for sub := range 2 {
		w, _ := s.Open(context.Background(), sub, 2)
		if err := w.Write(context.Background(), c); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	bs := s.(*Sink)
	if bs.Rows() != 6 || bs.Chunks() != 2 {
		t.Fatalf("rows %d chunks %d", bs.Rows(), bs.Chunks())
	}
}
