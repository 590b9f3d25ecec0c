#!/usr/bin/env bash
# kernel-vm.sh - run a script as root on a stock Debian kernel (linux-image-amd64) under QEMU/TCG.
#
# Why: the development/CI kernel lacks 802.1q, dummy, bonding, bridge VLAN filtering and netdevsim.
# The guest sees the host's whole filesystem read-only over 9p under a tmpfs overlay, so it runs the
# host's own java/ip/bridge; only OUTDIR is shared read-write. The guest has no network device at all
# (-nodefaults), so nothing it does can reach the host's network.
#
#   kernel-vm.sh setup [--igb]                     one-time (~1 min), idempotent: packages, kernel,
#                                                  out-of-tree netdevsim.ko, PVH vmlinux, initramfs;
#                                                  --igb also fetches QEMU 10 (bookworm-backports)
#   kernel-vm.sh run [--igb] SCRIPT OUTDIR [qemu args...]
#                                                  boot, run `bash SCRIPT` as PID 1's child in the guest,
#                                                  exit with its code (125: the guest did not finish)
#   kernel-vm.sh status                            print the cache state, exit 0 when ready
#
# Environment: KERNEL_VM_WORK  cache dir (default /var/cache/multihome-kernel-vm, else /tmp/...)
#              KERNEL_VM_MODULES  modules preloaded in the guest (8021q,bonding,dummy,bridge,netdevsim,vrf,ipvlan,hsr,macsec,openvswitch)
#              KERNEL_VM_MEM (MiB, 2048)  KERNEL_VM_SMP (2)  KERNEL_VM_TIMEOUT (s, 900)
set -euo pipefail

SELF=$(readlink -f "$0")
default_work() {
  if [ -w /var/cache ]; then echo /var/cache/multihome-kernel-vm; else echo /tmp/multihome-kernel-vm; fi
}
W=${KERNEL_VM_WORK:-$(default_work)}
# Bump when setup's output changes, so an old cache is rebuilt instead of silently reused.
SETUP_VERSION=3

log() { echo "kernel-vm: $*" >&2; }

