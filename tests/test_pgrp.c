/* SPDX-License-Identifier: MIT */
/*
 * Process groups and sessions: where a new process goes, setpgid, setsid,
 * getpgid, getsid and getpgrp with every error, and the sends that name a
 * group (kill(0), kill(-pgid), killpg) or everyone (kill(-1)), including the
 * members the sender may not signal.
 *
 * Processes get explicit user ids (the host may run the tests as root or
 * not); each runs the calls under test on an agent (agent.h).
 *
 * ctest-labels: concurrency
 */
#include "vt.h"

#include "agent.h"

#include <limits.h>
#include <unistd.h>
#include <vsig.h>

#define U 1000 /* the user of most processes here */

/* A pid that names no process: one that existed and was destroyed. */
static vsig_pid_t gone_pid(void) {
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
  CHECK_EQ(vsig_proc_destroy(pid), 0);
  return pid;
}

static vsig_pid_t root(vsig_uid_t uid) {
  return mkproc(VSIG_PID_NONE, uid, VSIG_UID_SAME, VSIG_UID_SAME);
}
static vsig_pid_t child(vsig_pid_t parent, vsig_uid_t uid) {
  return mkproc(parent, uid, VSIG_UID_SAME, VSIG_UID_SAME);
}

/* Group and session of pid, read from outside. */
#define CHECK_PLACE(pid, pgid, sid)                                                                \
  do {                                                                                             \
    CHECK_EQ(vsig_getpgid(pid), pgid);                                                             \
    CHECK_EQ(vsig_getsid(pid), sid);                                                               \
  } while (0)

TEST(root_leads_a_new_session_and_group) {
  vsig_pid_t r = root(U);
  CHECK_PLACE(r, r, r);
  struct agent g;
  agent_start(&g, r);
  DO_EQ(&g, r, A_GETPGID, 0, 0, 0);
  DO_EQ(&g, r, A_GETSID, 0, 0, 0);
  DO_EQ(&g, r, A_GETPGRP, 0, 0, 0);
  DO_EQ(&g, 0, A_GETPPID, 0, 0, 0); /* no parent */
  agent_stop(&g);
  /* Another root is another session. */
  vsig_pid_t r2 = root(U);
  CHECK_PLACE(r2, r2, r2);
  /* The default process, where main lives, is a root too. */
  CHECK_EQ(vsig_getpgid(0), getpid());
  CHECK_EQ(vsig_getsid(0), getpid());
  CHECK_EQ(vsig_getpgrp(), getpid());
  CHECK_EQ(vsig_proc_destroy(r), 0);
  CHECK_EQ(vsig_proc_destroy(r2), 0);
}

TEST(new_process_joins_its_parents_group_and_session) {
  /* Parent 0 from main: the default process. */
  vsig_pid_t d = mkproc(0, U, VSIG_UID_SAME, VSIG_UID_SAME);
  CHECK_PLACE(d, getpid(), getpid());

  /* An explicit parent. */
  vsig_pid_t r = root(U), c = child(r, U);
  CHECK_PLACE(c, r, r);
  struct agent gc;
  agent_start(&gc, c);
  DO_EQ(&gc, r, A_GETPPID, 0, 0, 0);
  DO_EQ(&gc, r, A_GETPGRP, 0, 0, 0);
  DO_EQ(&gc, r, A_GETSID, 0, 0, 0);

  /* Parent 0 from inside c: c, and c's group even after it moved. */
  vsig_pid_t k1 = (vsig_pid_t)agent_do(&gc, A_CREATE, U, 0, 0);
  CHECK(k1 > 0);
  CHECK_PLACE(k1, r, r);
  DO_EQ(&gc, 0, A_SETPGID, 0, 0, 0);
  CHECK_PLACE(c, c, r);
  vsig_pid_t k2 = (vsig_pid_t)agent_do(&gc, A_CREATE, U, 0, 0);
  CHECK(k2 > 0);
  CHECK_PLACE(k2, c, r);
  CHECK_PLACE(k1, r, r); /* children made before stay where they were */

  /* After setsid, new children are in c's new session. */
  agent_stop(&gc);
  vsig_pid_t c2 = child(r, U);
  struct agent g2;
  agent_start(&g2, c2);
  DO_EQ(&g2, c2, A_SETSID, 0, 0, 0);
  vsig_pid_t k3 = (vsig_pid_t)agent_do(&g2, A_CREATE, U, 0, 0);
  CHECK_PLACE(k3, c2, c2);
  agent_stop(&g2);

  /* A child of a child: its parent's group, whatever the grandparent's. */
  vsig_pid_t gk = child(k2, U);
  CHECK_PLACE(gk, c, r);
}

