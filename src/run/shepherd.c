/*
 * The shepherd: the small process that supervises one command-line target
 * run (see runner.h for the whole picture). It is forked from the caller and
 * never execs; because the caller may have had other threads at fork time it
 * uses only system calls and the buffers prepared before the fork.
 *
 * Life of a shepherd:
 *   1. own process group; child subreaper (Linux), so every orphan the target
 *      leaves behind is re-parented to us, even one that called setsid();
 *   2. fork the target: own process group, death signal SIGKILL should we
 *      die, default signal dispositions, stdin /dev/null, stdout/stderr on
 *      pipes, cwd = execdir, RLIMIT_AS / RLIMIT_CPU; exec (PATH search as
 *      Python's subprocess, no shell). A close-on-exec pipe tells us whether
 *      exec worked; we pass that on ("hello") to the caller;
 *   3. read stdout/stderr as they come (bounded: last result line + tails),
 *      wake on SIGCHLD (ppoll unblocks it only while waiting, so no flag and
 *      no race), enforce the wall-clock limit, obey kill requests from the
 *      caller, and treat EOF on the caller's socket as "caller died: kill";
 *   4. once the target has exited: SIGKILL its group, reap it, then SIGKILL and
 *      reap every remaining descendant (listed in /proc/self/task/<pid>/children)
 *      until we have no children left; drain the pipes;
 *   5. send the report (times from getrusage(RUSAGE_CHILDREN): the target and
 *      every descendant reaped) and _exit.
 */
#define _GNU_SOURCE 1

#include "run/run_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

#ifndef NSIG
#define NSIG 65
#endif

/* The descriptor the socket to the caller is moved to. */
#define SOCK_FD 3

static double now_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Only interrupts ppoll(); everything else is found by waitid(). */
static void on_sigchld(int sig)
{
    (void)sig;
}

static int send_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void send_hello(int stage, int err_no, pid_t pid)
{
    shepherd_hello h;
    memset(&h, 0, sizeof h);
    h.magic = SMAC_SHEPHERD_MAGIC;
    h.stage = stage;
    h.err_no = err_no;
    h.pid = (int32_t)pid;
    send_all(SOCK_FD, &h, sizeof h);
}

/* Decimal text of v into buf (no libc formatting after fork). */
static size_t put_uint(char *buf, unsigned long v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    return n;
}

static void reset_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    for (int s = 1; s < NSIG; s++)
        sigaction(s, &sa, NULL); /* fails harmlessly for SIGKILL/SIGSTOP and RT gaps */
}

static void close_from(int lowfd)
{
#if defined(__linux__) && defined(SYS_close_range)
    if (syscall(SYS_close_range, (unsigned)lowfd, ~0U, 0) == 0)
        return;
#endif
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536)
        max = 65536;
    for (int fd = lowfd; fd < max; fd++)
        close(fd);
}

/* ------------------------------------------------------------------ target */

static void target_fail(int xe_w, int stage)
{
    int32_t msg[2] = {stage, errno};
    ssize_t unused = write(xe_w, msg, sizeof msg);
    (void)unused;
    _exit(127);
}

static void set_limit(int resource, rlim_t want, rlim_t hard_want, int xe_w)
{
    struct rlimit rl;
    if (getrlimit(resource, &rl) != 0)
        target_fail(xe_w, SHEPHERD_FAIL_RLIMIT);
    if (rl.rlim_max != RLIM_INFINITY) {
        if (want > rl.rlim_max)
            want = rl.rlim_max;
        if (hard_want > rl.rlim_max)
            hard_want = rl.rlim_max;
    }
    rl.rlim_cur = want;
    rl.rlim_max = hard_want;
    if (setrlimit(resource, &rl) != 0)
        target_fail(xe_w, SHEPHERD_FAIL_RLIMIT);
}

/* execvp without the shell fallback and without allocating, as Python's
 * subprocess does it: a name with '/' is a path (relative to execdir),
 * otherwise each PATH entry is tried; the first error other than "not
 * there" is the one reported. */
