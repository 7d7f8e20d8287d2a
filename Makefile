# Host (Linux) build: the portable core, a native `schannelcfg` that works on
# .reg state files (--state), and the cmocka unit tests.
# The Windows build lives in Makefile.mingw. Both compile inih from the same
# fetched source with the same options (INI_FLAGS, in common.mk).
include common.mk

CC       ?= cc
BUILD    ?= build/host
CFLAGS   ?= -O2 -g
ALL_CFLAGS = $(CFLAGS) $(EXTRA_CFLAGS) $(WARNINGS) -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(INI_FLAGS) \
            -Isrc -I$(INIH_DIR) -I$(BUILD)/gen
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

CORE_OBJS  = $(patsubst %.c,$(BUILD)/%.o,$(CORE_SRCS) $(POSIX_SRCS)) $(BUILD)/ini.o $(BUILD)/gen/builtin_profiles.o
MAIN_OBJS  = $(patsubst %.c,$(BUILD)/%.o,$(CLI_SRCS))
TEST_BINS  = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

.PHONY: all test clean format format-check
# Keep intermediate objects: deleting them makes every make rebuild and
# lets two concurrent builds race on testutil.o.
.SECONDARY:
all: $(BUILD)/schannelcfg $(TEST_BINS)

$(BUILD)/%.o: %.c $(wildcard src/*.h) common.mk | $(BUILD)/gen/builtin_profiles.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -c $< -o $@

$(BUILD)/ini.o: $(INIH_DIR)/ini.c common.mk
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -w -c $< -o $@

$(BUILD)/gen/builtin_profiles.c: $(PROFILES) scripts/embed-profiles.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-profiles.sh $(PROFILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/builtin_profiles.o: $(BUILD)/gen/builtin_profiles.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libcore.a: $(CORE_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/schannelcfg: $(MAIN_OBJS) $(BUILD)/libcore.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^

# Test sources shared by the host and Windows test programs (tests/conformance).
TEST_SHARED_OBJS = $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/conformance/*.c))

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/tests/unit/testutil.o $(TEST_SHARED_OBJS) $(BUILD)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS)

# regtool: a native helper for tests/e2e/test_regfile_interop.sh (not shipped).
all: $(BUILD)/tests/regtool
$(BUILD)/tests/regtool: $(BUILD)/tests/tools/regtool.o $(BUILD)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^

test: all
	@set -e; for t in $(TEST_BINS); do echo "== $$t"; $$t; done

clean:
	rm -rf $(BUILD)

# ---- fuzzing (issue "Hardening"): libFuzzer harnesses over the core, built
# with clang and ASan+UBSan. scripts/fuzz.sh runs them.
FUZZ_BUILD  = build/fuzz
FUZZ_SAN    = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZERS     = $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(wildcard tests/fuzz/fuzz_*.c))

.PHONY: fuzz
fuzz:
	$(MAKE) CC=clang BUILD=$(FUZZ_BUILD) EXTRA_CFLAGS="-O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link" \
		$(FUZZ_BUILD)/libcore.a
	$(MAKE) CC=clang BUILD=$(FUZZ_BUILD) $(FUZZERS)

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libcore.a
	clang $(ALL_CFLAGS) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^

# ---- benchmarks (issue 8): native programs over the core (tests/bench/*.c),
# run by scripts/bench.sh; not part of `all`.
BENCH_BINS = $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(wildcard tests/bench/*.c))

.PHONY: bench
bench: $(BENCH_BINS)

$(BUILD)/bench/%: $(BUILD)/tests/bench/%.o $(BUILD)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^

# ---- formatting: the committed .clang-format over every C file of ours
# (fetched third-party sources under build/ are not ours to format).
FORMAT_FILES = $(sort $(wildcard src/*.c src/*.h tests/*/*.c tests/*/*.h))
CLANG_FORMAT ?= clang-format

format:
	$(CLANG_FORMAT) -i $(FORMAT_FILES)

format-check:
	@bad=0; for f in $(FORMAT_FILES); do \
		$(CLANG_FORMAT) "$$f" | cmp -s - "$$f" || { echo "not formatted: $$f"; bad=1; }; \
	done; [ $$bad -eq 0 ] && echo "format-check: $(words $(FORMAT_FILES)) files formatted"
