/* SPDX-License-Identifier: MIT */
/*
 * The reference model of one process's signal state (see model.h). It follows
 * the README's rules, not vsig's code: pending queues with FIFO real-time
 * instances and unqueued standard ones, a queue limit, claims by the
 * thread a process-directed signal was given to, frames nested as the kernel
 * nests them, timers on the manual clock.
 */
#include "model.h"

#include <errno.h>
#include <string.h>

#define BIT(s) (UINT64_C(1) << ((s)-1))
#define UNBLOCKABLE (BIT(9) | BIT(19))
#define SA_SIGINFO_ 0x00000004
#define SA_NODEFER_ 0x40000000
#define SA_RESETHAND_ ((int)0x80000000u)
#define KNOWN_FLAGS (0x1 | 0x2 | 0x4 | 0x08000000 | 0x10000000 | 0x40000000 | (int)0x80000000u)
#define SI_USER_ 0
#define SI_QUEUE_ (-1)
#define SI_TIMER_ (-2)
#define SI_TKILL_ (-6)
#define ALARM_SLOT M_TIMERS
#define SYNCHRONOUS (BIT(4) | BIT(5) | BIT(7) | BIT(8) | BIT(11) | BIT(31))

int model_sig_valid(int sig) { return sig >= 1 && sig <= 64; }
static int is_rt(int sig) { return sig >= 32; }
static int lowest(uint64_t b) { return __builtin_ctzll(b) + 1; }

/* Default actions that discard: ignore and continue, and the terminal stop
 * signals, which do not stop a process in an orphaned group (the fuzzed
 * process is a root; SIGSTOP is never sent). */
static int dfl_discards(int sig) {
  return sig == 17 || sig == 23 || sig == 28 || sig == 18 || sig == 19 || sig == 20 || sig == 21 ||
         sig == 22;
}
/* Setting SIG_DFL discards pending instances of these. */
static int dfl_ignores(int sig) { return sig == 17 || sig == 23 || sig == 28 || sig == 18; }

/* ---- queues ---------------------------------------------------------------- */

static uint64_t q_set(const struct mq *q) {
  uint64_t s = 0;
  for (int i = 0; i < q->n; i++)
    s |= BIT(q->e[i].sig);
  return s;
}

static int q_count(const struct mq *q, int sig) {
  int c = 0;
  for (int i = 0; i < q->n; i++)
    c += q->e[i].sig == sig;
  return c;
}

static int q_put(struct mq *q, const struct minst *in) {
  if (in->unq)
    for (int i = 0; i < q->n; i++)
      if (q->e[i].sig == in->sig && q->e[i].unq)
        return 0; /* merges */
  if (q->n < M_QMAX)
    q->e[q->n++] = *in;
  return 1;
}

static void q_remove(struct mq *q, int i) {
  memmove(&q->e[i], &q->e[i + 1], (size_t)(q->n - i - 1) * sizeof q->e[0]);
  q->n--;
}

/* The oldest instance, queued or not: they keep the order they came in. */
static int q_take(struct mq *q, int sig, struct minst *out) {
  int pick = -1;
  for (int i = 0; i < q->n && pick < 0; i++)
    if (q->e[i].sig == sig)
      pick = i;
  if (pick < 0)
    return 0;
  *out = q->e[pick];
  q_remove(q, pick);
  return 1;
}

static void release(struct model *m, const struct minst *in) {
  if (in->pooled)
    m->pool_free++;
  if (in->timer == ALARM_SLOT)
    m->alarm_queued = 0;
  else if (in->timer >= 0)
    m->tm[in->timer].queued = 0;
}

static void q_drop_sig(struct model *m, struct mq *q, int sig) {
  struct minst in;
  while (q_take(q, sig, &in))
    release(m, &in);
}

/* ---- distribution -------------------------------------------------------------- */

static int claimed(const struct model *m, int sig) {
  int c = 0;
  for (int i = 0; i < M_THREADS; i++)
    c += m->th[i].claims[sig];
  return c;
}

