/* SPDX-License-Identifier: MIT */
/* The trace hook: which events come, from where, and what they carry. */
/* ctest-labels: concurrency */
#include "conform.h"

#define MAXEV 4096
static vsig_trace_event_t evs[MAXEV];
static atomic_int nev;
static int hook_arg;

static void rec(const vsig_trace_event_t *ev, void *arg) {
  CHECK(arg == &hook_arg);
  int i = atomic_fetch_add(&nev, 1);
  if (i < MAXEV)
    evs[i] = *ev;
}

static void start(void) {
  atomic_store(&nev, 0);
  vsig_set_trace_fn(rec, &hook_arg);
}

/* The i-th event (from `from`) of kind, or NULL. */
static const vsig_trace_event_t *find(int kind, int sig, int from) {
  int n = atomic_load(&nev);
  for (int i = from; i < n && i < MAXEV; i++)
    if (evs[i].kind == kind && (!sig || evs[i].sig == sig))
      return &evs[i];
  return NULL;
}

static int count(int kind) {
  int n = atomic_load(&nev), c = 0;
  for (int i = 0; i < n && i < MAXEV; i++)
    c += evs[i].kind == kind;
  return c;
}

static atomic_int hits;
static _Atomic vsig_thread_t ran_on;
static void on_sig(int sig) {
  (void)sig;
  atomic_store(&ran_on, vsig_thread_self());
  atomic_fetch_add(&hits, 1);
}

static atomic_int spare_dirty;
static void on_info(int sig, vsig_siginfo_t *info, void *uc) {
  (void)sig;
  (void)uc;
  for (size_t i = 0; i < sizeof info->si_spare_ / sizeof info->si_spare_[0]; i++)
    if (info->si_spare_[i])
      atomic_store(&spare_dirty, 1);
  atomic_fetch_add(&hits, 1);
}

TEST(set_and_get_go_together) {
  vsig_trace_fn fn = rec;
  void *arg = &fn;
  vsig_get_trace_fn(&fn, &arg);
  CHECK(fn == NULL && arg == NULL); /* off by default (no VSIG_TRACE here) */
  vsig_set_trace_fn(rec, &hook_arg);
  vsig_get_trace_fn(&fn, &arg);
  CHECK(fn == rec && arg == &hook_arg);
  vsig_get_trace_fn(NULL, &arg);
  vsig_get_trace_fn(&fn, NULL);
  CHECK(fn == rec && arg == &hook_arg);
  vsig_set_trace_fn(NULL, NULL);
  vsig_get_trace_fn(&fn, &arg);
  CHECK(fn == NULL && arg == NULL);
}

TEST(raise_gives_generate_deliver_and_return_of_one_id) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  start();
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  vsig_set_trace_fn(NULL, NULL);
  CHECK_EQ(hits, 1);
  const vsig_trace_event_t *g = find(VSIG_TRACE_GENERATE, VSIG_SIGUSR1, 0);
  const vsig_trace_event_t *d = find(VSIG_TRACE_DELIVER, VSIG_SIGUSR1, 0);
  const vsig_trace_event_t *r = find(VSIG_TRACE_RETURN, VSIG_SIGUSR1, 0);
  CHECK(g && d && r && g < d && d < r);
  CHECK_EQ(g->size, sizeof(vsig_trace_event_t));
  CHECK(g->id != 0);
  CHECK_EQ(d->id, g->id);
  CHECK_EQ(r->id, g->id);
  vsig_thread_t self = vsig_thread_self();
  CHECK_EQ(g->self, self);
  CHECK_EQ(g->self_pid, vsig_getpid());
  CHECK_EQ(g->thread, self);
  CHECK_EQ(g->pid, vsig_getpid());
  CHECK_EQ(g->code, VSIG_SI_TKILL);
  CHECK_EQ(g->sender, self);
  CHECK_EQ(d->self, self);
  CHECK_EQ(d->code, VSIG_SI_TKILL);
  CHECK_EQ(d->sender_pid, vsig_getpid());
  CHECK_EQ(d->reason, 1); /* outermost handler */
  CHECK_EQ(r->reason, 1);
  CHECK(d->time_ns >= g->time_ns && r->time_ns >= d->time_ns);
  for (int i = 0; i < 5; i++)
    CHECK_EQ(g->reserved_[i], 0);
}

