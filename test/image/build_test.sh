#!/usr/bin/env bash
# Builds the Containerfile with buildah, offline from any container registry: the Debian base
# images it names are made here with debootstrap (cached under .image/), then the built image
# runs `render` on the files given as arguments and must print exactly what the host binary
# prints for them.
set -euo pipefail
cd "$(dirname "$0")/../.."
export STORAGE_DRIVER=${STORAGE_DRIVER:-vfs}
CACHE=.image
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
IMAGE=${IMAGE:-localhost/monero-operator:test}
BUILDAH="buildah --storage-driver $STORAGE_DRIVER"
mkdir -p "$CACHE"

base_image() { # name
    if $BUILDAH inspect --type image "$1" >/dev/null 2>&1; then return; fi
    if [ ! -f "$CACHE/rootfs/.complete" ]; then
        echo "  debootstrap bookworm (minbase) from $MIRROR"
        rm -rf "$CACHE/rootfs"
        mkdir -p "$CACHE"
        debootstrap --variant=minbase bookworm "$CACHE/rootfs" "$MIRROR" > "$CACHE/debootstrap.log" 2>&1 \
            || { tail -20 "$CACHE/debootstrap.log"; exit 1; }
        rm -rf "$CACHE"/rootfs/var/cache/apt/archives/*.deb
        touch "$CACHE/rootfs/.complete"
    fi
    ctr=$($BUILDAH from scratch)
    mnt=$($BUILDAH mount "$ctr")
    tar -C "$CACHE/rootfs" --exclude=./.complete -cf - . | tar -C "$mnt" -xf -
    $BUILDAH umount "$ctr" >/dev/null
    $BUILDAH config --cmd '["/bin/bash"]' --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
    $BUILDAH commit --quiet "$ctr" "$1" >/dev/null
    $BUILDAH rm "$ctr" >/dev/null
    echo "  base image $1 created"
}

base_image docker.io/library/debian:bookworm
base_image docker.io/library/debian:bookworm-slim

echo "  buildah bud --isolation chroot -t $IMAGE"
$BUILDAH bud --quiet --isolation chroot --layers=false --target operator -f Containerfile -t "$IMAGE" . \
    > "$CACHE/bud.log" 2>&1 \
    || { tail -40 "$CACHE/bud.log"; exit 1; }

config=$($BUILDAH inspect --type image --format '{{.OCIv1.Config.User}} {{.OCIv1.Config.Entrypoint}} {{.OCIv1.Config.Cmd}}' "$IMAGE")
[ "$config" = "65532:65532 [/usr/local/bin/monero-operator] [serve]" ] \
    || { echo "FAIL: image config is \"$config\""; exit 1; }
echo "  ok   non-root user, ENTRYPOINT the binary, default command serve"

ctr=$($BUILDAH from "$IMAGE")
trap '$BUILDAH rm "$ctr" >/dev/null 2>&1 || true' EXIT
for seed in "$@"; do
    $BUILDAH run --isolation chroot --user 65532:65532 --volume "$PWD/$(dirname "$seed"):/input:ro" \
        "$ctr" -- /usr/local/bin/monero-operator render -f "/input/$(basename "$seed")" > "$CACHE/in-image.yaml"
    ./monero-operator render -f "$seed" > "$CACHE/on-host.yaml"
    cmp -s "$CACHE/in-image.yaml" "$CACHE/on-host.yaml" \
        || { echo "FAIL: render of $seed differs inside the image"; exit 1; }
    echo "  ok   render $seed inside the image ($(grep -c '^kind:' "$CACHE/in-image.yaml") objects, identical to the host)"
done
# The metrics sidecar ships in the same image, reachable under both names, and loads neither
# libcurl nor OpenSSL (its memory budget).
# (whole outputs are captured, then cut: `| head -1` under pipefail dies of SIGPIPE at random)
usage=$($BUILDAH run --isolation chroot --user 1000:1000 "$ctr" -- /usr/local/bin/monero-operator exporter --help 2>&1)
usage=${usage%%$'\n'*}
[ "$usage" = "usage: monero-operator exporter [options]" ] \
    || { echo "FAIL: exporter in the image printed \"$usage\""; exit 1; }
libs=$($BUILDAH run --isolation chroot "$ctr" -- ldd /usr/local/bin/monero-exporter 2>&1)
if echo "$libs" | grep -qE 'libcurl|libssl|libcrypto\.|libyaml|not found'; then
    echo "FAIL: monero-exporter in the image links: $libs"; exit 1
fi
echo "  ok   monero-exporter runs in the image (as uid 1000, as in node pods) without libcurl/OpenSSL"
# The sidecar images: built from Debian's packages, run as uid 10001.
for target in tor i2pd; do
    $BUILDAH bud --quiet --isolation chroot --layers=false --target "$target" -f Containerfile \
        -t "localhost/monero-operator-$target:test" . > "$CACHE/bud-$target.log" 2>&1 \
        || { tail -20 "$CACHE/bud-$target.log"; exit 1; }
    user=$($BUILDAH inspect --type image --format '{{.OCIv1.Config.User}}' "localhost/monero-operator-$target:test")
    [ "$user" = "10001:10001" ] || { echo "FAIL: $target image runs as \"$user\""; exit 1; }
    sctr=$($BUILDAH from "localhost/monero-operator-$target:test")
    version=$($BUILDAH run --isolation chroot "$sctr" -- "$target" --version 2>&1)
    version=${version%%$'\n'*}
    $BUILDAH rm "$sctr" >/dev/null
    case "$version" in
        *[Tt]or\ version*|*i2pd\ version*) echo "  ok   $target image: $version, user $user" ;;
        *) echo "FAIL: $target --version in the image printed \"$version\""; exit 1 ;;
    esac
done

size=$($BUILDAH images --noheading --format '{{.Size}}' "$IMAGE" 2>/dev/null || true)
size=${size%%$'\n'*}
echo "  image $IMAGE built ($size)"
