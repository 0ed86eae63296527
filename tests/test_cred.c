/* SPDX-License-Identifier: MIT */
/*
 * User ids: the three ids a process is created with, the setuid family's
 * Linux rules (an effective id of 0 is privileged), and the permission to
 * signal that follows from them for kill, sigqueue and pthread_kill, with the
 * sender's real id as si_uid.
 *
 * Processes get explicit user ids (the host may run the tests as root or
 * not); each runs the calls under test on an agent (agent.h).
 *
 * ctest-labels: concurrency
 */
#include "vt.h"

#include "agent.h"

#include <unistd.h>
#include <vsig.h>

#define SAME VSIG_UID_SAME
#define KEEP ((long)VSIG_UID_SAME) /* "-1": leave this id */

/* A root with user ids (r, e, s) and an agent in it. */
static vsig_pid_t with_ids(struct agent *g, vsig_uid_t r, vsig_uid_t e, vsig_uid_t s) {
  vsig_pid_t pid = mkproc(VSIG_PID_NONE, r, e, s);
  agent_start(g, pid);
  return pid;
}

#define CHECK_IDS(g, r, e, s)                                                                      \
  do {                                                                                             \
    CHECK_EQ(agent_do((g), A_GETRESUID, 0, 0, 0), 0);                                              \
    CHECK_EQ((g)->ids[0], (r));                                                                    \
    CHECK_EQ((g)->ids[1], (e));                                                                    \
    CHECK_EQ((g)->ids[2], (s));                                                                    \
    CHECK_EQ(agent_do((g), A_GETUID, 0, 0, 0), (r));                                               \
    CHECK_EQ(agent_do((g), A_GETEUID, 0, 0, 0), (e));                                              \
  } while (0)

/* One call on a fresh process with ids (r, e, s): its result (0, or the
 * errno of a -1) and the ids after it. */
static void one(int op, long a, long b, long c, vsig_uid_t r, vsig_uid_t e, vsig_uid_t s,
                int want_err, vsig_uid_t nr, vsig_uid_t ne, vsig_uid_t ns, int line) {
  struct agent g;
  with_ids(&g, r, e, s);
  long rc = agent_do(&g, op, a, b, c);
  if (want_err ? (rc != -1 || g.err != want_err) : rc != 0)
    VT_FAIL("line %d: op %d (%ld, %ld, %ld) on (%u, %u, %u): rc %ld errno %d, wanted errno %d",
            line, op, a, b, c, r, e, s, rc, g.err, want_err);
  CHECK_EQ(agent_do(&g, A_GETRESUID, 0, 0, 0), 0);
  if (g.ids[0] != nr || g.ids[1] != ne || g.ids[2] != ns)
    VT_FAIL("line %d: op %d (%ld, %ld, %ld) on (%u, %u, %u): ids (%u, %u, %u), wanted (%u, %u, %u)",
            line, op, a, b, c, r, e, s, g.ids[0], g.ids[1], g.ids[2], nr, ne, ns);
  agent_stop(&g);
  CHECK_EQ(vsig_proc_destroy(g.pid), 0);
}
#define OK(op, a, b, c, r, e, s, nr, ne, ns) one(op, a, b, c, r, e, s, 0, nr, ne, ns, __LINE__)
/* Fails with err and changes nothing. */
#define FAILS(err, op, a, b, c, r, e, s) one(op, a, b, c, r, e, s, err, r, e, s, __LINE__)