TEST(a_blocked_raise_is_delivered_on_unblock_with_its_id) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  block(SET(VSIG_SIGUSR1));
  start();
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(count(VSIG_TRACE_DELIVER), 0);
  unblock(SET(VSIG_SIGUSR1));
  vsig_set_trace_fn(NULL, NULL);
  const vsig_trace_event_t *g = find(VSIG_TRACE_GENERATE, VSIG_SIGUSR1, 0);
  const vsig_trace_event_t *d = find(VSIG_TRACE_DELIVER, VSIG_SIGUSR1, 0);
  CHECK(g && d && g->id && d->id == g->id);
}

/* Thread B has USR1 unblocked and waits; the main thread (A) blocks it and
 * kills the process: step 4 chooses B, whose handler runs it. */
struct waiter {
  atomic_int ready, done;
};
static void *unblocked_waiter(void *arg) {
  struct waiter *w = arg;
  unblock(SET(VSIG_SIGUSR1));
  atomic_store(&w->ready, 1);
  while (!atomic_load(&hits))
    vsig_poll();
  atomic_store(&w->done, 1);
  return NULL;
}

TEST(kill_from_one_thread_to_a_handler_on_another) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  block(SET(VSIG_SIGUSR1));
  struct waiter w = {0};
  pthread_t host;
  vsig_thread_t b = spawn(&host, unblocked_waiter, &w);
  await_at_least(&w.ready, 1);
  start();
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  join(host);
  vsig_set_trace_fn(NULL, NULL);
  vsig_thread_t a = vsig_thread_self();
  CHECK_EQ(ran_on, b);
  const vsig_trace_event_t *g = find(VSIG_TRACE_GENERATE, VSIG_SIGUSR1, 0);
  const vsig_trace_event_t *c = find(VSIG_TRACE_CHOOSE, VSIG_SIGUSR1, 0);
  const vsig_trace_event_t *d = find(VSIG_TRACE_DELIVER, VSIG_SIGUSR1, 0);
  CHECK(g && c && d);
  CHECK_EQ(g->self, a);
  CHECK_EQ(g->thread, 0); /* process-directed */
  CHECK_EQ(g->code, VSIG_SI_USER);
  CHECK_EQ(c->id, g->id);
  CHECK_EQ(c->reason, VSIG_TRACE_CHOSE_UNBLOCKED);
  CHECK_EQ(c->thread, b);
  CHECK_EQ(d->id, g->id);
  CHECK_EQ(d->self, b);
  CHECK_EQ(d->sender, a);
  CHECK_EQ(d->sender_pid, vsig_getpid());
}

TEST(kill_with_the_sender_unblocked_chooses_the_sender) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  start();
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  vsig_set_trace_fn(NULL, NULL);
  const vsig_trace_event_t *c = find(VSIG_TRACE_CHOOSE, VSIG_SIGUSR1, 0);
  CHECK(c && c->reason == VSIG_TRACE_CHOSE_SENDER && c->thread == vsig_thread_self());
}

TEST(kill_with_every_thread_blocking_stays_pending) {
  block(SET(VSIG_SIGUSR1));
  start();
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  vsig_set_trace_fn(NULL, NULL);
  const vsig_trace_event_t *c = find(VSIG_TRACE_CHOOSE, VSIG_SIGUSR1, 0);
  CHECK(c && c->reason == VSIG_TRACE_CHOSE_NONE && c->thread == 0);
}

static void *sigwaiter(void *arg) {
  struct waiter *w = arg;
  vsig_sigset_t s = SET(VSIG_SIGRTMIN);
  vsig_siginfo_t info;
  atomic_store(&w->ready, 1);
  CHECK_EQ(vsig_sigwaitinfo(&s, &info), VSIG_SIGRTMIN);
  for (size_t i = 0; i < sizeof info.si_spare_ / sizeof info.si_spare_[0]; i++)
    CHECK_EQ(info.si_spare_[i], 0);
  CHECK_EQ(info.si_value.sival_int, 42);
  atomic_store(&w->done, 1);
  return NULL;
}

