/* SPDX-License-Identifier: MIT */
/*
 * User ids and the permission to signal. A process has a real, an effective
 * and a saved user id; the setuid family changes them by Linux's rules, where
 * an effective id of 0 is privileged (it stands for CAP_SETUID and CAP_KILL).
 * Written under the registry lock; senders read them as atomics.
 */
#include "internal.h"

static vsig_uid_t ld(const _Atomic vsig_uid_t *u) {
  return atomic_load_explicit(u, memory_order_relaxed);
}

/* POSIX and Linux: the sender's real or effective id is the target's real or
 * saved id, or the sender is privileged, or it is SIGCONT within a session.
 * A sender outside every process (the embedder) may signal anything. */
bool cred_may_signal(struct vsig_proc *sender, struct vsig_proc *p, int sig) {
  if (!sender || sender == p)
    return true;
  vsig_uid_t r = ld(&sender->uid), e = ld(&sender->euid);
  vsig_uid_t tr = ld(&p->uid), ts = ld(&p->suid);
  if (e == 0 || r == tr || r == ts || e == tr || e == ts)
    return true;
  return sig == VSIG_SIGCONT && sender->sid == p->sid && p->sid != 0;
}

static struct vsig_proc *caller(int *err) {
  struct vsig_thr *t = self_thread();
  if (!t) {
    *err = no_self();
    return NULL;
  }
  return t->proc;
}

#define KEEP VSIG_UID_SAME /* "-1": leave this id as it is */

enum rule { SETUID, SETEUID, SETREUID, SETRESUID };

/* The new ids (*r, *e, *s; KEEP leaves one) that the call asks for, given the
 * current ones, or -EPERM. */
static int apply(enum rule rule, vsig_uid_t cr, vsig_uid_t ce, vsig_uid_t cs, vsig_uid_t *r,
                 vsig_uid_t *e, vsig_uid_t *s) {
  bool priv = ce == 0;
#define ANY(x) ((x) == KEEP || priv || (x) == cr || (x) == ce || (x) == cs)
  switch (rule) {
  case SETUID:
    /* Privileged: all three. Otherwise the effective one, to the real or saved. */
    if (priv) {
      *r = *s = *e;
      return 0;
    }
    return *e == cr || *e == cs ? 0 : -EPERM;
  case SETREUID:
    /* The real id may become the real or effective one, the effective any of
     * the three; the saved id follows the new effective one when the real id
     * is set, or the effective one is set to other than the old real. */
    if (*r != KEEP && !priv && *r != cr && *r != ce)
      return -EPERM;
    if (!ANY(*e))
      return -EPERM;
    if (*r != KEEP || (*e != KEEP && *e != cr))
      *s = *e != KEEP ? *e : ce;
    return 0;
  case SETEUID:
  case SETRESUID:
  default:
    /* Unprivileged, each new id must be one of the three current ones. */
    return ANY(*r) && ANY(*e) && ANY(*s) ? 0 : -EPERM;
  }
#undef ANY
}

/* Every rule reads the current ids and writes the new ones in one hold of the
 * registry lock: two threads of a process changing them at once act one after
 * the other. A failed call changes nothing. */
static int set_ids(enum rule rule, vsig_uid_t r, vsig_uid_t e, vsig_uid_t s) {
  int err = 0;
  struct vsig_proc *p = caller(&err);
  if (!p)
    return err;
  reg_lock();
  vsig_uid_t cr = ld(&p->uid);
  int rc = apply(rule, cr, ld(&p->euid), ld(&p->suid), &r, &e, &s);
  /* Its queued signals are charged to its real user id. */
  if (rc == 0 && r != KEEP && r != cr)
    rc = uacct_move(p, r);
  if (rc == 0) {
    if (r != KEEP)
      atomic_store(&p->uid, r);
    if (e != KEEP)
      atomic_store(&p->euid, e);
    if (s != KEEP)
      atomic_store(&p->suid, s);
  }
  reg_unlock();
  return rc;
}

static int do_setuid(vsig_uid_t uid) {
  return uid == KEEP ? -EINVAL : set_ids(SETUID, KEEP, uid, KEEP);
}

static int do_seteuid(vsig_uid_t e) {
  return e == KEEP ? -EINVAL : set_ids(SETEUID, KEEP, e, KEEP);
}

static int do_setreuid(vsig_uid_t r, vsig_uid_t e) { return set_ids(SETREUID, r, e, KEEP); }

static int do_getresuid(vsig_uid_t *r, vsig_uid_t *e, vsig_uid_t *s) {
  if (!r || !e || !s)
    return -EFAULT;
  int err = 0;
  struct vsig_proc *p = caller(&err);
  if (!p)
    return err;
  reg_lock();
  *r = ld(&p->uid);
  *e = ld(&p->euid);
  *s = ld(&p->suid);
  reg_unlock();
  return 0;
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
vsig_uid_t vsig_getuid(void) {
  API_ENTER();
  struct vsig_thr *t = self_thread();
  vsig_uid_t u = t ? ld(&t->proc->uid) : host_getuid();
  api_leave();
  return u;
}

vsig_uid_t vsig_geteuid(void) {
  API_ENTER();
  struct vsig_thr *t = self_thread();
  vsig_uid_t u = t ? ld(&t->proc->euid) : host_getuid();
  api_leave();
  return u;
}

int vsig_getresuid(vsig_uid_t *ruid, vsig_uid_t *euid, vsig_uid_t *suid) {
  API_ENTER();
  int rc = set_errno(do_getresuid(ruid, euid, suid));
  api_leave();
  return rc;
}

int vsig_setuid(vsig_uid_t uid) {
  API_ENTER();
  int rc = set_errno(do_setuid(uid));
  api_leave();
  return rc;
}

int vsig_seteuid(vsig_uid_t euid) {
  API_ENTER();
  int rc = set_errno(do_seteuid(euid));
  api_leave();
  return rc;
}

int vsig_setreuid(vsig_uid_t ruid, vsig_uid_t euid) {
  API_ENTER();
  int rc = set_errno(do_setreuid(ruid, euid));
  api_leave();
  return rc;
}

int vsig_setresuid(vsig_uid_t ruid, vsig_uid_t euid, vsig_uid_t suid) {
  API_ENTER();
  int rc = set_errno(set_ids(SETRESUID, ruid, euid, suid));
  api_leave();
  return rc;
}