static int unclaimed(const struct model *m, int sig) {
  return q_count(&m->pp, sig) - claimed(m, sig);
}

static uint64_t takeable(const struct model *m, int i, uint64_t mask) {
  uint64_t out = q_set(&m->th[i].tp) & ~mask;
  uint64_t pp = q_set(&m->pp) & ~mask & ~out;
  while (pp) {
    int s = lowest(pp);
    pp &= ~BIT(s);
    if (m->th[i].claims[s] || unclaimed(m, s) > 0)
      out |= BIT(s);
  }
  return out;
}

uint64_t model_takeable(const struct model *m, int i) {
  return m->dead ? 0 : takeable(m, i, m->th[i].mask);
}

static int take(struct model *m, int i, int sig, struct minst *out) {
  if (!q_take(&m->th[i].tp, sig, out)) {
    if (!(m->th[i].claims[sig] || unclaimed(m, sig) > 0))
      return 0;
    if (!q_take(&m->pp, sig, out))
      return 0;
    if (m->th[i].claims[sig])
      m->th[i].claims[sig]--;
  }
  release(m, out);
  return 1;
}

static void terminate(struct model *m, int sig) {
  if (!m->dead) {
    m->dead = 1;
    m->dead_sig = sig;
  }
}

static int best_unblocked(const struct model *m, int sig) {
  int best = -1;
  for (int i = 0; i < M_THREADS; i++)
    if (!(m->th[i].mask & BIT(sig)) && (best < 0 || m->th[i].prio > m->th[best].prio))
      best = i;
  return best;
}

static void distribute(struct model *m, int sig, int self) {
  while (unclaimed(m, sig) > 0) {
    if (m->dead)
      return;
    int t = (self >= 0 && !(m->th[self].mask & BIT(sig))) ? self : best_unblocked(m, sig);
    if (t < 0)
      return; /* stays pending */
    int hk = m->act[sig].hk;
    if (hk == HK_IGN || (hk == HK_DFL && dfl_discards(sig))) {
      struct minst in;
      q_take(&m->pp, sig, &in);
      release(m, &in);
      continue;
    }
    if (hk == HK_DFL) {
      terminate(m, sig);
      return;
    }
    m->th[t].claims[sig]++;
    if (t == self)
      m->want[t] = 1;
  }
}

/* Generation's checks: 1 go on, 0 dropped, -EAGAIN. */
/* Discard every pending instance of sig, in the process and each thread. */
static void discard_everywhere(struct model *m, int sig) {
  q_drop_sig(m, &m->pp, sig);
  for (int t = 0; t < M_THREADS; t++) {
    q_drop_sig(m, &m->th[t].tp, sig);
    m->th[t].claims[sig] = 0;
  }
}

/* Job control at generation, whatever the action or mask: SIGCONT discards
 * pending stop signals, a stop signal discards a pending SIGCONT. (The
 * process is a root, its group orphaned, and never gets SIGSTOP: nothing
 * stops it.) */
static void jobctl_generated(struct model *m, int sig) {
  if (sig == 18) {
    discard_everywhere(m, 19);
    discard_everywhere(m, 20);
    discard_everywhere(m, 21);
    discard_everywhere(m, 22);
  } else if (sig >= 19 && sig <= 22) {
    discard_everywhere(m, 18);
  }
}

static int prepare(struct model *m, const struct mq *target, struct minst *in, int required) {
  jobctl_generated(m, in->sig);
  if (m->act[in->sig].hk == HK_IGN)
    return 0;
  in->unq = 0;
  in->pooled = 0;
  if (is_rt(in->sig)) {
    if (m->pool_free > 0) {
      m->pool_free--;
      in->pooled = 1;
    } else if (required) {
      return -EAGAIN;
    } else {
      in->unq = 1;
    }
  } else {
    if (q_set(target) & BIT(in->sig))
      return 0;
    in->unq = 1;
  }
  return 1;
}

static int proc_send(struct model *m, struct minst in, int required, int self) {
  in.timer = -1;
  int rc = prepare(m, &m->pp, &in, required);
  if (rc > 0 && q_put(&m->pp, &in))
    distribute(m, in.sig, self);
  return rc < 0 ? rc : 0;
}

static void thread_send_inst(struct model *m, int t, const struct minst *in, int self) {
  int sig = in->sig;
  if (!q_put(&m->th[t].tp, in))
    return;
  if (m->th[t].mask & BIT(sig))
    return;
  if (m->act[sig].hk == HK_DFL) {
    if (dfl_discards(sig))
      q_drop_sig(m, &m->th[t].tp, sig);
    else
      terminate(m, sig);
    return;
  }
  if (t == self)
    m->want[t] = 1;
}

static int thread_send(struct model *m, int t, struct minst in, int required, int self) {
  in.timer = -1;
  int rc = prepare(m, &m->th[t].tp, &in, required);
  if (rc > 0)
    thread_send_inst(m, t, &in, self);
  return rc < 0 ? rc : 0;
}

/* ---- masks and frames ------------------------------------------------------------ */

static uint64_t pending_for(const struct model *m, int i) {
  return q_set(&m->th[i].tp) | q_set(&m->pp);
}

static void unclaim_blocked(struct model *m, int i, uint64_t blocked) {
  for (int s = 1; s <= 64; s++)
    if ((blocked & BIT(s)) && m->th[i].claims[s]) {
      m->th[i].claims[s] = 0;
      distribute(m, s, i);
    }
}

/* 1 if unblocking made something pending deliverable (vsig then delivers). */
static int set_mask(struct model *m, int i, uint64_t mask) {
  mask &= ~UNBLOCKABLE;
  uint64_t old = m->th[i].mask;
  if (mask == old)
    return 0;
  m->th[i].mask = mask;
  unclaim_blocked(m, i, mask & ~old);
  return (old & ~mask) && (pending_for(m, i) & ~mask);
}

struct frame {
  int sig, hk, flags;
  uint64_t amask;
  int code, value;
};

static int frame_next(struct model *m, int i, struct frame *f) {
  for (;;) {
    if (m->dead)
      return -1;
    uint64_t avail = takeable(m, i, m->th[i].mask);
    if (!avail)
      return 0;
    int sig = lowest((avail & SYNCHRONOUS) ? (avail & SYNCHRONOUS) : avail);
    struct minst in;
    take(m, i, sig, &in);
    struct mact *a = &m->act[sig];
    if (a->hk == HK_IGN || (a->hk == HK_DFL && dfl_discards(sig)))
      continue;
    if (a->hk == HK_DFL) {
      terminate(m, sig);
      return -1;
    }
    f->sig = sig;
    f->hk = a->hk;
    f->flags = a->flags;
    f->amask = a->mask;
    f->code = in.code;
    f->value = in.value;
    if (a->flags & SA_RESETHAND_) {
      a->hk = HK_DFL;
      a->flags &= ~SA_SIGINFO_;
    }
    return 1;
  }
}

static int deliver_frames(struct model *m, int i, uint64_t restore, int first_restores);

static int run_frame(struct model *m, int i, const struct frame *f, uint64_t restore) {
  uint64_t hmask =
      (m->th[i].mask | f->amask | ((f->flags & SA_NODEFER_) ? 0 : BIT(f->sig))) & ~UNBLOCKABLE;
  set_mask(m, i, hmask);
  if (takeable(m, i, hmask) && deliver_frames(m, i, 0, 0) < 0)
    return -1;
  if (m->nlog < M_LOG) {
    struct mrec *r = &m->log[m->nlog++];
    r->thr = i;
    r->sig = f->sig;
    r->code = f->hk == HK_INFO ? f->code : M_NOINFO;
    r->value = f->hk == HK_INFO ? f->value : 0;
    r->mask = m->th[i].mask;
  }
  return set_mask(m, i, restore);
}

