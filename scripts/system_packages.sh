#!/usr/bin/env bash
# Install the Debian packages the project needs when they are missing:
# Node.js/npm (front-end build), Chromium (browser tests), PostgreSQL (test database),
# R with the surveillance package (reference results for the outbreak-detection tests),
# Pango (WeasyPrint renders the status report to tagged PDF) and DejaVu Sans (the report's
# font, embedded in the PDF).
set -euo pipefail
need=()
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
command -v runuser >/dev/null 2>&1 || need+=(util-linux)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
ldconfig -p | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -q 'DejaVu Sans' || need+=(fonts-dejavu-core fontconfig)
Rscript -e 'library(surveillance)' >/dev/null 2>&1 || need+=(r-base-core r-cran-surveillance)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
