# SPDX-License-Identifier: MIT
"""Check a VSIG_TRACE file: valid JSON in the Chrome trace-event format, with
the events trace_program made and flows from each sender to its handler.

check.py FILE A B PID              the normal run
check.py --terminated FILE PID     the run that ended by SIGTERM
"""
import json
import sys


def fail(msg):
    sys.exit("check.py: " + msg)


def load(path):
    with open(path) as f:
        doc = json.load(f)
    evs = doc["traceEvents"]
    if not isinstance(evs, list) or not evs:
        fail("no traceEvents")
    for e in evs:
        for k in ("name", "ph", "pid", "tid"):
            if k not in e:
                fail("event without %s: %r" % (k, e))
    return doc, evs


def kind(e):
    return e.get("args", {}).get("kind")


def normal(path, a, b, pid):
    doc, evs = load(path)
    if doc["otherData"]["dropped"] != 0:
        fail("events dropped")
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in evs
             if e["ph"] == "M" and e["name"] == "thread_name"}
    for t in (a, b):
        if (pid, t) not in names:
            fail("no thread_name for %d/%d" % (pid, t))
    if not any(e["ph"] == "M" and e["name"] == "process_name" and e["pid"] == pid for e in evs):
        fail("no process_name for %d" % pid)

    # The kill: generated on A (a flow out), chosen, handled on B (a flow in).
    gens = [e for e in evs if kind(e) == 1 and e["args"]["sig"] == 10 and e["args"]["code"] == 0]
    if len(gens) != 1:
        fail("want one kill of SIGUSR1, got %d" % len(gens))
    g = gens[0]
    if (g["pid"], g["tid"]) != (pid, a) or g["ph"] != "X" or not g.get("flow_out"):
        fail("kill not a flow-out slice on thread A: %r" % g)
    fid = g["bind_id"]
    delivers = [e for e in evs if kind(e) == 3 and e.get("bind_id") == fid]
    if len(delivers) != 1:
        fail("want one delivery of flow %s, got %d" % (fid, len(delivers)))
    d = delivers[0]
    if (d["pid"], d["tid"]) != (pid, b) or d["ph"] != "B" or not d.get("flow_in"):
        fail("delivery not a flow-in slice begun on thread B: %r" % d)
    if d["args"]["sender"] != a or d["ts"] < g["ts"]:
        fail("delivery's sender or time wrong: %r" % d)
    chooses = [e for e in evs if kind(e) == 2 and e.get("bind_id") == fid]
    if not chooses or chooses[0]["args"]["thread"] != b:
        fail("no choice of thread B for flow %s" % fid)
    # The handler slice ends on B.
    if not any(e["ph"] == "E" and (e["pid"], e["tid"]) == (pid, b) and e["ts"] >= d["ts"] for e in evs):
        fail("handler slice on B never ends")

    # raise: generate and deliver on A with one flow id.
    raises = [e for e in evs if kind(e) == 1 and e["args"]["code"] == -6 and e["args"]["sig"] == 10]
    if not raises or not any(kind(e) == 3 and e.get("bind_id") == raises[0]["bind_id"]
                             and e["tid"] == a for e in evs):
        fail("raise not delivered on A")
    # The ignored SIGUSR2: a discard that ends its flow.
    disc = [e for e in evs if kind(e) == 6 and e["args"]["sig"] == 12]
    if not disc or disc[0]["args"]["reason"] != 1 or not disc[0].get("flow_in"):
        fail("no ignored discard of SIGUSR2")
    # The timer: an expiry, and its signal's flow to a handler.
    if not any(kind(e) == 7 for e in evs):
        fail("no timer expiry")
    tgen = [e for e in evs if kind(e) == 1 and e["args"]["code"] == -2]
    if not tgen or not any(kind(e) == 3 and e.get("bind_id") == tgen[0]["bind_id"] for e in evs):
        fail("timer signal not delivered")
    # Every flow-in has its flow-out.
    outs = {e["bind_id"] for e in evs if e.get("flow_out")}
    for e in evs:
        if e.get("flow_in") and e["bind_id"] not in outs:
            fail("flow %s ends but never starts" % e["bind_id"])


def terminated(path, pid):
    _, evs = load(path)
    if not any(kind(e) == 8 and e["args"]["pid"] == pid and e["args"]["sig"] == 15 for e in evs):
        fail("no termination of %d by SIGTERM" % pid)


if sys.argv[1] == "--terminated":
    terminated(sys.argv[2], int(sys.argv[3]))
else:
    normal(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
print("trace ok")