TEST(sigwait_accepts_with_a_waiter_chosen_and_clean_siginfo) {
  block(SET(VSIG_SIGRTMIN));
  struct waiter w = {0};
  pthread_t host;
  vsig_thread_t b = spawn(&host, sigwaiter, &w);
  await_state(b, VSIG_THREAD_SIGWAIT);
  start();
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = 42}), 0);
  join(host);
  vsig_set_trace_fn(NULL, NULL);
  const vsig_trace_event_t *g = find(VSIG_TRACE_GENERATE, VSIG_SIGRTMIN, 0);
  const vsig_trace_event_t *c = find(VSIG_TRACE_CHOOSE, VSIG_SIGRTMIN, 0);
  const vsig_trace_event_t *acc = find(VSIG_TRACE_ACCEPT, VSIG_SIGRTMIN, 0);
  CHECK(g && c && acc);
  CHECK_EQ(g->code, VSIG_SI_QUEUE);
  CHECK_EQ(g->value.sival_int, 42);
  CHECK_EQ(c->reason, VSIG_TRACE_CHOSE_WAITER);
  CHECK_EQ(c->thread, b);
  CHECK_EQ(acc->id, g->id);
  CHECK_EQ(acc->self, b);
  CHECK_EQ(acc->value.sival_int, 42);
}

TEST(handlers_see_clean_spare_words_while_tracing) {
  set_action(VSIG_SIGUSR1, on_info, 0, EMPTY());
  set_action(VSIG_SIGRTMIN, on_info, 0, EMPTY());
  start();
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  block(SET(VSIG_SIGRTMIN));
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = 1}), 0);
  CHECK_EQ(vsig_pthread_kill(vsig_thread_self(), VSIG_SIGRTMIN), 0);
  unblock(SET(VSIG_SIGRTMIN));
  vsig_set_trace_fn(NULL, NULL);
  CHECK_EQ(hits, 3);
  CHECK_EQ(spare_dirty, 0);
}

TEST(a_signal_pending_when_tracing_stops_is_delivered_clean) {
  set_action(VSIG_SIGRTMIN, on_info, 0, EMPTY());
  block(SET(VSIG_SIGRTMIN));
  start();
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = 1}), 0);
  vsig_set_trace_fn(NULL, NULL);
  int n = atomic_load(&nev);
  unblock(SET(VSIG_SIGRTMIN));
  CHECK_EQ(hits, 1);
  CHECK_EQ(spare_dirty, 0);
  CHECK_EQ(atomic_load(&nev), n); /* off: nothing more */
}

TEST(discards_say_why) {
  CHECK(vsig_signal(VSIG_SIGUSR2, VSIG_SIG_IGN) != VSIG_SIG_ERR);
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  set_handler(VSIG_SIGHUP, on_sig, 0, EMPTY());
  block(SET(VSIG_SIGUSR1, VSIG_SIGHUP));
  start();
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR2), 0); /* ignored */
  CHECK_EQ(vsig_raise(VSIG_SIGUSR2), 0);               /* ignored, raise's own path */
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);  /* merged */
  CHECK_EQ(vsig_raise(VSIG_SIGWINCH), 0); /* default action discards it */
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGHUP), 0);
  CHECK(vsig_signal(VSIG_SIGHUP, VSIG_SIG_IGN) != VSIG_SIG_ERR); /* pending: discarded */
  vsig_set_trace_fn(NULL, NULL);
  int want[] = {VSIG_SIGUSR2,  VSIG_TRACE_DISCARD_IGNORED, VSIG_SIGUSR1, VSIG_TRACE_DISCARD_MERGED,
                VSIG_SIGWINCH, VSIG_TRACE_DISCARD_DEFAULT, VSIG_SIGHUP,  VSIG_TRACE_DISCARD_ACTION};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i += 2) {
    const vsig_trace_event_t *d = find(VSIG_TRACE_DISCARD, want[i], 0);
    CHECK_EQ_SIG(want[i], d != NULL, 1);
    CHECK_EQ_SIG(want[i], d->reason, want[i + 1]);
    CHECK_EQ_SIG(want[i], d->id != 0, 1);
  }
  CHECK_EQ(count(VSIG_TRACE_DISCARD), 5); /* two USR2 */
  /* The merged raise's generate and discard carry one id; the first one's
   * generate another, which the sigaction discard of HUP does not. */
  const vsig_trace_event_t *m = find(VSIG_TRACE_DISCARD, VSIG_SIGUSR1, 0);
  const vsig_trace_event_t *g1 = find(VSIG_TRACE_GENERATE, VSIG_SIGUSR1, 0);
  const vsig_trace_event_t *g2 = find(VSIG_TRACE_GENERATE, VSIG_SIGUSR1, (int)(g1 - evs) + 1);
  CHECK(g1 && g2 && g1->id != g2->id && m->id == g2->id);
  const vsig_trace_event_t *gh = find(VSIG_TRACE_GENERATE, VSIG_SIGHUP, 0);
  const vsig_trace_event_t *dh = find(VSIG_TRACE_DISCARD, VSIG_SIGHUP, 0);
  CHECK(gh && dh && gh->id == dh->id);
}

