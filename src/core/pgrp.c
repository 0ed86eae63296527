/* SPDX-License-Identifier: MIT */
/*
 * Process groups and sessions. A group lives while it has members; a session
 * is the set of groups that share its id. Everything here is under the
 * registry lock; senders read a process's "orphaned" flag without it (the
 * terminal stop signals' default action). Each group lists its members, so
 * signalling a group costs its size.
 */
#include "internal.h"

#include <stdlib.h>

struct pgrp {
  struct hnode node; /* key: pgid */
  vsig_pid_t pgid, sid;
  struct vsig_proc *members;
  size_t n;
  /* Members whose parent is in another group of the same session (the shell
   * that would continue them): the group is orphaned when there are none. */
  size_t jobc;
  bool orphaned;
  bool hup_posted; /* on the SIGHUP list below */
  struct pgrp *hup_next;
};

/* pgid -> group. */
static struct htab groups;
static struct pgrp *hup_head;
_Atomic int vsig__hup_count; /* groups on the list: looked at without the lock */

/* sid -> the number of groups in that session, so that a pid still naming a
 * session is not handed out again (registry.c). */
struct sess {
  struct hnode node; /* key: sid */
  size_t groups;
};
static struct htab sessions;

static uint64_t key_of(vsig_pid_t id) { return (uint64_t)(uint32_t)id; }

static struct sess *sess_find(vsig_pid_t sid) {
  struct hnode *n = htab_find(&sessions, key_of(sid));
  return n ? NODE_OWNER(n, struct sess, node) : NULL;
}

static bool sess_ref(vsig_pid_t sid) {
  struct sess *x = sess_find(sid);
  if (!x) {
    x = calloc(1, sizeof *x);
    if (!x)
      return false;
    x->node.key = key_of(sid);
    if (htab_add(&sessions, &x->node) < 0) {
      free(x);
      return false;
    }
  }
  x->groups++;
  return true;
}

static void sess_unref(vsig_pid_t sid) {
  struct sess *x = sess_find(sid);
  if (x && --x->groups == 0) {
    htab_del(&sessions, &x->node);
    free(x);
  }
}

bool pgrp_id_in_use(vsig_pid_t id) { return pgrp_find(id) || sess_find(id); }

struct pgrp *pgrp_find(vsig_pid_t pgid) {
  struct hnode *n = htab_find(&groups, key_of(pgid));
  return n ? NODE_OWNER(n, struct pgrp, node) : NULL;
}

vsig_pid_t pgrp_id(const struct pgrp *g) { return g->pgid; }
void pgrp_join(struct vsig_proc *p, struct pgrp *g) {
  p->pgrp = g;
  p->sid = g->sid;
  p->pg_prev = NULL;
  p->pg_next = g->members;
  if (g->members)
    g->members->pg_prev = p;
  g->members = p;
  g->n++;
  atomic_store_explicit(&p->pgrp_orphaned, g->orphaned, memory_order_relaxed);
  pgrp_recount(p, false);
}

/* A new, empty group in the table. */
static struct pgrp *pgrp_new(vsig_pid_t pgid, vsig_pid_t sid) {
  struct pgrp *g = calloc(1, sizeof *g);
  if (!g)
    return NULL;
  g->node.key = key_of(pgid);
  if (htab_add(&groups, &g->node) < 0) {
    free(g);
    return NULL;
  }
  if (!sess_ref(sid)) {
    htab_del(&groups, &g->node);
    free(g);
    return NULL;
  }
  g->pgid = pgid;
  g->sid = sid;
  g->orphaned = true;
  return g;
}

int pgrp_join_new(struct vsig_proc *p, vsig_pid_t pgid, vsig_pid_t sid) {
  struct pgrp *g = pgrp_new(pgid, sid);
  if (!g)
    return -ENOMEM;
  pgrp_join(p, g);
  return 0;
}

static void flip(struct pgrp *g, bool hup);

static void hup_unpost(struct pgrp *g) {
  for (struct pgrp **pp = &hup_head; *pp; pp = &(*pp)->hup_next)
    if (*pp == g) {
      *pp = g->hup_next;
      atomic_fetch_sub_explicit(&vsig__hup_count, 1, memory_order_relaxed);
      break;
    }
  g->hup_posted = false;
}

void pgrp_leave(struct vsig_proc *p) {
  struct pgrp *g = p->pgrp;
  if (!g)
    return;
  if (p->jc_counted) {
    p->jc_counted = false;
    g->jobc--;
  }
  if (p->pg_prev)
    p->pg_prev->pg_next = p->pg_next;
  else
    g->members = p->pg_next;
  if (p->pg_next)
    p->pg_next->pg_prev = p->pg_prev;
  p->pg_prev = p->pg_next = NULL;
  p->pgrp = NULL;
  if (--g->n) {
    flip(g, false);
    return;
  }
  htab_del(&groups, &g->node);
  if (g->hup_posted)
    hup_unpost(g);
  sess_unref(g->sid);
  free(g);
}

