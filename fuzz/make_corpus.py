#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed inputs of fuzz/corpus/ (the encoding is decode() in
fuzz_signals.c): one small program per family of calls."""
import os
import sys

SIGS = [10, 12, 14, 17, 34, 35, 11, 9, 2, 20, 23, 40, 64, 15, 18, 19]
KINDS = ["sigaction", "sigmask", "raise", "kill", "sigqueue", "ptkill", "ptsigqueue",
         "sigpending", "timedwait", "waitinfo", "suspend", "setfn", "tcreate", "tset",
         "tget", "tdelete", "advance", "alarm", "poll"]


def sig(s):
    return SIGS.index(s)


def sset(*sigs):
    """One byte: the signals must all be even-indexed or all odd-indexed in SIGS."""
    idx = [SIGS.index(s) for s in sigs]
    hi = idx[0] % 2 if idx else 0
    assert all(i % 2 == hi for i in idx)
    b = 0
    for i in idx:
        b |= 1 << (i // 2)
    return b | (0x80 if hi else 0)


def op(kind, thr=0, v=0, *args):
    return bytes([KINDS.index(kind), thr | (v << 1)] + list(args))


def u16(x):
    return [x & 255, x >> 8]


def prog(prio, flags, *ops):
    return bytes([prio, flags]) + b"".join(ops)


INFO, RESTART, NODEFER, RESETHAND = 3, 0x04, 0x08, 0x10
seeds = {
    "handlers": prog(0x08, 0,
                     op("sigaction", 0, 0, sig(10), INFO, sset(34)),
                     op("raise", 0, 0, sig(10)),
                     op("sigmask", 0, 0, 0, sset(10, 34)),
                     op("kill", 0, 0, sig(10)),
                     op("sigqueue", 0, 0, sig(34), *u16(7)),
                     op("sigqueue", 0, 0, sig(34), *u16(8)),
                     op("sigpending", 0),
                     op("sigmask", 0, 0, 1, sset(10, 34))),
    "threads": prog(0x01, 0,
                    op("sigaction", 1, 0, sig(35), INFO | NODEFER, 0),
                    op("sigmask", 1, 0, 0, sset(12, 35)),
                    op("ptkill", 0, 0, sig(12)),
                    op("ptsigqueue", 0, 0, sig(35), *u16(3)),
                    op("kill", 0, 0, sig(35)),
                    op("timedwait", 1, 0, sset(12, 35)),
                    op("sigpending", 1),
                    op("sigmask", 1, 0, 2, 0)),
    "timers": prog(0x10, 0,
                   op("tcreate", 0, 0, sig(34), *u16(5)),
                   op("tset", 0, 0, 0, *u16(40), 4),
                   op("tcreate", 1, 3 << 0, sig(12), *u16(6)),
                   op("tset", 1, 0, 1, *u16(30), 0),
                   op("advance", 0, 0, 100),
                   op("tget", 0, 0, 0),
                   op("alarm", 0, 0, 1),
                   op("advance", 1, 0, 0x84),
                   op("tdelete", 0, 0, 0)),
    "queue_limit": prog(0x02, 0,
                        op("sigmask", 0, 0, 0, sset(34, 64)),
                        op("sigmask", 1, 0, 0, sset(34, 64)),
                        *[op("sigqueue", i & 1, 0, sig(34 if i % 3 else 64), *u16(i))
                          for i in range(36)],
                        op("kill", 0, 0, sig(34)),
                        op("timedwait", 0, 0, sset(34, 64)),
                        op("sigmask", 0, 0, 1, sset(34, 64))),
    "bad_arguments": prog(0x03, 0,
                          op("setfn", 0, 0, 0xe0, 0),
                          op("setfn", 0, 2, 0xe2, 0),
                          op("setfn", 0, 126, 0, 0),
                          op("sigmask", 0, 0, 0x81, 0),
                          op("sigmask", 0, 1, 0x80, 0),
                          op("kill", 0, 126, sig(10)),
                          op("sigqueue", 0, 125, sig(10), 0, 0),
                          op("ptkill", 0, 122, sig(10), 0, 0),
                          op("raise", 0, 0, 0xe3),
                          op("sigaction", 0, 0, sig(9), 2, 0),
                          op("sigpending", 0, 126),
                          op("timedwait", 0, 111, 0),
                          op("tcreate", 0, 127, sig(10), 0, 0),
                          op("tset", 0, 0, 4, 0, 0, 0),
                          op("advance", 0, 126, 0)),
    "resethand": prog(0x20, 0,
                      op("sigaction", 0, 0, sig(17), 2 | RESETHAND, sset(12)),
                      op("sigaction", 0, 0, sig(12), 3 | RESETHAND | RESTART, 0),
                      op("raise", 0, 0, sig(17)),
                      op("raise", 0, 0, sig(17)),
                      op("sigmask", 0, 0, 0, sset(12, 17)),
                      op("raise", 0, 0, sig(12)),
                      op("raise", 0, 0, sig(17)),
                      op("sigaction", 0, 100, sig(12), 0, 0),
                      op("sigmask", 0, 0, 2, 0)),
    "waits": prog(0x0a, 0,
                  op("sigmask", 1, 0, 0, sset(10, 14)),
                  op("kill", 0, 0, sig(10)),
                  op("waitinfo", 1, 0, sset(10)),
                  op("raise", 1, 0, sig(14)),
                  op("suspend", 1, 0, 0),
                  op("sigmask", 0, 0, 0, sset(10)),
                  op("kill", 1, 0, sig(10)),
                  op("suspend", 0, 0, sset(14))),
}


def unsynchronised():
    """The second half of an input with flag 2 drives the unsynchronised phase."""
    head = prog(0x09, 2, *[op("sigqueue", i & 1, 0, sig(40), *u16(i)) for i in range(12)],
                op("sigmask", 1, 0, 0, sset(40)))
    tail = bytes([len(head) - 3, 0x34, 0x12] + [i * 37 & 255 for i in range(len(head) - 3)])
    return head + tail


seeds.update({
    "unsynchronised": unsynchronised(),
    "termination": prog(0x04, 1,
                        op("sigaction", 0, 0, sig(15), 0, 0),
                        op("sigmask", 0, 0, 0, sset(15)),
                        op("kill", 0, 0, sig(15)),
                        op("sigmask", 1, 0, 0, sset(15)),
                        op("kill", 1, 0, sig(15)),
                        op("sigmask", 0, 0, 1, sset(15))),
})

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus")
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