TEST(proc_create_with_a_bad_parent_fails_and_creates_nothing) {
  vsig_pid_t gone = gone_pid();
  vsig_proc_attr_t attr;
  CHECK_EQ(vsig_proc_attr_init(&attr), 0);
  vsig_pid_t pid = 12345;
  attr.parent = gone;
  CHECK_EQ(vsig_proc_create(&attr, &pid), ESRCH);
  CHECK_EQ(pid, 12345);
  attr.parent = -2;
  CHECK_EQ(vsig_proc_create(&attr, &pid), EINVAL);
  attr.parent = INT_MIN;
  CHECK_EQ(vsig_proc_create(&attr, &pid), EINVAL);
  CHECK_EQ(pid, 12345);
  /* A parent that has ended (a zombie) takes no new children. */
  vsig_pid_t z = root(U);
  CHECK_EQ(vsig_proc_exit(z, 0), 0);
  attr.parent = z;
  CHECK_EQ(vsig_proc_create(&attr, &pid), ESRCH);
  CHECK_EQ(pid, 12345);
}

TEST(getpgid_getsid_getpgrp_and_their_errors) {
  vsig_pid_t gone = gone_pid();
  CHECK_ERRNO(vsig_getpgid(gone), ESRCH);
  CHECK_ERRNO(vsig_getsid(gone), ESRCH);
  CHECK_ERRNO(vsig_getpgid(-1), ESRCH);
  CHECK_ERRNO(vsig_getsid(-1), ESRCH);
  CHECK_ERRNO(vsig_getpgid(-getpid()), ESRCH);
  CHECK_ERRNO(vsig_getsid(INT_MIN), ESRCH);
  CHECK_ERRNO(vsig_getpgid(INT_MAX), ESRCH);

  vsig_pid_t r = root(U), c = child(r, U);
  struct agent g;
  agent_start(&g, c);
  /* 0 is the caller; any pid may be asked about, in any session. */
  DO_EQ(&g, r, A_GETPGID, 0, 0, 0);
  DO_EQ(&g, r, A_GETSID, 0, 0, 0);
  DO_EQ(&g, 0, A_SETPGID, 0, 0, 0);
  DO_EQ(&g, c, A_GETPGID, 0, 0, 0);
  DO_EQ(&g, c, A_GETPGRP, 0, 0, 0);
  DO_EQ(&g, r, A_GETPGID, r, 0, 0);
  DO_EQ(&g, getpid(), A_GETPGID, getpid(), 0, 0);
  DO_EQ(&g, getpid(), A_GETSID, getpid(), 0, 0);
  DO_ERR(&g, ESRCH, A_GETPGID, gone, 0, 0);
  DO_ERR(&g, ESRCH, A_GETSID, gone, 0, 0);
  DO_ERR(&g, ESRCH, A_GETPGID, -c, 0, 0);
  DO_ERR(&g, ESRCH, A_GETSID, -1, 0, 0);
  agent_stop(&g);
  /* A zombie still has its group and session. */
  CHECK_EQ(vsig_proc_exit(c, 0), 0);
  CHECK_PLACE(c, c, r);
}

/* setpgid's return: 0, and nothing moved when it fails. */
#define DO_SETPGID_OK(g, pid, pgid) DO_EQ(g, 0, A_SETPGID, pid, pgid, 0)

TEST(setpgid_negative_pgid_is_einval) {
  vsig_pid_t r = root(U), c = child(r, U), gone = gone_pid();
  struct agent gr, gc;
  agent_start(&gr, r);
  agent_start(&gc, c);
  DO_ERR(&gc, EINVAL, A_SETPGID, 0, -1, 0);
  DO_ERR(&gc, EINVAL, A_SETPGID, c, -c, 0);
  DO_ERR(&gc, EINVAL, A_SETPGID, 0, INT_MIN, 0);
  DO_ERR(&gr, EINVAL, A_SETPGID, c, -1, 0);
  /* Before the pid is looked at. */
  DO_ERR(&gr, EINVAL, A_SETPGID, gone, -1, 0);
  DO_ERR(&gr, EINVAL, A_SETPGID, 0, -r, 0); /* even for a session leader */
  CHECK_PLACE(c, r, r);
  CHECK_PLACE(r, r, r);
  agent_stop(&gr);
  agent_stop(&gc);
}

TEST(setpgid_pid_not_caller_nor_child_is_esrch) {
  /* r - c - k (grandchild), c's sibling s, another root q. */
  vsig_pid_t r = root(U), c = child(r, U), s = child(r, U), k = child(c, U), q = root(U);
  vsig_pid_t gone = gone_pid();
  struct agent gr, gc;
  agent_start(&gr, r);
  agent_start(&gc, c);
  DO_ERR(&gr, ESRCH, A_SETPGID, k, 0, 0);    /* a grandchild */
  DO_ERR(&gr, ESRCH, A_SETPGID, k, r, 0);    /* even into the caller's own group */
  DO_ERR(&gr, ESRCH, A_SETPGID, q, 0, 0);    /* an unrelated process */
  DO_ERR(&gr, ESRCH, A_SETPGID, gone, 0, 0); /* no process */
  DO_ERR(&gr, ESRCH, A_SETPGID, -c, 0, 0);   /* no pid is negative */
  DO_ERR(&gr, ESRCH, A_SETPGID, getpid(), 0, 0);
  DO_ERR(&gc, ESRCH, A_SETPGID, r, 0, 0); /* its parent */
  DO_ERR(&gc, ESRCH, A_SETPGID, s, 0, 0); /* its sibling */
  DO_ERR(&gc, ESRCH, A_SETPGID, s, c, 0);
  /* The caller by its own pid is the caller. */
  DO_SETPGID_OK(&gc, c, c);
  DO_SETPGID_OK(&gc, k, c); /* and its own child is fine */
  CHECK_PLACE(c, c, r);
  CHECK_PLACE(k, c, r);
  CHECK_PLACE(s, r, r);
  CHECK_PLACE(q, q, q);
  agent_stop(&gr);
  agent_stop(&gc);
}

