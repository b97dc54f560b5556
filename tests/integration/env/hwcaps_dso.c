/* SPDX-License-Identifier: MIT */
/*
 * hwcaps_dso.c: one library, built once per glibc-hwcaps subdirectory it is
 * put in (HWCAPS_WHO: "base", "v2", "v3", "v4", "prepend"), all variants
 * with the same soname. HWCAPS_FN names the function that says which
 * variant the loader picked: env_hwcaps_needed (the DT_NEEDED library of
 * the hwcaps program) or env_hwcaps_opened (the one it dlopens).
 */
const char *HWCAPS_FN(void);

const char *
HWCAPS_FN(void)
{
	return HWCAPS_WHO;
}
