/* SPDX-License-Identifier: MIT */
/*
 * vsig core: the portable part. Internal functions return 0 (or a result) or
 * -errno and never touch errno; the public wrappers translate.
 *
 * Locking: one global registry lock (pid and thread lookup) and one lock per
 * process that guards everything of that process and its threads. Order is
 * registry -> process; no path holds two process locks except fork's prepare,
 * which takes them all under the registry lock.
 *
 * Lock-free parts: a thread's mask is written only by that thread; senders read
 * it under the process lock. The pending sets are written under the lock and
 * read without it by a thread that unblocks. Each side stores (seq_cst) and then
 * loads the other's word, so a sender and an unblocking thread never both miss
 * each other.
 */
#ifndef VSIG_INTERNAL_H
#define VSIG_INTERNAL_H

#include "../host/host.h"
#include "vsig.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SIGBIT(s) (UINT64_C(1) << ((s)-1))
#define ALL_SIGNALS (~UINT64_C(0))
#define UNBLOCKABLE (SIGBIT(VSIG_SIGKILL) | SIGBIT(VSIG_SIGSTOP))

static inline bool sig_valid(int sig) { return sig >= 1 && sig < VSIG_NSIG; }
static inline bool sig_is_rt(int sig) { return sig >= VSIG_SIGRTMIN; }
static inline int lowest_sig(uint64_t bits) { return __builtin_ctzll(bits) + 1; }

/* Default dispositions (Linux). */
enum dfl { DFL_TERM, DFL_CORE, DFL_IGN, DFL_STOP, DFL_CONT };
enum dfl sig_default(int sig);
/* Whether the default action discards the signal. Stop and continue are job
 * control, not implemented yet: they are discarded too (README). */
static inline bool dfl_discards(int sig) { return sig_default(sig) >= DFL_IGN; }
/* Signals whose default action ignores them when nothing is stopped: setting
 * SIG_DFL discards their pending instances (Linux's sig_kernel_ignore). */
static inline bool dfl_ignores(int sig) {
  enum dfl d = sig_default(sig);
  return d == DFL_IGN || d == DFL_CONT;
}
/* Set while the host bridge is on: the default process's default actions act
 * on the host process (a stop signal stops it). */
extern _Atomic int vsig__bridge_on;

/* Linux takes these first when several signals are deliverable: they are the
 * ones a faulting instruction raises. */
#define SYNCHRONOUS_SIGNALS                                                                        \
  (SIGBIT(VSIG_SIGILL) | SIGBIT(VSIG_SIGTRAP) | SIGBIT(VSIG_SIGBUS) | SIGBIT(VSIG_SIGFPE) |        \
   SIGBIT(VSIG_SIGSEGV) | SIGBIT(VSIG_SIGSYS))

/* ---- pending instances ---------------------------------------------------- */

/* A link in a pending queue: a cell's, or a timer's own (whose signal so
 * never needs a cell, and whose expiries while it is pending count as
 * overruns). A queue links the instances of all its signals in the order
 * they came. */
enum qkind {
  QN_TIMER,  /* a timer's node (zero: timers are zeroed when made) */
  QN_QUEUED, /* a cell charged to the process's and the user's limits */
  QN_UNQ,    /* a cell holding the siginfo of an unqueued instance */
};
struct qnode {
  struct qnode *next;
  uint8_t sig, kind;
};

/* One pending instance in transit: a queued node, or (n == NULL) the info of
 * an unqueued instance. */
struct inst {
  struct qnode *n;
  vsig_siginfo_t info;
};

/* A siginfo packed to the fields a signal carries (56 bytes where
 * vsig_siginfo_t takes 128). si_signo is the node's; si_errno and the rest
 * are zero. */
struct cinfo {
  int32_t code, pid;
  uint32_t uid;
  int32_t status, overrun, timerid;
  vsig_sigval_t value;
  void *addr;
  uint64_t trace_id, trace_sender; /* si_spare_[8], [7] (trace.c) */
};

/* The memory of a pending instance (cell.c): 72 bytes. */
struct cell {
  struct qnode node;
  struct cinfo info;
};
#define CELL_OF(n) ((struct cell *)(n))
#define CELL_CACHE_MAX 8 /* free cells a thread keeps */

/* Pending signals of a process or of a thread: 40 bytes, whatever is
 * pending. Real-time signals queue in FIFO order. A standard signal (or a
 * real-time one sent by kill at the limit) has one unqueued instance, kept in
 * a cell of its own; when no memory can be had for that cell the signal stays
 * pending without its siginfo (bare), and is taken with the siginfo of a
 * plain kill from pid 0, as Linux does. */
struct sigq {
  _Atomic uint64_t set; /* signals with at least one instance here */
  uint64_t unq;         /* signals with their unqueued instance here */
  uint64_t bare;        /* of those, the ones without a cell */
  struct qnode *head, *tail;
};

/* A siginfo cleared by copying a zero one: eight vector stores, where a
 * memset of 128 bytes becomes a rep stos that costs more than the rest of a
 * take (the drain benchmark). */
static inline void info_clear(vsig_siginfo_t *i) {
  static const vsig_siginfo_t zero;
  *i = zero;
}

static inline void cinfo_pack(struct cinfo *c, const vsig_siginfo_t *i) {
  c->code = i->si_code;
  c->pid = i->si_pid;
  c->uid = i->si_uid;
  c->status = i->si_status;
  c->overrun = i->si_overrun;
  c->timerid = i->si_timerid;
  c->value = i->si_value;
  c->addr = i->si_addr;
  c->trace_id = i->si_spare_[8];
  c->trace_sender = i->si_spare_[7];
}

static inline void cinfo_unpack(vsig_siginfo_t *i, const struct cinfo *c, int sig) {
  info_clear(i);
  i->si_signo = sig;
  i->si_code = c->code;
  i->si_pid = c->pid;
  i->si_uid = c->uid;
  i->si_status = c->status;
  i->si_overrun = c->overrun;
  i->si_timerid = c->timerid;
  i->si_value = c->value;
  i->si_addr = c->addr;
  i->si_spare_[8] = c->trace_id;
  i->si_spare_[7] = c->trace_sender;
}

/* ---- per-user accounts (uid.c) ------------------------------------------------ */

