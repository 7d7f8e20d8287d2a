#!/usr/bin/env bash
# Regenerates docs/report.png, the README's picture of `schannelcfg report`:
# the screenshot headless chromium takes in tests/e2e/test_report.sh (the
# test's fleet, rendered by the real binary), not a drawing.
#   scripts/report-screenshot.sh
set -euo pipefail
cd "$(dirname "$0")/.."
make -s -j2 build/host/schannelcfg
REPORT_SCREENSHOT=$PWD/docs/report.png bash tests/e2e/test_report.sh
ls -l docs/report.png