TEST(created_ids_follow_the_attr_with_same_as_the_one_before) {
  vsig_proc_attr_t attr;
  CHECK_EQ(vsig_proc_attr_init(&attr), 0);
  CHECK_EQ(attr.uid, getuid());
  CHECK_EQ(attr.euid, SAME);
  CHECK_EQ(attr.suid, SAME);
  struct agent g;
  with_ids(&g, 1000, SAME, SAME);
  CHECK_IDS(&g, 1000, 1000, 1000);
  agent_stop(&g);
  with_ids(&g, 1000, 2000, SAME); /* the saved id is the effective one */
  CHECK_IDS(&g, 1000, 2000, 2000);
  agent_stop(&g);
  with_ids(&g, 1000, SAME, 3000);
  CHECK_IDS(&g, 1000, 1000, 3000);
  agent_stop(&g);
  with_ids(&g, 1, 2, 3);
  CHECK_IDS(&g, 1, 2, 3);
  agent_stop(&g);
  with_ids(&g, 0, 7, SAME);
  CHECK_IDS(&g, 0, 7, 7);
  agent_stop(&g);
  /* getattr gives what the process was created with. */
  vsig_proc_attr_t got;
  CHECK_EQ(vsig_proc_getattr(g.pid, &got), 0);
  CHECK_EQ(got.uid, 0);
  CHECK_EQ(got.euid, 7);
  /* The default process: the host's user, all three. */
  CHECK_EQ(vsig_getuid(), getuid());
  CHECK_EQ(vsig_geteuid(), getuid());
  vsig_uid_t r = 1, e = 1, s = 1;
  CHECK_EQ(vsig_getresuid(&r, &e, &s), 0);
  CHECK_EQ(r, getuid());
  CHECK_EQ(e, getuid());
  CHECK_EQ(s, getuid());
}

TEST(attr_uid_same_is_einval) {
  vsig_proc_attr_t attr;
  CHECK_EQ(vsig_proc_attr_init(&attr), 0);
  attr.uid = SAME;
  vsig_pid_t pid = 77;
  CHECK_EQ(vsig_proc_create(&attr, &pid), EINVAL);
  attr.euid = 5;
  attr.suid = 5;
  CHECK_EQ(vsig_proc_create(&attr, &pid), EINVAL);
  CHECK_EQ(pid, 77);
  CHECK_EQ(vsig_default_proc_attr(&attr), EINVAL);
  /* Nothing was made: the only other process is the default one. */
  CHECK_ERRNO(vsig_kill(-1, 0), ESRCH);
}

TEST(getresuid_with_a_null_pointer_is_efault) {
  vsig_uid_t a = 11, b = 22;
  CHECK_ERRNO(vsig_getresuid(NULL, &a, &b), EFAULT);
  CHECK_ERRNO(vsig_getresuid(&a, NULL, &b), EFAULT);
  CHECK_ERRNO(vsig_getresuid(&a, &b, NULL), EFAULT);
  CHECK_ERRNO(vsig_getresuid(NULL, NULL, NULL), EFAULT);
  CHECK_EQ(a, 11); /* nothing written */
  CHECK_EQ(b, 22);
}

TEST(setuid_privileged_sets_all_three) {
  OK(A_SETUID, 1000, 0, 0, 0, 0, 0, 1000, 1000, 1000);
  OK(A_SETUID, 9, 0, 0, 5, 0, 7, 9, 9, 9); /* privileged: the effective id is 0 */
  OK(A_SETUID, 0, 0, 0, 5, 0, 7, 0, 0, 0); /* to 0 as well */
  OK(A_SETUID, 7, 0, 0, 0, 5, 7, 0, 7, 7); /* a real 0 is not privilege: euid only */
  FAILS(EPERM, A_SETUID, 9, 0, 0, 0, 5, 7);
  FAILS(EINVAL, A_SETUID, KEEP, 0, 0, 0, 0, 0); /* (uid_t)-1, privileged or not */
  FAILS(EINVAL, A_SETUID, KEEP, 0, 0, 1, 2, 3);
  /* Once it gave its privilege away, it cannot have it back. */
  struct agent g;
  with_ids(&g, 0, 0, 0);
  DO_EQ(&g, 0, A_SETUID, 1000, 0, 0);
  CHECK_IDS(&g, 1000, 1000, 1000);
  DO_ERR(&g, EPERM, A_SETUID, 0, 0, 0);
  DO_ERR(&g, EPERM, A_SETEUID, 0, 0, 0);
  CHECK_IDS(&g, 1000, 1000, 1000);
  agent_stop(&g);
  /* Privilege kept in the saved or real id can be taken back. */
  with_ids(&g, 0, 1000, 5);
  DO_EQ(&g, 0, A_SETUID, 5, 0, 0); /* the saved id */
  CHECK_IDS(&g, 0, 5, 5);
  DO_EQ(&g, 0, A_SETUID, 0, 0, 0); /* the real id: privileged again */
  CHECK_IDS(&g, 0, 0, 5);
  DO_EQ(&g, 0, A_SETUID, 7, 0, 0);
  CHECK_IDS(&g, 7, 7, 7);
  agent_stop(&g);
}

