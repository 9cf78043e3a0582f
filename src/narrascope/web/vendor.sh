#!/usr/bin/env bash
# Re-vendor the dashboard's front-end libraries from the npm registry.
#
# The files under static/vendor/ are committed: the dashboard never fetches anything at run
# time and works offline. This script is how they got there, so an update is one version bump
# and a re-run. It takes each package's tarball with `npm pack` (no install, no lifecycle
# scripts run), checks the tarball against the integrity the registry published, and copies
# the minified browser build and the licence. Versions are pinned; bump them here.
#
#   src/narrascope/web/vendor.sh            (needs node/npm and network; run from anywhere)
set -euo pipefail

# package@version  file in the tarball  name under static/vendor/
PACKAGES=(
  "chart.js@4.6.1 package/dist/chart.umd.min.js chart.umd.min.js"
  "cytoscape@3.34.4 package/dist/cytoscape.min.js cytoscape.min.js"
)

here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$dest"
: > "$work/VERSIONS"

for entry in "${PACKAGES[@]}"; do
  read -r spec file name <<<"$entry"
  pkg="${spec%@*}"
  (cd "$work" && npm pack --silent "$spec" >/dev/null)
  tarball="$(ls "$work"/*.tgz)"
  # Integrity as the registry states it (sha512, base64), compared with the file we got.
  want="$(npm view "$spec" dist.integrity)"
  got="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [[ "$want" != "$got" ]]; then
    echo "error: $spec: tarball integrity $got does not match the registry's $want" >&2
    exit 1
  fi
  mkdir -p "$work/x"
  tar -xzf "$tarball" -C "$work/x"
  cp "$work/x/$file" "$dest/$name"
  licence="$(ls "$work/x/package" | grep -iE '^licen[cs]e' | head -n1)"
  cp "$work/x/package/$licence" "$dest/${pkg//./-}.LICENSE"
  license_id="$(node -p "require('$work/x/package/package.json').license")"
  echo "$name  $spec  $license_id  $want" >> "$work/VERSIONS"
  rm -rf "$work/x" "$tarball"
done

{
  echo "# Vendored by src/narrascope/web/vendor.sh from the npm registry (npm pack); do not edit by hand."
  echo "# file  package@version  license  tarball integrity"
  cat "$work/VERSIONS"
  echo "# sha256 of the vendored files"
  (cd "$dest" && sha256sum -- *.js)
} > "$dest/VERSIONS.txt"
echo "vendored into $dest:"
cat "$dest/VERSIONS.txt"
