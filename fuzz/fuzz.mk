# fuzz/fuzz.mk - libFuzzer harnesses; included at the end of the Makefile
# (it uses LIB_SRC, HDRS, PKG_CFLAGS, PKG_LIBS and VERSION from there).
#
#   make fuzz          each harness for $(FUZZ_SECONDS) s (default 60), ASan+UBSan
#   make check-fuzz    each harness for about $(FUZZ_CHECK_SECONDS) s (default 30);
#                      fails on any crash, leak, sanitizer report or timeout
#   make fuzz-build    only build build-fuzz/fuzz_{packet,policy,result}
#
# The library is compiled again with clang, -fsanitize=fuzzer-no-link and
# ASan+UBSan into $(FUZZ_BUILD)/ (its own objects, never mixed with build/).
# The committed seeds in fuzz/corpus/NAME are read only: new inputs go to
# $(FUZZ_BUILD)/corpus/NAME, crashes to $(FUZZ_BUILD)/artifacts/. A crash
# is turned into a regression fixture under tests/fixtures/hostile/ (see
# fuzz/README.md). Needs Debian's clang and libclang-rt-14-dev.

FUZZ_CC ?= clang
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 30
FUZZ_TARGETS := packet policy result
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -O1 -g -I. $(PKG_CFLAGS) -DSEGSCAN_VERSION='"$(VERSION)"' \
	-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes $(FUZZ_SAN)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_LIB := $(FUZZ_BUILD)/libsegscan.a
FUZZ_BIN := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
# -timeout: one input taking longer is a hang; -rss_limit_mb: a memory bomb.
FUZZ_RUN_FLAGS := -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
FUZZ_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:allocator_may_return_null=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: fuzz fuzz-build check-fuzz

fuzz-build: $(FUZZ_BIN)

$(FUZZ_BUILD)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz/%.o: fuzz/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_ROOT='"$(CURDIR)"' -fsanitize=fuzzer -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/fuzz/fuzz_%.o $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) $(PKG_LIBS) -lm

# $(1): harness name, $(2): seconds.
define fuzz_run
	@mkdir -p $(FUZZ_BUILD)/corpus/$(1) $(FUZZ_BUILD)/artifacts
	@echo "fuzz_$(1): $(2) s"
	@$(FUZZ_ENV) $(FUZZ_BUILD)/fuzz_$(1) $(FUZZ_RUN_FLAGS) -max_total_time=$(2) \
	  -artifact_prefix=$(FUZZ_BUILD)/artifacts/$(1)- \
	  $$( [ -f fuzz/$(1).dict ] && echo -dict=fuzz/$(1).dict ) \
	  $(FUZZ_BUILD)/corpus/$(1) fuzz/corpus/$(1) >$(FUZZ_BUILD)/fuzz_$(1).log 2>&1 || \
	  { tail -n 60 $(FUZZ_BUILD)/fuzz_$(1).log; echo "FAIL fuzz_$(1): see $(FUZZ_BUILD)/fuzz_$(1).log and $(FUZZ_BUILD)/artifacts/"; exit 1; }
	@grep -E '^(stat::number_of_executed_units|Done )' $(FUZZ_BUILD)/fuzz_$(1).log | tail -n 1 | sed 's/^/  /'
	@echo "PASS fuzz_$(1)"

endef

fuzz: $(FUZZ_BIN)
	$(foreach t,$(FUZZ_TARGETS),$(call fuzz_run,$(t),$(FUZZ_SECONDS)))

check-fuzz: $(FUZZ_BIN)
	$(foreach t,$(FUZZ_TARGETS),$(call fuzz_run,$(t),$(FUZZ_CHECK_SECONDS)))

