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

#define SIGBIT(s) (UINT64_C(1) << ((s)-1))
#define ALL_SIGNALS (~UINT64_C(0))
#define UNBLOCKABLE (SIGBIT(VSIG_SIGKILL) | SIGBIT(VSIG_SIGSTOP))
#define RT_SIGNALS (ALL_SIGNALS << (VSIG_SIGRTMIN - 1))

static inline bool sig_valid(int sig) { return sig >= 1 && sig < VSIG_NSIG; }
static inline bool sig_is_rt(int sig) { return sig >= VSIG_SIGRTMIN; }
static inline int lowest_sig(uint64_t bits) { return __builtin_ctzll(bits) + 1; }

/* Default dispositions (Linux). */
enum dfl { DFL_TERM, DFL_CORE, DFL_IGN, DFL_STOP, DFL_CONT };
enum dfl sig_default(int sig);
/* Whether the default action discards the signal. Stop and continue are job
 * control, not implemented yet: they are discarded too (README). */
static inline bool dfl_discards(int sig) { return sig_default(sig) >= DFL_IGN; }

/* ---- pending instances ---------------------------------------------------- */

/* A queued instance: one pool slot. */
struct qentry {
  struct qentry *next;
  vsig_siginfo_t info;
};

/* One pending instance in transit: a pool slot, or (e == NULL) the info of an
 * unqueued instance. */
struct inst {
  struct qentry *e;
  vsig_siginfo_t info;
};

/* Pending signals of a process or of a thread. Real-time signals queue in FIFO
 * order; a standard signal (or a real-time one sent by kill when the pool is
 * empty) has one unqueued slot, which comes after the queued instances. */
struct sigq {
  _Atomic uint64_t set; /* signals with at least one instance here */
  uint64_t unq;         /* signals whose unqueued slot is used */
  uint32_t count[VSIG_NSIG];
  struct qentry *head[VSIG_NSIG], *tail[VSIG_NSIG];
  vsig_siginfo_t unq_info[VSIG_NSIG];
};

/* ---- processes and threads ------------------------------------------------- */

struct hnode {
  struct hnode *next;
  uint64_t key;
};

/* An action, readable without the lock through a sequence counter (the raise
 * fast path). Written only under the process lock. */
struct action {
  _Atomic uintptr_t handler;
  _Atomic uint64_t mask;
  _Atomic int flags;
};

enum proc_state { P_ALIVE, P_DEAD };

struct vsig_proc {
  struct hnode node; /* key: pid */
  host_lock_t lock;
  vsig_pid_t pid;
  vsig_uid_t uid;
  _Atomic int state;
  int term_sig;
  bool is_default;

  _Atomic uint32_t act_seq;
  struct action act[VSIG_NSIG];

  /* Process-directed instances stay here until a thread takes one, always the
   * oldest of its signal. claimed[sig] of them are promised to particular
   * threads (the sum of their claims); the rest are free for the first thread
   * that unblocks or waits. claimed[sig] <= pending.count[sig] always. */
  struct sigq pending;
  uint32_t claimed[VSIG_NSIG];

  struct vsig_thr *threads; /* attach order */
  size_t nthreads;
  uint64_t clock; /* orders state changes: "waited longest" */

  struct qentry *pool;
  struct qentry *pool_free;
  size_t queue_max;
  vsig_proc_attr_t attr;
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
  struct vsig_thr *next;        /* in proc->threads, attach order */
  pthread_t host;               /* guarded by the registry lock */
  bool host_known;

  _Atomic uint64_t mask; /* written only by the thread itself */
  _Atomic int attention; /* something may be deliverable, or the process died */

  struct sigq tpending;           /* thread-directed */
  uint32_t claims[VSIG_NSIG];     /* process-directed instances promised to us */
  _Atomic uint64_t claimed_set;   /* signals with claims > 0 */

  int priority;
  enum thr_state state;
  uint64_t state_since; /* proc->clock when state was entered */
  uint64_t waitset;
  _Atomic int wait_sig; /* a sigwait hand-off; wait_info is valid when set */
  vsig_siginfo_t wait_info;

  host_event_t ev;
  vsig_wake_fn wake_fn; /* embedder interruptible call */
  void *wake_arg;
  bool in_block;
};

/* ---- global state ------------------------------------------------------------ */

void vsig__init(void);
struct vsig_thr *vsig__self_slow(void);
extern _Thread_local struct vsig_thr *vsig__tls_self;

