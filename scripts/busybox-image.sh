#!/usr/bin/env bash
# Imports a busybox image (from Debian's busybox-static, nothing downloaded) into the Layerlens store
# as NAME (default busybox:latest), unless the store has it already.
set -euo pipefail
cd "$(dirname "$0")/.."
NAME="${1:-busybox:latest}"
if bin/layerlens inspect "$NAME" >/dev/null 2>&1; then exit 0; fi
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs"/{bin,etc,root,tmp,proc,sys,dev,var,home}
chmod 1777 "$work/rootfs/tmp"
cp /bin/busybox "$work/rootfs/bin/busybox"
for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -s busybox "$work/rootfs/bin/$applet"; done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$work/rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$work/rootfs/etc/group"
tar --sort=name --numeric-owner --owner=0 --group=0 -C "$work/rootfs" -cf "$work/rootfs.tar" .
bin/layerlens import -c 'CMD ["/bin/sh"]' "$work/rootfs.tar" "$NAME" >/dev/null
echo "busybox-image: imported $NAME"
