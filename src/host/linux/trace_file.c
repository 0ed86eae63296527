/* SPDX-License-Identifier: MIT */
/*
 * VSIG_TRACE=file.json: the library's own trace hook. Events go into a
 * buffer allocated once at init (no allocation where they happen, which may
 * be a host signal handler); when it is full, later events are dropped and
 * counted, so the file holds a consistent prefix of the run. The file is
 * written once, at exit (atexit) or when the host process is terminated by a
 * signal's default action, in the Chrome trace-event format: open it in
 * https://ui.perfetto.dev. Writing uses only open, write and close on
 * static buffers, so it may run in a host signal handler.
 *
 * Layout: pid and tid are vsig's (virtual) ones. A signal's generation is a
 * slice on the sending thread (or on its process's "outside" track, for a
 * timer or the host) that starts a flow (bind_id: the instance's id); the
 * thread chosen, the handler slice (deliver to return), the sigwait that
 * accepted it, or its discard, continue or end that flow, so Perfetto draws
 * the arrow from sender to handler across threads.
 */
#include "../host.h"
#include "linux.h"

#include <vsig.h>

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_EVENTS 65536
#define MAX_EVENTS (1u << 24)
/* The track of events that happen on no vsig thread of the process: timer
 * expiries on the timer service, host signals. vsig thread ids are small. */
#define OUTSIDE_TID(pid) (1000000000u + (uint32_t)(pid))

struct slot {
  _Atomic uint32_t ready;
  int64_t host_ns;
  vsig_trace_event_t ev;
};

static struct {
  struct slot *slots;
  size_t cap;
  _Atomic size_t next;
  _Atomic size_t dropped;
  _Atomic int written;
  int64_t t0;
  char path[PATH_MAX + 16];
} R;

static void record(const vsig_trace_event_t *ev, void *arg) {
  (void)arg;
  size_t i = atomic_fetch_add_explicit(&R.next, 1, memory_order_relaxed);
  if (i >= R.cap) {
    atomic_fetch_add_explicit(&R.dropped, 1, memory_order_relaxed);
    return;
  }
  struct slot *s = &R.slots[i];
  s->host_ns = host_now_ns();
  s->ev = *ev;
  atomic_store_explicit(&s->ready, 1, memory_order_release);
}

/* ---- output: a buffered writer with nothing but write(2) --------------------------- */

static struct {
  int fd;
  bool more; /* an element is written: the next one needs a comma */
  size_t len;
  char buf[1 << 16];
} W;

static void out_flush(void) {
  size_t off = 0;
  while (off < W.len) {
    ssize_t n = write(W.fd, W.buf + off, W.len - off);
    if (n <= 0)
      break; /* a full disk: the file is cut short, nothing else to do */
    off += (size_t)n;
  }
  W.len = 0;
}

static void out(const char *s) {
  for (; *s; s++) {
    if (W.len == sizeof W.buf)
      out_flush();
    W.buf[W.len++] = *s;
  }
}

/* The start of an element of traceEvents. */
static void out_elem(const char *s) {
  out(W.more ? ",\n" : "\n");
  W.more = true;
  out(s);
}