TEST(setpgid_of_a_session_leader_is_eperm) {
  vsig_pid_t r = root(U), c = child(r, U);
  struct agent gr, gc;
  agent_start(&gr, r);
  agent_start(&gc, c);
  /* Even to the group it already leads. */
  DO_ERR(&gr, EPERM, A_SETPGID, 0, 0, 0);
  DO_ERR(&gr, EPERM, A_SETPGID, r, r, 0);
  DO_SETPGID_OK(&gc, 0, 0);
  DO_ERR(&gr, EPERM, A_SETPGID, 0, c, 0); /* into a group of its session */
  /* A child that made itself a session leader. */
  DO_SETPGID_OK(&gc, 0, r);
  DO_EQ(&gc, c, A_SETSID, 0, 0, 0);
  DO_ERR(&gc, EPERM, A_SETPGID, 0, 0, 0);
  DO_ERR(&gr, EPERM, A_SETPGID, c, c, 0);
  DO_ERR(&gr, EPERM, A_SETPGID, c, 0, 0);
  DO_ERR(&gr, EPERM, A_SETPGID, c, r, 0);
  CHECK_PLACE(r, r, r);
  CHECK_PLACE(c, c, c);
  /* The main thread's default process leads its session too. */
  CHECK_ERRNO(vsig_setpgid(0, 0), EPERM);
  CHECK_EQ(vsig_getpgrp(), getpid());
  agent_stop(&gr);
  agent_stop(&gc);
}

TEST(setpgid_of_a_child_in_another_session_is_eperm) {
  /* r adopts z (the reaper takes the children of an ending process), whose
   * session is y's: a child of r's that is not in r's session and leads
   * nothing. */
  vsig_pid_t r = root(U), y = child(r, U);
  CHECK_EQ(vsig_set_reaper(r), 0);
  struct agent gy;
  agent_start(&gy, y);
  DO_EQ(&gy, y, A_SETSID, 0, 0, 0);
  vsig_pid_t z = (vsig_pid_t)agent_do(&gy, A_CREATE, U, 0, 0);
  CHECK(z > 0);
  agent_stop(&gy);
  CHECK_EQ(vsig_proc_destroy(y), 0);
  CHECK_PLACE(z, y, y);
  struct agent gz, gr;
  agent_start(&gz, z);
  agent_start(&gr, r);
  DO_EQ(&gz, r, A_GETPPID, 0, 0, 0);
  DO_ERR(&gr, EPERM, A_SETPGID, z, 0, 0);
  DO_ERR(&gr, EPERM, A_SETPGID, z, z, 0);
  DO_ERR(&gr, EPERM, A_SETPGID, z, r, 0);
  DO_ERR(&gr, EPERM, A_SETPGID, z, y, 0);
  CHECK_PLACE(z, y, y);
  /* z itself may still move within its own session. */
  DO_SETPGID_OK(&gz, 0, 0);
  CHECK_PLACE(z, z, y);
  DO_SETPGID_OK(&gz, 0, 0); /* already there: nothing to do, no error */
  agent_stop(&gz);
  agent_stop(&gr);
  CHECK_EQ(vsig_set_reaper(0), 0);
}

TEST(setpgid_pgid_must_name_a_group_of_the_callers_session) {
  vsig_pid_t r = root(U), c = child(r, U), s = child(r, U), q = root(U), gone = gone_pid();
  vsig_pid_t qc = child(q, U);
  struct agent gr, gc;
  agent_start(&gr, r);
  agent_start(&gc, c);
  DO_ERR(&gr, EPERM, A_SETPGID, c, gone, 0); /* no such group */
  DO_ERR(&gr, EPERM, A_SETPGID, c, s, 0);    /* s is a process, not a group */
  DO_ERR(&gr, EPERM, A_SETPGID, c, q, 0);    /* a group of another session */
  DO_ERR(&gr, EPERM, A_SETPGID, c, qc, 0);   /* a process of another session */
  DO_ERR(&gr, EPERM, A_SETPGID, c, getpid(), 0);
  DO_ERR(&gc, EPERM, A_SETPGID, 0, s, 0);
  DO_ERR(&gc, EPERM, A_SETPGID, 0, q, 0);
  DO_ERR(&gc, EPERM, A_SETPGID, c, INT_MAX, 0);
  CHECK_PLACE(c, r, r);
  CHECK_PLACE(s, r, r);
  CHECK_PLACE(qc, q, q);
  /* pgid == pid makes the group that id names. */
  DO_SETPGID_OK(&gr, s, s);
  CHECK_PLACE(s, s, r);
  agent_stop(&gr);
  agent_stop(&gc);
}