struct uacct {
  struct uacct *next;
  vsig_uid_t uid;
  _Atomic size_t queued; /* queued instances held by its processes */
  _Atomic size_t max;
};
struct uacct *uacct_get(vsig_uid_t uid); /* registry lock; NULL: ENOMEM */
struct vsig_proc;
#define UACCT_BATCH 8
bool uacct_charge_slow(struct vsig_proc *p);
void uacct_uncharge_slow(struct vsig_proc *p);
size_t uacct_held(const struct vsig_proc *p);
int uacct_move(struct vsig_proc *p, vsig_uid_t uid); /* registry lock; -ENOMEM */
void uacct_reset_after_fork(void);

/* ---- processes and threads ------------------------------------------------- */

struct hnode {
  struct hnode *next;
  uint64_t key;
};

/* A hash table of hnodes (htab.c); the caller's lock guards it. */
struct htab {
  struct hnode **b;
  size_t nb, n;
};
struct hnode *htab_find(const struct htab *h, uint64_t key);
int htab_add(struct htab *h, struct hnode *node); /* -ENOMEM */
void htab_del(struct htab *h, struct hnode *node);
void htab_each(struct htab *h, void (*fn)(struct hnode *, void *), void *arg);
void htab_free(struct htab *h); /* the table only, not what is in it */
#define NODE_OWNER(n, type, member) ((type *)((char *)(n)-offsetof(type, member)))

/* An action, readable without the lock through a sequence counter (the raise
 * fast path). Written only under the process lock. */
struct action {
  _Atomic uintptr_t handler;
  _Atomic uint64_t mask;
  _Atomic int flags;
};

enum proc_state { P_ALIVE, P_DEAD };

/* ---- timers -------------------------------------------------------------------- */

enum tnotify { TN_FREE, TN_PROC, TN_THREAD, TN_NONE, TN_WAKE };
#define HEAP_NONE UINT32_MAX
#define TF_UNHEAPED 1 /* armed but not in the heap: beyond any clock, or SIGEV_NONE */
#define TF_REALTIME 2 /* a CLOCK_REALTIME POSIX timer */

/* A timer: a POSIX timer, the alarm/itimer of a process, a proc_raise_interval
 * timer, or a thread's timed-wait wake-up on the manual clock. 72 bytes. */
struct vsig_timer {
  int64_t deadline;  /* service lock: next expiry on vsig's clock */
  int64_t period;    /* service lock: 0 for one expiry */
  uint32_t heap_idx; /* service lock: HEAP_NONE when disarmed */
  int32_t id;        /* POSIX timer id (si_timerid); -1 for the others */
  union {
    struct vsig_proc *proc;  /* TN_PROC, TN_NONE */
    struct vsig_thr *thread; /* TN_THREAD, TN_WAKE */
  } to;                      /* changes only under the service and process locks */
  vsig_sigval_t value;
  struct qnode qn;      /* process lock: linked while its signal is pending */
  int32_t overrun;      /* process lock: expiries merged into the pending signal */
  int32_t last_overrun; /* process lock: overrun of the last signal taken */
  uint8_t sig, notify, queued;
  uint8_t flags;      /* TF_* */
  uint32_t trace_seq; /* process lock: the trace id of its pending signal (trace.c), 0 none */
};

/* A process's timers: POSIX ones in chunks (ids index them), and the
 * per-signal and alarm timers. Process lock. The per-signal ones
 * (proc_raise_interval) are a table made on first use: few processes have
 * any, and every process would otherwise carry VSIG_NSIG pointers. */
#define TCHUNK 256
struct ptimers {
  struct vsig_timer **chunks;
  uint32_t nchunks;
  uint32_t used;    /* POSIX timers alive */
  uint32_t hiwater; /* ids below this have been handed out */
  int32_t *free_ids;
  uint32_t nfree, free_cap;
  struct vsig_timer *alarm;
  struct vsig_timer **interval; /* VSIG_NSIG of them, or NULL: none yet */
};

struct vsig_proc {
  struct hnode node; /* key: pid */
  /* Registry lock: every process in creation order, so that kill(-1) walks
   * them once. A pinned process stays in this list (and in memory) after
   * vsig_proc_destroy until the last pin goes, so that what is owed for it
   * once the lock is dropped (a posted note, a job-control callback) never
   * reads freed memory. */
  struct vsig_proc *all_prev, *all_next;
  uint32_t pins;
  bool destroyed;
  host_lock_t lock;
  vsig_pid_t pid;
  /* User ids: written under the registry lock, read by senders without it. */
  _Atomic vsig_uid_t uid; /* real */
  _Atomic vsig_uid_t euid, suid;
  _Atomic int state;
  int term_sig;
  bool is_default;

  /* The tree, groups and sessions (tree.c, pgrp.c): registry lock. */
  struct vsig_proc *parent; /* NULL: none (the default process: the host's) */
  struct vsig_proc *kids;   /* children, newest first; zombies included */
  struct vsig_proc *kid_prev, *kid_next;
  struct pgrp *pgrp;
  struct vsig_proc *pg_prev, *pg_next;
  vsig_pid_t sid;
  bool jc_counted; /* counted in pgrp->jobc (pgrp.c) */
  /* Ended (exit or signal) and told to its parent: registry lock. */
  bool exit_done;
  bool reaped;    /* waited for (or never to be): gone once it has no threads */
  int exit_code;  /* vsig_proc_exit's status, when term_sig is 0 */
  int chld_stop;  /* a stop not yet reported to a WUNTRACED wait: its signal */
  bool chld_cont; /* a continue not yet reported to a WCONTINUED wait */
  /* Threads of this process in vsig_waitpid/vsig_waitid: registry lock. */
  uint32_t child_waiters;
  /* A posted note (exit.c): registry lock. */
  struct vsig_proc *note_next;
  bool note_posted, note_dead;
  bool todo_dead; /* the parent's part of an end, still to do */
  int todo_jc;    /* the parent's part of a stop (its signal) or continue */
  uint32_t todo_jc_seq;
  int note_jc;          /* the embedder's job-control callback, still to run: */
  uint32_t note_jc_seq; /* for this stop signal or SIGCONT */
  /* Job control's order (jobctl.c): jc_seq counts stops and continues under
   * the process lock; a report older than the last applied one is dropped
   * (registry lock), and the embedder's callbacks for a process run one at a
   * time, for the latest state (jc_lock). */
  uint32_t jc_seq, jc_reported;
  int jc_want, jc_told; /* 0 running, else the stop signal */
  uint32_t jc_want_seq;
  bool jc_calling;
  /* Job control (jobctl.c): written under the process lock. */
  _Atomic int stopped; /* the stop signal while stopped, else 0 */
  _Atomic int pgrp_orphaned;

