package all

import (
	"io"
	"strings"
	"testing"
)

func TestRegistry(t *testing.T) {
	r := RegistryWith(io.Discard, io.Discard)
	if len(Registry().Names()) != 5 {
		t.Fatal("Registry")
	}
	if got := strings.Join(r.Names(), ","); got != "blackhole,datagen,filesystem,nexmark,print" {
		t.Fatalf("names %s", got)
	}
	if _, err := r.Lookup("kafka"); err == nil || err.Error() != "option 'connector': unknown connector 'kafka' (available: blackhole, datagen, filesystem, nexmark, print)" {
		t.Fatalf("got %v", err)
	}
	for _, f := range Factories(io.Discard, io.Discard) {
		if f.Doc == "" || (f.NewSource == nil && f.NewSink == nil) {
			t.Errorf("%s: no doc or no source and sink", f.Name)
		}
		for _, o := range f.Spec {
			if o.Doc == "" {
				t.Errorf("%s: option %s has no doc", f.Name, o.Key)
			}
		}
	}
}
