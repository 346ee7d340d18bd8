# The interview coach. `make run` and `make test` do all the set-up on a fresh Debian or Ubuntu machine.
GO       ?= go
BIN      := bin/coach
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)

.PHONY: all build run db test vet fmt lint bench eval clean

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/coach

## db: install PostgreSQL and pgvector when missing, start the server, create the database; prints DATABASE_URL=...
db:
	@scripts/db.sh

## run: a local database when DATABASE_URL is unset, migrate, load the bundled bank into an empty bank, serve on :8080
run: build
	@scripts/run.sh

## docs: fetch the newest python-django-doc the apt sources offer and import it as the Django documentation corpus
.PHONY: docs
docs: build
	@scripts/docs.sh

## test: the same database bring-up, then go vet and every test against it
test:
	@scripts/test.sh

## e2e: browser tests of the web UI with Debian's chromium (installed when missing); run by test too
.PHONY: e2e
e2e:
	@scripts/e2e.sh

## fuzz: every fuzz target for FUZZTIME each (default 1m); `make test` runs their seed corpora only
.PHONY: fuzz load
FUZZTIME ?= 1m
fuzz:
	@FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

## load: a bounded load test on loopback, offline then with a slow model; prints throughput and latency
load:
	@scripts/load.sh

## hostile: the hostile suite on loopback, bounded (about four minutes): floods, huge and big imports, deletes during grading, shared rates
.PHONY: hostile
hostile:
	@scripts/hostile.sh

## bench-scale: the scale benchmark on a synthetic bank of N passages (default 10000); loopback, bounded
.PHONY: bench-scale
N ?= 10000
bench-scale:
	@scripts/bench-scale.sh $(N)

## bench-import: import FILES generated files of N questions (3 passages each) into the bundled bank; passages/s per file
.PHONY: bench-import
FILES ?= 2
bench-import:
	@scripts/bench-import.sh $(if $(filter command line environment,$(origin N)),$(N),1000) $(FILES)

vet:
	$(GO) vet ./...

## lint: go vet and staticcheck (fetched through the Go module proxy on first use)
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint: vet
	$(GO) run $(STATICCHECK) ./...

## eval: agreement of the offline grader with the human grades in ../shared/asag, and right against wrong answers of ../shared/grading
eval: build
	$(BIN) eval --data ../shared/asag/mohler-dev.jsonl
	$(BIN) eval --data ../shared/asag/semeval2013-3way.jsonl
	$(BIN) eval --pairs ../shared/grading/right-wrong-dev.jsonl

fmt:
	gofmt -l -w .

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin
