# segscan - network segmentation and asset discovery scanner.
#
#   make            build ./segscan
#   make check      install missing packages, build, run every test (also under ASan+UBSan)
#   make demo       install missing packages, build, audit the shipped example
#   make install    PREFIX=/usr/local DESTDIR= ; installs binary and man pages
#
# Sources are discovered by folder: common/, policy/, model/, scanner/,
# reports/, diff/ and monitor/ form libsegscan.a, in that order of layers (a
# file includes headers of its own folder or of a folder before it; checked by
# tests/check-layers.sh); cli/ holds the command-line front end; tests/test_*.c
# are Check suites, each linked against the library.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
CC ?= cc
BUILD ?= build

PKGS := libpcap yaml-0.1 jansson libseccomp
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lpcap -lyaml -ljansson -lseccomp)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -pthread)
NET_LIBS := -lnet

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.1.0)
WARN := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes
OPT ?= -O2 -g
CFLAGS ?=
# -pthread: capture files are read on a reader thread (scanner/capture.c),
# big JSON arrays written on two (model/result-json.c).
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(OPT) -I. $(PKG_CFLAGS) -DSEGSCAN_VERSION='"$(VERSION)"' $(SAN) $(CFLAGS)
ALL_LDFLAGS := -pthread $(SAN) $(LDFLAGS)

