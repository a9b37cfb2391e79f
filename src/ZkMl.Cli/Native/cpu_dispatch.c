// zkml's choice of build, made before the .NET runtime starts. The linux-x64 `zkml` is compiled for x86-64-v4 (AVX-512:
// the MSM's lanes) and this ELF constructor, compiled for the baseline and linked into it, runs before the runtime's own
// start-up (which refuses to run v4 code on a CPU without AVX-512): where the CPU or the OS lacks AVX-512, or
// ZKML_AVX512=0, it replaces the process by the portable x86-64-v3 build beside it (execv: same process id, arguments,
// streams and exit code). Where AVX-512 is there, it returns at once: no second process start (an exec of the whole
// runtime cost ~4.8 ms of CPU and ~800 page faults a run, ~10% of a 2^11 proof). See ZkMl.Cli.csproj.
#include <cpuid.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PORTABLE_NAME "zkml-avx2"

// AVX-512 F, DQ, CD, BW and VL (what x86-64-v4 adds), with the OS saving the opmask and ZMM state (XCR0 bits 1, 2, 5-7).
static int has_avx512(void)
{
    unsigned a, b, c, d;
    if (__get_cpuid_max(0, 0) < 7) return 0;
    __cpuid(1, a, b, c, d);
    if (!(c & (1u << 27))) return 0; // OSXSAVE: XGETBV is there
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0xE6u) != 0xE6u) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    const unsigned required = (1u << 16) | (1u << 17) | (1u << 28) | (1u << 30) | (1u << 31);
    return (b & required) == required;
}

__attribute__((constructor)) static void zkml_cpu_dispatch(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)envp;
    if (!argv || !argv[0]) return; // glibc passes the arguments to constructors; without them there is nothing to exec
    const char *choice = getenv("ZKML_AVX512");
    if (has_avx512() && !(choice && strcmp(choice, "0") == 0)) return;

    char path[PATH_MAX];
    ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
    if (length <= 0) return;
    path[length] = 0;
    char *slash = strrchr(path, '/');
    if (!slash || (size_t)(slash + 1 - path) + sizeof PORTABLE_NAME > sizeof path) return;
    strcpy(slash + 1, PORTABLE_NAME);
    execv(path, argv);
    // Only returns on failure. A package extracted without file modes (a tool store) leaves the build not executable:
    // where the user may, mark it so once (execute wherever read is allowed) and try again.
    struct stat st;
    if (errno == EACCES && stat(path, &st) == 0)
    {
        mode_t execute = ((st.st_mode & S_IRUSR) ? S_IXUSR : 0) | ((st.st_mode & S_IRGRP) ? S_IXGRP : 0)
            | ((st.st_mode & S_IROTH) ? S_IXOTH : 0);
        if ((st.st_mode & execute) != execute && chmod(path, st.st_mode | execute) == 0) execv(path, argv);
    }
    // No portable build to run: carry on. With AVX-512 missing the runtime then stops with its own message naming the
    // instruction sets; with ZKML_AVX512=0 this build simply runs.
}
