// Package docgen renders the reference page of each connector (docs/connectors/<name>.md)
// from its Factory's Doc and Spec, so the documentation cannot drift from the options the
// code accepts. Regenerate the pages with `go generate ./connector/docgen` (which runs
// `go test -run TestDocs -update`); the test fails while the committed pages are stale.
package docgen

//go:generate go test -run TestDocs -update
