#!/usr/bin/python3
# A hotline as a queue hands a call to a counsellor, for the call suite: a SIP callee on UDP
# (127.0.0.1) that answers with PCMU, sends 1000 Hz for 1.5 s from one RTP source, then 1500 Hz
# from another (a new SSRC, sequence numbers and timestamps starting elsewhere: RFC 3550 8.2),
# while a second socket (an intruder on the path) sends 700 Hz to the kiosk's RTP port all
# along. It takes the BYE and exits. What the kiosk played is checked by call-tone.
# Usage: transfer.py PORT [intruder]   (prints "ready" when listening; the intruder only when
# asked)
# SPDX-License-Identifier: GPL-3.0-or-later
import math
import random
import re
import socket
import struct
import sys
import threading
import time

PORT = int(sys.argv[1])
INTRUDER = sys.argv[2:] == ["intruder"]
sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sip.bind(("127.0.0.1", PORT))
rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rtp.bind(("127.0.0.1", 0))
intruder = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
intruder.bind(("127.0.0.1", 0))
stop = threading.Event()


def ulaw(x):
    """G.711 mu-law of a sample in -1..1."""
    s = max(-32635, min(32635, int(x * 32767)))
    sign = 0x80 if s < 0 else 0
    s = min(abs(s) + 132, 32767)
    exp = 7
    while exp > 0 and not s & (0x4000 >> (7 - exp)):
        exp -= 1
    return ~(sign | exp << 4 | (s >> (exp + 3)) & 0x0F) & 0xFF


def packets(sock, dst, hz, seconds, ssrc, seq, ts, t0):
    """20 ms PCMU packets of hz at real-time pace from t0."""
    n = int(seconds * 50)
    for i in range(n):
        if stop.is_set():
            return
        payload = bytes(ulaw(0.4 * math.sin(2 * math.pi * hz * (i * 160 + k) / 8000))
                        for k in range(160))
        hdr = struct.pack("!BBHII", 0x80, 0, (seq + i) & 0xFFFF, (ts + i * 160) & 0xFFFFFFFF,
                          ssrc)
        sock.sendto(hdr + payload, dst)
        delay = t0 + (i + 1) * 0.02 - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def media(dst):
    t0 = time.monotonic()
    packets(rtp, dst, 1000, 1.5, 0x1111AAAA, 40000, 123456, t0)
    # the counsellor's line: another source, its sequence numbers anywhere: here 10,000 below
    # the first source's, which a buffer that ignores the SSRC takes for late packets
    packets(rtp, dst, 1500, 3.0, 0x2222BBBB, 30000, 99, t0 + 1.5)


def intrude(dst):
    packets(intruder, dst, 700, 4.5, 0x3333CCCC, 100, 0, time.monotonic())


def header(msg, name):
    m = re.search(r"^" + name + r":\s*(.*?)\r$", msg, re.M | re.I)
    return m.group(1) if m else ""


print("ready", flush=True)
sip.settimeout(30)
answered = False
while True:
    try:
        data, peer = sip.recvfrom(65535)
    except socket.timeout:
        break
    msg = data.decode("latin-1")
    first = msg.split("\r\n", 1)[0]
    vias = "".join(f"Via: {v}\r\n" for v in re.findall(r"^Via:\s*(.*?)\r$", msg, re.M))
    to = header(msg, "To")
    if ";tag=" not in to:
        to += ";tag=t1"
    common = (vias + f"From: {header(msg, 'From')}\r\nTo: {to}\r\n"
              f"Call-ID: {header(msg, 'Call-ID')}\r\nCSeq: {header(msg, 'CSeq')}\r\n")
    if first.startswith("INVITE") and not answered:
        answered = True
        body = msg.split("\r\n\r\n", 1)[1]
        port = int(re.search(r"^m=audio (\d+)", body, re.M).group(1))
        sdp = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
               f"m=audio {rtp.getsockname()[1]} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
               "a=sendrecv\r\n")
        sip.sendto((f"SIP/2.0 200 OK\r\n{common}Contact: <sip:hotline@127.0.0.1:{PORT}>\r\n"
                    f"Content-Type: application/sdp\r\nContent-Length: {len(sdp)}\r\n\r\n{sdp}")
                   .encode(), peer)
        dst = ("127.0.0.1", port)
        threading.Thread(target=media, args=(dst,), daemon=True).start()
        if INTRUDER:
            threading.Thread(target=intrude, args=(dst,), daemon=True).start()
    elif first.startswith("BYE"):
        sip.sendto(f"SIP/2.0 200 OK\r\n{common}Content-Length: 0\r\n\r\n".encode(), peer)
        stop.set()
        break
