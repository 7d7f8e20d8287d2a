# Shared by Makefile (host) and Makefile.mingw (Windows): the source lists,
# inih's options, and the rules both builds use (inih's object, the embedded
# built-in profiles, the core library, the compile rule). Each Makefile sets
# its own variables first and then includes this file:
#   CC, AR, BUILD     compiler, archiver, output folder (BUILD=... works for both)
#   CFLAGS            optimisation and debug flags (EXTRA_CFLAGS is added to them)
#   PLATFORM_CFLAGS   the platform's defines (_POSIX_C_SOURCE, or -municode/_WIN32_WINNT)
#   PLATFORM_SRCS     the platform's core sources (POSIX_SRCS or WIN_SRCS)
#   CMOCKA_CFLAGS     cmocka's include flags: given to test objects only
# Header dependencies come from the compiler (-MMD -MP): each object has a
# .d file beside it, included below, so touching a header rebuilds exactly
# the objects that include it.

INIH_DIR   ?= build/deps/inih
CMOCKA_DIR ?= build/deps/cmocka

# inih, configured for hostile input, identically in both builds
# (../shared/STYLE.md): line numbers reach the handler; no multi-line
# continuations and no inline comments (a ';' is data, never silently cut);
# the heap, not the stack, holds the line; lines up to INI_MAX_LINE bytes
# (profile.c rejects longer lines itself before inih sees them); every line
# is parsed even after an error, so all errors are reported; the handler is
# called on every section header, so empty and unknown sections are seen.
INI_FLAGS = -DINI_HANDLER_LINENO=1 -DINI_ALLOW_MULTILINE=0 -DINI_ALLOW_INLINE_COMMENTS=0 \
            -DINI_USE_STACK=0 -DINI_ALLOW_REALLOC=1 -DINI_INITIAL_ALLOC=512 -DINI_MAX_LINE=65540 \
            -DINI_STOP_ON_FIRST_ERROR=0 -DINI_CALL_HANDLER_ON_NEW_SECTION=1 \
            -DINI_ALLOW_NO_VALUE=0 -DINI_ALLOW_BOM=1

WARNINGS = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
           -Wno-unused-parameter -Wvla

PROFILES = $(sort $(wildcard profiles/*.ini))

# The portable core: no <windows.h>, builds and is tested on Linux.
CORE_SRCS = src/util.c src/fileio.c src/regvalue.c src/backend.c src/backend_mem.c \
            src/regfile.c src/backend_regfile.c src/lookalike.c src/impacts.c src/roots.c src/schema.c src/profile_diag.c src/profile_lex.c src/profile.c src/profile_load.c \
            src/plan.c src/compile.c src/suites.c src/json.c src/render.c \
            src/sha256.c src/diff.c src/diff_format.c src/snapshot.c src/apply.c src/render_engine.c src/capture.c \
            src/backend_wrap.c src/ci_index.c src/cmd_guard.c src/image.c \
            src/clienthello.c src/tls_names.c src/probe_util.c src/probe_config.c
# issue 17 (fleet report): machine identity, JSON reader, aggregation, rendering
CORE_SRCS += src/docid.c src/jsonread.c src/fleet.c src/fleet_render.c
# issue 16 (baselines): rule ids and the Registry.pol writer
CORE_SRCS += src/baseline.c src/regpol.c
POSIX_SRCS = src/platform_posix.c src/probe_posix.c
WIN_SRCS   = src/backend_win32.c src/platform_win32.c src/backend_image_win32.c src/probe_win32.c
CLI_SRCS   = src/main.c src/cli_common.c src/cmd_profile.c src/cmd_engine.c src/cmd_capture.c \
             src/cmd_probe.c
CLI_SRCS  += src/cmd_report.c

# ---- the shared rules

.DEFAULT_GOAL := all
.PHONY: all clean
# Keep intermediate objects: deleting them makes every make rebuild and
# lets two concurrent builds race on shared test objects.
.SECONDARY:

ALL_CFLAGS = $(CFLAGS) $(EXTRA_CFLAGS) $(WARNINGS) -std=c11 $(PLATFORM_CFLAGS) $(INI_FLAGS) \
             -Isrc -I$(INIH_DIR)
DEPFLAGS   = -MMD -MP
# The makefiles themselves: a changed flag or source list rebuilds.
BUILD_FILES := $(filter-out %.d,$(MAKEFILE_LIST))

CORE_OBJS = $(patsubst %.c,$(BUILD)/%.o,$(CORE_SRCS) $(PLATFORM_SRCS)) $(BUILD)/ini.o \
            $(BUILD)/gen/builtin_profiles.o
CLI_OBJS  = $(patsubst %.c,$(BUILD)/%.o,$(CLI_SRCS))
# Test sources shared by the host and Windows test programs (tests/conformance).
TEST_SHARED_OBJS = $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/conformance/*.c))

$(BUILD)/%.o: %.c $(BUILD_FILES)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c $< -o $@

# Test objects (tests/unit, tests/win, tests/conformance, tools, bench):
# the only ones that see cmocka's headers.
$(BUILD)/tests/%.o: tests/%.c $(BUILD_FILES)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/ini.o: $(INIH_DIR)/ini.c $(BUILD_FILES)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -w $(DEPFLAGS) -c $< -o $@

$(BUILD)/gen/builtin_profiles.c: $(PROFILES) scripts/embed-profiles.sh
	@mkdir -p $(@D)
	sh scripts/embed-profiles.sh $(PROFILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/builtin_profiles.o: $(BUILD)/gen/builtin_profiles.c $(BUILD_FILES)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/libcore.a: $(CORE_OBJS)
	rm -f $@ && $(AR) rcs $@ $^

clean:
	rm -rf $(BUILD)

# The compiler's record of which headers each object read (from an earlier
# build; none yet on a clean one). Objects sit at most three folders deep.
-include $(wildcard $(addprefix $(BUILD)/,*.d */*.d */*/*.d))