need_pkgs() {
  local missing=() p
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
    { apt-get update -qq && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
}

# apt-get download that refreshes stale package lists once (versions vanish from mirrors).
download() {
  apt-get download -q "$@" 2>&1 | grep -v -e unsandboxed -e '^Get:' -e '^Fetched' >&2 || true
  local p; for p in "$@"; do ls "${p%%=*}"_*.deb >/dev/null 2>&1 || return 1; done
}

setup_kernel() {
  local img kver ver ser
  img=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
  [ -n "$img" ] || { apt-get update -qq; img=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}'); }
  kver=${img#linux-image-}                     # 6.1.0-56-amd64
  if [ -f "$W/ready" ] && [ "$(cat "$W/ready")" = "$SETUP_VERSION $kver" ] && [ -f "$W/vmlinux" ] && [ -f "$W/initrd.cpio" ]; then
    log "kernel $kver already set up in $W"
    return 0
  fi
  ver=$(apt-cache show "$img" | awk '/^Version:/{print $2; exit}')
  ser=${kver%%.0-*}                            # 6.1
  log "setting up kernel $kver ($ver) in $W"
  rm -rf "$W/ready" "$W"/setup.*   # setup.*: left by an interrupted run
  local t; t=$(mktemp -d "$W/setup.XXXXXX")
  cd "$t"
  local pkgs=("$img=$ver" "linux-headers-$kver=$ver" "linux-headers-${kver%-amd64}-common=$ver"
              "linux-kbuild-$ser=$ver" "linux-source-$ser=$ver")
  download "${pkgs[@]}" || { apt-get update -qq; download "${pkgs[@]}"; }
  mkdir root
  local d
  for d in *.deb; do case $d in linux-source-*) ;; *) dpkg -x "$d" root ;; esac; done
  # netdevsim (emulated SR-IOV PF/VFs) is off in Debian's kernels: build it out of tree from the
  # same source version against the matching headers.
  dpkg-deb --fsys-tarfile linux-source-"$ser"_*.deb | tar -xO "./usr/src/linux-source-$ser.tar.xz" |
    tar -xJ --wildcards "linux-source-$ser/drivers/net/netdevsim/*" "linux-source-$ser/net/hsr/*" \
      "linux-source-$ser/scripts/extract-vmlinux"
  local hdr=$t/root/usr/src/linux-headers-$kver
  # The headers' top Makefile includes the -common tree by absolute /usr/src path.
  sed -i "s#/usr/src/#$t/root/usr/src/#" "$hdr/Makefile"
  make -s -C "$hdr" M="$t/linux-source-$ser/drivers/net/netdevsim" CONFIG_NETDEVSIM=m modules
  # HSR/PRP (CONFIG_HSR) is off in Debian's kernels too: same recipe.
  # IS_ENABLED(CONFIG_HSR) must hold for include/linux/if_hsr.h to declare, not stub, its calls.
  make -s -C "$hdr" M="$t/linux-source-$ser/net/hsr" CONFIG_HSR=m KCFLAGS=-DCONFIG_HSR_MODULE=1 modules
  mkdir -p "root/lib/modules/$kver/updates"
  strip --strip-debug -o "root/lib/modules/$kver/updates/netdevsim.ko" "linux-source-$ser/drivers/net/netdevsim/netdevsim.ko"
  strip --strip-debug -o "root/lib/modules/$kver/updates/hsr.ko" "linux-source-$ser/net/hsr/hsr.ko"
  depmod -b root "$kver"
  # An uncompressed ELF vmlinux boots through QEMU's PVH loader and skips ~4 s of in-guest xz
  # decompression under TCG.
  bash "linux-source-$ser/scripts/extract-vmlinux" "root/boot/vmlinuz-$kver" > vmlinux
  build_initrd "$t" "$kver"
  # Keep only what run needs: modules (+ netdevsim), vmlinux, initrd.
  rm -rf "$W/modules" "$W/vmlinux" "$W/initrd.cpio"
  mv root/lib/modules "$W/modules"
  mv vmlinux initrd.cpio "$W/"
  cd "$W"; rm -rf "$t"
  echo "$SETUP_VERSION $kver" > "$W/ready"
  log "ready ($kver)"
}