# Regenerates the committed seed corpora (fuzz/corpus/NAME), minimised by
# libFuzzer's -merge=1 so only inputs that add coverage are kept:
#   packet  every fixture capture and ../shared/pcaps, through pcap2seed
#   policy  examples/policy.yaml, every YAML text tests/test_policy.c loads,
#           and the hostile policies of tests/tool_genmalformed (small ones)
#   result  segscan's own JSON results for those captures, the expected
#           results of the fixtures, and the hostile results (all < 16 KiB)
FUZZ_SEEDS := $(FUZZ_BUILD)/seeds

$(FUZZ_BUILD)/pcap2seed: fuzz/pcap2seed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Wmissing-prototypes -o $@ $< $(PKG_CFLAGS) $(PKG_LIBS)

$(FUZZ_BUILD)/test_policy_dump: $(BUILD)/tests/test_policy.o fuzz/seed-dump.c $(LIB)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Wl,--wrap=pol_load_buffer -o $@ \
	  $(BUILD)/tests/test_policy.o fuzz/seed-dump.c $(LIB) $(PKG_LIBS) $(CHECK_LIBS) -lm

.PHONY: fuzz-seeds
fuzz-seeds: $(FUZZ_BIN) $(FUZZ_BUILD)/pcap2seed $(FUZZ_BUILD)/test_policy_dump segscan \
	    $(BUILD)/tests/tool_genmalformed
	rm -rf $(FUZZ_SEEDS)
	mkdir -p $(FUZZ_SEEDS)/packet $(FUZZ_SEEDS)/policy $(FUZZ_SEEDS)/result $(FUZZ_SEEDS)/malformed
	$(FUZZ_BUILD)/pcap2seed $(FUZZ_SEEDS)/packet examples/plant.pcap \
	  $$(find tests/fixtures ../shared/pcaps -type f -name '*.pcap*' 2>/dev/null | LC_ALL=C sort)
	cp examples/policy.yaml $(FUZZ_SEEDS)/policy/
	SEED_DUMP_DIR=$(FUZZ_SEEDS)/policy $(FUZZ_BUILD)/test_policy_dump >/dev/null 2>&1 || true
	$(BUILD)/tests/tool_genmalformed $(FUZZ_SEEDS)/malformed >/dev/null
	find $(FUZZ_SEEDS)/malformed tests/fixtures -type f -name '*.yaml' -size -16k \
	  -exec cp {} $(FUZZ_SEEDS)/policy/ \;
	find $(FUZZ_SEEDS)/malformed tests/fixtures/hostile -type f -name '*.json' -size -16k \
	  ! -name '*.expect*' -exec cp {} $(FUZZ_SEEDS)/result/ \; 2>/dev/null; true
	for f in tests/fixtures/*.expected.json; do cp "$$f" $(FUZZ_SEEDS)/result/; done
	TZ=UTC ./segscan audit -r examples/plant.pcap -p examples/policy.yaml -q \
	  -o $(FUZZ_SEEDS)/result/plant-policy.json -f json; [ $$? -le 1 ]
	for f in tests/fixtures/*.pcap tests/fixtures/*.pcapng $$(find ../shared/pcaps -type f -name '*.pcap*' 2>/dev/null); do \
	  TZ=UTC ./segscan audit -r "$$f" -p examples/policy.yaml -q -o "$(FUZZ_SEEDS)/result/$$(basename "$$f").json" -f json \
	    2>/dev/null; done; true
	find $(FUZZ_SEEDS)/result -type f -size +16k -delete
	for t in $(FUZZ_TARGETS); do \
	  rm -rf fuzz/corpus/$$t && mkdir -p fuzz/corpus/$$t && \
	  $(FUZZ_BUILD)/fuzz_$$t -merge=1 -max_len=65536 fuzz/corpus/$$t $(FUZZ_SEEDS)/$$t \
	    >$(FUZZ_BUILD)/merge_$$t.log 2>&1 || { tail -20 $(FUZZ_BUILD)/merge_$$t.log; exit 1; }; \
	  echo "fuzz/corpus/$$t: $$(ls fuzz/corpus/$$t | wc -l) files, $$(du -sk fuzz/corpus/$$t | cut -f1) KiB"; \
	done
