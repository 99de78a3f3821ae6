# stressd — build, demo, tests and benchmarks.
#
#   make demo    install what is missing, build, run a short safe CPU attack
#   make check   the whole test suite (what CI runs): Swift tests, the Chaos
#                Toolkit extension, the example experiment, several hosts in
#                network namespaces, schemathesis and hostile clients against
#                the API, 24 fault trials, abort conditions against real
#                services (and Prometheus), systemd under nspawn (with the
#                Debian package installed, enabled and purged there)
#   make reliability   200 fault trials (and make api-fuzz: a longer schemathesis run)
#   make bench   side-by-side benchmarks against stress-ng (not part of check)
#   make deb     the Debian package (.build/deb/stressd_VERSION_ARCH.deb)
#   make fuzz    every libFuzzer target for FUZZ_SECONDS (60) each; make check
#                replays the committed corpora (Fuzz/corpus) instead

SWIFT        ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
CONFIG       ?= debug
# libsystemd-dev for its headers only: libsystemd is dlopened by `serve`.
# python3: the Swift suites' local-attacker and socket-activation helpers.
APT_PACKAGES := libsystemd-dev procps systemd openssl python3
BENCH_PACKAGES := stress-ng gcc wrk strace fio
BIN_DIR       = $(shell $(SWIFT) build -c $(CONFIG) --show-bin-path)
# Release builds link the Swift runtime statically: half the start-up time
# of a dynamic binary, and the binary runs on hosts without Swift installed.
# No $ORIGIN rpath: nothing is loaded from beside the binary, and with one the
# loader first looks there for every system library (a dozen failed opens each).
# Only the product: test support and the fuzz targets are not shipped.
RELEASE      := -c release --static-swift-stdlib --disable-local-rpath --product stressd
# Tests and demo keep their ledger out of /var/lib/stressd.
DEMO_STATE   ?= /tmp/stressd-demo-state

PREFIX       ?= /usr/local
DESTDIR      ?=
UNIT_DIR     ?= /etc/systemd/system

.PHONY: deps bench-deps build demo check systemd-check bench fuzz install uninstall clean venv ctk-check deb

# Installs the Debian packages the build and tests need, only when missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

bench-deps:
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(APT_PACKAGES) $(BENCH_PACKAGES)"

build: deps
	$(SWIFT) build -c $(CONFIG)

demo: build
	@echo "== stressd host"
	$(BIN_DIR)/stressd host
	@echo
	@echo "== a safe demo attack: 30% of one core for 5 seconds"
	$(BIN_DIR)/stressd cpu --load 30% --cores 1 --duration 5s --state-dir $(DEMO_STATE)

check: deps
	$(SWIFT) build --build-tests
	STRESSD_BIN="$(BIN_DIR)/stressd" $(SWIFT) test --skip-build --no-parallel
	@# The orchestration suites drive the binary users install: 50 agents and
	@# their processes start as they would in production, not at debug speed.
	$(SWIFT) build $(RELEASE)
	@STRESSD_BIN="$$($(SWIFT) build $(RELEASE) --show-bin-path)/stressd" \
	  $(MAKE) --no-print-directory ctk-check experiment-check multihost-check api-check reliability-check abort-check
	@$(MAKE) --no-print-directory systemd-check

# The Chaos Toolkit extension's Python environment: .venv at the repo root,
# made and filled only with what is missing (a no-op when all is there).
VENV         ?= .venv
venv:
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(APT_PACKAGES) python3 python3-venv"
	@[ -x $(VENV)/bin/python ] || python3 -m venv $(VENV)
	@$(VENV)/bin/python -c 'import chaostoolkit, chaosaddons, pytest, schemathesis' 2>/dev/null || \
	  $(VENV)/bin/pip install -q chaostoolkit chaostoolkit-addons pytest schemathesis
	@$(VENV)/bin/python -c 'import chaosstressd, os, sys; sys.exit(0 if os.path.realpath(chaosstressd.__file__).startswith(os.path.realpath("integrations/chaostoolkit")) else 1)' 2>/dev/null || \
	  $(VENV)/bin/pip install -q -e ./integrations/chaostoolkit

# The extension's tests, against real `stressd serve` agents on loopback.
ctk-check: venv
	STRESSD_BIN=$${STRESSD_BIN:-$(BIN_DIR)/stressd} $(VENV)/bin/pytest -q integrations/chaostoolkit/tests

# The unit under a real systemd: a Debian rootfs booted with systemd-nspawn
# (READY, STATUS, the API, watchdog restart, ExecStopPost cleanup, replay),
# then the Debian package installed, enabled, upgraded over an edited config
# and purged there.
systemd-check: deb
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(APT_PACKAGES) systemd-container debootstrap"
	STRESSD_BIN="$$($(SWIFT) build $(RELEASE) --show-bin-path)/stressd" \
	  STRESSD_DEB="$$(ls -t $(DEB_DIR)/stressd_*.deb | head -n1)" bash tests/systemd/nspawn-check.sh