TEST(setpgid_moves_between_groups_of_a_session) {
  vsig_pid_t r = root(U), c1 = child(r, U), c2 = child(r, U);
  struct agent gr, g1, g2;
  agent_start(&gr, r);
  agent_start(&g1, c1);
  agent_start(&g2, c2);
  /* The parent makes a group for c1 and puts c2 in it. */
  DO_SETPGID_OK(&gr, c1, 0);
  DO_SETPGID_OK(&gr, c2, c1);
  CHECK_PLACE(c1, c1, r);
  CHECK_PLACE(c2, c1, r);
  DO_EQ(&g2, c1, A_GETPGRP, 0, 0, 0);
  /* The leader leaves; the group lives on with c2. */
  DO_SETPGID_OK(&g1, 0, r);
  CHECK_PLACE(c1, r, r);
  CHECK_PLACE(c2, c1, r);
  /* c1 may join the group named after it, which it does not lead any more. */
  DO_SETPGID_OK(&g1, c1, 0);
  CHECK_PLACE(c1, c1, r);
  /* Back to the session leader's group, by the member itself. */
  DO_SETPGID_OK(&g2, 0, r);
  DO_SETPGID_OK(&g1, 0, r);
  CHECK_PLACE(c1, r, r);
  CHECK_PLACE(c2, r, r);
  /* Group c1 has no member left: it is gone, and only c1 may make it again. */
  CHECK_ERRNO(vsig_killpg(c1, 0), ESRCH);
  DO_ERR(&g2, EPERM, A_SETPGID, 0, c1, 0);
  DO_SETPGID_OK(&g2, 0, 0);
  CHECK_PLACE(c2, c2, r);
  agent_stop(&gr);
  agent_stop(&g1);
  agent_stop(&g2);
}

TEST(setsid_makes_a_new_session_and_group) {
  vsig_pid_t r = root(U), c = child(r, U);
  struct agent gc;
  agent_start(&gc, c);
  vsig_pid_t k = (vsig_pid_t)agent_do(&gc, A_CREATE, U, 0, 0);
  CHECK(k > 0);
  CHECK_PLACE(k, r, r);
  DO_EQ(&gc, c, A_SETSID, 0, 0, 0);
  DO_EQ(&gc, c, A_GETSID, 0, 0, 0);
  DO_EQ(&gc, c, A_GETPGID, 0, 0, 0);
  DO_EQ(&gc, c, A_GETPGRP, 0, 0, 0);
  DO_EQ(&gc, r, A_GETPPID, 0, 0, 0); /* the tree does not change */
  CHECK_PLACE(c, c, c);
  CHECK_PLACE(r, r, r);
  /* A child made before stays in the old session, out of c's reach. */
  CHECK_PLACE(k, r, r);
  DO_ERR(&gc, EPERM, A_SETPGID, k, k, 0);
  DO_ERR(&gc, EPERM, A_SETPGID, k, c, 0);
  /* Twice: now it leads a group. */
  DO_ERR(&gc, EPERM, A_SETSID, 0, 0, 0);
  CHECK_PLACE(c, c, c);
  agent_stop(&gc);
  /* A root, and the default process, lead their groups already. */
  struct agent gr;
  agent_start(&gr, r);
  DO_ERR(&gr, EPERM, A_SETSID, 0, 0, 0);
  agent_stop(&gr);
  CHECK_ERRNO(vsig_setsid(), EPERM);
  CHECK_EQ(vsig_getsid(0), getpid());
}

TEST(setsid_when_the_pid_names_a_group_is_eperm) {
  /* c1 made group c1, put c2 in it and left: c1 leads nothing, but a group
   * has its id, which its new session's group would take. */
  vsig_pid_t r = root(U), c1 = child(r, U), c2 = child(r, U);
  struct agent gr, g1;
  agent_start(&gr, r);
  agent_start(&g1, c1);
  DO_SETPGID_OK(&gr, c1, c1);
  DO_SETPGID_OK(&gr, c2, c1);
  DO_SETPGID_OK(&g1, 0, r);
  DO_ERR(&g1, EPERM, A_SETSID, 0, 0, 0);
  CHECK_PLACE(c1, r, r);
  CHECK_PLACE(c2, c1, r);
  /* Once the group is gone, it may. */
  DO_SETPGID_OK(&gr, c2, r);
  DO_EQ(&g1, c1, A_SETSID, 0, 0, 0);
  CHECK_PLACE(c1, c1, c1);
  agent_stop(&gr);
  agent_stop(&g1);
}

/* ---- sending to a group ------------------------------------------------------------ */

/* r leads a session with members c1, c2 in r's group and c3 in its own; q is
 * another session. All one user. */
