/* SPDX-License-Identifier: MIT */
/*
 * tls_threads_dso1.c: the traditional-dialect TLS library of tls_threads.
 * Built -fPIC with the default (gnu) dialect, so its own accesses are
 * general-dynamic (__tls_get_addr with DTPMOD64/DTPOFF64), local-dynamic
 * for the static variable, and initial-exec (TPOFF64) where asked. It also
 * reads dso2's variable, a DTPMOD64/DTPOFF64 pair against a symbol in
 * another module. check_tls_relocs.sh checks those relocations exist.
 */
#include <stdint.h>
#include <string.h>

__thread int dso1_gd = 0x1111;
__thread int dso1_ie __attribute__((tls_model("initial-exec"))) = 0x2222;
static __thread long dso1_ld = 0x3333;
__thread char dso1_bss[16384];
__thread long dso1_al __attribute__((aligned(64))) = 0x4444;

extern __thread int dso2_desc;

int dso1_check_initial(void);
void dso1_set(int id);
int dso1_check(int id);
void *dso1_addr(int which);

/* Number of variables that do not hold their initial image. */
int
dso1_check_initial(void)
{
	int bad = 0;
	size_t i;

	bad += dso1_gd != 0x1111;
	bad += dso1_ie != 0x2222;
	bad += dso1_ld != 0x3333;
	bad += dso1_al != 0x4444;
	bad += ((uintptr_t)&dso1_al & 63) != 0;
	for (i = 0; i < sizeof(dso1_bss); i++)
		bad += dso1_bss[i] != 0;
	return bad;
}

/* Gives every variable a value that only thread `id` uses. */
void
dso1_set(int id)
{
	dso1_gd = 0x10000 + id;
	dso1_ie = 0x20000 + id;
	dso1_ld = 0x30000 + id;
	dso1_al = 0x40000 + id;
	memset(dso1_bss, id + 1, sizeof(dso1_bss));
}

/* Number of variables that lost the values dso1_set(id) gave them. */
int
dso1_check(int id)
{
	int bad = 0;
	size_t i;

	bad += dso1_gd != 0x10000 + id;
	bad += dso1_ie != 0x20000 + id;
	bad += dso1_ld != 0x30000 + id;
	bad += dso1_al != 0x40000 + id;
	for (i = 0; i < sizeof(dso1_bss); i++)
		bad += dso1_bss[i] != (char)(id + 1);
	return bad;
}

/*
 * Addresses as this library computes them: 0 dso1_gd (GD), 1 dso1_ie (IE),
 * 2 dso1_ld (LD), 3 dso2_desc (GD against another module).
 */
void *
dso1_addr(int which)
{
	switch (which) {
	case 0: return &dso1_gd;
	case 1: return &dso1_ie;
	case 2: return &dso1_ld;
	case 3: return &dso2_desc;
	}
	return NULL;
}