  /* Its actions, VSIG_NSIG of them (action.c): the shared table of defaults
   * until the first write of anything else gives it a table of its own, which
   * it keeps until proc_free. */
  _Atomic uint32_t act_seq;
  _Atomic(struct action *) acts;

  /* Process-directed instances stay here until a thread takes one, always the
   * oldest of its signal. Some of them are claimed: promised to particular
   * threads (the sum of their claims); the rest are free for the first thread
   * that unblocks or waits. claimed <= count for every signal, always. A
   * standard signal has at most one instance: its bits say it all. */
  struct sigq pending;
  uint32_t rt_count[VSIG_NSIG - VSIG_SIGRTMIN];   /* instances of each real-time signal */
  uint32_t rt_claimed[VSIG_NSIG - VSIG_SIGRTMIN]; /* claimed, of those */
  uint64_t std_claimed;                           /* standard signals claimed */

  struct vsig_thr *threads; /* attach order */
  size_t nthreads;
  uint64_t clock; /* orders state changes: "waited longest" */

  size_t queued;      /* cells charged to it (queued instances) */
  struct uacct *acct; /* charged for them too (uid.c) */
  size_t acct_room;   /* taken from acct, not in use yet */
  /* The host bridge waits here for room at the queue limit, so that host
   * real-time signals stay queued in the kernel meanwhile. It is woken when an
   * eighth of queue_max is free (or all of it): a batch, not one by one. */
  _Atomic int room_waiter;
  host_event_t room_ev;
  size_t queue_max;
  vsig_proc_attr_t attr;

  struct ptimers timers;
};

enum thr_state {
  T_READY,   /* running, or not in a vsig blocking call */
  T_SIGWAIT, /* in the sigwait family, waiting for waitset */
  T_INTR,    /* in an interruptible call */
  T_NONINTR, /* in an embedder call marked non-interruptible */
};

struct vsig_thr {
  struct hnode node; /* key: thread id */
  struct vsig_proc *proc;
  struct vsig_thr *next; /* in proc->threads, attach order */
  pthread_t host;        /* guarded by the registry lock */

  _Atomic uint64_t mask; /* written only by the thread itself */
  /* The signals whose host state follows the mask (the bridge's direct ones,
   * on a thread of the default process that delivers asynchronously; 0
   * elsewhere, and then mask changes never look further), and of those, the
   * ones its host mask lets through. A mask that blocks one of these blocks
   * it in the host first, so the kernel never interrupts the thread for a
   * signal it blocks (host_mask_close); unblocking reaches the host later,
   * for free, when a host handler returns, and one unblocked meanwhile is
   * reported (host_mask_stale). */
  uint64_t host_follow;
  _Atomic uint64_t host_open;
  /* Standard signals (bit n-1: signal n) reported stale, until the host mask
   * lets them through; and those a handler's frame unblocked inside a host
   * handler whose return lets them through, until then (run_frame lets them
   * through at once if another frame runs first). */
  uint32_t host_stale, host_deferred;
  _Atomic int attention; /* something may be deliverable, or the process died */
  int priority;

  struct sigq tpending; /* thread-directed */
  /* Process-directed instances promised to us: a count per real-time
   * signal; a standard signal's claim (at most one) is its bit here. */
  uint32_t rt_claims[VSIG_NSIG - VSIG_SIGRTMIN];
  _Atomic uint64_t claimed_set; /* signals with claims > 0 */
  /* Free cells kept for this host thread's sends and takes (cell.c). */
  struct qnode *cells;
  uint32_t ncells;

  enum thr_state state;
  uint64_t state_since; /* proc->clock when state was entered */
  /* What ended the current vsig wait, set under the process lock by the first
   * event that ends it, so that later events (a later expiry of the same
   * manual-clock advance) find the thread no longer waiting. */
  enum thr_state wait_state; /* the state and seniority of the wait it ended, */
  _Atomic int wait_sig;      /* a sigwait hand-off; wait_info is valid when set */
  uint64_t wait_since;       /* restored if the signal is gone when it wakes */
  uint64_t waitset;
  struct cinfo wait_info;

  host_event_t ev;
  struct vsig_timer wake; /* timed waits on the manual clock */
  vsig_wake_fn wake_fn;   /* embedder interruptible call */
  void *wake_arg;
  int in_handler;  /* handlers running on this thread (nested) */
  int in_callback; /* terminate callbacks running on this thread */

  /* Asynchronous delivery: a host thread that runs its own code is
   * interrupted when a handler is due on it (see async.c). */
  _Atomic int host_tid;     /* the host's id of the thread, for the interrupt */
  _Atomic int intr_pending; /* an interrupt is on its way: do not send another */
  /* vsig_sigmask_swap: a temporary mask (pselect's, ppoll's) that ends when
   * the first handler starts, whose return restores swap_restore. */
  uint64_t swap_restore;
  bool swap_on;
  bool async;
  uint8_t wait_end;
  bool host_known;
  bool wake_armed;
  bool in_block;
  bool child_wait; /* in vsig_waitpid/vsig_waitid: a child's change wakes it */
};

enum wait_end {
  WE_NONE,
  WE_INTR,    /* a signal with a handler became deliverable */
  WE_TIMEOUT, /* the manual clock reached the wait's deadline */
};

/* ---- global state ------------------------------------------------------------ */

void vsig__init(void);
struct vsig_thr *vsig__self_slow(void);
extern _Thread_local struct vsig_thr *vsig__tls_self;

/* Non-zero on vsig's own threads (the timer service) and on a thread that is
 * detaching: calls from there act as from outside any process, and never make
 * the thread a vsig thread. */
extern _Thread_local int vsig__tls_outside;

/* The calling thread, attaching it to the default process on first use. NULL
 * when memory runs out or the caller is outside any process (no_self()). */
static inline struct vsig_thr *self_thread(void) {
  struct vsig_thr *t = vsig__tls_self;
  return t ? t : vsig__self_slow();
}
/*
 * Asynchronous delivery (async.c). vsig__tls_depth counts the public calls the
 * thread is inside: a host interrupt that finds it non-zero (or a vsig lock
 * held) only sets vsig__tls_deferred, and the outermost call delivers as it
 * returns, so a handler never runs inside vsig. vsig__tls_uctx is the host
 * context of the interrupt or fault whose frames are being delivered: the
 * third argument of SA_SIGINFO handlers.
 */
extern _Thread_local unsigned vsig__tls_depth;
extern _Thread_local int vsig__tls_deferred;
extern _Thread_local void *vsig__tls_uctx;
#define API_ENTER() ((void)vsig__tls_depth++)
void api_deferred(void);
static inline void api_leave(void) {
  if (--vsig__tls_depth == 0 && vsig__tls_deferred)
    api_deferred();
}

