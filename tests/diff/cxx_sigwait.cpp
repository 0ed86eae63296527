/* SPDX-License-Identifier: MIT */
/* Pins down a C++17 program: a sigaction handler, pthread_sigmask blocking, and sigwait for a
 * process-directed signal that a std::thread sends (with a thread-directed one handled meanwhile). */
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <pthread.h>
#include <signal.h>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

volatile std::sig_atomic_t usr2_runs = 0;
std::atomic<bool> in_main{false};
pthread_t main_thread;

void on_usr2(int) {
  usr2_runs = usr2_runs + 1;
  in_main = pthread_equal(pthread_self(), main_thread) != 0;
}

void on_watchdog(int) {
  static const char m[] = "watchdog\n";
  ssize_t r = write(1, m, sizeof m - 1);
  (void)r;
  _exit(99);
}

void say(const std::string &s) {
  std::fputs(s.c_str(), stdout);
  std::fflush(stdout);
}

std::string name(int sig) {
  const char *abbrev = sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

} // namespace

int main() {
  sigset_t none;
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, nullptr);
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_watchdog;
  sigaction(SIGALRM, &sa, nullptr);
  alarm(30);

  main_thread = pthread_self();
  sa.sa_handler = on_usr2;
  say("sigaction(SIGUSR2): " + std::to_string(sigaction(SIGUSR2, &sa, nullptr)) + "\n");
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  say("pthread_sigmask(SIG_BLOCK, {SIGUSR1}): " +
      std::to_string(pthread_sigmask(SIG_BLOCK, &set, nullptr)) + "\n");

  std::thread sender([] {
    // The thread inherits SIGUSR1 blocked; SIGUSR2 goes to main only.
    pthread_kill(main_thread, SIGUSR2);
    kill(getpid(), SIGUSR1);
  });
  int sig = 0;
  int r = sigwait(&set, &sig);
  say("sigwait: " + std::to_string(r) + ", got " + name(sig) + "\n");
  sender.join();
  say("SIGUSR2 handler runs: " + std::to_string(static_cast<int>(usr2_runs)) +
      ", in the main thread: " + (in_main ? "yes" : "no") + "\n");

  // A second round: the thread sends a queued value, sigwaitinfo takes it.
  sigaddset(&set, SIGRTMIN);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread queuer([] {
    union sigval v;
    v.sival_int = 2024;
    sigqueue(getpid(), SIGRTMIN, v);
  });
  siginfo_t si;
  int s = sigwaitinfo(&set, &si);
  queuer.join();
  say(std::string("sigwaitinfo: ") + (s == SIGRTMIN ? "SIGRTMIN" : name(s)) + ", value " +
      std::to_string(si.si_value.sival_int) + ", SI_QUEUE " + (si.si_code == SI_QUEUE ? "yes" : "no") +
      "\n");
  sigset_t pending;
  sigpending(&pending);
  say(std::string("SIGUSR1 pending at the end: ") + (sigismember(&pending, SIGUSR1) ? "yes" : "no") +
      "\n");
  return 0;
}
