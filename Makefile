# Harvest — build, test, benchmark.
#   make test      build and run every test (what CI runs)
#   make demo      the main job end to end on the built-in simulators (a fresh demo.sqlite)
#   make bench     the benchmarks behind BENCHMARKS.md
#   make chaos     two services killed and restarted under every fault for 2 minutes, then checked (DURATION=10m)
#   make fuzz      libFuzzer targets over HarvestCore, FUZZ_SECONDS each (default 60; see RELIABILITY.md)
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build release test bench demo chaos fuzz migrations format lint clean

all: build

# System SQLite headers for GRDB (Debian libsqlite3-dev); installed only when missing.
deps:
	@if [ ! -f /usr/include/sqlite3.h ]; then \
		echo "installing libsqlite3-dev"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libsqlite3-dev; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The 2-minute chaos run goes last, alone: it loads both cores, and timing-sensitive tests run beside it.
# The other tests run one at a time: on 2 cores the concurrency pool has 2 threads, and two tests blocked on
# a child process at once starve the dispatch queue that reports the child's exit (a run hung so, twice).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip ChaosRunTests --no-parallel
	$(SWIFT) test --skip-build --filter ChaosRunTests

bench: deps
	$(SWIFT) build -c release
	./scripts/bench-submit.sh
	./scripts/bench-simulator.sh
	./scripts/bench-octoparse.sh

demo: build
	.build/debug/harvest demo

# The fuzz targets are a package of their own (Fuzz/), built in .build-fuzz with libFuzzer and
# AddressSanitizer: HarvestCore and swift-crypto only. FUZZ_SECONDS=300, FUZZ_TARGETS="json configfile".
fuzz:
	./scripts/fuzz.sh

# Regenerates Sources/HarvestStore/Migrations/EmbeddedMigrations.swift after editing migrations/.
migrations:
	python3 scripts/embed-migrations.py

format:
	$(SWIFT) format -i -r Sources Tests Package.swift Fuzz/Sources Fuzz/Package.swift

lint:
	$(SWIFT) format lint -r Sources Tests Package.swift Fuzz/Sources Fuzz/Package.swift

clean:
	rm -rf .build .build-fuzz

# The chaos scenario runner (issue 7): two services on one database, killed and restarted under every
# fault, then checked against the fakes' ground truth. make chaos DURATION=10m SEED=7 for a longer run.
DURATION ?= 2m
SEED ?= 1
chaos: deps
	$(SWIFT) build
	.build/debug/harvest-chaos --duration $(DURATION) --seed $(SEED)