/* The error for a call that needs a calling vsig thread and has none. */
static inline int no_self(void) { return vsig__tls_outside ? -EPERM : -ENOMEM; }

/* Registry (registry.c). */
void reg_lock(void);
void reg_unlock(void);
struct vsig_proc *reg_find_proc(vsig_pid_t pid);    /* registry lock held */
struct vsig_thr *reg_find_thread(vsig_thread_t id); /* registry lock held */
int reg_add_proc(struct vsig_proc *p);              /* -ENOMEM */
void reg_del_proc(struct vsig_proc *p);
int reg_add_thread(struct vsig_thr *t);
void reg_del_thread(struct vsig_thr *t);
/* Visit every process, registry lock held. */
void reg_each_proc(void (*fn)(struct vsig_proc *, void *), void *arg);
/* The oldest process, and the one created after p (registry lock held). A
 * pinned process keeps its place until unpinned, even once destroyed. */
struct vsig_proc *reg_first_proc(void);
struct vsig_proc *reg_next_proc(struct vsig_proc *p);
void reg_pin(struct vsig_proc *p);
/* Drop a pin; true if p was destroyed meanwhile and the caller must free it. */
bool reg_unpin(struct vsig_proc *p);
void reg_each_thread(void (*fn)(struct vsig_thr *, void *), void *arg);
void reg_reset(void);
uint64_t reg_next_thread_id(void);
vsig_pid_t reg_next_pid(void);

/* Per-user accounts: the room a process set aside first (uid.c). */
static inline bool uacct_charge(struct vsig_proc *p) { /* false: at the limit */
  if (__builtin_expect(p->acct_room != 0, 1)) {
    p->acct_room--;
    return true;
  }
  return uacct_charge_slow(p);
}
static inline void uacct_uncharge(struct vsig_proc *p) {
  if (__builtin_expect(++p->acct_room >= 2 * UACCT_BATCH, 0))
    uacct_uncharge_slow(p);
}

/* Queues (queue.c). Process lock held. */
bool sigq_put(struct vsig_proc *p, struct sigq *q, int sig, struct inst *in); /* false: merged */
bool sigq_take(struct vsig_proc *p, struct sigq *q, int sig, struct inst *out);
bool sigq_unlink(struct vsig_proc *p, struct sigq *q, int sig, struct qnode *n);
void sigq_drop_sig(struct vsig_proc *p, struct sigq *q, int sig); /* discard all of sig */
void sigq_drop_all(struct vsig_proc *p, struct sigq *q);
void sigq_free_cells(struct sigq *q); /* a process that goes: no accounting */
void queue_release(struct vsig_proc *p, struct inst *in);

/* Cells (cell.c): any lock may be held; the cell lock is the innermost. */
extern _Atomic int vsig__cells_fail;
struct cell *cell_get_slow(struct vsig_thr *me); /* NULL: no memory */
void cell_put_slow(struct vsig_thr *me, struct cell *c);
void cells_thread_gone(struct vsig_thr *t);
void cells_stats(size_t *total, size_t *free_shared);
void cells_fork_prepare(void);
void cells_fork_parent(void);
void cells_fork_child(struct vsig_thr *self);
/* A free cell, from the calling thread's own first (cell.c). */
static inline struct cell *cell_get(void) {
  struct vsig_thr *me = vsig__tls_self;
  if (__builtin_expect(
          me && me->cells && !atomic_load_explicit(&vsig__cells_fail, memory_order_relaxed), 1)) {
    struct qnode *n = me->cells;
    me->cells = n->next;
    me->ncells--;
    return CELL_OF(n);
  }
  return cell_get_slow(me);
}
static inline void cell_put(struct cell *c) {
  struct vsig_thr *me = vsig__tls_self;
  if (__builtin_expect(me && me->ncells < CELL_CACHE_MAX, 1)) {
    c->node.next = me->cells;
    me->cells = &c->node;
    me->ncells++;
    return;
  }
  cell_put_slow(me, c);
}

/* Take a cell before anything is marked pending, so that a full queue fails
 * the call with nothing changed. Without required, a full queue leaves in->n
 * NULL and the instance travels unqueued. */
static inline int queue_reserve(struct vsig_proc *p, struct inst *in, bool required) {
  in->n = NULL;
  if (p->queued < p->queue_max) {
    struct cell *c = cell_get();
    if (c && uacct_charge(p)) {
      c->node.kind = QN_QUEUED;
      in->n = &c->node;
      p->queued++;
      return 0;
    }
    if (c)
      cell_put(c);
  }
  return required ? -EAGAIN : 0;
}
/* The room the host bridge waits for at the queue limit. */
static inline size_t queue_room_wanted(const struct vsig_proc *p) { /* free room */
  size_t n = p->queue_max / 8;
  return n ? n : 1;
}

/* Processes (proc.c). */
struct vsig_proc *proc_new(const vsig_proc_attr_t *attr, vsig_pid_t pid); /* NULL: ENOMEM */
void proc_free(struct vsig_proc *p);
struct vsig_proc *proc_default(void);          /* created on first use */
struct vsig_proc *proc_lookup(vsig_pid_t pid); /* registry lock held */
/* pid is the default process's, which is not made yet (registry lock held). */
bool proc_default_unborn(vsig_pid_t pid);
void proc_reset_default(struct vsig_proc *p);
/* Run the terminate callback (or take the host process down) for pid. */
void proc_notify_dead(vsig_pid_t pid, int sig, bool is_default);
void proc_dead_callback(vsig_pid_t pid, int sig, bool is_default); /* the embedder's part */
void proc_forget_default(struct vsig_proc *p);                     /* registry lock */
struct vsig_proc *proc_default_made(void); /* NULL until made; registry lock */