static int deliver_frames(struct model *m, int i, uint64_t restore, int first_restores) {
  int ran = 0;
  for (;;) {
    if (ran && !takeable(m, i, m->th[i].mask))
      break;
    struct frame f;
    int rc = frame_next(m, i, &f);
    if (rc < 0)
      return -1;
    if (rc == 0)
      break;
    uint64_t back = (!ran && first_restores) ? restore : m->th[i].mask;
    if (run_frame(m, i, &f, back) < 0)
      return -1;
    ran++;
  }
  return ran;
}

static int deliver(struct model *m, int i) {
  m->want[i] = 0;
  return deliver_frames(m, i, 0, 0);
}

static void after(struct model *m, int i) {
  if (m->want[i] && !m->dead)
    deliver(m, i);
  m->want[i] = 0;
}

/* ---- timers ---------------------------------------------------------------------------- */

static void timer_generate(struct model *m, int slot) {
  int sig, value, notify, thr, *queued;
  if (slot == ALARM_SLOT) {
    sig = 14, value = 0, notify = 0, thr = 0, queued = &m->alarm_queued;
  } else {
    struct mtimer *t = &m->tm[slot];
    sig = t->sig, value = t->value, notify = t->notify, thr = t->thr, queued = &t->queued;
  }
  if (*queued)
    return;
  jobctl_generated(m, sig);
  if (m->act[sig].hk == HK_IGN)
    return;
  struct mq *target = notify == 2 ? &m->th[thr].tp : &m->pp;
  if (!is_rt(sig) && (q_set(target) & BIT(sig)))
    return;
  struct minst in = {.sig = (uint8_t)sig, .timer = (int8_t)slot, .code = SI_TIMER_, .value = value};
  *queued = 1;
  if (notify == 2) {
    thread_send_inst(m, thr, &in, -1);
  } else {
    q_put(&m->pp, &in);
    distribute(m, sig, -1);
  }
}

static void fire(struct model *m, int slot, int64_t horizon) {
  int64_t *deadline, period;
  int *armed, *queued, notify;
  if (slot == ALARM_SLOT) {
    deadline = &m->alarm_deadline;
    period = 0;
    armed = NULL;
    queued = &m->alarm_queued;
    notify = 0;
  } else {
    struct mtimer *t = &m->tm[slot];
    deadline = &t->deadline;
    period = t->period;
    armed = &t->armed;
    queued = &t->queued;
    notify = t->notify;
  }
  int64_t next = -1, missed = 0;
  if (period > 0) {
    next = *deadline + period;
    if (next <= horizon) {
      missed = (horizon - next) / period + 1;
      next += missed * period;
    }
  }
  if (notify != 1) {
    timer_generate(m, slot);
    int64_t left = missed;
    for (int n = 0; left > 0 && !*queued && n <= M_THREADS; n++, left--)
      timer_generate(m, slot);
  }
  if (next >= 0) {
    *deadline = next;
  } else if (armed) {
    *armed = 0;
  } else {
    *deadline = 0;
  }
}

/* The next armed timer due by horizon (deadlines never tie: see fuzz_signals.c). */
static int next_due(const struct model *m, int64_t horizon) {
  int best = -1;
  int64_t bd = 0;
  for (int k = 0; k <= M_TIMERS; k++) {
    int64_t d;
    if (k == ALARM_SLOT) {
      if (!m->alarm_deadline)
        continue;
      d = m->alarm_deadline;
    } else {
      const struct mtimer *t = &m->tm[k];
      if (!t->used || !t->armed || t->notify == 1)
        continue;
      d = t->deadline;
    }
    if (d <= horizon && (best < 0 || d < bd))
      best = k, bd = d;
  }
  return best;
}

static void advance(struct model *m, int self, int64_t ns) {
  int64_t target = m->now + ns;
  for (int k; !m->dead && (k = next_due(m, target)) >= 0;) {
    m->now = k == ALARM_SLOT ? m->alarm_deadline : m->tm[k].deadline;
    fire(m, k, target);
    if (!m->dead && takeable(m, self, m->th[self].mask))
      deliver(m, self);
  }
  m->now = target;
}