struct town {
  vsig_pid_t r, c1, c2, c3, q;
  struct agent a[5];
};

static void town_up(struct town *t, const vsig_uid_t uids[5]) {
  t->r = root(uids[0]);
  t->c1 = child(t->r, uids[1]);
  t->c2 = child(t->r, uids[2]);
  t->c3 = child(t->r, uids[3]);
  t->q = root(uids[4]);
  vsig_pid_t pids[5] = {t->r, t->c1, t->c2, t->c3, t->q};
  for (int i = 0; i < 5; i++)
    agent_start(&t->a[i], pids[i]);
  DO_SETPGID_OK(&t->a[0], t->c3, 0);
}

static void town_down(struct town *t) {
  for (int i = 0; i < 5; i++)
    agent_stop(&t->a[i]);
}

/* Which of the five have sig pending, as a bit mask (r = 1, c1 = 2, ...);
 * each pending instance is taken, so the next send starts clean. */
static int who_got(struct town *t, int sig) {
  int m = 0;
  for (int i = 0; i < 5; i++)
    if (agent_take(&t->a[i], sig))
      m |= 1 << i;
  return m;
}

enum { R = 1, C1 = 2, C2 = 4, C3 = 8, Q = 16 };

static const vsig_uid_t same_user[5] = {U, U, U, U, U};

TEST(kill_zero_reaches_every_member_of_the_callers_group_and_no_one_else) {
  struct town t;
  town_up(&t, same_user);
  DO_EQ(&t.a[1], 0, A_KILL, 0, VSIG_SIGUSR1, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR1), R | C1 | C2);
  DO_EQ(&t.a[0], 0, A_KILL, 0, VSIG_SIGUSR1, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR1), R | C1 | C2);
  DO_EQ(&t.a[3], 0, A_KILL, 0, VSIG_SIGUSR2, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR2), C3);
  DO_EQ(&t.a[4], 0, A_KILL, 0, VSIG_SIGUSR2, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR2), Q);
  /* Signal 0 checks and sends nothing. */
  DO_EQ(&t.a[1], 0, A_KILL, 0, 0, 0);
  for (int i = 0; i < 5; i++) {
    CHECK_EQ(agent_do(&t.a[i], A_PENDING, 0, 0, 0), 0);
    CHECK_EQ(t.a[i].set.bits, 0);
  }
  /* killpg(0) is the same. */
  DO_EQ(&t.a[2], 0, A_KILLPG, 0, VSIG_SIGUSR1, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR1), R | C1 | C2);
  /* The group follows setpgid. */
  DO_SETPGID_OK(&t.a[0], t.c2, t.c3);
  DO_EQ(&t.a[3], 0, A_KILL, 0, VSIG_SIGUSR1, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR1), C2 | C3);
  DO_EQ(&t.a[0], 0, A_KILL, 0, VSIG_SIGUSR1, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR1), R | C1);
  town_down(&t);
}

TEST(kill_negative_pgid_and_killpg_reach_that_group) {
  struct town t;
  town_up(&t, same_user);
  /* From another session: only the group's members. */
  DO_EQ(&t.a[4], 0, A_KILL, -t.r, VSIG_SIGUSR1, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR1), R | C1 | C2);
  DO_EQ(&t.a[4], 0, A_KILLPG, t.r, VSIG_SIGUSR1, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR1), R | C1 | C2);
  DO_EQ(&t.a[4], 0, A_KILL, -t.c3, VSIG_SIGUSR2, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR2), C3);
  DO_EQ(&t.a[1], 0, A_KILLPG, t.c3, VSIG_SIGUSR2, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR2), C3);
  DO_EQ(&t.a[1], 0, A_KILLPG, t.q, VSIG_SIGUSR2, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR2), Q);
  /* The sender's own group by its id includes the sender. */
  DO_EQ(&t.a[1], 0, A_KILL, -t.r, VSIG_SIGUSR1, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR1), R | C1 | C2);
  /* Each member got it once, from the sender: a queued signal shows it. */
  DO_EQ(&t.a[4], 0, A_KILL, -t.r, VSIG_SIGRTMIN, 0);
  DO_EQ(&t.a[4], 0, A_KILLPG, t.r, VSIG_SIGRTMIN, 0);
  for (int i = 0; i < 3; i++) {
    for (int n = 0; n < 2; n++) {
      CHECK_EQ(agent_take(&t.a[i], VSIG_SIGRTMIN), VSIG_SIGRTMIN);
      CHECK_EQ(t.a[i].info.si_code, VSIG_SI_USER);
      CHECK_EQ(t.a[i].info.si_pid, t.q);
      CHECK_EQ(t.a[i].info.si_uid, U);
    }
    CHECK_EQ(agent_take(&t.a[i], VSIG_SIGRTMIN), 0);
  }
  CHECK_EQ(who_got(&t, VSIG_SIGRTMIN), 0);
  /* Signal 0 checks the group and sends nothing. */
  DO_EQ(&t.a[4], 0, A_KILL, -t.r, 0, 0);
  DO_EQ(&t.a[4], 0, A_KILLPG, t.c3, 0, 0);
  for (int i = 0; i < 5; i++) {
    CHECK_EQ(agent_do(&t.a[i], A_PENDING, 0, 0, 0), 0);
    CHECK_EQ(t.a[i].set.bits, 0);
  }
  town_down(&t);
}