/* What a send left for the caller to do once it has dropped the locks. */
struct after {
  int deliver_self;    /* the calling thread has something deliverable */
  int stop_sig;        /* the default process stops the host process with it */
  vsig_pid_t jc_pid;   /* a process stopped (jc_sig a stop signal) or continued */
  int jc_sig;          /* (SIGCONT): its parent and the embedder are told */
  uint32_t jc_seq;     /* its place in the process's stops and continues */
  vsig_pid_t dead_pid; /* a process was terminated by dead_sig */
  int dead_sig;
  bool dead_default;
};
void after_run_slow(struct vsig_thr *self, struct after *a);
/* Posted notes and orphaned groups waiting for their SIGHUP (exit.c, pgrp.c). */
extern _Atomic int vsig__notes_count, vsig__hup_count;
/* Inline for the common send that left nothing to do. */
static inline void after_run(struct vsig_thr *self, struct after *a) {
  if (__builtin_expect(a->dead_pid || a->jc_pid || a->stop_sig || a->deliver_self ||
                           atomic_load_explicit(&vsig__notes_count, memory_order_relaxed) ||
                           atomic_load_explicit(&vsig__hup_count, memory_order_relaxed),
                       0))
    after_run_slow(self, a);
}
static inline bool after_pending(const struct after *a) {
  return a->dead_pid || a->jc_pid || a->stop_sig || a->deliver_self;
}
/* Job control (jobctl.c), process lock held. The default action of a stop
 * signal: the process stops (or, for the default process under the host
 * bridge, the host process does once the locks are dropped), unless it is a
 * terminal stop signal and the process group is orphaned. */
void jobctl_stop(struct vsig_proc *p, int sig, struct after *a);
/* Generation of SIGCONT continues the process and discards pending stop
 * signals; generation of a stop signal discards pending SIGCONT. */
void jobctl_generated(struct vsig_proc *p, int sig, struct after *a);
static inline bool proc_stopped(const struct vsig_proc *p) {
  return atomic_load_explicit(&p->stopped, memory_order_relaxed) != 0;
}
/* Sleep while the process is stopped (and alive); the lock is dropped while
 * sleeping. Returns whether it slept. The test is inline: every frame asks. */
bool jobctl_park_slow(struct vsig_thr *t);
static inline bool jobctl_park(struct vsig_thr *t) {
  return __builtin_expect(proc_stopped(t->proc), 0) && jobctl_park_slow(t);
}
/* Report a stop or continue to the parent and the embedder (no lock held). */
void jobctl_report(vsig_pid_t pid, int sig, uint32_t seq);
/* The embedder's part; p pinned (or otherwise kept) by the caller. */
void jobctl_callback(struct vsig_proc *p, int sig, uint32_t seq);
#define STOP_SIGNALS                                                                               \
  (SIGBIT(VSIG_SIGSTOP) | SIGBIT(VSIG_SIGTSTP) | SIGBIT(VSIG_SIGTTIN) | SIGBIT(VSIG_SIGTTOU))
/* A bit test, not a call: raise's fast path asks. */
static inline bool sig_is_stop(int sig) { return (STOP_SIGNALS & SIGBIT(sig)) != 0; }
static inline bool sig_is_jobctl(int sig) {
  return ((STOP_SIGNALS | SIGBIT(VSIG_SIGCONT)) & SIGBIT(sig)) != 0;
}

/* A default action that discards the signal: true. A stop signal's stop is
 * taken here (a stop discards the instance that caused it). */
static inline bool dfl_discarded(struct vsig_proc *p, int sig, struct after *a) {
  if (!dfl_discards(sig))
    return false;
  if (sig_default(sig) == DFL_STOP)
    jobctl_stop(p, sig, a);
  return true;
}

/* The process tree (tree.c), groups (pgrp.c), credentials (cred.c), ends and
 * waits (exit.c, waitpid.c). Registry lock held unless noted. */
void tree_attach(struct vsig_proc *p, struct vsig_proc *parent); /* new process */
void tree_detach(struct vsig_proc *p); /* leaving for good: children to the reaper */
struct vsig_proc *tree_reaper(struct vsig_proc *dying);
/* p ended: reparent its children, tell the parent. */
void exit_notify(struct vsig_proc *p, struct after *a);
/* Tell the (new) parent of zombie p that it ended. */
void exit_report_zombie(struct vsig_proc *p, struct after *a);
void tree_reparent(struct vsig_proc *p, struct after *a);
void tree_unlink(struct vsig_proc *p); /* from its parent's children */
/* Callbacks owed for processes that ended or stopped while the registry lock
 * was held (a group walk): posted with the lock held, run by notes_drain with
 * no lock held. Each process has one slot; it is pinned while posted. */
void note_post(struct vsig_proc *p, bool dead, int jc_sig, uint32_t jc_seq);
/* The parent's part of every posted note (registry lock held, after a walk). */
void notes_parent_part(void);
void notes_drain(void);
/* jobctl_report's part under the registry lock. */
void jobctl_report_locked(struct vsig_proc *p, int sig, uint32_t seq, struct after *a);
/* Remove p (no threads left) from everything and free it unless pinned. */
void proc_remove(struct vsig_proc *p);
/* Wake the threads of p waiting for a child. */
void child_waiters_wake(struct vsig_proc *p);
/* Send SIGCHLD about child c (code CLD_*, status) to its parent, if any. */
void chld_notify(struct vsig_proc *c, int code, int status, struct after *a);
/* Groups. */
struct pgrp;
int pgrp_join_new(struct vsig_proc *p, vsig_pid_t pgid, vsig_pid_t sid); /* -ENOMEM */
void pgrp_join(struct vsig_proc *p, struct pgrp *g);
void pgrp_leave(struct vsig_proc *p);
struct pgrp *pgrp_find(vsig_pid_t pgid);
bool pgrp_id_in_use(vsig_pid_t id); /* a group's or a session's id */
vsig_pid_t pgrp_id(const struct pgrp *g);
/* Whether m keeps its group from being orphaned changed (its parent, its
 * group or its end): update the count. With hup, a group that became orphaned
 * with a stopped member is posted for SIGHUP and SIGCONT (a process ended). */
void pgrp_recount(struct vsig_proc *m, bool hup);
/* SIGHUP then SIGCONT to the groups pgrp_orphan_check found (no lock held). */
void pgrp_hup_drain(void);
void pgrp_reset(void);
void tree_reset(void);  /* after fork */
void notes_reset(void); /* after fork */
/* May a thread of sender (NULL: from outside any process, privileged) send sig to p? */
bool cred_may_signal(struct vsig_proc *sender, struct vsig_proc *p, int sig);
/* Send sig to every member of group g the sender may signal (kill(-pgid)):
 * 0 if any was sent, else the last error (-ESRCH: an empty group). Registry
 * lock held throughout: ends and stops become notes (notes_parent_part, then
 * notes_drain once the lock is dropped). */
int pgrp_send(struct pgrp *g, int sig, const vsig_siginfo_t *info, struct vsig_thr *self,
              struct after *out);
/* kill(-pgid) (pgid 0: the caller's group), with kill's checks (kill.c). */
int kill_group(vsig_pid_t pgid, int sig);
/* Registry lock held: what a send to member m left, as notes (deaths, stops). */
void after_defer(struct vsig_proc *m, struct after *b, struct after *out);