TEST(setuid_unprivileged_sets_the_effective_id_to_the_real_or_saved) {
  OK(A_SETUID, 1, 0, 0, 1, 2, 3, 1, 1, 3);
  OK(A_SETUID, 3, 0, 0, 1, 2, 3, 1, 3, 3);
  FAILS(EPERM, A_SETUID, 2, 0, 0, 1, 2, 3); /* the effective id alone does not count */
  FAILS(EPERM, A_SETUID, 4, 0, 0, 1, 2, 3);
  FAILS(EPERM, A_SETUID, 0, 0, 0, 1, 2, 3);
  OK(A_SETUID, 2, 0, 0, 2, 2, 2, 2, 2, 2);
  struct agent g;
  with_ids(&g, 1, 2, 3);
  DO_EQ(&g, 0, A_SETUID, 3, 0, 0);
  DO_EQ(&g, 0, A_SETUID, 1, 0, 0);
  DO_EQ(&g, 0, A_SETUID, 3, 0, 0); /* back and forth */
  CHECK_IDS(&g, 1, 3, 3);
  DO_ERR(&g, EPERM, A_SETUID, 2, 0, 0); /* 2 is gone for good */
  CHECK_IDS(&g, 1, 3, 3);
  agent_stop(&g);
}

TEST(seteuid_rules) {
  OK(A_SETEUID, 1, 0, 0, 1, 2, 3, 1, 1, 3);
  OK(A_SETEUID, 3, 0, 0, 1, 2, 3, 1, 3, 3);
  OK(A_SETEUID, 2, 0, 0, 1, 2, 3, 1, 2, 3); /* its own: nothing changes */
  FAILS(EPERM, A_SETEUID, 4, 0, 0, 1, 2, 3);
  FAILS(EPERM, A_SETEUID, 0, 0, 0, 1, 2, 3);
  FAILS(EINVAL, A_SETEUID, KEEP, 0, 0, 1, 2, 3);
  FAILS(EINVAL, A_SETEUID, KEEP, 0, 0, 0, 0, 0);
  /* Privileged: any effective id, the others kept. */
  OK(A_SETEUID, 55, 0, 0, 0, 0, 0, 0, 55, 0);
  OK(A_SETEUID, 55, 0, 0, 4, 0, 6, 4, 55, 6);
  struct agent g;
  with_ids(&g, 0, 0, 0);
  DO_EQ(&g, 0, A_SETEUID, 1000, 0, 0);
  CHECK_IDS(&g, 0, 1000, 0);
  DO_ERR(&g, EPERM, A_SETEUID, 2000, 0, 0); /* not privileged now */
  DO_EQ(&g, 0, A_SETEUID, 0, 0, 0);         /* but 0 is its real id */
  CHECK_IDS(&g, 0, 0, 0);
  DO_EQ(&g, 0, A_SETEUID, 2000, 0, 0); /* privileged again */
  CHECK_IDS(&g, 0, 2000, 0);
  agent_stop(&g);
}

