/* SPDX-License-Identifier: MIT */
/*
 * dlclose_loop_dso.c: the library dlclose_loop loads and unloads 10 000
 * times. It has general-dynamic TLS (a small .tdata variable and a 64 KiB
 * .tbss array, so a leaked TLS block shows in RSS) and a constructor and
 * destructor that count in the program (the counters live there, so they
 * survive the unload). Built twice: libdlclose_loop_dso.so and
 * libdlclose_loop_dso_nodel.so (opened RTLD_NODELETE).
 */
extern int dlclose_loop_ctors, dlclose_loop_dtors;

__thread int dlclose_loop_tls = 7;
__thread char dlclose_loop_tls_big[64 * 1024];

__attribute__((constructor)) static void
dso_init(void)
{
	dlclose_loop_ctors++;
}

__attribute__((destructor)) static void
dso_fini(void)
{
	dlclose_loop_dtors++;
}

/*
 * Touch this thread's TLS: returns the initial value of the small variable
 * plus 1 if the image was fresh (7 + 1), and dirties the big block.
 */
int
dlclose_loop_bump(int i)
{
	dlclose_loop_tls_big[i % sizeof(dlclose_loop_tls_big)] = (char)i;
	dlclose_loop_tls_big[0] = 1;
	return ++dlclose_loop_tls;
}
