/* Servers on loopback for the shard tests and bench-shards: a free port, and a server process
 * (xapian-tcpsrv, xapian-replicate-server) started in a process group of its own (xapian-tcpsrv
 * answers SIGTERM by signalling its whole group, and forks a process per connection), waited
 * for until it accepts connections, and stopped by its group id. */
#ifndef PRESSE_TESTS_LOOPBACK_H
#define PRESSE_TESTS_LOOPBACK_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline void loopback_sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {
  }
}

/* A port on 127.0.0.1 that nothing listens on now, or -1. */
static inline int loopback_free_port(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = -1;
  if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(s, (struct sockaddr *)&a, &len) == 0)
    port = ntohs(a.sin_port);
  if (s >= 0) close(s);
  return port;
}

static inline int loopback_accepts(int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int ok = s >= 0 && connect(s, (struct sockaddr *)&a, sizeof a) == 0;
  if (s >= 0) close(s);
  return ok;
}

/* Runs argv (a program on $PATH) with stdout and stderr to /dev/null, in a new process group;
 * returns its pid once port accepts connections (10 s at most), else -1 (and it is killed). */
static inline pid_t loopback_start(char *const argv[], int port) {
  fflush(NULL); /* what the caller printed is not printed again by the child */
  pid_t p = fork();
  if (p == 0) {
    setpgid(0, 0);
    if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) _exit(127);
    execvp(argv[0], argv);
    _exit(127);
  }
  for (int i = 0; p > 0 && i < 400; i++) {
    if (loopback_accepts(port)) return p;
    int st;
    if (waitpid(p, &st, WNOHANG) == p) return -1; /* it exited */
    loopback_sleep_ms(25);
  }
  if (p > 0) {
    kill(-p, SIGKILL);
    waitpid(p, NULL, 0);
  }
  return -1;
}

/* Stops the server and the processes it forked: its process group. */
static inline void loopback_stop(pid_t p) {
  if (p <= 0) return;
  kill(-p, SIGCONT);
  kill(-p, SIGTERM);
  waitpid(p, NULL, 0);
}

#endif
