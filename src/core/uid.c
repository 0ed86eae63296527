/* SPDX-License-Identifier: MIT */
/*
 * Per-user accounts of queued signals (Linux's RLIMIT_SIGPENDING): every
 * process charges the queued instances it holds to the account of its real
 * user id, so that the processes of one user, together, hold at most that
 * account's limit and no sender can make vsig hold more for a user by
 * flooding its processes. Accounts are made on first use and kept; the table
 * is under the registry lock, the counts are atomics that the queues update
 * under their process's lock.
 */
#include "internal.h"

#include <stdlib.h>

#define NBUCKETS 64

static struct uacct *tab[NBUCKETS];

struct uacct *uacct_get(vsig_uid_t uid) {
  struct uacct **b = &tab[uid % NBUCKETS];
  for (struct uacct *u = *b; u; u = u->next)
    if (u->uid == uid)
      return u;
  struct uacct *u = calloc(1, sizeof *u);
  if (!u)
    return NULL;
  u->uid = uid;
  atomic_init(&u->max, VSIG_UID_SIGQUEUE_MAX_DEFAULT);
  u->next = *b;
  *b = u;
  return u;
}

/*
 * A process takes room from its user's account UACCT_BATCH entries at a time
 * and gives it back the same way, so that a sigqueue and the take of its
 * signal cost no atomic operation on a line every process of the user shares.
 * The room a process holds but does not use (at most 2 * UACCT_BATCH - 1)
 * counts against the limit: the user's processes never hold more than it, but
 * may be refused a little before it. Near the limit room is taken one by one.
 * Process lock held.
 */
bool uacct_charge_slow(struct vsig_proc *p) {
  struct uacct *u = p->acct;
  size_t max = atomic_load_explicit(&u->max, memory_order_relaxed);
  size_t q = atomic_fetch_add_explicit(&u->queued, UACCT_BATCH, memory_order_relaxed);
  if (q + UACCT_BATCH <= max) {
    p->acct_room = UACCT_BATCH - 1;
    return true;
  }
  atomic_fetch_sub_explicit(&u->queued, UACCT_BATCH, memory_order_relaxed);
  q = atomic_fetch_add_explicit(&u->queued, 1, memory_order_relaxed);
  if (q < max)
    return true;
  atomic_fetch_sub_explicit(&u->queued, 1, memory_order_relaxed);
  return false;
}

void uacct_uncharge_slow(struct vsig_proc *p) {
  p->acct_room -= UACCT_BATCH;
  atomic_fetch_sub_explicit(&p->acct->queued, UACCT_BATCH, memory_order_relaxed);
}

/* All a process has taken from its account: what it holds and its room. */
size_t uacct_held(const struct vsig_proc *p) { return p->queued + p->acct_room; }

/* p's real user id changed: what it holds moves to the new account.
 * Registry lock held. */
int uacct_move(struct vsig_proc *p, vsig_uid_t uid) {
  struct uacct *to = uacct_get(uid);
  if (!to)
    return -ENOMEM;
  host_lock(&p->lock);
  size_t held = p->queued;
  atomic_fetch_sub(&p->acct->queued, uacct_held(p));
  atomic_fetch_add(&to->queued, held); /* its room stays behind */
  p->acct_room = 0;
  p->acct = to;
  host_unlock(&p->lock);
  return 0;
}

/* After fork the child's processes hold nothing. */
void uacct_reset_after_fork(void) {
  for (int i = 0; i < NBUCKETS; i++)
    for (struct uacct *u = tab[i]; u; u = u->next)
      atomic_store(&u->queued, 0);
}

static int api_set(vsig_uid_t uid, size_t max) {
  vsig__init();
  reg_lock();
  struct uacct *u = uacct_get(uid);
  if (u)
    atomic_store(&u->max, max);
  reg_unlock();
  return u ? 0 : ENOMEM;
}

static int api_get(vsig_uid_t uid, size_t *queued, size_t *max) {
  if (!queued && !max)
    return EINVAL;
  vsig__init();
  reg_lock();
  struct uacct *u = uacct_get(uid);
  if (u) {
    if (queued)
      *queued = atomic_load(&u->queued);
    if (max)
      *max = atomic_load(&u->max);
  }
  reg_unlock();
  return u ? 0 : ENOMEM;
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_set_uid_sigqueue_max(vsig_uid_t uid, size_t max) {
  API_ENTER();
  int rc = api_set(uid, max);
  api_leave();
  return rc;
}

int vsig_get_uid_sigqueue(vsig_uid_t uid, size_t *queued, size_t *max) {
  API_ENTER();
  int rc = api_get(uid, queued, max);
  api_leave();
  return rc;
}
