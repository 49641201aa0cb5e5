# sciadapt build. `make test` installs the Debian packages it needs when they are
# missing, so a fresh machine passes with nothing else.

GO        ?= go
DEB_TEST  := libhdf5-dev libopenblas-dev pkg-config python3-ase libopenmpi-dev openmpi-bin slurm-wlm
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

bench: deps-bench
	$(GO) run ./bench/cmd/benchall

demo: build
	./bin/sciadapt demo

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
