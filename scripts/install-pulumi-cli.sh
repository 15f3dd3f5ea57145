#!/usr/bin/env bash
# Build the pinned Pulumi CLI from the Go module proxy and install it into a virtualenv's bin:
#   pulumi                         the CLI, with the version stamped in (`pulumi version`)
#   pulumi-resource-pulumi-python  the launcher of the dynamic provider (from the sdk/v3 module)
#   pulumi-language-python-exec    the SDK's shim that runs a program (from the sdk/v3 module)
#   pulumi-language-python         the language host: pulumi_novaconnect.testing.language_host
#                                  (Pulumi's own is a Go module the proxy does not serve)
#
#   scripts/install-pulumi-cli.sh VENV_BIN [--if-go]
#
# Nothing is done when VENV_BIN/pulumi already prints the pinned version. With --if-go (what
# `make test` passes) a machine without Go is told how to get the CLI and the script exits 0,
# so the CLI tier of the suite skips with that reason; under CI=true a missing Go or a failed
# build is an error, never a skip.
set -euo pipefail

BIN="$(cd "${1:?usage: install-pulumi-cli.sh VENV_BIN [--if-go]}" && pwd)"
IF_GO="${2:-}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
MODULE="$HERE/tools/pulumi-cli"
# The one place the version is written: the pkg/v3 requirement of the tools module.
VERSION="$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2 }' "$MODULE/go.mod")"
[ -n "$VERSION" ] || { echo "tools/pulumi-cli/go.mod names no github.com/pulumi/pulumi/pkg/v3 version" >&2; exit 1; }

if [ -x "$BIN/pulumi" ] && [ "$("$BIN/pulumi" version 2>/dev/null)" = "$VERSION" ] \
   && [ -x "$BIN/pulumi-language-python" ] && [ -x "$BIN/pulumi-resource-pulumi-python" ] \
   && [ -x "$BIN/pulumi-language-python-exec" ]; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  MESSAGE="Go is not installed, so the Pulumi CLI $VERSION was not built: the suite's CLI tier will skip. Install Go 1.26 or newer and run \`make pulumi\`."
  if [ "${CI:-}" = "true" ] || [ "$IF_GO" != "--if-go" ]; then
    echo "error: $MESSAGE" >&2
    exit 1
  fi
  echo "note: $MESSAGE" >&2
  exit 0
fi

echo "Building the Pulumi CLI $VERSION with $(go version | cut -d' ' -f3) (the first build downloads about 1.5 GB of modules and takes a few minutes)..." >&2
cd "$MODULE"
# CGO off: a static binary that runs on any Linux of the same architecture.
CGO_ENABLED=0 go build -trimpath -mod=readonly \
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$VERSION" \
  -o "$BIN/pulumi.partial" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
mv "$BIN/pulumi.partial" "$BIN/pulumi"

# The launchers ship inside the sdk/v3 module; the module cache holds them read-only and
# without the execute bit.
SDK="$(go list -mod=readonly -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
install -m 0755 "$SDK/python/dist/pulumi-resource-pulumi-python" "$BIN/pulumi-resource-pulumi-python"
install -m 0755 "$SDK/python/cmd/pulumi-language-python-exec" "$BIN/pulumi-language-python-exec"
cat >"$BIN/pulumi-language-python" <<EOF
#!/bin/sh
exec "$BIN/python" -m pulumi_novaconnect.testing.language_host "\$@"
EOF
chmod 0755 "$BIN/pulumi-language-python"
echo "Installed $("$BIN/pulumi" version) into $BIN" >&2
