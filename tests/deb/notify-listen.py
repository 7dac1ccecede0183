#!/usr/bin/env python3
# A fake systemd notification socket for tests/deb/watchdog.sh: binds a unix datagram socket at
# argv[1] and prints every message it receives as "SECONDS MESSAGE" (monotonic, 3 decimals), one
# line each, flushed, until killed or argv[2] seconds pass.
# SPDX-License-Identifier: GPL-3.0-or-later
import socket
import sys
import time

path, limit = sys.argv[1], float(sys.argv[2])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
end = time.monotonic() + limit
while True:
    left = end - time.monotonic()
    if left <= 0:
        break
    s.settimeout(left)
    try:
        data = s.recv(4096)
    except socket.timeout:
        break
    for line in data.decode("utf-8", "replace").splitlines():
        print("%.3f %s" % (time.monotonic(), line), flush=True)