/* A group's or a session's node is where it starts. */
_Static_assert(offsetof(struct pgrp, node) == 0 && offsetof(struct sess, node) == 0, "");
static void free_node(struct hnode *n, void *arg) {
  (void)arg;
  free(n);
}

void pgrp_reset(void) {
  /* After fork the child's processes are rebuilt: the groups go with them. */
  htab_each(&groups, free_node, NULL);
  htab_each(&sessions, free_node, NULL);
  htab_free(&groups);
  htab_free(&sessions);
  hup_head = NULL;
  atomic_store(&vsig__hup_count, 0);
}

/* ---- orphaned groups ---------------------------------------------------------------- */

static bool has_stopped(const struct pgrp *g) {
  for (const struct vsig_proc *m = g->members; m; m = m->pg_next)
    if (!m->exit_done && proc_stopped(m))
      return true;
  return false;
}

/* The group's orphanhood follows its count; members carry a copy that
 * senders read without the registry lock. */
static void flip(struct pgrp *g, bool hup) {
  bool now = g->jobc == 0;
  if (now == g->orphaned)
    return;
  g->orphaned = now;
  for (struct vsig_proc *m = g->members; m; m = m->pg_next)
    atomic_store_explicit(&m->pgrp_orphaned, now, memory_order_relaxed);
  if (now && hup && !g->hup_posted && has_stopped(g)) {
    g->hup_posted = true;
    g->hup_next = hup_head;
    hup_head = g;
    atomic_fetch_add_explicit(&vsig__hup_count, 1, memory_order_relaxed);
  }
}

void pgrp_recount(struct vsig_proc *m, bool hup) {
  const struct vsig_proc *par = m->parent;
  struct pgrp *g = m->pgrp;
  if (!g)
    return;
  bool want = !m->exit_done && par && par->pgrp != g && par->sid == m->sid;
  if (want == m->jc_counted)
    return;
  m->jc_counted = want;
  if (want)
    g->jobc++;
  else
    g->jobc--;
  flip(g, hup);
}

/* A group newly orphaned with a stopped member is told SIGHUP then SIGCONT,
 * from no process (the kernel's). */
void pgrp_hup_drain(void) {
  if (!atomic_load_explicit(&vsig__hup_count, memory_order_relaxed))
    return;
  for (;;) {
    reg_lock();
    struct pgrp *g = hup_head;
    if (!g) {
      reg_unlock();
      return;
    }
    hup_head = g->hup_next;
    g->hup_posted = false;
    atomic_fetch_sub_explicit(&vsig__hup_count, 1, memory_order_relaxed);
    vsig_siginfo_t info = {0};
    info.si_code = VSIG_SI_KERNEL;
    struct after a = {0};
    info.si_signo = VSIG_SIGHUP;
    pgrp_send(g, VSIG_SIGHUP, &info, NULL, &a);
    info.si_signo = VSIG_SIGCONT;
    pgrp_send(g, VSIG_SIGCONT, &info, NULL, &a);
    notes_parent_part();
    reg_unlock();
    after_run(vsig__tls_self, &a);
  }
}

/* ---- sending to a group --------------------------------------------------------- */

/* What one member's send left to do: with the registry lock held, deaths and
 * stops become notes, run once it is dropped. */
void after_defer(struct vsig_proc *m, struct after *b, struct after *out) {
  if (b->dead_pid || b->jc_pid)
    note_post(m, b->dead_pid != 0, b->jc_pid ? b->jc_sig : 0, b->jc_seq);
  if (b->deliver_self)
    out->deliver_self = 1;
  if (b->stop_sig)
    out->stop_sig = b->stop_sig;
}

int pgrp_send(struct pgrp *g, int sig, const vsig_siginfo_t *info, struct vsig_thr *self,
              struct after *out) {
  struct vsig_proc *sender = self ? self->proc : NULL;
  int rc = -ESRCH;
  bool sent = false;
  for (struct vsig_proc *m = g->members; m; m = m->pg_next) {
    if (!cred_may_signal(sender, m, sig)) {
      rc = -EPERM;
      continue;
    }
    int e = 0;
    if (sig) {
      struct after b = {0};
      host_lock(&m->lock);
      e = proc_send(m, sig, info, false, self, &b);
      host_unlock(&m->lock);
      after_defer(m, &b, out);
    }
    if (e)
      rc = e;
    else
      sent = true;
  }
  return sent ? 0 : rc;
}

/* ---- the POSIX calls -------------------------------------------------------------- */

