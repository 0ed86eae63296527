/* SPDX-License-Identifier: MIT */
/*
 * Cells: the memory of pending instances (a queued signal, or the siginfo of
 * an unqueued one), shared by every process so that a process holds memory
 * only for what is pending on it, never for what might be.
 *
 * Free cells live in one list under a lock, grown a chunk at a time and never
 * shrunk (the high-water mark of what was pending at once). Chunks are pages
 * from the host, not malloc's: a host signal handler that sends a signal may
 * have interrupted malloc itself. So that sending
 * and taking a signal pay no shared lock, each vsig thread keeps a few free
 * cells of its own, used only by that host thread; they move to and from the
 * shared list in batches. The limits (a process's queue_max, a user's
 * account) are counted by the callers, not here: this only says whether
 * memory could be had.
 */
#include "internal.h"

#define CHUNK_BYTES 16384
#define CHUNK_CELLS ((CHUNK_BYTES - sizeof(void *)) / sizeof(struct cell)) /* 227 */
#define CACHE_MOVE 4 /* moved to or from the shared list at once */

struct chunk {
  struct chunk *next;
  struct cell cells[CHUNK_CELLS];
};
_Static_assert(sizeof(struct chunk) <= CHUNK_BYTES, "a chunk fits its pages");

static host_lock_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct chunk *chunks;
static struct qnode *shared; /* free cells */
static size_t nshared, ntotal;
_Atomic int vsig__cells_fail; /* tests: every cell_get fails while set */

/* Lock held. */
static bool grow(void) {
  struct chunk *c = host_pages_alloc(CHUNK_BYTES);
  if (!c)
    return false;
  c->next = chunks;
  chunks = c;
  for (size_t i = CHUNK_CELLS; i-- > 0;) {
    c->cells[i].node.next = shared;
    shared = &c->cells[i].node;
  }
  nshared += CHUNK_CELLS;
  ntotal += CHUNK_CELLS;
  return true;
}

struct cell *cell_get_slow(struct vsig_thr *me) {
  if (atomic_load_explicit(&vsig__cells_fail, memory_order_relaxed))
    return NULL;
  host_lock(&lock);
  if (!shared && !grow()) {
    host_unlock(&lock);
    return NULL;
  }
  struct qnode *n = shared;
  shared = n->next;
  nshared--;
  for (int i = 0; me && i < CACHE_MOVE && shared; i++) {
    struct qnode *m = shared;
    shared = m->next;
    nshared--;
    m->next = me->cells;
    me->cells = m;
    me->ncells++;
  }
  host_unlock(&lock);
  return (struct cell *)n;
}

void cell_put_slow(struct vsig_thr *me, struct cell *c) {
  host_lock(&lock);
  c->node.next = shared;
  shared = &c->node;
  nshared++;
  for (int i = 0; me && i < CACHE_MOVE && me->cells; i++) {
    struct qnode *m = me->cells;
    me->cells = m->next;
    me->ncells--;
    m->next = shared;
    shared = m;
    nshared++;
  }
  host_unlock(&lock);
}

/* A thread that leaves gives its free cells back. */
void cells_thread_gone(struct vsig_thr *t) {
  if (!t->cells)
    return;
  host_lock(&lock);
  while (t->cells) {
    struct qnode *m = t->cells;
    t->cells = m->next;
    m->next = shared;
    shared = m;
    nshared++;
  }
  t->ncells = 0;
  host_unlock(&lock);
}

void cells_stats(size_t *total, size_t *free_shared) {
  host_lock(&lock);
  *total = ntotal;
  *free_shared = nshared;
  host_unlock(&lock);
}

void cells_fork_prepare(void) { host_lock(&lock); }
void cells_fork_parent(void) { host_unlock(&lock); }

/* In the child nothing of the parent is pending any more: every cell is
 * free, and those in other threads' hands are gone with the threads. */
void cells_fork_child(struct vsig_thr *self) {
  host_lock_init(&lock);
  while (chunks) {
    struct chunk *c = chunks;
    chunks = c->next;
    host_pages_free(c, CHUNK_BYTES);
  }
  shared = NULL;
  nshared = ntotal = 0;
  if (self) {
    self->cells = NULL;
    self->ncells = 0;
  }
}