LIB_DIRS := common policy model scanner reports diff monitor
LIB_SRC := $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c))
CLI_SRC := $(wildcard cli/*.c)
TEST_SRC := $(wildcard tests/test_*.c)
TOOL_SRC := $(wildcard tests/tool_*.c)
TEST_HELPER_SRC := $(wildcard tests/helper_*.c)
HDRS := $(foreach d,$(LIB_DIRS) cli tests,$(wildcard $(d)/*.h))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_HELPER_OBJ := $(TEST_HELPER_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TOOL_BIN := $(TOOL_SRC:tests/%.c=$(BUILD)/tests/%)
LIB := $(BUILD)/libsegscan.a

DEBIAN_PKGS := gcc make libc6-dev libpcap-dev libnet1-dev libyaml-dev check libjansson-dev ieee-data \
	pkg-config iproute2 iputils-ping netcat-openbsd chromium tcpdump clang libclang-rt-14-dev \
	clang-format libseccomp-dev
BENCH_PKGS := p0f tshark tcpreplay tcpdump time bc arp-scan nmap
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Keep intermediate objects (test and tool .o files) between runs.
.SECONDARY:

.PHONY: all deps check check-layers check-unit check-fixtures check-malformed check-man check-asan check-live demo install clean format check-format bench bench-deps

all: segscan

segscan: $(BUILD)/segscan
	cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/segscan: $(CLI_OBJ) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(PKG_LIBS) $(NET_LIBS) -lm

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(TEST_HELPER_OBJ) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(TEST_HELPER_OBJ) $(LIB) $(PKG_LIBS) $(NET_LIBS) $(CHECK_LIBS) -lm

# Regenerates the synthetic fixture captures (they are committed).
fixtures: $(BUILD)/tests/tool_genfixtures
	$(BUILD)/tests/tool_genfixtures tests/fixtures

# Installs whatever Debian packages are missing (needs root, as on CI).
deps:
	@missing=""; for p in $(DEBIAN_PKGS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "make deps: need root to install:$$missing" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

check: deps
	$(MAKE) check-format check-layers check-unit check-fixtures check-malformed check-man
	$(MAKE) check-asan
	$(MAKE) check-fuzz
	$(MAKE) check-live

check-unit: $(TEST_BIN) $(BUILD)/tests/tool_flood $(BUILD)/tests/tool_bigstate segscan
	@tests/run-unit.sh $(TEST_BIN)
	@$(BUILD)/tests/tool_flood
	@$(BUILD)/tests/tool_bigstate $(BUILD)/tests/bigstate.json 100000 20000 100

check-fixtures: segscan $(TOOL_BIN)
	@tests/run-fixtures.sh ./segscan
	@tests/run-cli.sh ./segscan
	@tests/run-protocols.sh ./segscan
	@tests/run-html.sh ./segscan

# Malformed captures, policies and results: a clear message or a counted
# skip, never a crash, a hang or a sanitizer report.
check-malformed: segscan $(TOOL_BIN)
	@tests/run-malformed.sh ./segscan

# Includes point down the layers only (common policy model scanner reports
# diff monitor cli).
check-layers:
	@tests/check-layers.sh --selftest
	@tests/check-layers.sh

# Every option `--help` lists must be documented in man/.
check-man: segscan
	@tests/check-man.sh ./segscan

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer.
check-asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g" SAN="$(SAN_FLAGS)" build-asan/segscan build-asan-tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  tests/run-unit.sh $(patsubst $(BUILD)/%,build-asan/%,$(TEST_BIN))
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  tests/run-fixtures.sh build-asan/segscan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  tests/run-cli.sh build-asan/segscan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  tests/run-malformed.sh build-asan/segscan

build-asan-tests: $(TEST_BIN) $(TOOL_BIN)

# Live capture tests in network namespaces; skipped (with a message) when not root.
check-live: segscan $(BUILD)/tests/tool_jsoncmp
	@tests/run-live.sh ./segscan
	@tests/run-probe-live.sh ./segscan
	@tests/run-monitor-live.sh ./segscan

# The example plant's clock is UTC: its backup window is judged in UTC.
demo: export TZ = UTC
demo: deps segscan
	./segscan audit -r examples/plant.pcap -p examples/policy.yaml; \
	  rc=$$?; echo "(segscan exit status $$rc: 0 clean, 1 violations found)"; [ $$rc -le 1 ]
	./segscan audit -r examples/plant.pcap -p examples/policy.yaml -o demo-result.json -f json; [ $$? -le 1 ]
	@echo "JSON result written to demo-result.json"

install: segscan
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5
	install -m 0755 segscan $(DESTDIR)$(BINDIR)/segscan
	install -m 0644 man/*.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	sed 's|/usr/local/bin/segscan|$(BINDIR)/segscan|' systemd/segscan-monitor@.service \
	  >$(DESTDIR)$(SYSTEMDUNITDIR)/segscan-monitor@.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/segscan-monitor@.service

# Benchmarks (not part of check): ratios against references measured in the
# same run; see bench/README.md. Installs the reference tools first.
bench-deps:
	@missing=""; for p in $(BENCH_PKGS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(BUILD)/bench/gen-capture: bench/gen-capture.c $(BUILD)/tests/helper_pcapgen.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/tests/helper_pcapgen.o

$(BUILD)/bench/gen-hardcase: bench/gen-hardcase.c $(BUILD)/tests/helper_pcapgen.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/tests/helper_pcapgen.o

$(BUILD)/bench/bare-loop: bench/bare-loop.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(PKG_LIBS)

bench: deps bench-deps segscan $(BUILD)/bench/gen-capture $(BUILD)/bench/gen-hardcase $(BUILD)/bench/bare-loop
	BENCH_DIR=$(BUILD)/bench bench/run-bench.sh ./segscan

FORMAT_SRC := $(LIB_SRC) $(CLI_SRC) $(TEST_SRC) $(TOOL_SRC) $(TEST_HELPER_SRC) $(HDRS) \
	$(wildcard fuzz/*.c bench/*.c)

# One style for every C file, by tool (.clang-format); check-format is part of check.
format:
	clang-format -i $(FORMAT_SRC)

check-format:
	@clang-format --dry-run --Werror $(FORMAT_SRC) && echo "format: every C file matches .clang-format"

clean:
	rm -rf build build-asan build-fuzz segscan demo-result.json

# Fuzzing (libFuzzer): make fuzz, make check-fuzz; see fuzz/README.md.
include fuzz/fuzz.mk