static struct vsig_proc *caller_proc(int *err) {
  struct vsig_thr *t = self_thread();
  if (!t) {
    *err = no_self();
    return NULL;
  }
  return t->proc;
}

/* Move p to group g, or (g NULL) to a new group pgid in session sid; the
 * groups it leaves and joins, and its children's, may change orphanhood. */
static int move(struct vsig_proc *p, struct pgrp *g, vsig_pid_t pgid, vsig_pid_t sid) {
  if (!g && !(g = pgrp_new(pgid, sid)))
    return -ENOMEM;
  pgrp_leave(p);
  pgrp_join(p, g);
  for (struct vsig_proc *k = p->kids; k; k = k->kid_next)
    pgrp_recount(k, false); /* their parent's group changed */
  return 0;
}

static int do_setpgid(vsig_pid_t pid, vsig_pid_t pgid) {
  if (pgid < 0)
    return -EINVAL;
  int err = 0;
  struct vsig_proc *me = caller_proc(&err);
  if (!me)
    return err;
  reg_lock();
  struct vsig_proc *p = pid == 0 ? me : proc_lookup(pid);
  int rc = 0;
  if (!p || (p != me && p->parent != me) || p->exit_done) {
    rc = -ESRCH; /* only the caller and its children */
  } else if (p->sid == p->pid || p->sid != me->sid) {
    rc = -EPERM; /* a session leader, or a child in another session */
  } else {
    if (pgid == 0)
      pgid = p->pid;
    struct pgrp *g = pgrp_find(pgid);
    if (g && g->sid != me->sid)
      rc = -EPERM;
    else if (!g && pgid != p->pid)
      rc = -EPERM; /* a new group's id is its leader's pid */
    else if (g != p->pgrp)
      rc = move(p, g, pgid, me->sid);
  }
  reg_unlock();
  return rc;
}

static vsig_pid_t do_getpgid(vsig_pid_t pid) {
  int err = 0;
  struct vsig_proc *me = NULL;
  if (pid == 0 && !(me = caller_proc(&err)))
    return err;
  vsig__init();
  reg_lock();
  struct vsig_proc *p = pid == 0 ? me : pid > 0 ? proc_lookup(pid) : NULL;
  vsig_pid_t rc = p && p->pgrp ? p->pgrp->pgid : -ESRCH;
  reg_unlock();
  return rc;
}

static vsig_pid_t do_getsid(vsig_pid_t pid) {
  int err = 0;
  struct vsig_proc *me = NULL;
  if (pid == 0 && !(me = caller_proc(&err)))
    return err;
  vsig__init();
  reg_lock();
  struct vsig_proc *p = pid == 0 ? me : pid > 0 ? proc_lookup(pid) : NULL;
  vsig_pid_t rc = p && p->pgrp ? p->sid : -ESRCH;
  reg_unlock();
  return rc;
}

static vsig_pid_t do_setsid(void) {
  int err = 0;
  struct vsig_proc *me = caller_proc(&err);
  if (!me)
    return err;
  reg_lock();
  vsig_pid_t rc;
  /* Not if some group already has the caller's pid as its id: the new group
   * would share it. */
  if (pgrp_find(me->pid))
    rc = -EPERM;
  else
    rc = move(me, NULL, me->pid, me->pid) < 0 ? -ENOMEM : me->pid;
  reg_unlock();
  return rc;
}

static int do_killpg(vsig_pid_t pgrp, int sig) {
  if (pgrp < 0)
    return -EINVAL;
  return kill_group(pgrp, sig);
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_setpgid(vsig_pid_t pid, vsig_pid_t pgid) {
  API_ENTER();
  int rc = set_errno(do_setpgid(pid, pgid));
  api_leave();
  return rc;
}

vsig_pid_t vsig_getpgid(vsig_pid_t pid) {
  API_ENTER();
  vsig_pid_t rc = set_errno(do_getpgid(pid));
  api_leave();
  return rc;
}

vsig_pid_t vsig_getpgrp(void) {
  API_ENTER();
  vsig_pid_t rc = do_getpgid(0);
  api_leave();
  return rc < 0 ? 0 : rc; /* in no process: none */
}

vsig_pid_t vsig_setsid(void) {
  API_ENTER();
  vsig_pid_t rc = set_errno(do_setsid());
  api_leave();
  return rc;
}

vsig_pid_t vsig_getsid(vsig_pid_t pid) {
  API_ENTER();
  vsig_pid_t rc = set_errno(do_getsid(pid));
  api_leave();
  return rc;
}

int vsig_killpg(vsig_pid_t pgrp, int sig) {
  API_ENTER();
  int rc = set_errno(do_killpg(pgrp, sig));
  api_leave();
  return rc;
}