static void out_u64(uint64_t v) {
  char d[24];
  int n = 0;
  do {
    d[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  char s[24];
  for (int i = 0; i < n; i++)
    s[i] = d[n - 1 - i];
  s[n] = '\0';
  out(s);
}

static void out_i64(int64_t v) {
  if (v < 0) {
    out("-");
    out_u64(0 - (uint64_t)v);
  } else {
    out_u64((uint64_t)v);
  }
}

/* Microseconds with three decimals: the format's unit, nanosecond precision. */
static void out_us(int64_t ns) {
  if (ns < 0)
    ns = 0;
  out_u64((uint64_t)ns / 1000);
  char f[5] = {'.', (char)('0' + ns / 100 % 10), (char)('0' + ns / 10 % 10), (char)('0' + ns % 10),
               '\0'};
  out(f);
}

static void out_hex(uint64_t v) {
  char s[20];
  int n = 0;
  do {
    s[n++] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v);
  out("\"0x");
  char r[20];
  for (int i = 0; i < n; i++)
    r[i] = s[n - 1 - i];
  r[n] = '\0';
  out(r);
  out("\"");
}

static const char *const sig_names[VSIG_SIGRTMIN] = {
    "SIG0",      "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",   "SIGTRAP", "SIGABRT", "SIGBUS",
    "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",  "SIGPIPE", "SIGALRM", "SIGTERM",
    "SIGSTKFLT", "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP",  "SIGTTIN", "SIGTTOU", "SIGURG",
    "SIGXCPU",   "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",   "SIGPWR",  "SIGSYS",
};

static void out_sig(int sig) {
  if (sig >= 0 && sig < VSIG_SIGRTMIN) {
    out(sig_names[sig]);
  } else if (sig >= VSIG_SIGRTMIN && sig < VSIG_NSIG) {
    out("SIGRTMIN+");
    out_i64(sig - VSIG_SIGRTMIN);
  } else {
    out("signal ");
    out_i64(sig);
  }
}

static const char *code_verb(int code) {
  switch (code) {
  case VSIG_SI_USER:
    return "kill ";
  case VSIG_SI_QUEUE:
    return "sigqueue ";
  case VSIG_SI_TIMER:
    return "timer ";
  case VSIG_SI_TKILL:
    return "tkill ";
  default:
    return "signal ";
  }
}

static const char *discard_why(int reason) {
  static const char *const why[] = {"?",
                                    "ignored",
                                    "default action",
                                    "merged",
                                    "zombie",
                                    "sigaction",
                                    "timer deleted",
                                    "thread gone",
                                    "process terminated"};
  return reason > 0 && reason < (int)(sizeof why / sizeof why[0]) ? why[reason] : why[0];
}

static const char *chose_why(int step) {
  switch (step) {
  case VSIG_TRACE_CHOSE_SENDER:
    return "step 2: the sender";
  case VSIG_TRACE_CHOSE_WAITER:
    return "step 3: a sigwait waiter";
  case VSIG_TRACE_CHOSE_UNBLOCKED:
    return "step 4: a thread with it unblocked";
  default:
    return "step 5: none, pending on the process";
  }
}

/* Where an event is drawn. */
static void track_of(const vsig_trace_event_t *ev, uint32_t *pid, uint32_t *tid) {
  if (ev->self) {
    *pid = (uint32_t)ev->self_pid;
    *tid = (uint32_t)ev->self;
  } else {
    *pid = (uint32_t)ev->pid;
    *tid = OUTSIDE_TID(ev->pid);
  }
}

/* Tracks named so far: a small open-addressed set; once full, names repeat
 * (harmless: the viewer keeps the last). */
#define SEEN_CAP 4096
static uint64_t seen[SEEN_CAP];

static bool first_sight(uint64_t key) {
  key += 1; /* 0 marks an empty cell */
  size_t h = (size_t)((key * UINT64_C(0x9e3779b97f4a7c15)) >> 52) % SEEN_CAP;
  for (size_t i = 0; i < SEEN_CAP; i++, h = (h + 1) % SEEN_CAP) {
    if (seen[h] == key)
      return false;
    if (!seen[h]) {
      seen[h] = key;
      return true;
    }
  }
  return true;
}

static void out_names(uint32_t pid, uint32_t tid) {
  if (first_sight((uint64_t)pid << 32)) {
    out_elem("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":");
    out_u64(pid);
    out(",\"tid\":");
    out_u64(OUTSIDE_TID(pid));
    out(",\"args\":{\"name\":\"vsig process ");
    out_u64(pid);
    out("\"}}");
  }
  if (first_sight(((uint64_t)pid << 32) | tid)) {
    out_elem("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":");
    out_u64(pid);
    out(",\"tid\":");
    out_u64(tid);
    out(",\"args\":{\"name\":\"");
    if (tid == OUTSIDE_TID(pid)) {
      out("timers and host");
    } else {
      out("vsig thread ");
      out_u64(tid);
    }
    out("\"}}");
  }
}

static void out_event(const struct slot *s) {
  const vsig_trace_event_t *ev = &s->ev;
  uint32_t pid, tid;
  track_of(ev, &pid, &tid);
  out_names(pid, tid);
  const char *ph = "X";
  bool flow_in = false, flow_out = false;
  out_elem("{\"name\":\"");
  switch (ev->kind) {
  case VSIG_TRACE_GENERATE:
    out(code_verb(ev->code));
    out_sig(ev->sig);
    flow_out = true;
    break;
  case VSIG_TRACE_CHOOSE:
    out("choose for ");
    out_sig(ev->sig);
    flow_in = flow_out = true;
    break;
  case VSIG_TRACE_DELIVER:
    out("handler ");
    out_sig(ev->sig);
    ph = "B";
    flow_in = true;
    break;
  case VSIG_TRACE_RETURN:
    out("handler ");
    out_sig(ev->sig);
    ph = "E";
    break;
  case VSIG_TRACE_ACCEPT:
    out("sigwait took ");
    out_sig(ev->sig);
    flow_in = true;
    break;
  case VSIG_TRACE_DISCARD:
    out("discard ");
    out_sig(ev->sig);
    out(" (");
    out(discard_why(ev->reason));
    out(")");
    flow_in = true;
    break;
  case VSIG_TRACE_TIMER:
    out("timer ");
    out_i64(ev->timer);
    out(" expires");
    break;
  case VSIG_TRACE_TERMINATE:
    out("terminated by ");
    out_sig(ev->sig);
    ph = "i";
    break;
  default:
    out("event");
    break;
  }
  out("\",\"cat\":\"vsig\",\"ph\":\"");
  out(ph);
  out("\",\"ts\":");
  out_us(s->host_ns - R.t0);
  if (*ph == 'X')
    out(",\"dur\":0");
  if (*ph == 'i')
    out(",\"s\":\"p\"");
  out(",\"pid\":");
  out_u64(pid);
  out(",\"tid\":");
  out_u64(tid);
  if (ev->id && (flow_in || flow_out)) {
    out(",\"bind_id\":");
    out_hex(ev->id);
    if (flow_in)
      out(",\"flow_in\":true");
    if (flow_out)
      out(",\"flow_out\":true");
  }
  out(",\"args\":{\"kind\":");
  out_i64(ev->kind);
  out(",\"id\":");
  out_hex(ev->id);
  out(",\"sig\":");
  out_i64(ev->sig);
  out(",\"code\":");
  out_i64(ev->code);
  out(",\"pid\":");
  out_i64(ev->pid);
  out(",\"thread\":");
  out_u64(ev->thread);
  out(",\"sender_pid\":");
  out_i64(ev->sender_pid);
  out(",\"sender\":");
  out_u64(ev->sender);
  out(",\"value\":");
  out_i64(ev->value.sival_int);
  out(",\"reason\":");
  out_i64(ev->reason);
  if (ev->kind == VSIG_TRACE_CHOOSE) {
    out(",\"step\":\"");
    out(chose_why(ev->reason));
    out("\"");
  }
  if (ev->timer || ev->code == VSIG_SI_TIMER) {
    out(",\"timer\":");
    out_i64(ev->timer);
    out(",\"overrun\":");
    out_i64(ev->overrun);
  }
  out(",\"vsig_ns\":");
  out_i64(ev->time_ns);
  out("}}");
}

static void write_file(void) {
  if (atomic_exchange(&R.written, 1))
    return;
  W.fd = open(R.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (W.fd < 0) {
    static const char msg[] = "vsig: VSIG_TRACE: cannot write the trace file\n";
    ssize_t n = write(2, msg, sizeof msg - 1);
    (void)n;
    return;
  }
  W.len = 0;
  memset(seen, 0, sizeof seen);
  size_t n = atomic_load_explicit(&R.next, memory_order_relaxed);
  if (n > R.cap)
    n = R.cap;
  size_t written = 0;
  W.more = false;
  out("{\"traceEvents\":[");
  for (size_t i = 0; i < n; i++) {
    const struct slot *s = &R.slots[i];
    /* A slot still being filled (a thread running meanwhile) is left out. */
    if (!atomic_load_explicit(&s->ready, memory_order_acquire))
      continue;
    out_event(s);
    written++;
  }
  out("\n],\"displayTimeUnit\":\"ns\",\"otherData\":{\"vsig_version\":\"");
  out(vsig_version());
  out("\",\"events\":");
  out_u64(written);
  out(",\"capacity\":");
  out_u64(R.cap);
  out(",\"dropped\":");
  out_u64(atomic_load_explicit(&R.dropped, memory_order_relaxed));
  out("}}\n");
  out_flush();
  close(W.fd);
}

void host_trace_flush(void) {
  if (R.slots)
    write_file();
}

static void at_exit(void) { host_trace_flush(); }

/* A fork child records its own run into FILE.PID, from empty. */
static void in_child(void) {
  char *dot = strrchr(R.path, '\0');
  size_t room = sizeof R.path - (size_t)(dot - R.path);
  char num[16];
  int n = 0;
  for (unsigned v = (unsigned)getpid(); v; v /= 10)
    num[n++] = (char)('0' + v % 10);
  if ((size_t)n + 2 <= room) {
    *dot++ = '.';
    while (n)
      *dot++ = num[--n];
    *dot = '\0';
  }
  atomic_store(&R.next, 0);
  atomic_store(&R.dropped, 0);
  atomic_store(&R.written, 0);
  memset(R.slots, 0, R.cap * sizeof *R.slots);
  R.t0 = host_now_ns();
}

void host_trace_init(void) {
  const char *path = getenv("VSIG_TRACE");
  if (!path || !*path)
    return;
  size_t cap = DEFAULT_EVENTS;
  const char *ev = getenv("VSIG_TRACE_EVENTS");
  if (ev && *ev) {
    char *end;
    unsigned long v = strtoul(ev, &end, 10);
    if (!*end && v > 0)
      cap = v > MAX_EVENTS ? MAX_EVENTS : v;
  }
  /* Made absolute now: the program may change directory before it exits. */
  size_t len = strlen(path);
  if (path[0] != '/') {
    if (!getcwd(R.path, PATH_MAX) || strlen(R.path) + 1 + len >= PATH_MAX)
      return;
    strcat(R.path, "/");
    strcat(R.path, path);
  } else {
    if (len >= PATH_MAX)
      return;
    memcpy(R.path, path, len + 1);
  }
  R.slots = calloc(cap, sizeof *R.slots);
  if (!R.slots)
    return;
  R.cap = cap;
  R.t0 = host_now_ns();
  atexit(at_exit);
  pthread_atfork(NULL, NULL, in_child);
  vsig_set_trace_fn(record, NULL);
}