static void exec_target(const shepherd_args *a, int xe_w)
{
    char *const *argv = a->argv;
    const char *name = argv[0];
    if (strchr(name, '/')) {
        execv(name, argv);
        target_fail(xe_w, SHEPHERD_FAIL_EXEC);
    }
    const char *path = getenv("PATH");
    if (!path)
        path = "/bin:/usr/bin";
    size_t nl = strlen(name);
    int saved = 0;
    for (const char *p = path;; p++) {
        const char *end = strchr(p, ':');
        size_t dl = end ? (size_t)(end - p) : strlen(p);
        if (dl + nl + 2 <= a->pathbuf_cap) {
            char *buf = a->pathbuf;
            if (dl) {
                memcpy(buf, p, dl);
                buf[dl] = '/';
                memcpy(buf + dl + 1, name, nl + 1);
            } else {
                memcpy(buf, name, nl + 1); /* empty entry: the working folder */
            }
            execv(buf, argv);
            if (errno != ENOENT && errno != ENOTDIR && !saved)
                saved = errno;
        }
        if (!end)
            break;
        p = end;
    }
    errno = saved ? saved : ENOENT;
    target_fail(xe_w, SHEPHERD_FAIL_EXEC);
}

#if defined(__GNUC__)
__attribute__((noreturn))
#endif
static void target_child(const shepherd_args *a, int out_w, int err_w, int xe_w, pid_t shepherd)
{
    setpgid(0, 0);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != shepherd)
        _exit(127);
#else
    (void)shepherd;
#endif
    reset_signals();
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    int nul = open("/dev/null", O_RDONLY);
    if (nul < 0)
        target_fail(xe_w, SHEPHERD_FAIL_SETUP);
    if (dup2(nul, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0)
        target_fail(xe_w, SHEPHERD_FAIL_SETUP);
    if (nul > 2)
        close(nul);

    if (a->execdir && a->execdir[0] && strcmp(a->execdir, ".") != 0 && chdir(a->execdir) != 0)
        target_fail(xe_w, SHEPHERD_FAIL_CHDIR);
    if (a->memory_limit_mb > 0) {
        rlim_t bytes = (rlim_t)(a->memory_limit_mb * 1048576.0);
        set_limit(RLIMIT_AS, bytes, bytes, xe_w);
    }
    if (a->cpu_limit_s > 0) {
        long extra = (long)ceil(a->kill_delay);
        set_limit(RLIMIT_CPU, (rlim_t)a->cpu_limit_s, (rlim_t)(a->cpu_limit_s + (extra > 0 ? extra : 1)), xe_w);
    }
    exec_target(a, xe_w);
    _exit(127);
}

/* ------------------------------------------------------------ clean-up */

static void signal_target(pid_t pid, int sig)
{
    kill(-pid, sig); /* the group */
    kill(pid, sig);  /* in case it left its group */
    if (sig == SIGTERM) {
        kill(-pid, SIGCONT); /* a stopped process would never see the TERM */
        kill(pid, SIGCONT);
    }
}

/* SIGKILLs and reaps every child we have (orphans re-parented to us
 * included) until none is left. Returns 1 if some survived 5 s. */
static int reap_descendants(pid_t pgid, char *buf, size_t cap)
{
    char path[64];
    size_t n = 0;
    memcpy(path + n, "/proc/self/task/", 16);
    n += 16;
    n += put_uint(path + n, (unsigned long)getpid());
    memcpy(path + n, "/children", 10);

    int group_alive = 1;
    for (int iter = 0; iter < 5000; iter++) {
        /* Once the group is empty it can never fill again: stop naming it, so
         * a recycled number can never hit a stranger. */
        if (group_alive && kill(-pgid, SIGKILL) != 0 && errno == ESRCH)
            group_alive = 0;
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            size_t len = 0;
            ssize_t r;
            while (len + 1 < cap && (r = read(fd, buf + len, cap - 1 - len)) > 0)
                len += (size_t)r;
            close(fd);
            unsigned long pid = 0;
            int in = 0;
            for (size_t i = 0; i <= len; i++) {
                char c = i < len ? buf[i] : ' ';
                if (c >= '0' && c <= '9') {
                    pid = pid * 10 + (unsigned long)(c - '0');
                    in = 1;
                } else if (in) {
                    /* Our child: alive or a zombie we have not reaped, so the pid cannot be reused. */
                    kill((pid_t)pid, SIGKILL);
                    pid = 0;
                    in = 0;
                }
            }
        }
        int status, any = 0;
        pid_t r;
        while ((r = waitpid(-1, &status, WNOHANG)) > 0)
            any = 1;
        if (r < 0 && errno == ECHILD)
            return 0;
        if (!any) {
            struct timespec ts = {0, 1000000};
            nanosleep(&ts, NULL);
        }
    }
    return 1;
}