TEST(setreuid_unprivileged_rules_and_the_saved_id) {
  /* (1, 2, 3): the real id may become the real or effective one. */
  OK(A_SETREUID, 2, KEEP, 0, 1, 2, 3, 2, 2, 2);  /* real set: saved = new effective */
  OK(A_SETREUID, 1, KEEP, 0, 1, 2, 3, 1, 2, 2);  /* even to the same value */
  FAILS(EPERM, A_SETREUID, 3, KEEP, 0, 1, 2, 3); /* the saved id is not allowed for it */
  FAILS(EPERM, A_SETREUID, 4, KEEP, 0, 1, 2, 3);
  /* The effective id may become any of the three. */
  OK(A_SETREUID, KEEP, 3, 0, 1, 2, 3, 1, 3, 3); /* not the old real: saved follows */
  OK(A_SETREUID, KEEP, 2, 0, 1, 2, 3, 1, 2, 2); /* its own value, not the old real */
  OK(A_SETREUID, KEEP, 1, 0, 1, 2, 3, 1, 1, 3); /* the old real: saved kept */
  FAILS(EPERM, A_SETREUID, KEEP, 4, 0, 1, 2, 3);
  /* Both: swap real and effective. */
  OK(A_SETREUID, 2, 1, 0, 1, 2, 3, 2, 1, 1);
  OK(A_SETREUID, 1, 3, 0, 1, 2, 3, 1, 3, 3);
  /* One bad half fails the whole call. */
  FAILS(EPERM, A_SETREUID, 2, 4, 0, 1, 2, 3);
  FAILS(EPERM, A_SETREUID, 4, 2, 0, 1, 2, 3);
  FAILS(EPERM, A_SETREUID, 3, 1, 0, 1, 2, 3);
  /* Neither: nothing changes, not even the saved id. */
  OK(A_SETREUID, KEEP, KEEP, 0, 1, 2, 3, 1, 2, 3);
}

TEST(setreuid_privileged_rules) {
  OK(A_SETREUID, 5, 6, 0, 0, 0, 0, 5, 6, 6);
  OK(A_SETREUID, KEEP, 7, 0, 0, 0, 0, 0, 7, 7);       /* effective not the old real */
  OK(A_SETREUID, KEEP, 0, 0, 0, 0, 9, 0, 0, 9);       /* to the old real: saved kept */
  OK(A_SETREUID, 30, KEEP, 0, 10, 0, 20, 30, 0, 0);   /* real set: saved = effective */
  OK(A_SETREUID, KEEP, 10, 0, 10, 0, 20, 10, 10, 20); /* to the old real */
  OK(A_SETREUID, KEEP, KEEP, 0, 10, 0, 20, 10, 0, 20);
  struct agent g;
  with_ids(&g, 0, 0, 0);
  DO_EQ(&g, 0, A_SETREUID, KEEP, 7, 0);
  CHECK_IDS(&g, 0, 7, 7);
  /* Unprivileged now; back to the real id 0, the saved id stays 7. */
  DO_ERR(&g, EPERM, A_SETREUID, KEEP, 8, 0);
  DO_EQ(&g, 0, A_SETREUID, KEEP, 0, 0);
  CHECK_IDS(&g, 0, 0, 7);
  agent_stop(&g);
}

TEST(setresuid_rules) {
  OK(A_SETRESUID, 3, 1, 2, 1, 2, 3, 3, 1, 2); /* any of the current three */
  OK(A_SETRESUID, 2, 2, 2, 1, 2, 3, 2, 2, 2);
  OK(A_SETRESUID, KEEP, KEEP, KEEP, 1, 2, 3, 1, 2, 3);
  OK(A_SETRESUID, KEEP, 3, KEEP, 1, 2, 3, 1, 3, 3);
  OK(A_SETRESUID, KEEP, KEEP, 1, 1, 2, 3, 1, 2, 1);
  FAILS(EPERM, A_SETRESUID, 4, KEEP, KEEP, 1, 2, 3);
  FAILS(EPERM, A_SETRESUID, KEEP, 4, KEEP, 1, 2, 3);
  FAILS(EPERM, A_SETRESUID, KEEP, KEEP, 4, 1, 2, 3);
  FAILS(EPERM, A_SETRESUID, 1, 4, 1, 1, 2, 3); /* nothing of it is applied */
  FAILS(EPERM, A_SETRESUID, 3, 3, 0, 1, 2, 3);
  /* Privileged: anything. */
  OK(A_SETRESUID, 7, 8, 9, 0, 0, 0, 7, 8, 9);
  OK(A_SETRESUID, 1, 2, 3, 5, 0, 6, 1, 2, 3);
  OK(A_SETRESUID, KEEP, 4, KEEP, 5, 0, 6, 5, 4, 6);
  /* A real or saved 0 without an effective 0 is not privilege. */
  FAILS(EPERM, A_SETRESUID, 7, KEEP, KEEP, 0, 5, 0);
  OK(A_SETRESUID, KEEP, 0, KEEP, 0, 5, 0, 0, 0, 0);
  struct agent g;
  with_ids(&g, 0, 0, 0);
  DO_EQ(&g, 0, A_SETRESUID, 7, 8, 9);
  DO_ERR(&g, EPERM, A_SETRESUID, 0, KEEP, KEEP);
  CHECK_IDS(&g, 7, 8, 9);
  agent_stop(&g);
}