/* Small shared reads. */
#define H_DFL ((uintptr_t)VSIG_SIG_DFL)
#define H_IGN ((uintptr_t)VSIG_SIG_IGN)
/* sig's action in p, for a read of one field. Without the lock it is the
 * value before or after a concurrent write. Acquire: a table of its own that
 * a concurrent write just installed is read as its writer filled it. */
static inline struct action *action_of(struct vsig_proc *p, int sig) {
  return &atomic_load_explicit(&p->acts, memory_order_acquire)[sig];
}
static inline uintptr_t handler_of(struct vsig_proc *p, int sig) {
  return atomic_load_explicit(&action_of(p, sig)->handler, memory_order_relaxed);
}
static inline uint64_t load_mask(struct vsig_thr *t) { return atomic_load(&t->mask); }
/* Signals pending for t: its own and its process's (claimed or not). */
static inline uint64_t pending_for(struct vsig_thr *t) {
  return atomic_load(&t->tpending.set) | atomic_load(&t->proc->pending.set);
}
/* Instances of sig pending on p, claimed ones among them, and t's claims. */
static inline uint32_t pending_count(struct vsig_proc *p, int sig) {
  if (sig_is_rt(sig))
    return p->rt_count[sig - VSIG_SIGRTMIN];
  return (atomic_load_explicit(&p->pending.set, memory_order_relaxed) & SIGBIT(sig)) != 0;
}
static inline uint32_t proc_claimed(struct vsig_proc *p, int sig) {
  return sig_is_rt(sig) ? p->rt_claimed[sig - VSIG_SIGRTMIN] : (p->std_claimed & SIGBIT(sig)) != 0;
}
static inline uint32_t thread_claims(struct vsig_thr *t, int sig) {
  if (sig_is_rt(sig))
    return t->rt_claims[sig - VSIG_SIGRTMIN];
  return (atomic_load_explicit(&t->claimed_set, memory_order_relaxed) & SIGBIT(sig)) != 0;
}
/* Process-directed instances of sig that no thread has a claim on. */
static inline uint32_t unclaimed(struct vsig_proc *p, int sig) {
  return pending_count(p, sig) - proc_claimed(p, sig);
}
/* Drop n of t's claims on sig. Process lock held. */
static inline void claims_dec(struct vsig_thr *t, int sig, uint32_t n) {
  struct vsig_proc *p = t->proc;
  bool gone = true;
  if (sig_is_rt(sig)) {
    t->rt_claims[sig - VSIG_SIGRTMIN] -= n;
    p->rt_claimed[sig - VSIG_SIGRTMIN] -= n;
    gone = t->rt_claims[sig - VSIG_SIGRTMIN] == 0;
  } else {
    p->std_claimed &= ~SIGBIT(sig);
  }
  if (gone)
    atomic_store(&t->claimed_set, atomic_load(&t->claimed_set) & ~SIGBIT(sig));
}
/* One more claim of t on sig. Process lock held. */
static inline void claims_inc(struct vsig_thr *t, int sig) {
  struct vsig_proc *p = t->proc;
  if (sig_is_rt(sig)) {
    t->rt_claims[sig - VSIG_SIGRTMIN]++;
    p->rt_claimed[sig - VSIG_SIGRTMIN]++;
  } else {
    p->std_claimed |= SIGBIT(sig);
  }
  atomic_store(&t->claimed_set, atomic_load(&t->claimed_set) | SIGBIT(sig));
}

/* Delivery: disposition.c, action.c, distribute.c, generate.c, thread_state.c,
 * terminate.c, mask.c, frame.c. Process lock held unless noted. */
/* Lock-free, through the sequence counter; inline, for the raise fast path. */
static inline void action_read(struct vsig_proc *p, int sig, vsig_sigaction_t *out) {
  for (;;) {
    uint32_t s = atomic_load_explicit(&p->act_seq, memory_order_acquire);
    if (s & 1)
      continue;
    /* A table installed in a write after s was read makes the check below
     * fail: the pointer was stored after the counter went odd. */
    struct action *a = action_of(p, sig);
    /* Acquire loads, not a fence (which TSan does not model): the counter
     * below is read after them, and a value from a write in progress makes
     * it read odd or moved. Plain loads on x86. */
    uintptr_t h = atomic_load_explicit(&a->handler, memory_order_acquire);
    uint64_t m = atomic_load_explicit(&a->mask, memory_order_acquire);
    int f = atomic_load_explicit(&a->flags, memory_order_acquire);
    if (atomic_load_explicit(&p->act_seq, memory_order_relaxed) == s) {
      out->sa_handler = (vsig_handler_t)h;
      out->sa_mask.bits = m;
      out->sa_flags = f;
      return;
    }
  }
}
/* 0, or -ENOMEM (nothing changed): the first write of anything but the
 * default gives p a table of its own. A process whose sig is caught has one,
 * so writing its action again never fails. */
int action_write(struct vsig_proc *p, int sig, const vsig_sigaction_t *a);
void actions_init(struct vsig_proc *p);                         /* the shared defaults */
int actions_copy(struct vsig_proc *to, struct vsig_proc *from); /* a new to; -ENOMEM */
void actions_free(struct vsig_proc *p);                         /* proc_free */
/* p (lock held) on a table of its own from now on, its actions unchanged;
 * -ENOMEM. */
int actions_own(struct vsig_proc *p);
/* Tests only, not exported: when n > 0, the n-th table allocation from now
 * fails (and the count stops at 0). */
extern _Atomic int vsig__fail_acts_alloc;
void proc_distribute(struct vsig_proc *p, int sig, struct vsig_thr *self, struct after *a);
int proc_send(struct vsig_proc *p, int sig, const vsig_siginfo_t *info, bool queued,
              struct vsig_thr *self, struct after *a);
int thread_send(struct vsig_thr *t, int sig, const vsig_siginfo_t *info, bool queued,
                struct vsig_thr *self, struct after *a);
void proc_terminate(struct vsig_proc *p, int sig, struct after *a);
/* End p: by signal sig, or (sig 0) by exit with status code. */
void proc_end(struct vsig_proc *p, int sig, int code, struct after *a);
/* Discard every pending instance of sig in p and its threads (sigaction.c). */
void discard_everywhere(struct vsig_proc *p, int sig);
void thread_notify(struct vsig_thr *t, int sig);
/* Interrupt t, ready and running its own code, so that it runs the handler
 * of sig soon (async.c). Process lock held. */