# libFuzzer and AddressSanitizer over every parser that takes outside input
# (Fuzz/README.md). Its own build directory: the instrumented modules never
# mix with the ones the tests and the release use.
FUZZ_BUILD := --product stressd-fuzz --sanitize fuzzer --sanitize address -Xswiftc -DFUZZING --scratch-path .build/fuzz
# Built from scratch each time, its build directory removed whole: a build
# that kept any of it has come out without the coverage instrumentation
# (7 counters instead of 44,148; fuzz.sh checks for it).
fuzz: deps
	rm -rf .build/fuzz
	$(SWIFT) build $(FUZZ_BUILD)
	FUZZER="$$($(SWIFT) build $(FUZZ_BUILD) --show-bin-path)/stressd-fuzz" bash Fuzz/fuzz.sh

# Every benchmark runs even when one fails (those with a hard target exit
# non-zero when they miss it; the others print "NOT met"); the run fails at
# the end, naming the ones that exited non-zero.
BENCHES := cpu_precision mem_disk api_latency report_list stop_latency io_load abort_latency idle_agent
bench: bench-deps
	$(SWIFT) build $(RELEASE)
	@missed=""; for bench in $(BENCHES); do \
	    STRESSD_BIN="$$($(SWIFT) build $(RELEASE) --show-bin-path)/stressd" SWIFTC="$(dir $(SWIFT))swiftc" \
	        python3 bench/$$bench.py || missed="$$missed $$bench"; \
	done; \
	if [ -n "$$missed" ]; then echo "benchmarks that failed:$$missed"; exit 1; fi

# Installs the static binary, the units (their paths rewritten to PREFIX), the
# default config (unless one is there) and the README; `systemctl daemon-reload
# && systemctl enable stressd-cleanup && systemctl enable --now stressd` next.
install: deps
	$(SWIFT) build $(RELEASE)
	install -D -m 0755 "$$($(SWIFT) build $(RELEASE) --show-bin-path)/stressd" $(DESTDIR)$(PREFIX)/bin/stressd
	install -d $(DESTDIR)$(UNIT_DIR)
	sed 's#/usr/local/#$(PREFIX)/#g' units/stressd.service > $(DESTDIR)$(UNIT_DIR)/stressd.service
	sed 's#/usr/local/#$(PREFIX)/#g' units/stressd.socket > $(DESTDIR)$(UNIT_DIR)/stressd.socket
	sed 's#/usr/local/#$(PREFIX)/#g' units/stressd-cleanup.service > $(DESTDIR)$(UNIT_DIR)/stressd-cleanup.service
	install -D -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/stressd/README.md
	install -d -m 0700 $(DESTDIR)/etc/stressd
	@# An operator's edited config is never overwritten.
	[ -e $(DESTDIR)/etc/stressd/stressd.toml ] || install -m 0644 config/stressd.toml $(DESTDIR)/etc/stressd/stressd.toml

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/stressd $(DESTDIR)$(UNIT_DIR)/stressd.service $(DESTDIR)$(UNIT_DIR)/stressd.socket
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/stressd
	@# The config goes only if it is still the shipped one; an edited one stays.
	if cmp -s config/stressd.toml $(DESTDIR)/etc/stressd/stressd.toml; then rm -f $(DESTDIR)/etc/stressd/stressd.toml; fi

clean:
	rm -rf .build

# The Debian package (packaging/deb/build.sh): .build/deb/stressd_VERSION_ARCH.deb.
# Man pages come from swift-argument-parser's own generate-manual, built from
# the checkout the package already resolved, in a build directory of its own.
DEB_DIR      ?= .build/deb
GENERATE_MANUAL_BUILD := --package-path .build/checkouts/swift-argument-parser --scratch-path .build/generate-manual -c release --product generate-manual
deb: deps
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(APT_PACKAGES) binutils"
	$(SWIFT) build $(RELEASE)
	$(SWIFT) build $(GENERATE_MANUAL_BUILD)
	bash packaging/deb/build.sh "$$($(SWIFT) build $(RELEASE) --show-bin-path)/stressd" \
	  "$$($(SWIFT) build $(GENERATE_MANUAL_BUILD) --show-bin-path)/generate-manual" $(DEB_DIR)

# The example experiment (examples/web-under-pressure): two local agents, the
# web service, `chaos run --rollback-strategy=always --journal-path ...`;
# prints where the journal is. STRESSD_BIN overrides the built binary.
.PHONY: experiment experiment-check
experiment: venv
	STRESSD_BIN=$${STRESSD_BIN:-$(BIN_DIR)/stressd} CHAOS=$(VENV)/bin/chaos bash examples/web-under-pressure/run.sh

# Real `chaos run`s of the example against real agents: the journal, and
# every host clean after a safeguard trip, SIGTERM and SIGKILL of chaos.
experiment-check: venv
	STRESSD_BIN=$${STRESSD_BIN:-$(BIN_DIR)/stressd} $(VENV)/bin/pytest -q tests/experiments

