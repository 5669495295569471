# Floe's build and test entry points. `make test` is the command the README and CI use.
GO ?= go

.PHONY: build test lint race bench nexmark-bench

build:
	$(GO) build -o bin/floe ./cmd/floe

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

test: lint
	$(GO) test ./...

# The packages with concurrency, under the race detector.
race:
	$(GO) test -race ./exec/... ./ops/... ./state/... ./engine/... ./difftest/...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./expr/... ./exec/... ./ops/... ./nexmark/...

nexmark-bench: build
	for q in gen q0 q1 q2 q11 q15 q17 q22; do for p in 1 2; do ./bin/floe bench nexmark --query $$q --events 10000000 --parallelism $$p; done; done