TEST(ids_belong_to_the_process_and_all_its_threads) {
  vsig_pid_t p = mkproc(VSIG_PID_NONE, 0, SAME, SAME), q = mkproc(VSIG_PID_NONE, 0, SAME, SAME);
  struct agent a1, a2, b;
  agent_start(&a1, p);
  agent_start(&a2, p);
  agent_start(&b, q);
  DO_EQ(&a1, 0, A_SETRESUID, 4, 5, 6);
  CHECK_IDS(&a2, 4, 5, 6);
  CHECK_IDS(&b, 0, 0, 0);
  /* The other thread is now as unprivileged as the first. */
  DO_ERR(&a2, EPERM, A_SETUID, 0, 0, 0);
  DO_EQ(&a2, 0, A_SETEUID, 6, 0, 0);
  CHECK_IDS(&a1, 4, 6, 6);
  agent_stop(&a1);
  agent_stop(&a2);
  agent_stop(&b);
  /* A thread that comes later finds them as they were left. */
  agent_start(&a1, p);
  CHECK_IDS(&a1, 4, 6, 6);
  agent_stop(&a1);
  /* The default process, where main lives, is untouched. */
  CHECK_EQ(vsig_getuid(), getuid());
}

/* ---- permission to signal ---------------------------------------------------------- */

enum { K_KILL, K_KILL0, K_SIGQUEUE, K_SIGQUEUE0, K_PTHREAD_KILL, K_PTHREAD_KILL0, K_PTHREAD_SQ };
#define NKINDS 7

/* The sender's agent sends one way to the target's: 0 or the error (EPERM). */
static int send_one(struct agent *s, struct agent *t, int kind, int sig) {
  long rc;
  switch (kind) {
  case K_KILL:
    rc = agent_do(s, A_KILL, t->pid, sig, 0);
    break;
  case K_KILL0:
    rc = agent_do(s, A_KILL, t->pid, 0, 0);
    break;
  case K_SIGQUEUE:
    rc = agent_do(s, A_SIGQUEUE, t->pid, sig, 7);
    break;
  case K_SIGQUEUE0:
    rc = agent_do(s, A_SIGQUEUE, t->pid, 0, 7);
    break;
  case K_PTHREAD_KILL:
    return (int)agent_do(s, A_PTHREAD_KILL, (long)t->id, sig, 0);
  case K_PTHREAD_KILL0:
    return (int)agent_do(s, A_PTHREAD_KILL, (long)t->id, 0, 0);
  default:
    return (int)agent_do(s, A_PTHREAD_SQ, (long)t->id, sig, 7);
  }
  return rc == 0 ? 0 : rc == -1 ? s->err : -1000;
}

static bool sends_sig(int kind) {
  return kind != K_KILL0 && kind != K_SIGQUEUE0 && kind != K_PTHREAD_KILL0;
}

/* Sender (sr, se, ss) to target (tr, te, ts), each a root of its own session:
 * every way of sending gives 0 and delivers, or EPERM and delivers nothing. */
static void may(vsig_uid_t sr, vsig_uid_t se, vsig_uid_t ss, vsig_uid_t tr, vsig_uid_t te,
                vsig_uid_t ts, bool allowed, int line) {
  struct agent s, t;
  with_ids(&s, sr, se, ss);
  with_ids(&t, tr, te, ts);
  for (int k = 0; k < NKINDS; k++) {
    int rc = send_one(&s, &t, k, VSIG_SIGUSR1);
    if (rc != (allowed ? 0 : EPERM))
      VT_FAIL("line %d: kind %d from (%u, %u, %u) to (%u, %u, %u): %d (%s)", line, k, sr, se, ss,
              tr, te, ts, rc, strerror(rc));
    int got = agent_take(&t, VSIG_SIGUSR1);
    if (got != (allowed && sends_sig(k) ? VSIG_SIGUSR1 : 0))
      VT_FAIL("line %d: kind %d from (%u, %u, %u) to (%u, %u, %u): delivered %d", line, k, sr, se,
              ss, tr, te, ts, got);
  }
  agent_stop(&s);
  agent_stop(&t);
  CHECK_EQ(vsig_proc_destroy(s.pid), 0);
  CHECK_EQ(vsig_proc_destroy(t.pid), 0);
}
#define MAY(sr, se, ss, tr, te, ts) may(sr, se, ss, tr, te, ts, true, __LINE__)
#define MAY_NOT(sr, se, ss, tr, te, ts) may(sr, se, ss, tr, te, ts, false, __LINE__)