# Many hosts on one machine: network namespaces on a bridge, each its own
# `stressd serve` over TLS; a chaos run stressing 2 of 3 by percentage and
# seed, then the same fan-out over 50 agents with its timings and memory
# (printed, and written to $MULTIHOST_FIGURES). Needs root.
.PHONY: multihost-check
multihost-check: venv
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(APT_PACKAGES) iproute2"
	STRESSD_BIN=$${STRESSD_BIN:-$(BIN_DIR)/stressd} $(VENV)/bin/pytest -q -s -rxX tests/multihost

# Fault trials (issue 14): randomized attacks (cpu, mem, disk, pause, kill;
# CLI one-shot or API) each hit by one fault (SIGKILL of the supervisor, the
# watchdog, both or a worker; a full or read-only state file system; an
# expired lease; none), then checked for leftovers (processes, fill folders,
# stopped processes, cgroups, ledger records, memory, disk space), plus the
# planted records of another boot. Prints time-to-clean by fault and the seed
# of any leftover (replay one: `tests/reliability/faulttrials.py --seed N -v`).
# Needs root (tmpfs mounts). `reliability`: 200 trials, under 30 minutes;
# `reliability-check`: 24 trials (every fault 3 times), about 2 minutes.
RELIABILITY_TRIALS ?= 200
RELIABILITY_FIRST_SEED ?= 1
.PHONY: reliability reliability-check
reliability: venv
	STRESSD_BIN=$${STRESSD_BIN:-$(BIN_DIR)/stressd} $(VENV)/bin/pytest -q tests/reliability
	STRESSD_BIN=$${STRESSD_BIN:-$(BIN_DIR)/stressd} $(VENV)/bin/python tests/reliability/faulttrials.py \
	  --trials $(RELIABILITY_TRIALS) --first-seed $(RELIABILITY_FIRST_SEED) --time-limit 1680

reliability-check: venv
	STRESSD_BIN=$${STRESSD_BIN:-$(BIN_DIR)/stressd} $(VENV)/bin/pytest -q tests/reliability
	STRESSD_BIN=$${STRESSD_BIN:-$(BIN_DIR)/stressd} $(VENV)/bin/python tests/reliability/faulttrials.py \
	  --trials 24 --first-seed $(RELIABILITY_FIRST_SEED) --time-limit 240

# The HTTP API against a live agent (tests/api; needs root: the agent runs in
# a PID namespace of its own and fills only a tmpfs the test mounts):
# schemathesis with the repo's openapi.yaml (no 5xx, responses as documented,
# no schema-valid request refused), hostile bodies and 50 hostile clients
# while a short attack must end on time, report charts rendered to PNG by
# rsvg-convert and looked at. api-check is bounded (a few
# minutes); api-fuzz runs schemathesis longer (STRESSD_ST_MAX_EXAMPLES,
# STRESSD_ST_MAX_TIME).
.PHONY: api-check api-fuzz
api-check: venv
	@# rsvg-convert renders the report charts the tests look at.
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(APT_PACKAGES) librsvg2-bin"
	STRESSD_BIN=$${STRESSD_BIN:-$(BIN_DIR)/stressd} $(VENV)/bin/pytest -q -s -rxX tests/api

api-fuzz: venv
	STRESSD_BIN=$${STRESSD_BIN:-$(BIN_DIR)/stressd} STRESSD_ST_MAX_EXAMPLES=$${STRESSD_ST_MAX_EXAMPLES:-300} \
	  STRESSD_ST_MAX_TIME=$${STRESSD_ST_MAX_TIME:-900} STRESSD_ST_TIMEOUT=2400 \
	  $(VENV)/bin/pytest -q -s -rxX tests/api/test_schemathesis.py

# Abort conditions end to end (tests/abort): one-shot attacks and an agent's
# API with --abort-unless / abort-unless / [policy] abort-unless against real
# services the tests run and break mid-attack (an HTTP service that answers
# 500, slowly or dies; a TCP listener; a process; Prometheus scraping an
# exporter; PSI): each attack aborted within one probe interval, or refused
# before it starts (exit 2, 422), and nothing left. About 40 s; needs
# root. Installs Debian's prometheus; its own service (port 9090), should
# the package's postinst have started it, is stopped again: the tests run a
# Prometheus of their own.
.PHONY: abort-check
abort-check: venv
	@running="$$(pgrep -x -u prometheus prometheus 2>/dev/null)"; \
	$(MAKE) --no-print-directory deps APT_PACKAGES="$(APT_PACKAGES) prometheus" || exit 1; \
	if [ -z "$$running" ] && pgrep -x -u prometheus prometheus >/dev/null 2>&1; then \
	  echo "stopping the prometheus service its package started"; \
	  service prometheus stop || exit 1; \
	fi
	STRESSD_BIN=$${STRESSD_BIN:-$(BIN_DIR)/stressd} $(VENV)/bin/pytest -q -rxX tests/abort
