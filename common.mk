# Shared by Makefile (host) and Makefile.mingw (Windows).

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
            src/regfile.c src/roots.c src/schema.c src/profile_diag.c src/profile_lex.c src/profile.c src/profile_load.c \
            src/plan.c src/compile.c src/suites.c src/json.c src/render.c \
            src/sha256.c src/diff.c src/diff_format.c src/snapshot.c src/apply.c src/render_engine.c src/capture.c \
            src/backend_wrap.c src/ci_index.c src/cmd_guard.c
POSIX_SRCS = src/platform_posix.c
WIN_SRCS   = src/backend_win32.c src/platform_win32.c
CLI_SRCS   = src/main.c src/cli_common.c src/cmd_profile.c src/cmd_engine.c src/cmd_capture.c
