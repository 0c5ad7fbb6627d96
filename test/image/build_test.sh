#!/usr/bin/env bash
# Builds every image with `scripts/images build` (what `make images` runs), offline from any
# container registry: the Debian base images the Containerfile names are made with debootstrap
# (scripts/debian-base-images, cached under .image/). Then the operator image runs `render` on
# the files given as arguments and must print exactly what the host binary prints for them, the
# exporter and the sidecars run in theirs, and `scripts/images push` writes each to an OCI
# layout on disk.
set -euo pipefail
cd "$(dirname "$0")/../.."
export STORAGE_DRIVER=${STORAGE_DRIVER:-vfs}
CACHE=.image
export REGISTRY=${REGISTRY:-localhost/monero-operator-test} TAG=${TAG:-test}
IMAGE=$REGISTRY/monero-operator:$TAG
BUILDAH="buildah --storage-driver $STORAGE_DRIVER"
mkdir -p "$CACHE"

bash scripts/debian-base-images
# The one command that builds every image (make images).
bash scripts/images build
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
    # a bootstrap token is random on a first render: compare everything else
    sed -i 's/^\(  token: \).*/\1RANDOM/' "$CACHE/in-image.yaml" "$CACHE/on-host.yaml"
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
# monero-bootstrap ships too, with Monero's LMDB built in (no liblmdb): here it must run as the
# node pods' user; the copy itself is proven by test/e2e/bootstrap.mjs.
usage=$($BUILDAH run --isolation chroot --user 1000:1000 "$ctr" -- /usr/local/bin/monero-bootstrap --help 2>&1)
[ "$usage" = "usage: monero-bootstrap serve|fetch|tip [options] (--help for each)" ] \
    || { echo "FAIL: monero-bootstrap in the image printed \"$usage\""; exit 1; }
libs=$($BUILDAH run --isolation chroot "$ctr" -- ldd /usr/local/bin/monero-bootstrap 2>&1)
if echo "$libs" | grep -qE 'liblmdb|not found'; then
    echo "FAIL: monero-bootstrap in the image links: $libs"; exit 1
fi
echo "  ok   monero-bootstrap runs in the image (as uid 1000), Monero's LMDB built in"
# The sidecar images: built from Debian's packages, run as uid 10001.
for target in tor i2pd; do
    user=$($BUILDAH inspect --type image --format '{{.OCIv1.Config.User}}' "$REGISTRY/$target:$TAG")
    [ "$user" = "10001:10001" ] || { echo "FAIL: $target image runs as \"$user\""; exit 1; }
    sctr=$($BUILDAH from "$REGISTRY/$target:$TAG")
    version=$($BUILDAH run --isolation chroot "$sctr" -- "$target" --version 2>&1)
    version=${version%%$'\n'*}
    $BUILDAH rm "$sctr" >/dev/null
    case "$version" in
        *[Tt]or\ version*|*i2pd\ version*) echo "  ok   $target image: $version, user $user" ;;
        *) echo "FAIL: $target --version in the image printed \"$version\""; exit 1 ;;
    esac
done

# make push: every image to a registry; here to OCI layouts on disk (no registry is reachable).
rm -rf "$CACHE/pushed" && mkdir -p "$CACHE/pushed"
PUSH_TO="oci:$CACHE/pushed" bash scripts/images push
for name in $(bash scripts/images names); do
    base=${name##*/}
    [ -s "$CACHE/pushed/${base%%:*}/index.json" ] || { echo "FAIL: push of $name left no OCI layout"; exit 1; }
done
echo "  ok   scripts/images push: $(bash scripts/images names | tr '\n' ' ')"
for name in $(bash scripts/images names); do
    ictr=$($BUILDAH from "$name")
    mnt=$($BUILDAH mount "$ictr")
    echo "  image $name: $(du -sm --exclude=proc --exclude=sys "$mnt" | cut -f1) MB unpacked, $(chroot "$mnt" dpkg-query -W 2>/dev/null | wc -l) Debian packages"
    $BUILDAH umount "$ictr" >/dev/null
    $BUILDAH rm "$ictr" >/dev/null
done