TEST(group_sends_with_no_such_group_or_a_bad_argument_fail) {
  struct town t;
  town_up(&t, same_user);
  vsig_pid_t gone = gone_pid();
  struct agent *s = &t.a[4];
  /* c1 is a process but no group's id. */
  DO_ERR(s, ESRCH, A_KILL, -t.c1, VSIG_SIGUSR1, 0);
  DO_ERR(s, ESRCH, A_KILLPG, t.c1, VSIG_SIGUSR1, 0);
  DO_ERR(s, ESRCH, A_KILL, -gone, VSIG_SIGUSR1, 0);
  DO_ERR(s, ESRCH, A_KILLPG, gone, 0, 0);
  DO_ERR(s, ESRCH, A_KILL, -t.c1, 0, 0);
  DO_ERR(s, ESRCH, A_KILL, INT_MIN, VSIG_SIGUSR1, 0); /* -INT_MIN is no group */
  DO_ERR(s, ESRCH, A_KILLPG, INT_MAX, VSIG_SIGUSR1, 0);
  /* killpg takes a group id, not its negation. */
  DO_ERR(s, EINVAL, A_KILLPG, -t.r, VSIG_SIGUSR1, 0);
  DO_ERR(s, EINVAL, A_KILLPG, -1, VSIG_SIGUSR1, 0);
  DO_ERR(s, EINVAL, A_KILLPG, INT_MIN, 0, 0);
  /* A bad signal is EINVAL before the group is looked for. */
  DO_ERR(s, EINVAL, A_KILL, -t.r, VSIG_NSIG, 0);
  DO_ERR(s, EINVAL, A_KILL, 0, -1, 0);
  DO_ERR(s, EINVAL, A_KILLPG, t.r, VSIG_NSIG, 0);
  DO_ERR(s, EINVAL, A_KILLPG, 0, -1, 0);
  DO_ERR(s, EINVAL, A_KILLPG, gone, VSIG_NSIG, 0);
  DO_ERR(s, EINVAL, A_KILL, -gone, -1, 0);
  CHECK_ERRNO(vsig_killpg(-1, VSIG_SIGUSR1), EINVAL);
  CHECK_ERRNO(vsig_killpg(gone, VSIG_SIGUSR1), ESRCH);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR1), 0);
  town_down(&t);
}

/* r and c2 are U's; c1 belongs to 2000 (real and saved); c3 to 3000; q to U. */
static const vsig_uid_t mixed_users[5] = {U, 2000, U, 3000, U};

TEST(group_sends_skip_members_the_sender_may_not_signal) {
  struct town t;
  town_up(&t, mixed_users);
  /* q (U) reaches r and c2 in group r, not c1, and says 0. */
  DO_EQ(&t.a[4], 0, A_KILL, -t.r, VSIG_SIGUSR1, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR1), R | C2);
  DO_EQ(&t.a[4], 0, A_KILLPG, t.r, VSIG_SIGUSR1, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR1), R | C2);
  DO_EQ(&t.a[4], 0, A_KILL, -t.r, 0, 0);
  /* c1 (2000) in group r: kill(0) reaches itself only. */
  DO_EQ(&t.a[1], 0, A_KILL, 0, VSIG_SIGUSR2, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR2), C1);
  /* r (U) in its group: itself and c2. */
  DO_EQ(&t.a[0], 0, A_KILLPG, 0, VSIG_SIGUSR2, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR2), R | C2);
  /* SIGCONT within the session reaches every member whatever its user. */
  DO_EQ(&t.a[3], 0, A_KILL, -t.r, VSIG_SIGCONT, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGCONT), R | C1 | C2);
  /* ...but not from another session. */
  DO_EQ(&t.a[4], 0, A_KILL, -t.r, VSIG_SIGCONT, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGCONT), R | C2);
  /* A privileged sender reaches them all. */
  vsig_pid_t boss = root(0);
  struct agent gb;
  agent_start(&gb, boss);
  DO_EQ(&gb, 0, A_KILLPG, t.r, VSIG_SIGUSR1, 0);
  CHECK_EQ(who_got(&t, VSIG_SIGUSR1), R | C1 | C2);
  agent_stop(&gb);
  town_down(&t);
}

