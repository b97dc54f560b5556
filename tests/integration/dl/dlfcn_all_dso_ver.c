/* SPDX-License-Identifier: MIT */
/*
 * dlfcn_all_dso_ver.c: one symbol in two versions, dlfcn_all_ver@V1 and
 * the default dlfcn_all_ver@@V2 (dlfcn_all_dso_ver.map), for dlvsym.
 * Built again with -DDLFCN_ALL_WITH_V3 as a link-time stub carrying the
 * same soname plus a version V3, so a library linked against the stub
 * needs V3 and fails to load against the real one ("version `V3' not
 * found").
 */
int
dlfcn_all_ver_v1(void)
{
	return 1;
}

int
dlfcn_all_ver_v2(void)
{
	return 2;
}

__asm__(".symver dlfcn_all_ver_v1, dlfcn_all_ver@V1");
__asm__(".symver dlfcn_all_ver_v2, dlfcn_all_ver@@V2");

#ifdef DLFCN_ALL_WITH_V3
int
dlfcn_all_ver_new(void)
{
	return 3;
}
#endif