void thread_interrupt(struct vsig_thr *t, int sig);
/* Give instance in of sig to w, waiting for it in the sigwait family. */
void handoff(struct vsig_thr *w, int sig, struct inst *in);
/* Enter a state; the process clock orders entries ("waited longest"). */
void set_state(struct vsig_thr *t, enum thr_state s);
void thread_recompute_attention(struct vsig_thr *t);
void mask_set_locked(struct vsig_thr *t, uint64_t mask, struct after *a);
/* Lock-free mask change by the owner; returns true if a signal became deliverable. */
bool mask_set_self(struct vsig_thr *t, uint64_t mask);
/* The same as a handler's frame ends. */
bool mask_restore_self(struct vsig_thr *t, uint64_t mask);
/* A frame starts with mask while an earlier frame's end left signals for a
 * host handler's return to let through (host_deferred): through now. */
void mask_host_undefer(struct vsig_thr *t, uint64_t mask);
/* mask_set_self as a handler's frame starts, and then that. */
bool mask_enter_frame(struct vsig_thr *t, uint64_t mask);
/* Run the caller's deliverable signals (no lock held). Returns the number of
 * handlers run, or -ECANCELED if the process is dead. *restart is cleared
 * unless every handler had SA_RESTART. */
int deliver_self(struct vsig_thr *t, bool *restart);
/* As deliver_self, but the first handler returns to the mask restore instead
 * of the current one (sigsuspend's temporary mask ends when its handler
 * starts, as the kernel's saved mask does). */
int deliver_self_restoring(struct vsig_thr *t, uint64_t restore, bool *restart);
/* One signal on its way to a handler. */
struct frame {
  int sig;
  int flags;
  uintptr_t handler;
  uint64_t amask;
  uint64_t trace_id;     /* the instance's, for the trace hook; 0 none */
  uint64_t trace_sender; /* its sending thread, when trace_id is set */
  vsig_siginfo_t info;
};
/* Run a handler as the kernel runs a signal frame: the mask becomes the
 * current mask | sa_mask | the signal, signals deliverable under that mask are
 * delivered first (their frames would sit on top), and on return the mask is
 * restore. Returns 1 if restoring the mask made a signal deliverable, else 0,
 * or -ECANCELED if a nested signal ended the process. */
int run_frame(struct vsig_thr *t, struct frame *f, uint64_t restore);
/* Whether handlers are called through an invoker (vsig_set_invoker). */
extern _Atomic(vsig_invoke_fn) vsig__invoker;
static inline bool invoker_set(void) {
  return atomic_load_explicit(&vsig__invoker, memory_order_relaxed) != NULL;
}
/* End t's vsig wait because of ev (process lock held); false if it was not
 * waiting or its wait had already ended. */
bool end_wait(struct vsig_thr *t, enum wait_end ev);
/* Go back to (or on with) waiting in state s. A wait interrupted by a signal
 * that was withdrawn before the thread woke did not end: it keeps its place. */
void resume_wait(struct vsig_thr *t, enum thr_state s);
/* Signals t may take now, given mask (process lock held). */
uint64_t thread_takeable(struct vsig_thr *t, uint64_t mask);
/* Take the instance of sig that t may take (oldest first); process lock held. */
bool thread_take(struct vsig_thr *t, int sig, vsig_siginfo_t *info);
/* Forget t's claims on sig, and hand those instances on again. */
void thread_unclaim(struct vsig_thr *t, int sig, struct after *a);

/* Lookup and send (send.c): -ESRCH for an unknown target. */
int send_to_pid(vsig_pid_t pid, int sig, const vsig_siginfo_t *info, bool queued,
                struct vsig_thr *self);
int send_to_thread(vsig_thread_t id, int sig, int code, const vsig_sigval_t *value);

/* Waiting (wait.c). Sleep until a handler has run (1), the deadline passes
 * (0) or the process is terminated (-ECANCELED); the first handler returns to
 * the mask restore. */
int wait_for_handler(struct vsig_thr *t, int64_t deadline_ns, uint64_t restore);
/* Every vsig wait is a cancellation point (clock_sleep): a cancelled thread's
 * stack unwinds through it (the core is built with -fexceptions, so cleanups
 * run), and the guard then leaves the wait as a return would, so the exiting
 * thread no longer counts as waiting. Set left on every normal return. */
struct wait_guard {
  struct vsig_thr *t;
  bool left;
};
void wait_guard_unwound(struct wait_guard *g);
/* Before a wait, or a look at what is pending: host signals sent before are
 * pending in vsig too (the bridge takes them in). */
static inline void host_signals_in(void) {
  if (atomic_load_explicit(&vsig__bridge_on, memory_order_relaxed))
    host_bridge_take_pending();
}
#define WAIT_GUARD(name, thread)                                                                   \
  struct wait_guard name __attribute__((cleanup(wait_guard_unwound))) = {(thread), false}
bool timespec_ok(const struct timespec *ts);
int64_t deadline_after(const struct timespec *ts); /* -1: too far, forever */

/* The clock (clock.c). */
int64_t clock_now(void);
bool clock_is_manual(void);
void clock_mark_used(void);
/* A timed wait: begin before the thread first shows as waiting, end after it
 * last does; in between, sleep on t->ev until signalled or the deadline (-1:
 * forever) on vsig's clock. */
void clock_wait_begin(struct vsig_thr *t, int64_t deadline);
void clock_wait_end(struct vsig_thr *t);
void clock_sleep(struct vsig_thr *t, uint32_t token, int64_t deadline);
static inline int64_t sat_add(int64_t a, int64_t b) {
  return a > INT64_MAX - b ? INT64_MAX : a + b;
}
/* sec * 1e9 + nsec, saturating; both non-negative, nsec < 1e9. */
static inline int64_t ns_of(int64_t sec, int64_t nsec) {
  return sec > (INT64_MAX - nsec) / 1000000000 ? INT64_MAX : sec * 1000000000 + nsec;
}

/* The timer service (timer_service.c). Lock order: registry, service, process. */
void tsvc_lock(void);
void tsvc_unlock(void);
/* Arm t to expire at deadline and then every period (0: once); replaces any
 * earlier arming. On the manual clock a deadline already past fires at once,
 * collecting in *a what the caller must do after unlocking. Service lock held. */
int tsvc_arm(struct vsig_timer *t, int64_t deadline, int64_t period, struct after *a); /* -ENOMEM */
void tsvc_disarm(struct vsig_timer *t);
void tsvc_reset_after_fork(void);
size_t tsvc_armed(void);