TEST(group_sends_that_may_signal_no_member_are_eperm) {
  struct town t;
  town_up(&t, mixed_users);
  /* c3 (3000) may signal no one in group r. */
  DO_ERR(&t.a[3], EPERM, A_KILL, -t.r, VSIG_SIGUSR1, 0);
  DO_ERR(&t.a[3], EPERM, A_KILLPG, t.r, VSIG_SIGUSR1, 0);
  DO_ERR(&t.a[3], EPERM, A_KILL, -t.r, 0, 0);
  DO_ERR(&t.a[3], EPERM, A_KILLPG, t.r, 0, 0);
  /* q (U) may not signal c3's group, of 3000 alone. */
  DO_ERR(&t.a[4], EPERM, A_KILLPG, t.c3, VSIG_SIGUSR1, 0);
  DO_ERR(&t.a[4], EPERM, A_KILL, -t.c3, 0, 0);
  DO_ERR(&t.a[4], EPERM, A_KILL, -t.c3, VSIG_SIGCONT, 0); /* not its session */
  CHECK_EQ(who_got(&t, VSIG_SIGUSR1), 0);
  CHECK_EQ(who_got(&t, VSIG_SIGCONT), 0);
  /* A failed send changed nothing for the sender either. */
  CHECK_EQ(agent_take(&t.a[3], VSIG_SIGUSR1), 0);
  town_down(&t);
}

/* ---- kill(-1) ------------------------------------------------------------------------ */

