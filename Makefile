# sciadapt build. `make test` installs the Debian packages it needs when they are
# missing, so a fresh machine passes with nothing else.

GO        ?= go
DEB_TEST  := libhdf5-dev libopenblas-dev pkg-config python3-ase libopenmpi-dev openmpi-bin slurm-wlm \
             lammps libkim-api-dev openkim-models cmake g++
DEB_BENCH := python3-torch
DEB_NOTEBOOKS := jupyter-nbconvert python3-ipykernel python3-nbformat python3-h5py python3-matplotlib
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build build-mpi test vet deps deps-bench bench demo fuzz clean

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

# build-mpi builds bin/sciadapt with the Open MPI binding (train potential --distributed).
build-mpi: deps
	$(GO) build -tags mpi -o bin/sciadapt ./cmd/sciadapt

vet: deps
	$(GO) vet ./...

test: deps vet
	$(GO) test -count=1 -timeout 15m ./...
	$(GO) vet -tags mpi ./internal/mpi/
	$(GO) test -count=1 -timeout 5m -tags mpi ./internal/mpi/

# capi builds the C interface: bin/libsciadapt.so, with capi/sciadapt.h as its header.
.PHONY: capi
capi: deps
	$(GO) build -buildmode=c-shared -o bin/libsciadapt.so ./capi

# kim-driver installs the KIM-API model driver "Sciadapt" (potentials/kim/driver) with
# a copy of bin/libsciadapt.so into a KIM collection (KIM_COLLECTION: user, the
# default, or system, environment, CWD), replacing an older one. Run it again after
# updating sciadapt; models written by "sciadapt export kim" then install with
# kim-api-collections-management install user DIR.
KIM_COLLECTION ?= user
.PHONY: kim-driver
kim-driver: capi
	rm -rf bin/kim-driver && mkdir -p bin/kim-driver/Sciadapt
	cp potentials/kim/driver/CMakeLists.txt potentials/kim/driver/sciadapt_kim_driver.c \
		capi/sciadapt.h bin/libsciadapt.so bin/kim-driver/Sciadapt/
	kim-api-collections-management install --force $(KIM_COLLECTION) bin/kim-driver/Sciadapt

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
	./bio/seq:FuzzReadFASTA ./bio/seq:FuzzTokenizeSMILES ./bio/mol:FuzzParse \
	./bio/dtidata:FuzzImportDavis ./bio/dtidata:FuzzReadLabelledPairs \
	./bio/dtidata:FuzzReadSpeciesTable ./bio/dtidata:FuzzFrameworkKey \
	./potentials:FuzzLoad ./potentials:FuzzLoadElementAdapter \
	./adapters:FuzzReadCandidates ./adapters:FuzzReadPlan \
	./cmd/sciadapt/internal/cli:FuzzParseQuantity ./cmd/sciadapt/internal/cli:FuzzPlanParseBudget \
	./internal/safetensors:FuzzRead ./internal/h5io:FuzzCheck

fuzz: deps
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$name in $$pkg for $(FUZZTIME)"; \
		$(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINIMIZE) $$pkg; \
	done

clean:
	rm -rf bin

deps-notebooks: deps
	@missing=""; for p in $(DEB_NOTEBOOKS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

# notebooks executes the three walkthroughs in place, so their committed outputs
# (tables and figures) are those of this build; notebooks-check executes them into a
# scratch directory and fails if any cell fails (CI).
NBCONVERT := jupyter-nbconvert --to notebook --execute --ExecutePreprocessor.timeout=1800
notebooks: build deps-notebooks
	cd notebooks && SCIADAPT=$(CURDIR)/bin/sciadapt $(NBCONVERT) --inplace add-element.ipynb temperature-tune.ipynb transfer.ipynb

notebooks-check: build deps-notebooks
	rm -rf /tmp/sciadapt-notebooks && mkdir -p /tmp/sciadapt-notebooks
	cd notebooks && SCIADAPT=$(CURDIR)/bin/sciadapt SCIADAPT_NOTEBOOK_WORK_ROOT=/tmp/sciadapt-notebooks \
		$(NBCONVERT) --output-dir /tmp/sciadapt-notebooks add-element.ipynb temperature-tune.ipynb transfer.ipynb
