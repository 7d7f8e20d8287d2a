# Host (Linux) build: the portable core, a native `schannelcfg` that works on
# .reg state files (--state), and the cmocka unit tests.
# The Windows build lives in Makefile.mingw; the rules both share (and inih's
# options, INI_FLAGS) in common.mk.
CC       ?= cc
AR       ?= ar
BUILD    ?= build/host
CFLAGS   ?= -O2 -g
PLATFORM_CFLAGS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
PLATFORM_SRCS   = $(POSIX_SRCS)
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

# ---- offline image hives (issue 15, `--image DIR`): src/backend_hive.c on
# libhivex (Debian libhivex-dev, installed by scripts/setup-deps.sh) is part
# of the native core (a platform source: set before common.mk reads the
# object lists), with -DSC_HAVE_HIVEX on every object. `make HIVEX=0` builds
# without it (--image then says it is not built in). Native only: the
# Windows build loads an image's hives with RegLoadKeyW instead.
HIVEX ?= 1
ifeq ($(HIVEX),1)
PLATFORM_SRCS   += src/backend_hive.c
PLATFORM_CFLAGS += -DSC_HAVE_HIVEX $(shell pkg-config --cflags hivex 2>/dev/null)
EXTRA_LIBS      += $(shell pkg-config --libs hivex 2>/dev/null || echo -lhivex)
endif

include common.mk

TEST_BINS = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

.PHONY: test format format-check
all: $(BUILD)/schannelcfg $(TEST_BINS)

$(BUILD)/schannelcfg: $(CLI_OBJS) $(BUILD)/libcore.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(EXTRA_LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/tests/unit/testutil.o $(TEST_SHARED_OBJS) $(BUILD)/libcore.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(EXTRA_LIBS)

# regtool: a native helper for tests/e2e/test_regfile_interop.sh (not shipped).
all: $(BUILD)/tests/regtool
$(BUILD)/tests/regtool: $(BUILD)/tests/tools/regtool.o $(BUILD)/libcore.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^

test: all
	@set -e; for t in $(TEST_BINS); do echo "== $$t"; $$t; done

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

# Compiled and linked in one step: -MMD names the .d after the harness.
$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libcore.a
	clang $(ALL_CFLAGS) $(DEPFLAGS) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $(filter %.c %.a,$^)

# ---- benchmarks (issue 8): native programs over the core (tests/bench/*.c),
# run by scripts/bench.sh; not part of `all`.
BENCH_BINS = $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(wildcard tests/bench/*.c))

.PHONY: bench
bench: $(BENCH_BINS)

$(BUILD)/bench/%: $(BUILD)/tests/bench/%.o $(BUILD)/libcore.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(EXTRA_LIBS)

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