TEST(kill_minus_one_skips_the_callers_process_and_the_reaper) {
  /* main (the default process) must not take SIGUSR1's default action. This
   * first call makes the default process, so it is the oldest: the reaper. */
  vsig_sigset_t usr1, pend;
  vsig_sigemptyset(&usr1);
  vsig_sigaddset(&usr1, VSIG_SIGUSR1);
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &usr1, NULL), 0);
  vsig_pid_t a = root(U), b = child(a, U), c = root(U), d = root(2000), e = root(0);
  struct agent ga, gb, gc, gd, ge;
  agent_start(&ga, a);
  agent_start(&gb, b);
  agent_start(&gc, c);
  agent_start(&gd, d);
  agent_start(&ge, e);

  DO_EQ(&ga, 0, A_KILL, -1, VSIG_SIGUSR1, 0);
  CHECK_EQ(agent_take(&ga, VSIG_SIGUSR1), 0);            /* not its own */
  CHECK_EQ(agent_take(&gb, VSIG_SIGUSR1), VSIG_SIGUSR1); /* its group's other members */
  CHECK_EQ(agent_take(&gc, VSIG_SIGUSR1), VSIG_SIGUSR1);
  CHECK_EQ(agent_take(&gd, VSIG_SIGUSR1), 0); /* not permitted: skipped */
  CHECK_EQ(agent_take(&ge, VSIG_SIGUSR1), 0); /* U may not signal root's process */
  CHECK_EQ(vsig_sigpending(&pend), 0);
  CHECK_EQ(vsig_sigismember(&pend, VSIG_SIGUSR1), 0); /* the reaper */

  /* A privileged sender reaches every one but itself and the reaper. */
  DO_EQ(&ge, 0, A_KILL, -1, VSIG_SIGUSR1, 0);
  CHECK_EQ(agent_take(&ga, VSIG_SIGUSR1), VSIG_SIGUSR1);
  CHECK_EQ(agent_take(&gb, VSIG_SIGUSR1), VSIG_SIGUSR1);
  CHECK_EQ(agent_take(&gc, VSIG_SIGUSR1), VSIG_SIGUSR1);
  CHECK_EQ(agent_take(&gd, VSIG_SIGUSR1), VSIG_SIGUSR1);
  CHECK_EQ(agent_take(&ge, VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_sigpending(&pend), 0);
  CHECK_EQ(vsig_sigismember(&pend, VSIG_SIGUSR1), 0);

  /* Name c the reaper: now c is skipped and the default process reached. */
  CHECK_EQ(vsig_set_reaper(c), 0);
  DO_EQ(&ge, 0, A_KILL, -1, VSIG_SIGUSR1, 0);
  CHECK_EQ(agent_take(&ga, VSIG_SIGUSR1), VSIG_SIGUSR1);
  CHECK_EQ(agent_take(&gc, VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_sigpending(&pend), 0);
  CHECK_EQ(vsig_sigismember(&pend, VSIG_SIGUSR1), 1);
  vsig_siginfo_t info;
  CHECK_EQ(vsig_sigwaitinfo(&usr1, &info), VSIG_SIGUSR1);
  CHECK_EQ(info.si_pid, e);
  CHECK_EQ(info.si_uid, 0);
  CHECK_EQ(vsig_set_reaper(0), 0);
  CHECK_EQ(agent_take(&gb, VSIG_SIGUSR1), VSIG_SIGUSR1);
  CHECK_EQ(agent_take(&gd, VSIG_SIGUSR1), VSIG_SIGUSR1);

  /* Signal 0: 0, nothing sent. */
  DO_EQ(&ga, 0, A_KILL, -1, 0, 0);
  vsig_pid_t pids[5] = {a, b, c, d, e};
  struct agent *gs[5] = {&ga, &gb, &gc, &gd, &ge};
  for (int i = 0; i < 5; i++) {
    CHECK_EQ(agent_do(gs[i], A_PENDING, 0, 0, 0), 0);
    CHECK_EQ(gs[i]->set.bits, 0);
  }
  for (int i = 0; i < 5; i++)
    agent_stop(gs[i]);
  for (int i = 0; i < 5; i++)
    CHECK_EQ(vsig_proc_destroy(pids[i]), 0);
}

TEST(kill_minus_one_is_esrch_without_candidates_and_eperm_without_permission) {
  /* Only the caller's process and the reaper (the default process, made
   * first so that it is the oldest). */
  CHECK_EQ(vsig_getpid(), getpid());
  vsig_pid_t a = root(U);
  struct agent ga;
  agent_start(&ga, a);
  DO_ERR(&ga, ESRCH, A_KILL, -1, VSIG_SIGUSR1, 0);
  DO_ERR(&ga, ESRCH, A_KILL, -1, 0, 0);
  /* A bad signal is EINVAL first. */
  DO_ERR(&ga, EINVAL, A_KILL, -1, VSIG_NSIG, 0);
  /* A candidate of another user: EPERM, and nothing sent. */
  vsig_pid_t b = root(2000);
  struct agent gb;
  agent_start(&gb, b);
  DO_ERR(&ga, EPERM, A_KILL, -1, VSIG_SIGUSR1, 0);
  DO_ERR(&ga, EPERM, A_KILL, -1, 0, 0);
  CHECK_EQ(agent_take(&gb, VSIG_SIGUSR1), 0);
  /* SIGCONT to another session is no exception. */
  DO_ERR(&ga, EPERM, A_KILL, -1, VSIG_SIGCONT, 0);
  CHECK_EQ(agent_take(&gb, VSIG_SIGCONT), 0);
  /* Within a session it is. */
  vsig_pid_t c = child(b, 3000);
  struct agent gc;
  agent_start(&gc, c);
  DO_EQ(&gc, 0, A_KILL, -1, VSIG_SIGCONT, 0);
  CHECK_EQ(agent_take(&gb, VSIG_SIGCONT), VSIG_SIGCONT);
  CHECK_EQ(agent_take(&ga, VSIG_SIGCONT), 0);
  DO_ERR(&gc, EPERM, A_KILL, -1, VSIG_SIGUSR1, 0);
  agent_stop(&ga);
  agent_stop(&gb);
  agent_stop(&gc);
  /* With the caller as the named reaper, the default process is a candidate. */
  CHECK_EQ(vsig_set_reaper(a), 0);
  agent_start(&ga, a);
  CHECK_EQ(vsig_proc_destroy(c), 0);
  CHECK_EQ(vsig_proc_destroy(b), 0);
  /* Whether U may signal it depends on the host's user: not ESRCH, anyway. */
  if (vsig_getuid() == U)
    DO_EQ(&ga, 0, A_KILL, -1, 0, 0);
  else
    DO_ERR(&ga, EPERM, A_KILL, -1, 0, 0);
  agent_stop(&ga);
  CHECK_EQ(vsig_set_reaper(0), 0);
}

/* ---- races ------------------------------------------------------------------------- */

struct mover {
  struct agent *parent;
  vsig_pid_t kid, home;
  _Atomic int stop;
};

static void *move_loop(void *arg) {
  struct mover *m = arg;
  for (int i = 0; !atomic_load(&m->stop); i++)
    CHECK_EQ(agent_do(m->parent, A_SETPGID, m->kid, (i & 1) ? m->home : m->kid, 0), 0);
  return NULL;
}

/* A process changes group (and group c comes and goes) while another process
 * sends to both groups: r's group always answers, c's is there or not, and
 * nothing is freed under a sender (ASan, TSan). */
TEST(setpgid_races_with_group_sends) {
  vsig_pid_t r = root(U), c = child(r, U), q = root(U);
  struct agent gr, gc, gq;
  agent_start(&gr, r);
  agent_start(&gc, c);
  agent_start(&gq, q);
  struct mover m = {.parent = &gr, .kid = c, .home = r};
  pthread_t h;
  CHECK_EQ(pthread_create(&h, NULL, move_loop, &m), 0);
  int found = 0, missed = 0;
  for (int i = 0; i < 3000; i++) {
    DO_EQ(&gq, 0, A_KILLPG, r, 0, 0);
    DO_EQ(&gq, 0, A_KILL, -r, VSIG_SIGUSR1, 0);
    if (agent_do(&gq, A_KILLPG, c, VSIG_SIGUSR2, 0) == 0) {
      found++;
    } else {
      CHECK_EQ(gq.err, ESRCH);
      missed++;
    }
  }
  atomic_store(&m.stop, 1);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK(found + missed == 3000);
  CHECK_EQ(agent_take(&gr, VSIG_SIGUSR1), VSIG_SIGUSR1);
  CHECK_EQ(agent_take(&gr, VSIG_SIGUSR2), 0); /* r never leads group c */
  if (found)
    CHECK_EQ(agent_take(&gc, VSIG_SIGUSR2), VSIG_SIGUSR2);
  agent_stop(&gr);
  agent_stop(&gc);
  agent_stop(&gq);
}
