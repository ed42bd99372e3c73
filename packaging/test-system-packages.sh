#!/usr/bin/env bash
# What the test suite needs from the system beyond Qt's libraries (packaging/qt-system-libs.sh),
# installed with apt when it is missing, so that `make test` on a fresh Debian/Ubuntu machine
# runs every test instead of skipping some. Run by `make test` (and so by .ci/run).
set -uo pipefail
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then
    apt_get() { sudo apt-get "$@"; }
else
    apt_get() { apt-get "$@"; }
fi
# The printed-register check (tests/exports/test_printed_registers.py) prints every register
# through LibreOffice Calc; pdffonts/pdftoppm (poppler) are for looking at PDFs. Debian's CJK
# fonts give LibreOffice real Chinese glyphs to measure, as an office PC has.
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdffonts >/dev/null 2>&1 \
    || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
    if command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        { apt_get update -qq \
            && apt_get install -y -qq --no-install-recommends \
                libreoffice-calc poppler-utils fonts-noto-cjk >/dev/null; } \
            || echo "could not install LibreOffice Calc: the printed-register check will be skipped" >&2
    else
        echo "LibreOffice Calc not installed and no apt-get: the printed-register check will be skipped" >&2
    fi
fi
# The service, race and server-command tests start a throwaway PostgreSQL server of their own
# (tests/postgres_server.py: a cluster in a temporary folder, a Unix socket only, no port):
# Debian's postgresql package. Its installation must not start the system's own server.
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        no_start=/usr/sbin/policy-rc.d
        placed=""
        if [ ! -e "$no_start" ]; then
            printf '#!/bin/sh\nexit 101\n' > "$no_start" && chmod +x "$no_start" && placed=1
        fi
        { apt_get update -qq \
            && apt_get install -y -qq --no-install-recommends postgresql >/dev/null; } \
            || echo "could not install PostgreSQL: the tests on PostgreSQL will fail" >&2
        if [ -n "$placed" ]; then rm -f "$no_start"; fi
    else
        echo "PostgreSQL not installed and no apt-get: the tests on PostgreSQL will fail" >&2
    fi
fi
