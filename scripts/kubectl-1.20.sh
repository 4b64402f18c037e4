#!/usr/bin/env bash
# Unpacks Debian's kubernetes-client (kubectl 1.20) into .tools/kubectl-1.20/ without installing it, so tests can run
# an old kubectl beside the machine's own. Prints the binary's path. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.tools/kubectl-1.20/usr/bin/kubectl
if [ ! -x "$bin" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && { apt-get download kubernetes-client >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get download kubernetes-client >/dev/null; }; })
  mkdir -p .tools/kubectl-1.20
  dpkg-deb -x "$tmp"/kubernetes-client_*.deb .tools/kubectl-1.20
fi
"$bin" version --client >/dev/null
echo "$PWD/$bin"