TEST(permission_to_signal_by_user_ids) {
  MAY(1, 1, 1, 1, 1, 1);
  MAY_NOT(1, 1, 1, 2, 2, 2);
  MAY(1, 5, 6, 1, 2, 3);     /* real = real */
  MAY(5, 1, 6, 1, 2, 3);     /* effective = real */
  MAY(3, 5, 6, 1, 2, 3);     /* real = saved */
  MAY(5, 3, 6, 1, 2, 3);     /* effective = saved */
  MAY_NOT(5, 6, 1, 1, 2, 3); /* the sender's saved id does not count */
  MAY_NOT(2, 5, 6, 1, 2, 3); /* nor the target's effective id */
  MAY_NOT(5, 2, 6, 1, 2, 3);
  MAY_NOT(5, 6, 2, 1, 2, 3);
  MAY(5, 0, 5, 1, 2, 3);     /* an effective 0 is privileged */
  MAY_NOT(0, 5, 5, 1, 2, 3); /* a real 0 is not */
  MAY_NOT(5, 5, 0, 1, 2, 3); /* nor a saved one */
  MAY(5, 5, 5, 0, 0, 5);     /* the target's saved id */
  MAY(0, 0, 0, 0, 0, 0);
}

TEST(permission_follows_the_senders_current_ids) {
  struct agent s, t;
  with_ids(&s, 0, 0, 0);
  with_ids(&t, 1, 2, 3);
  CHECK_EQ(send_one(&s, &t, K_KILL, VSIG_SIGUSR1), 0);
  DO_EQ(&s, 0, A_SETRESUID, 7, 8, 1);
  CHECK_EQ(send_one(&s, &t, K_KILL, VSIG_SIGUSR2), EPERM); /* its saved 1 does not count */
  CHECK_EQ(send_one(&s, &t, K_PTHREAD_KILL0, 0), EPERM);
  DO_EQ(&s, 0, A_SETEUID, 1, 0, 0);
  CHECK_EQ(send_one(&s, &t, K_KILL, VSIG_SIGUSR2), 0);
  /* And the target's: once it dropped 3, 3 may not signal it. */
  struct agent o;
  with_ids(&o, 3, 3, 3);
  CHECK_EQ(send_one(&o, &t, K_SIGQUEUE0, 0), 0);
  DO_EQ(&t, 0, A_SETRESUID, 1, 1, 1);
  CHECK_EQ(send_one(&o, &t, K_SIGQUEUE0, 0), EPERM);
  CHECK_EQ(send_one(&o, &t, K_PTHREAD_SQ, VSIG_SIGRTMIN), EPERM);
  CHECK_EQ(agent_take(&t, VSIG_SIGUSR1), VSIG_SIGUSR1);
  CHECK_EQ(agent_take(&t, VSIG_SIGUSR2), VSIG_SIGUSR2);
  CHECK_EQ(agent_take(&t, VSIG_SIGRTMIN), 0);
  agent_stop(&s);
  agent_stop(&t);
  agent_stop(&o);
}

