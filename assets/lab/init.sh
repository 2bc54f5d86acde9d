#!/bin/sh
# HotSnap lab guest /init (busybox sh, PID 1; must never exit).
# Kernel cmdline: hs.name=NAME hs.ip=ADDR/PREFIX hs.peer=ADDR hs.dirty=MiB/s (0 = off)
# Serial console output: "hotsnap-guest ready NAME ADDR" once, then "tick N" lines (~10/s).
# Each tick is first written (fsync'ed) to sector 0 of /dev/vda as "tick N\n" + NUL padding,
# then printed: a tick seen on the console is already on the disk.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
exec </dev/null >/dev/console 2>&1
stty -onlcr </dev/console 2>/dev/null  # plain "\n" line ends in the serial log
# Keep the serial log to our lines: console gets only KERN_EMERG (panics) from now on, and no
# soft-lockup reports when the host starves a TCG vCPU.
echo 1 >/proc/sys/kernel/printk
echo 0 >/proc/sys/kernel/watchdog 2>/dev/null

# now: centiseconds since boot (the "1" prefix keeps a fraction like 08 from reading as octal)
now() { read -r T _ </proc/uptime; T=$((${T%.*} * 100 + 1${T#*.} - 100)); }
# nap_until CS: sleep until uptime reaches CS centiseconds without forking (read -t on an idle
# FIFO; usleep would cost a fork+exec per call, expensive under TCG). Loops over early wakeups.
mkfifo /tmp/nap && exec 9<>/tmp/nap
nap_until() { while now; [ $T -lt $1 ]; do
  read -t $((($1 - T) / 100)).$((($1 - T) % 100 / 10))$((($1 - T) % 10)) _ <&9; done; }

NAME=guest IP= PEER= DIRTY=0
for a in $(cat /proc/cmdline); do
  case $a in
    hs.name=*) NAME=${a#*=} ;; hs.ip=*) IP=${a#*=} ;;
    hs.peer=*) PEER=${a#*=} ;; hs.dirty=*) DIRTY=${a#*=} ;;
  esac
done

# insmod (no modprobe: no modules.dep) in the order build-guest.sh wrote.
while read -r m; do
  insmod /lib/modules/$m || echo "hotsnap-guest: insmod $m failed"
done </lib/modules/load-order
now; W=$((T + 500)); while [ ! -e /sys/class/net/eth0 ] && [ $T -lt $W ]; do nap_until $((T + 10)); done

# Static address, no default route, no IPv6 chatter (keeps packet captures clean).
echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6 2>/dev/null
echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6 2>/dev/null
ip link set lo up
if [ -n "$IP" ] && ip addr add "$IP" dev eth0 2>/dev/null && ip link set eth0 up; then
  echo "hotsnap-guest ready $NAME ${IP%/*}"
else
  echo "hotsnap-guest: network not configured (eth0 missing or no hs.ip=)"
fi

# TCP sink on 5001: nc -ll -e forks a handler per connection and keeps listening
# (plain "nc -l" drops the connection as soon as its stdin hits EOF).
printf '#!/bin/sh\nexec cat >/dev/null\n' >/bin/hs-sink && chmod +x /bin/hs-sink
(while :; do nc -ll -p 5001 -e /bin/hs-sink >/dev/null 2>&1; sleep 1; done) &

# Continuous stream to the peer's sink; retry every second.
[ -n "$PEER" ] && (while :; do nc "$PEER" 5001 </dev/zero >/dev/null 2>&1; sleep 1; done) &

# The TCP stream is a CPU hog under TCG; what starts from here on (dirtier, tick) runs at
# nice -10 so it keeps its rate.
renice -n -10 -p $$ >/dev/null 2>&1

# Memory dirtying: rewrite a 64 MiB tmpfs buffer at DIRTY MiB/s (max 64), 4 slices a second,
# each one dd copy at a random offset from a random seed (DIRTY/4 + 4 MiB, made once), so pages
# change content on every pass. Under TCG /dev/urandom, yes|dd and seq give only 0.5-3 MiB/s
# (too slow to feed the load directly), /dev/zero would write zero pages migration skips, and
# a fork+exec costs ~25-35 ms.
if [ "${DIRTY:-0}" -gt 0 ] 2>/dev/null; then
  (
    B=1024 L=$((DIRTY * 4)) OFF=0 NEXT=0  # in 64 KiB blocks: buffer size, slice size
    [ $L -gt 256 ] && L=256
    dd if=/dev/urandom of=/tmp/seed bs=64k count=$((L + 64)) 2>/dev/null
    while :; do
      S=$((RANDOM % 65)) C=$L
      [ $((OFF + C)) -gt $B ] && C=$((B - OFF))
      dd if=/tmp/seed of=/tmp/dirty bs=64k skip=$S seek=$OFF count=$C conv=notrunc 2>/dev/null
      [ $C -lt $L ] && dd if=/tmp/seed of=/tmp/dirty bs=64k skip=$((S + C)) count=$((L - C)) conv=notrunc 2>/dev/null
      OFF=$(((OFF + L) % B))
      now; NEXT=$((NEXT + 25)); [ $NEXT -le $T ] && NEXT=$((T + 25))
      nap_until $NEXT
    done
  ) &
fi

# THE TICK (foreground, forever). Sleep to the next 100 ms slot; if late (CPU starved, VM
# paused), never catch up with a burst: restart the schedule 100 ms from now.
# Disk write without a fork+exec: with the device switched to "write through", QEMU completes
# each write only once it is flushed (FUA), and closing the last open of /dev/vda makes the
# kernel write the sector out and wait for it. QEMU does not migrate that switch (a restored
# VM is back to write-back), so every tick re-checks it (cache_type reads the device's state).
# If the switch is refused, dd conv=fsync (a fork+exec per tick, ~30 ms of vCPU under TCG).
DISK=; [ -b /dev/vda ] && DISK=/dev/vda
CT=/sys/block/vda/cache_type WT=
[ -n "$DISK" ] && echo "write through" 2>/dev/null >$CT && read -r C <$CT && [ "$C" = "write through" ] && WT=1
Z='\0'; while [ ${#Z} -lt 1024 ]; do Z=$Z$Z; done  # 512 NULs as printf escapes
N=0 NEXT=0
while :; do
  N=$((N + 1)); L="tick $N"
  if [ -n "$WT" ]; then
    read -r C <$CT; [ "$C" = "write through" ] || echo "write through" >$CT
    printf "$L\n${Z:0:$(((511 - ${#L}) * 2))}" 1<>$DISK
  elif [ -n "$DISK" ]; then
    printf "$L\n${Z:0:$(((511 - ${#L}) * 2))}" >/tmp/tick
    dd if=/tmp/tick of=$DISK bs=512 count=1 conv=notrunc,fsync 2>/dev/null
  fi
  echo "$L"
  now; NEXT=$((NEXT + 10)); [ $NEXT -le $T ] && NEXT=$((T + 10))
  nap_until $NEXT
done
