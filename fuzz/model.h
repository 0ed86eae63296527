/* SPDX-License-Identifier: MIT */
/*
 * The fuzzer's reference model: one virtual process with two threads, the
 * semantics vsig documents (README, "Semantics"), written as plainly as
 * possible and run in lockstep with the library. Operations are described by
 * struct fop; both the library side (fuzz_signals.c) and the model produce a
 * struct fres, which must be equal.
 */
#ifndef FUZZ_MODEL_H
#define FUZZ_MODEL_H

#include <stdint.h>

#define M_THREADS 2
#define M_TIMERS 4
#define M_QMAX 160
#define M_LOG 512
/* The process's pool and timer limits, small so that the limits are reached. */
#define M_QUEUE_MAX 32
#define M_TIMER_MAX 3
/* A plain handler has no siginfo: its records carry this code. */
#define M_NOINFO 1000

enum fop_kind {
  OP_SIGACTION,
  OP_SIGMASK,
  OP_RAISE,
  OP_KILL,
  OP_SIGQUEUE,
  OP_PTKILL,
  OP_PTSIGQUEUE,
  OP_SIGPENDING,
  OP_TIMEDWAIT,
  OP_WAITINFO,
  OP_SUSPEND,
  OP_SETFN,
  OP_TCREATE,
  OP_TSET,
  OP_TGET,
  OP_TDELETE,
  OP_ADVANCE,
  OP_ALARM,
  OP_POLL,
  OP_PRIO, /* the two threads swap priorities */
  OP_NKINDS
};

/* Handler kinds, as the fuzzer installs them. */
enum { HK_DFL, HK_IGN, HK_PLAIN, HK_INFO };

struct fop {
  int kind;
  int thr;     /* the thread that makes the call: 0 main, 1 the helper */
  int sig;     /* may be invalid */
  int variant; /* what kind of bad argument, or which form of the call */
  int how;
  int hk;    /* handler kind for sigaction */
  int flags; /* sa_flags */
  uint64_t set;
  int sel; /* pid or thread selector */
  int value;
  int slot;       /* timer slot */
  int64_t ns;     /* advance, first expiry */
  int64_t period; /* timer period */
  int keep;       /* no safe points after it: claims stay outstanding */
};

struct fres {
  long ret;
  int err;
  uint64_t out; /* oset, pending set, sigaction mask */
  int hk, flags;
  int code, value; /* siginfo */
  int64_t t_left, t_period;
};

struct mrec { /* one handler invocation */
  int thr, sig, code, value;
  uint64_t mask; /* the thread's mask while the handler ran */
};

struct minst {
  uint8_t sig;
  uint8_t unq;    /* no queue entry: standard signals, rt by kill on a full pool */
  uint8_t pooled; /* holds a pool entry */
  int8_t timer;   /* timer slot whose own entry this is, or -1 */
  int code, value;
};

struct mq {
  int n;
  struct minst e[M_QMAX];
};

struct mact {
  int hk, flags;
  uint64_t mask;
};

struct mthr {
  uint64_t mask;
  int prio;
  struct mq tp;
  uint16_t claims[65];
};

struct mtimer {
  int used;   /* created */
  int notify; /* 0 process, 1 none, 2 thread */
  int thr;    /* for notify 2 */
  int sig, value;
  int armed;
  int64_t deadline, period;
  int queued; /* its signal is pending */
};

struct model {
  struct mact act[65];
  struct mthr th[M_THREADS];
  struct mq pp;
  int pool_free;
  struct mtimer tm[M_TIMERS];
  int64_t alarm_deadline; /* 0: disarmed */
  int alarm_queued;
  int64_t now;
  int want[M_THREADS]; /* deliver_self due on that thread */
  int dead, dead_sig;
  int blocks; /* the call would block for good */
  int nlog;
  struct mrec log[M_LOG];
};

void model_init(struct model *m, int prio0, int prio1, int64_t now);
/* Run op on the model. Sets m->dead or m->blocks when the call would
 * terminate the process or never return (the caller then undoes it). */
void model_op(struct model *m, const struct fop *op, struct fres *r);
/* Does thread i have something to take under its mask? */
uint64_t model_takeable(const struct model *m, int i);
int model_sig_valid(int sig);

#endif