TEST(a_process_may_always_signal_itself) {
  struct agent s, s2;
  vsig_pid_t p = with_ids(&s, 1, 2, 3);
  agent_start(&s2, p);
  DO_EQ(&s, 0, A_KILL, p, VSIG_SIGUSR1, 0);
  DO_EQ(&s, 0, A_KILL, 0, VSIG_SIGUSR2, 0);
  CHECK_EQ(send_one(&s, &s2, K_PTHREAD_KILL, VSIG_SIGRTMIN), 0);
  CHECK_EQ(agent_take(&s, VSIG_SIGUSR1), VSIG_SIGUSR1);
  CHECK_EQ(agent_take(&s, VSIG_SIGUSR2), VSIG_SIGUSR2);
  CHECK_EQ(agent_take(&s2, VSIG_SIGRTMIN), VSIG_SIGRTMIN);
  agent_stop(&s);
  agent_stop(&s2);
}

TEST(sigcont_within_a_session_needs_no_matching_user) {
  /* r (1) leads the session; c (2) is its child, k (3) c's. */
  vsig_pid_t r = mkproc(VSIG_PID_NONE, 1, SAME, SAME);
  vsig_pid_t c = mkproc(r, 2, SAME, SAME);
  vsig_pid_t k = mkproc(c, 3, SAME, SAME);
  vsig_pid_t q = mkproc(VSIG_PID_NONE, 4, SAME, SAME);
  struct agent gr, gc, gk, gq;
  agent_start(&gr, r);
  agent_start(&gc, c);
  agent_start(&gk, k);
  agent_start(&gq, q);
  /* Every way of sending SIGCONT within the session. */
  for (int kind = 0; kind < NKINDS; kind++) {
    if (!sends_sig(kind))
      continue;
    CHECK_EQ(send_one(&gr, &gc, kind, VSIG_SIGCONT), 0);
    CHECK_EQ(agent_take(&gc, VSIG_SIGCONT), VSIG_SIGCONT);
    CHECK_EQ(send_one(&gk, &gr, kind, VSIG_SIGCONT), 0); /* upwards too */
    CHECK_EQ(agent_take(&gr, VSIG_SIGCONT), VSIG_SIGCONT);
    CHECK_EQ(send_one(&gq, &gc, kind, VSIG_SIGCONT), EPERM); /* another session */
    CHECK_EQ(agent_take(&gc, VSIG_SIGCONT), 0);
  }
  /* Only SIGCONT, not the check, not another signal. */
  CHECK_EQ(send_one(&gr, &gc, K_KILL0, 0), EPERM);
  CHECK_EQ(send_one(&gr, &gc, K_KILL, VSIG_SIGUSR1), EPERM);
  CHECK_EQ(send_one(&gr, &gc, K_KILL, VSIG_SIGTERM), EPERM);
  /* In another group of the session still. */
  DO_EQ(&gc, 0, A_SETPGID, 0, 0, 0);
  CHECK_EQ(send_one(&gr, &gk, K_KILL, VSIG_SIGCONT), 0);
  CHECK_EQ(agent_take(&gk, VSIG_SIGCONT), VSIG_SIGCONT);
  /* Not once the target has a session of its own. */
  DO_EQ(&gk, k, A_SETSID, 0, 0, 0);
  CHECK_EQ(send_one(&gr, &gk, K_KILL, VSIG_SIGCONT), EPERM);
  CHECK_EQ(send_one(&gr, &gk, K_PTHREAD_KILL, VSIG_SIGCONT), EPERM);
  CHECK_EQ(agent_take(&gk, VSIG_SIGCONT), 0);
  agent_stop(&gr);
  agent_stop(&gc);
  agent_stop(&gk);
  agent_stop(&gq);
}

