#!/usr/bin/env bash
# Installs the Debian packages EMES needs and a fresh machine may lack (idempotent).
#   scripts/system-deps.sh          runtime: WeasyPrint (Pango, HarfBuzz subset), Thai fonts, poppler
#   scripts/system-deps.sh --test   also Chromium for browser tests, PostgreSQL and Redis if absent
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-thai-tlwg poppler-utils gettext make)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(chromium chromium-driver)
  command -v pg_ctlcluster >/dev/null || packages+=(postgresql)
  command -v redis-server >/dev/null || packages+=(redis-server)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing system packages: ${missing[*]}"
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