/* ---- operations -------------------------------------------------------------------------- */

void model_init(struct model *m, int prio0, int prio1, int64_t now) {
  memset(m, 0, sizeof *m);
  for (int s = 1; s <= 64; s++)
    m->act[s].hk = (s == 9 || s == 19) ? HK_DFL : HK_PLAIN;
  m->th[0].prio = prio0;
  m->th[1].prio = prio1;
  m->pool_free = M_QUEUE_MAX;
  m->now = now;
}

static void fail(struct fres *r, int err) {
  r->ret = -1;
  r->err = err;
}

/* Functions that return an error number. */
static void fail_num(struct fres *r, int err) { r->ret = err; }

static void wait_op(struct model *m, const struct fop *op, struct fres *r, int forever) {
  int i = op->thr;
  int sigwait = op->kind == OP_WAITINFO && op->variant == 2;
  uint64_t ws = op->set & ~UNBLOCKABLE;
  for (;;) {
    uint64_t got = takeable(m, i, ~ws);
    if (got) {
      struct minst in;
      int sig = lowest(got);
      take(m, i, sig, &in);
      r->ret = sig;
      if (sigwait) {
        r->ret = 0;
        r->value = sig;
      } else if (op->variant != 4) {
        r->code = in.code;
        r->value = in.value;
      }
      if (takeable(m, i, m->th[i].mask))
        deliver(m, i);
      return;
    }
    if (takeable(m, i, m->th[i].mask)) {
      int n = deliver(m, i);
      if (n < 0)
        return;
      if (n > 0 && !sigwait) {
        fail(r, EINTR);
        return;
      }
      continue;
    }
    if (forever)
      m->blocks = 1;
    else
      fail(r, EAGAIN);
    return;
  }
}

static void timer_spec(const struct model *m, int slot, struct fres *r) {
  const struct mtimer *t = &m->tm[slot];
  if (t->notify == 1) {
    r->t_left = r->t_period = -1; /* not compared: computed when asked */
  } else if (t->armed) {
    r->t_left = t->deadline - m->now;
    r->t_period = t->period;
  } else {
    r->t_left = 0;
    r->t_period = 0;
  }
}

