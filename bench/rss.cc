// bench_rss: run a command, then report its wall time and peak resident set size.
//
//   bench_rss REPORT_FILE COMMAND [ARGS...]
//
// The command's stdout and stderr pass through untouched; the report goes to REPORT_FILE as
// one line "wall_seconds=1.234 max_rss_kb=56789 cpu_seconds=2.345 exit=0" (CPU: user + system).
// Peak RSS is ru_maxrss of the child from wait4(), the same figure `/usr/bin/time -f %M`
// prints, without needing that package.
// The exit status is the command's (128 + signal when it was killed).
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_rss REPORT_FILE COMMAND [ARGS...]\n");
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) {
    std::fprintf(stderr, "bench_rss: fork: %s\n", std::strerror(errno));
    return 1;
  }
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    std::fprintf(stderr, "bench_rss: %s: %s\n", argv[2], std::strerror(errno));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) {
      std::fprintf(stderr, "bench_rss: wait4: %s\n", std::strerror(errno));
      return 1;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::FILE* report = std::fopen(argv[1], "w");
  if (report == nullptr) {
    std::fprintf(stderr, "bench_rss: %s: %s\n", argv[1], std::strerror(errno));
    return 1;
  }
  const auto cpu = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  std::fprintf(report, "wall_seconds=%.3f max_rss_kb=%ld cpu_seconds=%.3f exit=%d\n", seconds,
               usage.ru_maxrss, cpu(usage.ru_utime) + cpu(usage.ru_stime), code);
  std::fclose(report);
  return code;
}
