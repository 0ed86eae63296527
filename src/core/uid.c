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

bool uacct_charge(struct uacct *u) {
  size_t q = atomic_fetch_add_explicit(&u->queued, 1, memory_order_relaxed);
  if (q < atomic_load_explicit(&u->max, memory_order_relaxed))
    return true;
  atomic_fetch_sub_explicit(&u->queued, 1, memory_order_relaxed);
  return false;
}

void uacct_uncharge(struct uacct *u) {
  atomic_fetch_sub_explicit(&u->queued, 1, memory_order_relaxed);
}

/* p's real user id changed: what it holds moves to the new account.
 * Registry lock held. */
int uacct_move(struct vsig_proc *p, vsig_uid_t uid) {
  struct uacct *to = uacct_get(uid);
  if (!to)
    return -ENOMEM;
  host_lock(&p->lock);
  size_t held = p->queue_max - p->pool_nfree;
  atomic_fetch_sub(&p->acct->queued, held);
  atomic_fetch_add(&to->queued, held);
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
