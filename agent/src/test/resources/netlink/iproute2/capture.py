#!/usr/bin/env python3
"""Captures the rtnetlink request iproute2 sends for each case into CASE.hex.

Run as root from this directory: ./capture.py
Every command runs inside a throwaway namespace (mh-nl-cap-*) that is deleted afterwards. The
bytes come from `strace -f -e trace=sendmsg,sendto -e write=all -xx`, which hex-dumps each sent
buffer; the last non-GET request of the command is kept (iproute2 may query first).
"""
import re
import subprocess
import uuid

SETUP = [
    "ip link add br0 type bridge",
    "ip link add veth0 type veth peer name veth1",
    "ip link set veth0 up",
    "ip link set veth1 up",
    "ip addr add 198.18.0.1/24 dev veth0",
]

CASES = {
    "link-add-bridge": "ip link add br1 type bridge stp_state 1 forward_delay 1500 hello_time 300 "
    "max_age 2500 priority 4096 ageing_time 30000 mcast_snooping 0 vlan_filtering 1 "
    "vlan_protocol 802.1ad vlan_default_pvid 10",
    "link-add-veth": "ip link add veth2 type veth peer name veth3",
    "link-add-vlan": "ip link add link veth0 name veth0.10 type vlan id 10 protocol 802.1ad",
    "link-add-macvlan": "ip link add link veth0 name mv0 type macvlan mode bridge",
    "link-add-macvtap": "ip link add link veth0 name mvt0 type macvtap mode vepa",
    "link-add-vxlan": "ip link add vx0 type vxlan id 4242 local 198.18.0.1 remote 198.18.0.2 "
    "dstport 4789 nolearning dev veth0",
    "link-add-dummy": "ip link add d0 mtu 1400 type dummy",
    "link-add-bond": "ip link add bond0 type bond mode active-backup miimon 100 updelay 200 "
    "downdelay 200 min_links 1",
    "link-set-master": "ip link set dev veth0 master br0",
    "link-set-mtu": "ip link set dev veth0 mtu 1300",
    "link-set-up": "ip link set dev veth0 up",
    "link-set-bridge-port": "ip link set dev veth0 type bridge_slave cost 42 priority 7 hairpin on "
    "learning off",
    "link-set-vf": "ip link set dev veth0 vf 0 mac 02:00:00:00:00:aa",
    "link-set-vf-vlan-proto": "ip link set dev veth0 vf 1 vlan 10 qos 2 proto 802.1ad",
    "link-set-vf-vlan": "ip link set dev veth0 vf 1 vlan 10 qos 2",
    "link-set-vf-flags": "ip link set dev veth0 vf 2 spoofchk off trust on state enable",
    "link-set-vf-rate": "ip link set dev veth0 vf 3 min_tx_rate 10 max_tx_rate 100",
    "addr-add-v4": "ip addr add 198.18.0.2/24 dev veth0",
    "addr-add-v6": "ip addr add 2001:db8::1/64 dev veth0",
    "route-add": "ip route add 203.0.113.0/24 via 198.18.0.254 dev veth0 table 1000 metric 5 "
    "proto static",
    "route-add-main": "ip route add 203.0.113.0/25 dev veth0 metric 7",
    "rule-add": "ip rule add from 198.18.0.0/24 iif veth0 lookup 1000 priority 100",
    "bridge-vlan-add": "bridge vlan add dev veth0 vid 10 pvid untagged",
    "bridge-vlan-add-range": "bridge vlan add dev veth0 vid 20-30",
}

GET_TYPES = {18, 22, 26, 34}


def requests(strace_out):
    bufs, cur = [], None
    for line in strace_out.splitlines():
        if re.match(r"\s*\* \d+ bytes in buffer", line):
            cur = bytearray()
            bufs.append(cur)
        elif line.strip().startswith("|") and cur is not None:
            hexpart = line.strip()[1:].split("  ", 1)[1][:49]
            cur.extend(bytes.fromhex(hexpart.replace(" ", "")))
        elif line.startswith("sendto(") and "write" not in line:
            cur = None
    return bufs


def main():
    for case, cmd in CASES.items():
        ns = "mh-nl-cap-" + uuid.uuid4().hex[:6]
        subprocess.run(["ip", "netns", "add", ns], check=True)
        try:
            for s in SETUP:
                subprocess.run(["ip", "-n", ns] + s.split()[1:] if s.startswith("ip ") else s,
                               check=True)
            out = subprocess.run(
                ["ip", "netns", "exec", ns, "strace", "-f", "-e", "trace=sendmsg,sendto",
                 "-e", "write=all", "-xx"] + cmd.split(),
                capture_output=True, text=True).stderr
            msgs = [b for b in requests(out)
                    if len(b) >= 16 and int.from_bytes(b[4:6], "little") not in GET_TYPES]
            if not msgs:
                raise SystemExit(f"{case}: no request captured:\n{out}")
            with open(case + ".hex", "w") as f:
                f.write(f"# {cmd}\n# iproute2 6.1.0, captured by capture.py (strace -e write=all)\n")
                data = msgs[-1]
                for i in range(0, len(data), 16):
                    f.write(data[i:i + 16].hex(" ") + "\n")
        finally:
            subprocess.run(["ip", "netns", "del", ns], check=True)


if __name__ == "__main__":
    main()