/* Timers and processes (timer.c). */
void timer_node_taken(struct qnode *n, vsig_siginfo_t *info); /* process lock */
/* The siginfo it would be taken with now, without taking it (trace.c). */
void timer_node_info(const struct qnode *n, vsig_siginfo_t *info);
/* An expiry: queue the timer's signal, or count an overrun. Process lock. */
void timer_generate(struct vsig_timer *t, struct vsig_proc *p, struct after *a);
struct vsig_proc *timer_proc(const struct vsig_timer *t);
/* Forget a timer whose signal may be pending. Service and process locks. */
void timer_unqueue(struct vsig_timer *t, struct vsig_proc *p);
void timers_free(struct vsig_proc *p);      /* process gone: memory only */
void timers_proc_stop(struct vsig_proc *p); /* registry lock held, before destroy */
struct vsig_timer *ptimer_get(struct vsig_proc *p, vsig_timer_t id); /* process lock */
struct vsig_timer *ptimer_new(struct vsig_proc *p, int *err);        /* process lock */
void ptimer_release(struct vsig_proc *p, struct vsig_timer *t);      /* both locks */
void timers_proc_dead(vsig_pid_t pid);                               /* no lock held */
void timers_thread_gone(struct vsig_thr *t);                         /* service and process locks */
struct vsig_timer *timer_alloc_internal(struct vsig_proc *p, int sig);           /* process lock */
void itimer_to_spec(const struct vsig_timer *t, int64_t *left, int64_t *period); /* svc lock */

/* Send a prepared instance (used by timers, whose node is their own). */
void proc_send_inst(struct vsig_proc *p, int sig, struct inst *in, struct vsig_thr *self,
                    struct after *a);
void thread_send_inst(struct vsig_thr *t, int sig, struct inst *in, struct vsig_thr *self,
                      struct after *a);
/* Keep claims within the instances left after one was removed. */
void proc_pending_shrunk(struct vsig_proc *p, int sig);

/* siginfo for a signal sent by the calling thread. */
void info_init(vsig_siginfo_t *info, int sig, int code, struct vsig_thr *sender);

/*
 * Tracing (trace.c). Every hook point costs one relaxed load and a branch
 * predicted not taken while no hook is set; the work is out of line. An
 * instance's trace id (and its sending thread) travel from its generation to
 * where it is taken in two spare words of its siginfo, which trace_take_id
 * zeroes before anyone sees them; a timer's signal, whose siginfo is made
 * when it is taken, gets them from its timer's trace_seq then.
 */
extern _Atomic(vsig_trace_fn) vsig__trace_fn;
#define TRACING()                                                                                  \
  __builtin_expect(atomic_load_explicit(&vsig__trace_fn, memory_order_relaxed) != NULL, 0)
/* Out of line and out of the way: the code around a hook point stays as it
 * was without one. */
#define TRACE_COLD __attribute__((cold, noinline))
#define TRACE_ID(info) ((info)->si_spare_[8])
#define TRACE_SENDER(info) ((info)->si_spare_[7])
/* The id the taken instance carries (0: none), and in *sender its sending
 * thread; its words are cleared. Always called where an instance is taken:
 * tracing may have stopped meanwhile. */
static inline uint64_t trace_take_id(vsig_siginfo_t *info, uint64_t *sender) {
  uint64_t id = TRACE_ID(info);
  if (__builtin_expect(id != 0, 0)) {
    *sender = TRACE_SENDER(info);
    TRACE_ID(info) = 0;
    TRACE_SENDER(info) = 0;
  } else {
    *sender = 0;
  }
  return id;
}
/* The generation of sig for p (thread t, or NULL: process-directed): marks
 * info (the copy that is queued) with a new id, and returns it. */
TRACE_COLD uint64_t trace_generate(struct vsig_proc *p, struct vsig_thr *t, int sig,
                                   vsig_siginfo_t *info);
/* A generation whose signal is discarded at once, for reason. */
TRACE_COLD void trace_generate_discard(struct vsig_proc *p, struct vsig_thr *t, int sig,
                                       const vsig_siginfo_t *info, int reason);
/* raise's own path (and a host fault's): the calling thread sends sig, with
 * info, to itself. */
TRACE_COLD uint64_t trace_raise(struct vsig_thr *t, int sig, const vsig_siginfo_t *info);
TRACE_COLD void trace_raise_discard(struct vsig_thr *t, int sig);
/* proc_distribute chose for sig (chosen NULL: step 5, it stays pending). */
TRACE_COLD void trace_choose(struct vsig_proc *p, int sig, struct vsig_thr *chosen, int step);
/* The generation whose distribution the calling thread is in (0: a
 * redistribution, which no one generation caused). */
extern _Thread_local uint64_t vsig__trace_cause;
TRACE_COLD void trace_discard(struct vsig_proc *p, struct vsig_thr *t, int sig,
                              const vsig_siginfo_t *info, int reason);
/* Every instance of sig pending in q (t's, or the process's with t NULL) is
 * about to be dropped for reason; with sig 0, every signal pending in q. */
TRACE_COLD void trace_discard_queue(struct vsig_proc *p, struct vsig_thr *t, struct sigq *q,
                                    int sig, int reason);
TRACE_COLD void trace_deliver(struct vsig_thr *t, const struct frame *f);
TRACE_COLD void trace_return(struct vsig_thr *t, const struct frame *f);
TRACE_COLD void trace_accept(struct vsig_thr *t, const vsig_siginfo_t *info, uint64_t id,
                             uint64_t sender);
/* An expiry of tm, before its signal is queued (or merged, or counted). */
TRACE_COLD void trace_timer(struct vsig_timer *tm, struct vsig_proc *p);
/* tm's signal is about to be queued: its generation, and its trace id. */
TRACE_COLD void trace_timer_signal(struct vsig_timer *tm, struct vsig_proc *p);
/* tm goes with its signal pending. */
TRACE_COLD void trace_timer_gone(struct vsig_timer *tm, struct vsig_proc *p);
TRACE_COLD void trace_terminate(struct vsig_proc *p, int sig);
/* fork holds the hook's lock across the fork; the child makes it anew. */
void trace_fork_prepare(void);
void trace_fork_parent(void);
void trace_fork_child(void);
/* The id a timer's pending signal carries: the top bit keeps timers' ids
 * apart from sends'. */
static inline uint64_t trace_timer_id(uint32_t seq) { return seq ? (UINT64_C(1) << 63) | seq : 0; }
static inline int set_errno(int rc) {
  if (rc < 0) {
    errno = -rc;
    return -1;
  }
  return rc;
}

#endif