# initramfs: static busybox + the virtio/9p/overlay modules; /init mounts the host / and switch_roots.
build_initrd() {
  local t=$1 kver=$2 d m
  d=$(mktemp -d "$t/initrd.XXXXXX"); mkdir -p "$d"/{bin,proc,sys,dev,mods,host,rw,newroot}
  cp /bin/busybox "$d/bin/"
  for m in virtio_pci 9pnet_virtio 9p overlay; do modprobe -d "$t/root" -S "$kver" --show-depends $m; done |
    awk '$1=="insmod"{print $2}' | awk '!s[$0]++' |
    while read -r f; do cp "$f" "$d/mods/"; basename "$f" >> "$d/mods/order"; done
  cat > "$d/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin; export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
echo "kernel-vm: initramfs up $(cut -d' ' -f1 /proc/uptime)s"   # progress for the console tail
for m in $(cat /mods/order); do insmod /mods/$m; done
# Read every parameter now: /proc moves into the new root below.
arg() { sed -n "s/.*[[:space:]]$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
kmods=$(arg kvmtier.kmods) out=$(arg kvmtier.out) stage2=$(arg kvmtier.stage2)
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 hostroot /host || poweroff -f
mount -t tmpfs -o size=75% tmpfs /rw; mkdir /rw/u /rw/w
mount -t overlay overlay -o lowerdir=/host,upperdir=/rw/u,workdir=/rw/w /newroot || poweroff -f
mkdir -p /newroot/usr/lib/modules /newroot$out
mount --bind /host$kmods /newroot/usr/lib/modules
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 out /newroot$out || poweroff -f
echo "kernel-vm: host root mounted, switching root"
mount --move /proc /newroot/proc; mount --move /sys /newroot/sys; mount --move /dev /newroot/dev
exec switch_root /newroot /bin/bash $stage2
INIT
  chmod +x "$d/init"
  (cd "$d" && find . | busybox cpio -o -H newc 2>/dev/null) > "$t/initrd.cpio"
}

# QEMU >= 8 emulates the igb NIC with real PCI SR-IOV; bookworm has 7.2, so fetch 10.x from
# bookworm-backports into the cache with private apt lists (the host's apt config is left alone).
setup_igb() {
  local q=$W/qemu10
  if [ -f "$q/ready" ]; then log "QEMU from backports already in $q"; return 0; fi
  local mirror; mirror=$(sed -n 's/^URIs: //p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
  mirror=${mirror:-http://deb.debian.org/debian}
  rm -rf "$q"; mkdir -p "$q/lists/partial" "$q/debs"
  cat /etc/apt/sources.list.d/debian.sources > "$q/sources.sources" 2>/dev/null || true
  printf '\nTypes: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$mirror" >> "$q/sources.sources"
  local o=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$q/parts" -o "Dir::State::Lists=$q/lists"
           -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache=")
  mkdir -p "$q/parts"; mv "$q/sources.sources" "$q/parts/"
  apt-get "${o[@]}" update -qq
  # The backports QEMU's own packages; its libraries resolve to bookworm's (installed with QEMU 7.2).
  local pkgs
  pkgs=$(apt-get "${o[@]}" install -s -t bookworm-backports --no-install-recommends qemu-system-x86 |
         awk '/^Inst /{print $2}' | grep -E '^(qemu|seabios|ipxe)' || true)
  [ -n "$pkgs" ] || pkgs=qemu-system-x86
  # shellcheck disable=SC2086
  (cd "$q/debs" && apt-get "${o[@]}" download -q $(for p in $pkgs; do echo "$p/bookworm-backports"; done) 2>&1 | grep -v unsandboxed >&2 || true)
  mkdir -p "$q/root"
  local f; for f in "$q"/debs/*.deb; do dpkg -x "$f" "$q/root"; done
  rm -rf "$q/debs" "$q/lists"
  "$q/root/usr/bin/qemu-system-x86_64" -device igb,help 2>/dev/null | grep -q '^igb options' ||
    { log "QEMU from backports has no igb device"; rm -rf "$q"; return 1; }
  touch "$q/ready"
  log "QEMU $("$q/root/usr/bin/qemu-system-x86_64" --version | head -1) with igb in $q"
}

setup() {
  local igb=0; [ "${1:-}" = --igb ] && igb=1
  mkdir -p "$W"
  need_pkgs qemu-system-x86 busybox-static kmod gcc make xz-utils binutils libelf-dev
  setup_kernel
  [ $igb = 0 ] || setup_igb
}

status() {
  [ -f "$W/ready" ] || { echo "kernel-vm: not set up ($W)"; return 1; }
  echo "kernel-vm: ready in $W: $(cat "$W/ready")"
  [ -f "$W/qemu10/ready" ] && echo "kernel-vm: igb QEMU in $W/qemu10" || true
}

# PID 1 inside the guest, on the host's root filesystem (see /init above).
stage2() {
  set +e   # PID 1 must reach the power-off below whatever fails
  export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 KERNEL_VM=1
  arg() { sed -n "s/.*[[:space:]]$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
  mkdir -p /dev/pts /dev/shm; mount -t devpts devpts /dev/pts; mount -t tmpfs tmpfs /dev/shm
  mount -t tmpfs tmpfs /run   # /tmp stays: OUTDIR may live under it; the overlay makes it writable
  # Kernel module autoload (rtnl-link-vlan, ...) through the host's kmod; works because PID 1
  # switch_rooted, so kthreadd's root is the host root too.
  echo /usr/sbin/modprobe > /proc/sys/kernel/modprobe
  hostname kernel-vm; ip link set lo up
  local m o
  for m in $(arg kvmtier.modules | tr , ' '); do
    # Without these options dummy and bonding create dummy0/bond0 by themselves.
    case $m in dummy) o=numdummies=0 ;; bonding) o=max_bonds=0 ;; *) o= ;; esac
    modprobe "$m" $o || echo "kernel-vm: modprobe $m failed" > /dev/ttyS0
  done
  local out cmd rc
  out=$(arg kvmtier.out) cmd=$(arg kvmtier.cmd)
  echo "kernel-vm: guest $(uname -r) up $(cut -d' ' -f1 /proc/uptime)s" > /dev/ttyS0
  cd "$(dirname "$cmd")" || echo "kernel-vm: cannot cd to $(dirname "$cmd")" > /dev/ttyS0
  bash "$cmd" 2>&1 | tee "$out/log" > /dev/ttyS0
  rc=${PIPESTATUS[0]}
  echo "$rc" > "$out/rc"; sync
  echo o > /proc/sysrq-trigger   # power off; works without the kernel.sysrq sysctl
  sleep 30
}

run() {
  local igb=0; [ "${1:-}" = --igb ] && { igb=1; shift; }
  [ $# -ge 2 ] || { sed -n '2,/^set /{/^set /d;p}' "$SELF"; exit 2; }
  [ -f "$W/ready" ] || { log "not set up: run '$SELF setup' first"; return 125; }
  local cmd out qemu=qemu-system-x86_64 qargs=()
  cmd=$(readlink -f "$1") out=$(readlink -m "$2"); shift 2
  [ -f "$cmd" ] || { log "no such script: $cmd"; return 2; }
  # The paths travel on the kernel command line, which splits at whitespace.
  case "$cmd$out$W$SELF" in *[[:space:]]*) log "paths must not contain whitespace: $cmd $out $W"; return 2 ;; esac
  if [ $igb = 1 ]; then
    local q=$W/qemu10/root
    [ -f "$W/qemu10/ready" ] || { log "no igb QEMU: run '$SELF setup --igb' first"; return 125; }
    qemu=$q/usr/bin/qemu-system-x86_64
    # The igb NIC has no backend (no netdev): it is a PCI SR-IOV device with its link down.
    qargs=(-L "$q/usr/share/qemu" -L "$q/usr/share/seabios" -M q35 -device igb)
  fi
  local modules=${KERNEL_VM_MODULES:-8021q,bonding,dummy,bridge,netdevsim,vrf,ipvlan,hsr,macsec,openvswitch}
  # No udev in the guest, so PCI drivers are not autoloaded: load the igb PF and VF drivers.
  [ $igb = 0 ] || modules=$modules,igb,igbvf
  mkdir -p "$out"; rm -f "$out/rc" "$out/log" "$out/console.log"
  local start=$SECONDS qrc=0 qpid
  # In the background so a TERM/INT to this script (a cancelled CI job) stops the VM too.
  timeout --kill-after=10 "${KERNEL_VM_TIMEOUT:-900}" "$qemu" "${qargs[@]}" -accel tcg -cpu max \
    -smp "${KERNEL_VM_SMP:-2}" -m "${KERNEL_VM_MEM:-2048}" \
    -nodefaults -no-reboot -display none -serial "file:$out/console.log" \
    -kernel "$W/vmlinux" -initrd "$W/initrd.cpio" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$out,mount_tag=out,security_model=none" "$@" \
    -append "console=ttyS0 quiet panic=-1 kvmtier.kmods=$W/modules kvmtier.out=$out kvmtier.stage2=$SELF kvmtier.cmd=$cmd kvmtier.modules=$modules" \
    2> >(grep -v -e 'has no peer' -e 'requested NIC' >&2) &
  qpid=$!
  trap 'kill -TERM $qpid 2>/dev/null' TERM INT HUP
  wait $qpid || qrc=$?
  trap - TERM INT HUP
  log "VM ran $((SECONDS - start)) s"
  [ "${KERNEL_VM_QUIET:-0}" = 1 ] || cat "$out/log" 2>/dev/null || true
  if [ ! -f "$out/rc" ]; then
    if [ $qrc = 124 ] || [ $qrc = 137 ]; then log "TIMEOUT after ${KERNEL_VM_TIMEOUT:-900} s"; fi
    log "the guest did not finish (qemu exit $qrc); console tail ($out/console.log):"
    tail -n 40 "$out/console.log" >&2 || true
    return 125
  fi
  return "$(cat "$out/rc")"
}

if [ $$ = 1 ]; then stage2; exit; fi
case ${1:-} in
  setup) shift; setup "$@" ;;
  run) shift; run "$@" ;;
  status) status ;;
  *) sed -n '2,/^set /{/^set /d;p}' "$SELF"; exit 2 ;;
esac