/* Reads at most max_reads chunks (so a flood cannot starve the deadline
 * checks) or until the pipe is empty; closes it at EOF. */
static void read_stream(int *fd, smac_outscan *scan, smac_tail *tail, char *chunk, size_t cap,
                        int max_reads)
{
    for (int reads = 0; reads < max_reads; reads++) {
        ssize_t n = read(*fd, chunk, cap);
        if (n > 0) {
            if (scan)
                smac_outscan_feed(scan, chunk, (size_t)n);
            smac_tail_feed(tail, chunk, (size_t)n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            close(*fd);
            *fd = -1;
        }
        return;
    }
}

static void send_tail(const smac_tail *t)
{
    const char *a, *b;
    size_t al, bl;
    smac_tail_pieces(t, &a, &al, &b, &bl);
    send_all(SOCK_FD, a, al);
    send_all(SOCK_FD, b, bl);
}

/* ------------------------------------------------------------------ main */

void smac_shepherd_main(const shepherd_args *a)
{
    /* Descriptors: the caller's socket to SOCK_FD, 0-2 open, nothing else. */
    int s = fcntl(a->sock, F_DUPFD_CLOEXEC, 10);
    if (s < 0)
        _exit(1);
    close(a->sock);
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
            int nul = open("/dev/null", O_RDWR);
            if (nul >= 0 && nul != fd) {
                dup2(nul, fd);
                close(nul);
            }
        }
    if (dup2(s, SOCK_FD) < 0)
        _exit(1);
    close(s);
    fcntl(SOCK_FD, F_SETFD, FD_CLOEXEC);
    close_from(SOCK_FD + 1);

    /* Signals: terminal signals go to the caller's group, not ours; a dead
     * caller shows as EOF, not SIGPIPE. */
    setpgid(0, 0);
    reset_signals();
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTSTP, SIG_IGN);
    signal(SIGTTIN, SIG_IGN);
    signal(SIGTTOU, SIG_IGN);
    sigset_t chld, waitmask;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &waitmask);
    sigdelset(&waitmask, SIGCHLD);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigchld;
    sa.sa_flags = SA_NOCLDSTOP;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);
#ifdef __linux__
    prctl(PR_SET_CHILD_SUBREAPER, 1);
