/*
 * vsig_wasix_fault_install: real host faults (a PROT_NONE page), taken in
 * "guest code" (inside vsig_wasix_call on a bound guest thread) are traps,
 * out-of-bounds inside the guest memory's reservation and stack exhaustion
 * elsewhere; the same faults anywhere else, and sent SIGSEGVs, reach the
 * handler that was installed before, which here stands for vsig's bridge or
 * wasm2c's runtime.
 */
#include "fake_guest.h"

#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define OOB 101
#define EXHAUSTED 107

static sigjmp_buf prev_jb;
static volatile sig_atomic_t prev_calls, prev_code;

static void prev_handler(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  prev_calls++;
  prev_code = si->si_code;
  siglongjmp(prev_jb, 1);
}

static void install_prev(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = prev_handler;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  CHECK_EQ(sigaction(SIGSEGV, &sa, NULL), 0);
  CHECK_EQ(sigaction(SIGBUS, &sa, NULL), 0);
}

/* "Guest memory" laid out as wasm2c lays it out: MEM_SIZE accessible bytes
 * at the start of an 8 GiB reservation, here followed by one more
 * inaccessible page that is outside it. */
#define RESERVATION 0x200000000ull
static uint8_t *guarded_memory(void) {
  uint8_t *m = mmap(NULL, RESERVATION + 65536, PROT_NONE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  CHECK(m != MAP_FAILED);
  CHECK_EQ(mprotect(m, MEM_SIZE, PROT_READ | PROT_WRITE), 0);
  return m;
}

static volatile uint8_t *fault_at;

static void touch(void *unused) {
  (void)unused;
  *fault_at = 1;
  VT_FAIL("the access did not fault");
}

static void setup_guarded(void) {
  fake_setup();
  free(F.data);
  F.data = guarded_memory();
  install_prev();
  CHECK_EQ(vsig_wasix_fault_install(OOB, EXHAUSTED), 0);
}

TEST(fault_in_guest_memory_is_an_out_of_bounds_trap) {
  setup_guarded();
  fault_at = F.data + MEM_SIZE + 8;
  CHECK_EQ(vsig_wasix_call(&G, touch, NULL), VSIG_WASIX_TRAPPED);
  CHECK_EQ(G.trap, OOB);
  CHECK_EQ(prev_calls, 0);
  /* The host is fine, and a second fault traps again (SIGSEGV unblocked). */
  G.state = VSIG_WASIX_RUNNING;
  CHECK_EQ(vsig_wasix_call(&G, touch, NULL), VSIG_WASIX_TRAPPED);
  CHECK_EQ(prev_calls, 0);
}

TEST(fault_outside_guest_memory_is_stack_exhaustion) {
  setup_guarded();
  fault_at = F.data + RESERVATION + 8; /* as a host stack's guard page would be */
  CHECK_EQ(vsig_wasix_call(&G, touch, NULL), VSIG_WASIX_TRAPPED);
  CHECK_EQ(G.trap, EXHAUSTED);
  CHECK_EQ(prev_calls, 0);
}

TEST(fault_outside_guest_code_goes_to_the_previous_handler) {
  setup_guarded();
  fault_at = F.data + MEM_SIZE;
  /* No entry frame: host code, not guest code. */
  if (!sigsetjmp(prev_jb, 1))
    touch(NULL);
  CHECK_EQ(prev_calls, 1);
  CHECK(prev_code > 0);
  CHECK_EQ(G.state, VSIG_WASIX_RUNNING);
}

static void *unbound_thread(void *unused) {
  (void)unused;
  if (!sigsetjmp(prev_jb, 1))
    touch(NULL);
  return NULL;
}

TEST(fault_on_a_thread_without_a_guest_goes_to_the_previous_handler) {
  setup_guarded();
  fault_at = F.data + MEM_SIZE;
  pthread_t t;
  CHECK_EQ(pthread_create(&t, NULL, unbound_thread, NULL), 0);
  CHECK_EQ(pthread_join(t, NULL), 0);
  CHECK_EQ(prev_calls, 1);
}

static void send_segv(void *unused) {
  (void)unused;
  raise(SIGSEGV); /* sent, not caused: not a trap */
}

TEST(sent_sigsegv_in_guest_code_is_not_a_trap) {
  setup_guarded();
  if (!sigsetjmp(prev_jb, 1))
    vsig_wasix_call(&G, send_segv, NULL);
  else
    G.entry = NULL; /* the previous handler jumped over the entry frame */
  CHECK_EQ(prev_calls, 1);
  CHECK(prev_code <= 0);
  CHECK_EQ(G.state, VSIG_WASIX_RUNNING);
}

TEST(install_again_keeps_the_previous_handler_and_reinstalls_over_a_new_one) {
  setup_guarded();
  CHECK_EQ(vsig_wasix_fault_install(OOB, EXHAUSTED), 0); /* still ours: no change */
  fault_at = F.data + MEM_SIZE;
  if (!sigsetjmp(prev_jb, 1))
    touch(NULL);
  CHECK_EQ(prev_calls, 1); /* not a loop into ourselves */
  /* Someone (the bridge) takes SIGSEGV over; installing again wins it back. */
  install_prev();
  CHECK_EQ(vsig_wasix_fault_install(OOB, EXHAUSTED), 0);
  CHECK_EQ(vsig_wasix_call(&G, touch, NULL), VSIG_WASIX_TRAPPED);
  CHECK_EQ(G.trap, OOB);
  CHECK_EQ(prev_calls, 1);
}

TEST(fault_with_the_default_action_before_still_kills) {
  /* Nothing before vsig-wasix: a host fault outside guest code must end the
   * process with SIGSEGV, as natively, not loop or be swallowed. */
  pid_t pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    fake_setup();
    free(F.data);
    F.data = guarded_memory();
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGSEGV, &dfl, NULL);
    vsig_wasix_fault_install(OOB, EXHAUSTED);
    fault_at = F.data + MEM_SIZE;
    touch(NULL);
    _exit(0);
  }
  int st;
  CHECK_EQ(waitpid(pid, &st, 0), pid);
  CHECK(WIFSIGNALED(st));
  CHECK_EQ(WTERMSIG(st), SIGSEGV);
}
