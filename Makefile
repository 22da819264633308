# Inkwell — make targets. `make help` lists them.
SHELL := bash
.DEFAULT_GOAL := help

GO            ?= go
BIN           := bin
GOLANGCI_LINT_VERSION := v2.15.0
GOLANGCI_LINT := $(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION)
TEST_FLAGS    ?=
FUZZ_TIME     ?= 10s
K6_VERSION    := v1.8.1
K6            := $(BIN)/k6

# The PostgreSQL and Redis the tests use: the local servers when they answer (CI exports these).
LOCAL_PG    := postgres://postgres@127.0.0.1:5432/test?sslmode=disable
LOCAL_REDIS := redis://127.0.0.1:6379/15
INKWELL_TEST_DATABASE_URL ?= $(shell (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && echo '$(LOCAL_PG)')
INKWELL_TEST_REDIS_URL    ?= $(shell (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && echo '$(LOCAL_REDIS)')
export INKWELL_TEST_DATABASE_URL INKWELL_TEST_REDIS_URL

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

.PHONY: run
run: ## Run the server (SQLite in ./data unless INKWELL_DATABASE_URL is set); Ctrl-C stops it cleanly
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/inkwell ./cmd/inkwell
	exec $(BIN)/inkwell serve

.PHONY: build
build: ## Build a static binary into bin/inkwell
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w -X main.buildVersion=$$(git describe --tags --always --dirty 2>/dev/null || echo dev)" -o $(BIN)/inkwell ./cmd/inkwell

.PHONY: test
test: ## go vet, then every test with -race (PostgreSQL/Redis tests run when the servers answer)
	@if [ -z "$$INKWELL_TEST_DATABASE_URL" ]; then echo "note: no PostgreSQL on 127.0.0.1:5432: PostgreSQL tests will skip"; fi
	@if [ -z "$$INKWELL_TEST_REDIS_URL" ]; then echo "note: no Redis on 127.0.0.1:6379: Redis tests will skip"; fi
	$(GO) vet ./...
	$(GO) test -race -count=1 $(TEST_FLAGS) ./...

.PHONY: reliability
reliability: ## The reliability suite against the real binary on SQLite and PostgreSQL; prints its figures
	$(GO) test -tags reliability -count=1 -v -timeout 20m ./cmd/inkwell/reliability/

# make chaos: CHAOS_FLAGS reach cmd/inkwell-chaos (e.g. CHAOS_FLAGS="-recovery 30s -keep"); -h lists them.
CHAOS_FLAGS ?=

.PHONY: chaos-build
chaos-build:
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/inkwell ./cmd/inkwell
	$(GO) build -o $(BIN)/inkwell-chaos ./cmd/inkwell-chaos

.PHONY: chaos
chaos: chaos-build ## 3 nodes behind HAProxy (deploy/haproxy.cfg) on their own PostgreSQL + Redis under load: kill a node, freeze Redis, restart PostgreSQL; a table per fault, fails on a missed target
	$(BIN)/inkwell-chaos $(CHAOS_FLAGS)

.PHONY: chaos-short
chaos-short: chaos-build ## CI's chaos run: in-process cache (1 node, PostgreSQL restart), then Redis (3 nodes, every fault), under 2 minutes
	@rc=0; \
	$(BIN)/inkwell-chaos -cache memory -nodes 1 -faults pg-restart -baseline 3s -recovery 5s $(CHAOS_FLAGS) || rc=1; \
	$(BIN)/inkwell-chaos -cache redis -nodes 3 -baseline 3s -recovery 5s $(CHAOS_FLAGS) || rc=1; \
	exit $$rc

.PHONY: generate
generate: ## Regenerate wire_gen.go and configs/inkwell.yaml
	$(GO) tool wire ./cmd/inkwell
	$(GO) run ./cmd/inkwell config print --defaults > configs/inkwell.yaml

.PHONY: check-generate
check-generate: generate ## Fail if generated files are stale
	@git diff --exit-code -- cmd/inkwell/wire_gen.go configs/inkwell.yaml || { echo "generated files are stale: run make generate and commit"; exit 1; }

$(GOLANGCI_LINT):
	@mkdir -p $(BIN)
	GOBIN=$(CURDIR)/$(BIN) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	mv $(BIN)/golangci-lint $(GOLANGCI_LINT)

.PHONY: lint
lint: lint-api $(GOLANGCI_LINT) ## lint-api, gofmt, then golangci-lint (installed at a pinned version into bin/)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GOLANGCI_LINT) run ./...

# Node.js tools run with the machine's node and npm at the versions pinned in a package-lock.json.
NPM_CHECK := command -v node >/dev/null && command -v npm >/dev/null || { echo "this target needs Node.js (>= 20.19) and npm on PATH: https://nodejs.org"; exit 1; }
REDOCLY_ENV := REDOCLY_SUPPRESS_UPDATE_NOTICE=true REDOCLY_TELEMETRY=off
REDOCLY_GATE := const t = JSON.parse(require("fs").readFileSync(0, "utf8")).totals; console.log(`redocly lint api/openapi.yaml: $${t.errors} errors, $${t.warnings} warnings, $${t.ignored} ignored`); process.exit(t.errors + t.warnings + t.ignored > 0 ? 1 : 0)

node_modules/.package-lock.json: package.json package-lock.json
	@$(NPM_CHECK)
	npm ci --no-audit --no-fund

.PHONY: lint-api
lint-api: node_modules/.package-lock.json ## Redocly CLI (pinned in package.json) on api/openapi.yaml, recommended ruleset: 0 errors, 0 warnings
	$(REDOCLY_ENV) npx --no-install redocly lint --format=stylish --max-problems=100 api/openapi.yaml
	@# redocly exits 0 on warnings; the contract must have none (and nothing hidden in an ignore file)
	@$(REDOCLY_ENV) npx --no-install redocly lint --format=json api/openapi.yaml 2>/dev/null | node -e '$(REDOCLY_GATE)'

SDK := clients/typescript

$(SDK)/node_modules/.package-lock.json: $(SDK)/package.json $(SDK)/package-lock.json
	@$(NPM_CHECK)
	cd $(SDK) && npm ci --no-audit --no-fund

.PHONY: sdk
sdk: $(SDK)/node_modules/.package-lock.json ## TypeScript SDK: regenerate src/schema.d.ts from api/openapi.yaml, then build it (tsc, strict)
	cd $(SDK) && npm run --silent generate && npm run --silent build

.PHONY: sdk-check
sdk-check: sdk ## Fail if the SDK's generated types are stale (run make sdk and commit)
	@git diff --exit-code -- $(SDK)/src/schema.d.ts || { echo "$(SDK)/src/schema.d.ts is stale: run make sdk and commit"; exit 1; }

.PHONY: sdk-test
sdk-test: $(SDK)/node_modules/.package-lock.json ## The SDK's tests (node --test) against a real inkwell serve on SQLite
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/inkwell ./cmd/inkwell
	cd $(SDK) && npm run --silent build && INKWELL_BIN=$(CURDIR)/$(BIN)/inkwell node --test dist/test/*.test.js

.PHONY: fuzz
fuzz: ## Run every fuzz target for FUZZ_TIME each
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$target ($(FUZZ_TIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZ_TIME) $$pkg; \
	  done; \
	done

$(K6):
	@mkdir -p $(BIN)
	GOBIN=$(CURDIR)/$(BIN) $(GO) install go.k6.io/k6@$(K6_VERSION)

# BENCH_DB (postgres|sqlite), BENCH_DATABASE_URL, BENCH_ARTICLES, BENCH_VUS and BENCH_DURATION reach
# the orchestrator from the environment or the make command line; see docs/performance.md.
.PHONY: bench
bench: $(K6) ## Load benchmark against a bare-gin ceiling (BENCH_DB, BENCH_ARTICLES, BENCH_VUS, BENCH_DURATION)
	BENCH_K6=$(K6) $(GO) run ./cmd/inkwell-bench

.PHONY: bench-smoke
bench-smoke: $(K6) ## A two-minute run of every bench scenario (2,000 articles, 8 VUs, 3 s each)
	BENCH_K6=$(K6) BENCH_ARTICLES=2000 BENCH_DURATION=3s BENCH_VUS=8 $(GO) run ./cmd/inkwell-bench

.PHONY: clean
clean: ## Remove build output and the local SQLite data
	rm -rf $(BIN) data
