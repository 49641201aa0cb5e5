# sciadapt build. `make test` installs the Debian packages it needs when they are
# missing, so a fresh machine passes with nothing else.

GO        ?= go
DEB_TEST  := libhdf5-dev libopenblas-dev pkg-config python3-ase
DEB_BENCH := python3-torch
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build test vet deps deps-bench bench demo fuzz clean

all: build

# deps installs the Debian packages that building and testing need, if missing.
deps:
	@missing=""; for p in $(DEB_TEST); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

deps-bench: deps
	@dpkg -s $(DEB_BENCH) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(DEB_BENCH) >/dev/null; }

build: deps
	$(GO) build -o bin/sciadapt ./cmd/sciadapt

vet: deps
	$(GO) vet ./...

test: deps vet
	$(GO) test -count=1 -timeout 15m ./...

bench: deps-bench
	$(GO) run ./bench/cmd/benchall

demo: build
	./bin/sciadapt demo

# fuzz runs each fuzz target for FUZZTIME, one at a time (-fuzz takes one target per
# package); inputs that fail are kept under the package's testdata/fuzz/ and replay in
# "make test". datasets' FuzzOpenAtoms is left out: it drives the HDF5 C library,
# which can hang or crash on damaged metadata (docs/reliability.md); run it by hand.
# FUZZMINIMIZE bounds the minimisation of each new input: targets that write files
# per input otherwise spend the whole FUZZTIME minimising.
FUZZTIME ?= 60s
FUZZMINIMIZE ?= 10s
FUZZ_TARGETS := \
	./datasets:FuzzReadExtXYZ ./datasets:FuzzParseComment ./datasets:FuzzParseProperties \
	./datasets:FuzzParseNPYHeader ./datasets:FuzzImportDeePMD ./datasets:FuzzParseUnits \
	./constitutive/curves:FuzzParseMatCal ./constitutive/curves:FuzzGleebleCurves \
	./constitutive/curves:FuzzParseTemperature \
	./bio/seq:FuzzReadFASTA ./bio/seq:FuzzTokenizeSMILES \
	./bio/dtidata:FuzzImportDavis ./bio/dtidata:FuzzReadLabelledPairs \
	./bio/dtidata:FuzzReadSpeciesTable ./bio/dtidata:FuzzFrameworkKey \
	./potentials:FuzzLoad ./potentials:FuzzLoadElementAdapter \
	./adapters:FuzzReadCandidates ./adapters:FuzzReadPlan \
	./internal/cli:FuzzParseQuantity ./internal/cli:FuzzPlanParseBudget \
	./internal/safetensors:FuzzRead ./internal/h5io:FuzzCheck

fuzz: deps
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$name in $$pkg for $(FUZZTIME)"; \
		$(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINIMIZE) $$pkg; \
	done

clean:
	rm -rf bin