TEST(signals_to_a_terminated_process_are_zombie_discards) {
  vsig_pid_t pid = 0;
  CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
  block(SET(VSIG_SIGRTMIN));
  start();
  CHECK_EQ(vsig_kill(pid, VSIG_SIGTERM), 0); /* no threads: terminated at once */
  CHECK_EQ(vsig_kill(pid, VSIG_SIGUSR1), 0);
  vsig_set_trace_fn(NULL, NULL);
  const vsig_trace_event_t *t = find(VSIG_TRACE_TERMINATE, 0, 0);
  CHECK(t && t->pid == pid && t->sig == VSIG_SIGTERM);
  const vsig_trace_event_t *d = find(VSIG_TRACE_DISCARD, VSIG_SIGUSR1, 0);
  CHECK(d && d->reason == VSIG_TRACE_DISCARD_ZOMBIE && d->pid == pid);
  CHECK_EQ(vsig_proc_destroy(pid), 0);
}

static void *blocker(void *arg) {
  struct waiter *w = arg;
  block(SET(VSIG_SIGUSR2));
  atomic_store(&w->ready, 1);
  while (!atomic_load(&w->done))
    sched_yield();
  return NULL;
}

TEST(termination_discards_what_was_pending) {
  vsig_pid_t pid = 0;
  CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
  struct waiter w = {0};
  pthread_t host;
  vsig_thread_t tid = 0;
  CHECK_EQ(vsig_thread_create(&host, &tid, pid, 0, blocker, &w), 0);
  await_at_least(&w.ready, 1);
  start();
  CHECK_EQ(vsig_kill(pid, VSIG_SIGUSR2), 0);
  CHECK_EQ(vsig_kill(pid, VSIG_SIGKILL), 0);
  vsig_set_trace_fn(NULL, NULL);
  atomic_store(&w.done, 1);
  join(host);
  const vsig_trace_event_t *g = find(VSIG_TRACE_GENERATE, VSIG_SIGUSR2, 0);
  const vsig_trace_event_t *t = find(VSIG_TRACE_TERMINATE, VSIG_SIGKILL, 0);
  const vsig_trace_event_t *d = find(VSIG_TRACE_DISCARD, VSIG_SIGUSR2, 0);
  CHECK(g && t && d && t->pid == pid);
  CHECK_EQ(d->reason, VSIG_TRACE_DISCARD_TERMINATED);
  CHECK_EQ(d->id, g->id);
}