#endif

    int out[2], errp[2], xe[2];
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0 || pipe2(xe, O_CLOEXEC) != 0) {
        send_hello(SHEPHERD_FAIL_SETUP, errno, 0);
        _exit(0);
    }
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    fcntl(errp[0], F_SETFL, O_NONBLOCK);

    pid_t self = getpid();
    double t0 = now_mono();
    pid_t pid = fork();
    if (pid == 0)
        target_child(a, out[1], errp[1], xe[1], self);
    if (pid < 0) {
        send_hello(SHEPHERD_FAIL_FORK, errno, 0);
        _exit(0);
    }
    setpgid(pid, pid); /* also from here: no window where kill(-pid) misses */
    close(out[1]);
    close(errp[1]);
    close(xe[1]);

    int32_t xmsg[2];
    size_t got = 0;
    while (got < sizeof xmsg) {
        ssize_t n = read(xe[0], (char *)xmsg + got, sizeof xmsg - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(xe[0]);
    if (got == sizeof xmsg) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        send_hello(xmsg[0], xmsg[1], pid);
        _exit(0);
    }
    send_hello(SHEPHERD_STARTED, 0, pid);

    int flags = 0, parent_gone = 0;
    double term_at = isfinite(a->term_after) ? t0 + a->term_after : INFINITY;
    double kill_at = INFINITY;
    struct pollfd fds[3];
    fds[0].fd = out[0];
    fds[1].fd = errp[0];
    fds[2].fd = SOCK_FD;
    for (int i = 0; i < 3; i++)
        fds[i].events = POLLIN;

    for (;;) {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid)
            break;
        double now = now_mono();
        if (now >= term_at) {
            signal_target(pid, SIGTERM);
            flags |= SHEPHERD_KILLED_AT_CUTOFF;
            term_at = INFINITY;
            if (now + a->kill_delay < kill_at)
                kill_at = now + a->kill_delay;
        }
        if (now >= kill_at) {
            signal_target(pid, SIGKILL);
            kill_at = INFINITY;
        }
        double next = term_at < kill_at ? term_at : kill_at;
        struct timespec ts, *tsp = NULL;
        if (isfinite(next)) {
            double wait = next - now;
            if (wait < 0)
                wait = 0;
            ts.tv_sec = (time_t)wait;
            ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
            if (ts.tv_nsec >= 1000000000L)
                ts.tv_nsec = 999999999L;
            tsp = &ts;
        }
        int r = ppoll(fds, 3, tsp, &waitmask);
        if (r <= 0)
            continue; /* timeout, or EINTR from SIGCHLD: re-check above */
        if (fds[0].fd >= 0 && fds[0].revents)
            read_stream(&fds[0].fd, a->scan, a->out_tail, a->chunk, a->chunk_cap, 16);
        if (fds[1].fd >= 0 && fds[1].revents)
            read_stream(&fds[1].fd, NULL, a->err_tail, a->chunk, a->chunk_cap, 16);
        if (fds[2].fd >= 0 && fds[2].revents) {
            char req[16];
            ssize_t n = recv(SOCK_FD, req, sizeof req, MSG_DONTWAIT);
            if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
                continue;
            if (n <= 0) {
                parent_gone = 1;
                fds[2].fd = -1;
                signal_target(pid, SIGKILL);
                continue;
            }
            for (ssize_t i = 0; i < n; i++) {
                flags |= SHEPHERD_KILLED_ON_REQUEST;
                if (req[i] == 'K') {
                    signal_target(pid, SIGKILL);
                } else {
                    signal_target(pid, SIGTERM);
                    double t = now_mono() + a->kill_delay;
                    if (t < kill_at)
                        kill_at = t;
                }
            }
        }
    }
    double wall = now_mono() - t0;

    int status = 0;
    kill(-pid, SIGKILL);
    while (wait4(pid, &status, 0, NULL) < 0 && errno == EINTR)
        ;
    if (reap_descendants(pid, a->chunk, a->chunk_cap))
        flags |= SHEPHERD_LEFTOVERS;
    /* Whatever is still in the pipes; bounded in case a writer escaped us. */
    if (fds[0].fd >= 0)
        read_stream(&fds[0].fd, a->scan, a->out_tail, a->chunk, a->chunk_cap, 4096);
    if (fds[1].fd >= 0)
        read_stream(&fds[1].fd, NULL, a->err_tail, a->chunk, a->chunk_cap, 4096);
    smac_outscan_end(a->scan);
    if (parent_gone)
        _exit(0);

    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    getrusage(RUSAGE_CHILDREN, &ru);
    shepherd_report rep;
    memset(&rep, 0, sizeof rep);
    rep.magic = SMAC_SHEPHERD_MAGIC;
    rep.wait_status = status;
    if (a->scan->have_result)
        flags |= SHEPHERD_HAVE_RESULT;
    if (a->scan->result_over)
        flags |= SHEPHERD_RESULT_OVERLONG;
    rep.flags = flags;
    rep.wall_time = wall;
    rep.user_cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6;
    rep.sys_cpu = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
    rep.max_rss_kb = ru.ru_maxrss;
    rep.result_len = a->scan->have_result ? a->scan->result_len : 0;
    rep.out_len = smac_tail_len(a->out_tail);
    rep.err_len = smac_tail_len(a->err_tail);
    if (send_all(SOCK_FD, &rep, sizeof rep) == 0) {
        send_all(SOCK_FD, a->scan->result, (size_t)rep.result_len);
        send_tail(a->out_tail);
        send_tail(a->err_tail);
    }
    _exit(0);
}
