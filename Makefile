# The two commands a new machine needs: `make run` and `make test`. Both install what is
# missing first (Debian packages through scripts/install-deps), then build.
SWIFT ?= swift
DB ?= .data/motcua.sqlite
# Release builds put each function in a section of its own, so the link can place the code
# start-up runs together, in the order scripts/startup-order.txt lists (idle memory, issue 2).
# Every release build uses the same flags: different ones would rebuild everything.
RELEASE := -c release -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections

.PHONY: deps build run test browser-test api-fuzz fuzz screens bench startup-order clean

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build --product motcua

run: build
	$$($(SWIFT) build --show-bin-path)/motcua serve --demo --db $(DB)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) api-fuzz
	$(MAKE) browser-test

# schemathesis against openapi.yaml on a live demo server: a bounded pass with a fixed seed,
# so a failure in CI reproduces; `make fuzz` runs a long one with a fresh seed, and the
# parsers' fuzz tests (a few thousand inputs each in `make test`) with 200,000 inputs each.
# FUZZ_SEED=… repeats or varies the parsers' run; their report names the seed.
api-fuzz: build
	scripts/fuzz-api "$$($(SWIFT) build --show-bin-path)/motcua" 10 1

FUZZ_ITERATIONS ?= 200000

fuzz: build
	scripts/fuzz-api "$$($(SWIFT) build --show-bin-path)/motcua" 300
	$(SWIFT) build --build-tests
	MOTCUA_FUZZ_ITERATIONS=$(FUZZ_ITERATIONS) $(if $(FUZZ_SEED),MOTCUA_FUZZ_SEED=$(FUZZ_SEED)) \
		$(SWIFT) test --skip-build --filter Fuzz

# The pages in headless chromium against the real server (Tests/browser).
browser-test: build
	MOTCUA_BINARY="$$($(SWIFT) build --show-bin-path)/motcua" python3 -m unittest discover -s Tests/browser -t Tests/browser

# The same suite, keeping its screenshots as docs/screens/*.png.
screens: build
	MOTCUA_SCREENS=docs/screens MOTCUA_BINARY="$$($(SWIFT) build --show-bin-path)/motcua" \
		python3 -m unittest discover -s Tests/browser -t Tests/browser

# Release build, load driven over loopback; rewrites BENCHMARKS.md.
bench: deps
	$(SWIFT) build $(RELEASE) --product motcua
	$(SWIFT) build $(RELEASE) --product motcua-bench
	$(SWIFT) build $(RELEASE) --product motcua-print-bench
	$(SWIFT) build $(RELEASE) --product motcua-catalog-bench
	bin="$$($(SWIFT) build $(RELEASE) --show-bin-path)" && python3 scripts/bench.py --binary "$$bin/motcua" \
		--store-bench "$$bin/motcua-bench" --catalog-bench "$$bin/motcua-catalog-bench" --print-bench "$$bin/motcua-print-bench"

# Regenerates scripts/startup-order.txt, the order the release link places start-up's code in
# (idle memory); needs root and perf. Rerun after large changes.
startup-order: deps
	$(SWIFT) build $(RELEASE) --product motcua
	scripts/startup-order --binary "$$($(SWIFT) build $(RELEASE) --show-bin-path)/motcua" \
		--build "$(SWIFT) build $(RELEASE) --product motcua"

clean:
	rm -rf .build .data .bench