TEST(timer_expiry_generates_a_signal_with_a_timer_id) {
  CHECK_EQ(vsig_clock_set_manual(0), 0);
  set_handler(VSIG_SIGRTMIN, on_sig, 0, EMPTY());
  vsig_sigevent_t sev = {.sigev_notify = VSIG_SIGEV_SIGNAL, .sigev_signo = VSIG_SIGRTMIN};
  sev.sigev_value.sival_int = 7;
  vsig_timer_t tm;
  CHECK_EQ(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &tm), 0);
  vsig_itimerspec_t its = {.it_value = {.tv_sec = 1}};
  CHECK_EQ(vsig_timer_settime(tm, 0, &its, NULL), 0);
  start();
  CHECK_EQ(vsig_clock_advance(1000000000), 0);
  vsig_poll();
  vsig_set_trace_fn(NULL, NULL);
  CHECK_EQ(hits, 1);
  const vsig_trace_event_t *x = find(VSIG_TRACE_TIMER, 0, 0);
  const vsig_trace_event_t *g = find(VSIG_TRACE_GENERATE, VSIG_SIGRTMIN, 0);
  const vsig_trace_event_t *d = find(VSIG_TRACE_DELIVER, VSIG_SIGRTMIN, 0);
  CHECK(x && g && d && x < g);
  CHECK_EQ(x->timer, (int)tm);
  CHECK_EQ(x->value.sival_int, 7);
  CHECK_EQ(g->code, VSIG_SI_TIMER);
  CHECK_EQ(g->timer, (int)tm);
  CHECK(g->id != 0);
  CHECK_EQ(d->id, g->id);
  CHECK_EQ(d->code, VSIG_SI_TIMER);
  CHECK_EQ(vsig_timer_delete(tm), 0);
}

TEST(a_deleted_timers_pending_signal_is_discarded) {
  CHECK_EQ(vsig_clock_set_manual(0), 0);
  block(SET(VSIG_SIGRTMIN));
  vsig_sigevent_t sev = {.sigev_notify = VSIG_SIGEV_SIGNAL, .sigev_signo = VSIG_SIGRTMIN};
  vsig_timer_t tm;
  CHECK_EQ(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &tm), 0);
  vsig_itimerspec_t its = {.it_value = {.tv_sec = 1}};
  CHECK_EQ(vsig_timer_settime(tm, 0, &its, NULL), 0);
  start();
  CHECK_EQ(vsig_clock_advance(1000000000), 0);
  CHECK_EQ(vsig_timer_delete(tm), 0);
  vsig_set_trace_fn(NULL, NULL);
  const vsig_trace_event_t *g = find(VSIG_TRACE_GENERATE, VSIG_SIGRTMIN, 0);
  const vsig_trace_event_t *d = find(VSIG_TRACE_DISCARD, VSIG_SIGRTMIN, 0);
  CHECK(g && d && d->reason == VSIG_TRACE_DISCARD_TIMER_GONE && d->id == g->id);
}

static int other_arg;
static atomic_int other_calls;
static void rec_other(const vsig_trace_event_t *ev, void *arg) {
  CHECK(arg == &other_arg);
  CHECK_EQ(ev->size, sizeof(vsig_trace_event_t));
  atomic_fetch_add(&other_calls, 1);
}

static void *raiser(void *arg) {
  struct waiter *w = arg;
  for (int i = 0; i < 3000; i++)
    CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  atomic_fetch_add(&w->done, 1);
  return NULL;
}

TEST(the_hook_changes_while_threads_send) {
  /* fn and arg change together: each hook only ever sees its own arg. */
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  struct waiter w = {0};
  pthread_t h1, h2;
  spawn(&h1, raiser, &w);
  spawn(&h2, raiser, &w);
  for (int i = 0; atomic_load(&w.done) < 2; i++) {
    if (i % 2)
      vsig_set_trace_fn(rec, &hook_arg);
    else
      vsig_set_trace_fn(rec_other, &other_arg);
    sched_yield();
  }
  join(h1);
  join(h2);
  vsig_set_trace_fn(NULL, NULL);
  CHECK_EQ(hits, 6000);
  int n = atomic_load(&nev);
  for (int i = 0; i < n && i < MAXEV; i++) {
    CHECK_EQ(evs[i].size, sizeof(vsig_trace_event_t));
    CHECK(evs[i].kind >= VSIG_TRACE_GENERATE && evs[i].kind <= VSIG_TRACE_RETURN);
  }
}