/* The calling thread, attaching it to the default process on first use. NULL
 * only when memory runs out. */
static inline struct vsig_thr *self_thread(void) {
  struct vsig_thr *t = vsig__tls_self;
  return t ? t : vsig__self_slow();
}

/* Registry (registry.c). */
void reg_lock(void);
void reg_unlock(void);
struct vsig_proc *reg_find_proc(vsig_pid_t pid);        /* registry lock held */
struct vsig_thr *reg_find_thread(vsig_thread_t id);     /* registry lock held */
int reg_add_proc(struct vsig_proc *p);                  /* -ENOMEM */
void reg_del_proc(struct vsig_proc *p);
int reg_add_thread(struct vsig_thr *t);
void reg_del_thread(struct vsig_thr *t);
/* Visit every process, registry lock held. */
void reg_each_proc(void (*fn)(struct vsig_proc *, void *), void *arg);
void reg_each_thread(void (*fn)(struct vsig_thr *, void *), void *arg);
void reg_reset(void);
uint64_t reg_next_thread_id(void);
vsig_pid_t reg_next_pid(void);

/* Queues (queue.c). Process lock held. */
bool sigq_put(struct sigq *q, int sig, struct inst *in); /* false: merged */
bool sigq_take(struct sigq *q, int sig, struct inst *out);
void sigq_drop_sig(struct vsig_proc *p, struct sigq *q, int sig); /* discard all of sig */
void sigq_drop_all(struct vsig_proc *p, struct sigq *q);
int pool_reserve(struct vsig_proc *p, struct inst *in, bool required); /* -EAGAIN */
void pool_release(struct vsig_proc *p, struct inst *in);
int pool_init(struct vsig_proc *p, size_t n);
void pool_destroy(struct vsig_proc *p);

/* Processes (proc.c). */
struct vsig_proc *proc_new(const vsig_proc_attr_t *attr, vsig_pid_t pid); /* NULL: ENOMEM */
void proc_free(struct vsig_proc *p);
struct vsig_proc *proc_default(void); /* created on first use */
void proc_reset_default(struct vsig_proc *p);

/* What a send left for the caller to do once it has dropped the locks. */
struct after {
  int deliver_self;   /* the calling thread has something deliverable */
  vsig_pid_t dead_pid; /* a process was terminated by dead_sig */
  int dead_sig;
  bool dead_default;
};
void after_run(struct vsig_thr *self, struct after *a);

/* Delivery (deliver.c). Process lock held unless noted. */
void action_read(struct vsig_proc *p, int sig, vsig_sigaction_t *out); /* lock-free */
void action_write(struct vsig_proc *p, int sig, const vsig_sigaction_t *a);
void proc_distribute(struct vsig_proc *p, int sig, struct vsig_thr *self, struct after *a);
int proc_send(struct vsig_proc *p, int sig, const vsig_siginfo_t *info, bool queued,
              struct vsig_thr *self, struct after *a);
int thread_send(struct vsig_thr *t, int sig, const vsig_siginfo_t *info, bool queued,
                struct vsig_thr *self, struct after *a);
void proc_terminate(struct vsig_proc *p, int sig, struct after *a);
void thread_notify(struct vsig_thr *t);
void thread_recompute_attention(struct vsig_thr *t);
void mask_set_locked(struct vsig_thr *t, uint64_t mask, struct after *a);
/* Lock-free mask change by the owner; returns true if a signal became deliverable. */
bool mask_set_self(struct vsig_thr *t, uint64_t mask);
/* Run the caller's deliverable signals (no lock held). Returns the number of
 * handlers run, or -ECANCELED if the process is dead. *restart is cleared
 * unless every handler had SA_RESTART. */
int deliver_self(struct vsig_thr *t, bool *restart);
/* Run one handler with the handler mask; true if restoring the mask made a
 * signal deliverable. */
bool run_handler(struct vsig_thr *t, int sig, vsig_siginfo_t *info, uintptr_t handler,
                 uint64_t amask, int flags);
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

/* Waiting (wait.c). */
int wait_for_handler(struct vsig_thr *t, int64_t deadline_ns);
bool timespec_ok(const struct timespec *ts);
int64_t deadline_after(const struct timespec *ts); /* -1: too far, forever */

/* siginfo for a signal sent by the calling thread. */
void info_init(vsig_siginfo_t *info, int sig, int code, struct vsig_thr *sender);

static inline int set_errno(int rc) {
  if (rc < 0) {
    errno = -rc;
    return -1;
  }
  return rc;
}

#endif