TEST(si_uid_is_the_senders_real_uid) {
  struct agent s, t;
  vsig_pid_t sp = with_ids(&s, 11, 22, 33);
  with_ids(&t, 22, 22, 22);
  DO_EQ(&s, 0, A_KILL, t.pid, VSIG_SIGUSR1, 0);
  CHECK_EQ(agent_take(&t, VSIG_SIGUSR1), VSIG_SIGUSR1);
  CHECK_EQ(t.info.si_uid, 11);
  CHECK_EQ(t.info.si_pid, sp);
  CHECK_EQ(t.info.si_code, VSIG_SI_USER);
  DO_EQ(&s, 0, A_SIGQUEUE, t.pid, VSIG_SIGRTMIN, 5);
  CHECK_EQ(agent_take(&t, VSIG_SIGRTMIN), VSIG_SIGRTMIN);
  CHECK_EQ(t.info.si_uid, 11);
  CHECK_EQ(t.info.si_code, VSIG_SI_QUEUE);
  CHECK_EQ(t.info.si_value.sival_int, 5);
  DO_EQ(&s, 0, A_PTHREAD_KILL, (long)t.id, VSIG_SIGUSR2, 0);
  CHECK_EQ(agent_take(&t, VSIG_SIGUSR2), VSIG_SIGUSR2);
  CHECK_EQ(t.info.si_uid, 11);
  CHECK_EQ(t.info.si_code, VSIG_SI_TKILL);
  DO_EQ(&s, 0, A_PTHREAD_SQ, (long)t.id, VSIG_SIGRTMIN, 6);
  CHECK_EQ(agent_take(&t, VSIG_SIGRTMIN), VSIG_SIGRTMIN);
  CHECK_EQ(t.info.si_uid, 11);
  CHECK_EQ(t.info.si_value.sival_int, 6);
  DO_EQ(&s, 0, A_KILLPG, t.pid, VSIG_SIGUSR1, 0);
  CHECK_EQ(agent_take(&t, VSIG_SIGUSR1), VSIG_SIGUSR1);
  CHECK_EQ(t.info.si_uid, 11);
  /* After a change of real id, the new one. */
  DO_EQ(&s, 0, A_SETREUID, 22, KEEP, 0);
  DO_EQ(&s, 0, A_KILL, t.pid, VSIG_SIGUSR1, 0);
  CHECK_EQ(agent_take(&t, VSIG_SIGUSR1), VSIG_SIGUSR1);
  CHECK_EQ(t.info.si_uid, 22);
  /* A privileged sender with another real id: the real one. */
  struct agent b;
  with_ids(&b, 44, 0, 0);
  DO_EQ(&b, 0, A_KILL, t.pid, VSIG_SIGUSR1, 0);
  CHECK_EQ(agent_take(&t, VSIG_SIGUSR1), VSIG_SIGUSR1);
  CHECK_EQ(t.info.si_uid, 44);
  agent_stop(&b);
  agent_stop(&s);
  agent_stop(&t);
}

/* ---- races ------------------------------------------------------------------------- */

struct flipper {
  struct agent *g;
  _Atomic int stop;
  int flips;
};

/* Swap real and effective (1, 2, 2) <-> (2, 1, 1): every state may signal a
 * process of user 2. */
static void *flip_loop(void *arg) {
  struct flipper *f = arg;
  for (int i = 0; !atomic_load(&f->stop); i++) {
    if (i & 1)
      CHECK_EQ(agent_do(f->g, A_SETRESUID, 1, 2, 2), 0);
    else
      CHECK_EQ(agent_do(f->g, A_SETRESUID, 2, 1, 1), 0);
    f->flips++;
  }
  return NULL;
}

/* The ids change while another thread of the same process sends and reads
 * them: a send never sees a mix of two states (each state may signal the
 * target), getresuid never returns one, and TSan sees no race. */
TEST(ids_change_while_the_process_sends) {
  struct agent a, b, t;
  vsig_pid_t p = with_ids(&a, 1, 2, 2);
  agent_start(&b, p);
  with_ids(&t, 2, 2, 2);
  struct flipper f = {.g = &a};
  pthread_t h;
  CHECK_EQ(pthread_create(&h, NULL, flip_loop, &f), 0);
  for (int i = 0; i < 3000; i++) {
    CHECK_EQ(send_one(&b, &t, i & 1 ? K_KILL0 : K_PTHREAD_KILL0, 0), 0);
    CHECK_EQ(agent_do(&b, A_GETRESUID, 0, 0, 0), 0);
    bool s1 = b.ids[0] == 1 && b.ids[1] == 2 && b.ids[2] == 2;
    bool s2 = b.ids[0] == 2 && b.ids[1] == 1 && b.ids[2] == 1;
    CHECK(s1 || s2);
  }
  atomic_store(&f.stop, 1);
  CHECK_EQ(pthread_join(h, NULL), 0);
  agent_stop(&a);
  agent_stop(&b);
  agent_stop(&t);
}
