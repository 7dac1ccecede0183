#!/usr/bin/python3
# A primary hotline that replies too late, for the call suite (no ghost calls): a SIP server on
# UDP 127.0.0.1 that takes the kiosk's INVITE and says nothing until the kiosk has given up and
# moved on to the secondary (a second socket here, which answers at once with PCMU). Then,
# DELAY seconds after the first INVITE, the primary replies anyway:
#   ring      180 Ringing                 (the kiosk must CANCEL at once; 487 then wants an ACK)
#   answer    200 OK with SDP             (the kiosk must ACK and BYE at once)
#   early     180 at once, nothing more   (no_answer_timeout: CANCEL at once; 487, ACK)
#   none      the primary is not called: only the secondary's 200 and BYE times (wall clock)
# Everything the primary receives is listed with its time; the summary lines say how many
# INVITEs of the abandoned call arrived after the kiosk gave up (GIVEUP seconds after the first
# INVITE) and how long each required answer took.
# Usage: late.py PRIMARY_PORT SECONDARY_PORT MODE DELAY GIVEUP  (prints "ready" when listening)
# SPDX-License-Identifier: GPL-3.0-or-later
import re
import select
import socket
import sys
import time

PRIMARY, SECONDARY = int(sys.argv[1]), int(sys.argv[2])
MODE, DELAY, GIVEUP = sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
prim = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
prim.bind(("127.0.0.1", PRIMARY))
sec = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sec.bind(("127.0.0.1", SECONDARY))
rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rtp.bind(("127.0.0.1", 0))


def header(msg, name):
    m = re.search(r"^" + name + r":\s*(.*?)\r$", msg, re.M | re.I)
    return m.group(1) if m else ""


def reply(sock, peer, msg, status, extra="", body="", tag="late1"):
    vias = "".join(f"Via: {v}\r\n" for v in re.findall(r"^Via:\s*(.*?)\r$", msg, re.M))
    to = header(msg, "To")
    if ";tag=" not in to:
        to += ";tag=" + tag
    sock.sendto((f"SIP/2.0 {status}\r\n{vias}From: {header(msg, 'From')}\r\nTo: {to}\r\n"
                 f"Call-ID: {header(msg, 'Call-ID')}\r\nCSeq: {header(msg, 'CSeq')}\r\n{extra}"
                 f"Content-Length: {len(body)}\r\n\r\n{body}").encode(), peer)


def sdp():
    return ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            f"m=audio {rtp.getsockname()[1]} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
            "a=sendrecv\r\n")


def contact(port):
    return f"Contact: <sip:hotline@127.0.0.1:{port}>\r\n"


print("ready", flush=True)
t0 = None           # the primary's first INVITE
invite = None       # (text, peer) of it
late_at = None      # when the late reply went out
sent_487 = None
got = []            # (t, first line) of everything the primary received
cancel_t = ack_t = bye_t = ack2xx_t = None
sec_done = False
sec_ok_at = sec_bye_at = None  # time.time() of the secondary's 200 sent and BYE received
end = time.monotonic() + 30
while time.monotonic() < end:
    now = time.monotonic()
    if t0 is not None and invite and late_at is None and MODE != "early" and now >= t0 + DELAY:
        msg, peer = invite
        late_at = now
        if MODE == "ring":
            reply(prim, peer, msg, "180 Ringing", contact(PRIMARY))
        else:
            reply(prim, peer, msg, "200 OK",
                  contact(PRIMARY) + "Content-Type: application/sdp\r\n", sdp())
        got.append((now - t0, f"(sent {'180' if MODE == 'ring' else '200'})"))
    if late_at is not None and now > late_at + 2 and sec_done:
        break
    r, _, _ = select.select([prim, sec], [], [], 0.02)
    for sock in r:
        data, peer = sock.recvfrom(65535)
        msg = data.decode("latin-1")
        first = msg.split("\r\n", 1)[0]
        if not first.strip():
            continue  # a keep-alive (CRLF CRLF)
        now = time.monotonic()
        method = first.split(" ", 1)[0]
        if sock is sec:
            if method == "INVITE":
                reply(sec, peer, msg, "200 OK",
                      contact(SECONDARY) + "Content-Type: application/sdp\r\n", sdp(), "sec1")
                sec_ok_at = sec_ok_at or time.time()
            elif method == "BYE":
                reply(sec, peer, msg, "200 OK")
                sec_done = True
                sec_bye_at = sec_bye_at or time.time()
                if MODE == "none" or (MODE == "early" and t0 is not None):
                    end = min(end, now + (0.5 if MODE == "none" else 2))
            continue
        if t0 is None and method == "INVITE":
            t0 = now
            invite = (msg, peer)
            if MODE == "early":
                late_at = now
                reply(prim, peer, msg, "180 Ringing", contact(PRIMARY))
        if t0 is None:
            continue
        got.append((now - t0, first))
        if method == "CANCEL" and cancel_t is None:
            cancel_t = now
            reply(prim, peer, msg, "200 OK")
            imsg, ipeer = invite
            reply(prim, ipeer, imsg, "487 Request Terminated")
            sent_487 = now
        elif method == "ACK" and late_at is not None:
            if MODE == "answer":
                ack2xx_t = ack2xx_t or now
            else:
                ack_t = ack_t or now
        elif method == "BYE":
            bye_t = bye_t or now
            reply(prim, peer, msg, "200 OK")

for t, line in got:
    print(f"  {t * 1000:8.1f} ms  {line}")
after = sum(1 for t, line in got if line.startswith("INVITE") and t > GIVEUP + 0.15)
print(f"invites_after_giveup {after}")


def ms(a, b):
    return "none" if a is None or b is None else f"{(a - b) * 1000:.1f}"


# early: the CANCEL is due when the kiosk gives up, not when the 180 came
print(f"cancel_ms {ms(cancel_t, t0 + GIVEUP if MODE == 'early' and t0 else late_at)}")
print(f"ack_ms {ms(ack_t, sent_487)}")
print(f"ack2xx_ms {ms(ack2xx_t, late_at)}")
print(f"bye_ms {ms(bye_t, late_at)}")
print(f"secondary_done {int(sec_done)}")
print(f"secondary_ok_at {sec_ok_at or 'none'}")
print(f"secondary_bye_at {sec_bye_at or 'none'}")