void model_op(struct model *m, const struct fop *op, struct fres *r) {
  memset(r, 0, sizeof *r);
  int i = op->thr, sig = op->sig;
  switch (op->kind) {
  case OP_SIGACTION: {
    /* variant: 0 act and oact, 1 oact only, 2 act only, 3 signal() */
    int has_act = op->variant != 1, has_oact = op->variant != 2;
    if (!model_sig_valid(sig) || (has_act && (sig == 9 || sig == 19))) {
      fail(r, EINVAL);
      break;
    }
    struct mact old = m->act[sig];
    if (has_act) {
      struct mact a = {op->hk, op->flags & KNOWN_FLAGS, op->set & ~UNBLOCKABLE};
      if (op->variant == 3)
        a = (struct mact){op->hk == HK_INFO ? HK_PLAIN : op->hk, 0x10000000, 0};
      m->act[sig] = a;
      if (a.hk == HK_IGN || (a.hk == HK_DFL && dfl_ignores(sig)))
        discard_everywhere(m, sig);
    }
    if (op->variant == 3) {
      r->hk = old.hk; /* signal() returns the old handler */
    } else if (has_oact) {
      r->hk = old.hk;
      r->flags = old.flags;
      r->out = old.mask;
    }
    break;
  }
  case OP_SIGMASK: {
    int pthread = op->variant & 1, has_set = !(op->variant & 2), has_oset = !(op->variant & 4);
    if (has_set && (op->how < 0 || op->how > 2)) {
      if (pthread)
        fail_num(r, EINVAL);
      else
        fail(r, EINVAL);
      break;
    }
    uint64_t old = m->th[i].mask, mask = old;
    if (has_oset)
      r->out = old;
    if (has_set) {
      mask = op->how == 0 ? (old | op->set) : op->how == 1 ? (old & ~op->set) : op->set;
      if (set_mask(m, i, mask))
        deliver(m, i);
    }
    break;
  }
  case OP_RAISE:
    if (!model_sig_valid(sig)) {
      if (sig != 0)
        fail(r, EINVAL);
      break;
    }
    thread_send(m, i, (struct minst){.sig = (uint8_t)sig, .code = SI_TKILL_}, 0, i);
    after(m, i);
    break;
  case OP_KILL:
    if (sig != 0 && !model_sig_valid(sig)) {
      fail(r, EINVAL);
      break;
    }
    if (op->sel == 3) {
      fail(r, ESRCH);
      break;
    }
    if (sig) {
      proc_send(m, (struct minst){.sig = (uint8_t)sig, .code = SI_USER_}, 0, i);
      after(m, i);
    }
    break;
  case OP_SIGQUEUE:
    if (sig != 0 && !model_sig_valid(sig)) {
      fail(r, EINVAL);
      break;
    }
    if (op->sel != 0) {
      fail(r, ESRCH);
      break;
    }
    if (sig) {
      int rc = proc_send(
          m, (struct minst){.sig = (uint8_t)sig, .code = SI_QUEUE_, .value = op->value}, 1, i);
      if (rc < 0) {
        fail(r, -rc);
        break;
      }
      after(m, i);
    }
    break;
  case OP_PTKILL:
  case OP_PTSIGQUEUE: {
    if (sig != 0 && !model_sig_valid(sig)) {
      fail_num(r, EINVAL);
      break;
    }
    if (op->sel >= 2) {
      fail_num(r, ESRCH);
      break;
    }
    int t = op->sel == 0 ? i : 1 - i;
    if (sig) {
      int q = op->kind == OP_PTSIGQUEUE;
      struct minst in = {
          .sig = (uint8_t)sig, .code = q ? SI_QUEUE_ : SI_TKILL_, .value = q ? op->value : 0};
      int rc = thread_send(m, t, in, q, i);
      if (rc < 0) {
        fail_num(r, -rc);
        break;
      }
      after(m, i);
    }
    break;
  }
  case OP_SIGPENDING:
    if (op->variant == 1) {
      fail(r, EFAULT);
      break;
    }
    r->out = pending_for(m, i) & m->th[i].mask;
    break;
  case OP_TIMEDWAIT:
  case OP_WAITINFO:
    if (op->variant == 1) {
      fail(r, EFAULT);
      break;
    }
    if (op->kind == OP_TIMEDWAIT && (op->variant == 2 || op->variant == 3)) {
      fail(r, EINVAL);
      break;
    }
    if (op->kind == OP_WAITINFO && op->variant == 3) {
      fail_num(r, EFAULT);
      break;
    }
    wait_op(m, op, r, op->kind == OP_WAITINFO);
    break;
  case OP_SUSPEND: {
    if (op->variant == 1) {
      fail(r, EFAULT);
      break;
    }
    uint64_t old = m->th[i].mask;
    if (op->variant != 2) { /* 2: pause */
      uint64_t mask = op->set & ~UNBLOCKABLE;
      m->th[i].mask = mask;
      unclaim_blocked(m, i, mask);
    }
    for (;;) {
      if (m->dead)
        return;
      if (!takeable(m, i, m->th[i].mask)) {
        m->blocks = 1;
        return;
      }
      int n = deliver_frames(m, i, old, 1);
      if (n < 0)
        return;
      if (n > 0) {
        fail(r, EINTR);
        break;
      }
    }
    break;
  }
  case OP_SETFN: {
    /* variant: 0 add, 1 del, 2 ismember, 3 empty, 4 fill; +8: NULL set */
    int fn = op->variant & 7;
    uint64_t s = op->set;
    if (op->variant & 8) {
      fail(r, EINVAL);
      break;
    }
    if (fn == 3) {
      s = 0;
    } else if (fn == 4) {
      s = ~UINT64_C(0);
    } else if (!model_sig_valid(sig)) {
      fail(r, EINVAL);
    } else if (fn == 0) {
      s |= BIT(sig);
    } else if (fn == 1) {
      s &= ~BIT(sig);
    } else {
      r->ret = !!(s & BIT(sig));
    }
    r->out = s;
    break;
  }
  case OP_TCREATE: {
    /* variant: 0 SIGEV_SIGNAL, 1 NONE, 2 SIGEV_THREAD, 3 THREAD_ID self, 4 THREAD_ID
     * other, 5 bad clock, 6 NULL timerid, 7 THREAD_ID of no thread */
    int v = op->variant;
    if (v == 6) {
      fail(r, EFAULT);
      break;
    }
    if (v == 5 || v == 2) {
      fail(r, EINVAL);
      break;
    }
    if (v != 1 && !model_sig_valid(sig)) {
      fail(r, EINVAL);
      break;
    }
    if (v == 7) {
      fail(r, EINVAL);
      break;
    }
    int used = 0;
    for (int k = 0; k < M_TIMERS; k++)
      used += m->tm[k].used;
    if (used >= M_TIMER_MAX) {
      fail(r, EAGAIN);
      break;
    }
    struct mtimer *t = &m->tm[op->slot];
    memset(t, 0, sizeof *t);
    t->used = 1;
    t->notify = v == 1 ? 1 : (v == 3 || v == 4) ? 2 : 0;
    t->thr = v == 3 ? i : 1 - i;
    t->sig = v == 1 ? 0 : sig;
    t->value = op->value;
    break;
  }
  case OP_TSET: {
    /* variant: 0 relative, 1 NULL value, 2 bad tv_nsec, 3 bad flags; slot -1: no timer */
    if (op->variant == 1) {
      fail(r, EFAULT);
      break;
    }
    if (op->variant == 2 || op->variant == 3 || op->slot < 0 || !m->tm[op->slot].used) {
      fail(r, EINVAL);
      break;
    }
    timer_spec(m, op->slot, r);
    struct mtimer *t = &m->tm[op->slot];
    if (op->ns == 0) {
      t->armed = 0;
      t->period = 0;
    } else {
      t->armed = 1;
      t->deadline = m->now + op->ns;
      t->period = op->period;
    }
    break;
  }
  case OP_TGET:
    if (op->slot < 0 || !m->tm[op->slot].used) {
      fail(r, EINVAL);
      break;
    }
    timer_spec(m, op->slot, r);
    break;
  case OP_TDELETE: {
    if (op->slot < 0 || !m->tm[op->slot].used) {
      fail(r, EINVAL);
      break;
    }
    struct mtimer *t = &m->tm[op->slot];
    if (t->queued) {
      struct mq *qs[3] = {&m->pp, &m->th[0].tp, &m->th[1].tp};
      for (int q = 0; q < 3; q++)
        for (int k = 0; k < qs[q]->n; k++)
          if (qs[q]->e[k].timer == op->slot) {
            q_remove(qs[q], k);
            break;
          }
      for (int th = 0; th < M_THREADS && claimed(m, t->sig) > q_count(&m->pp, t->sig); th++)
        if (m->th[th].claims[t->sig])
          m->th[th].claims[t->sig]--;
    }
    memset(t, 0, sizeof *t);
    break;
  }
  case OP_ADVANCE:
    if (op->ns < 0) {
      fail_num(r, EINVAL);
      break;
    }
    advance(m, i, op->ns);
    break;
  case OP_ALARM: {
    int64_t left = m->alarm_deadline ? m->alarm_deadline - m->now : 0;
    r->ret = (long)((left + 999999999) / 1000000000);
    m->alarm_deadline = op->ns ? m->now + op->ns * 1000000000 : 0;
    break;
  }
  case OP_POLL:
    deliver(m, i);
    break;
  case OP_PRIO: {
    int p = m->th[0].prio;
    m->th[0].prio = m->th[1].prio;
    m->th[1].prio = p;
    break;
  }
  default:
    break;
  }
}
