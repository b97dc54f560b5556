/* SPDX-License-Identifier: MIT */
/*
 * The function pointers in _rtld_global_ro through which libc.so.6 calls
 * its loader (fact sheet section 5): symbol lookup for dlsym and the vDSO,
 * debug printing, TLS lookup for dl_iterate_phdr/dlinfo, _dl_find_object
 * for the unwinder, dlopen/dlclose; and the libc functions the adapter
 * calls back once libc is relocated (malloc, free, _dl_signal_error,
 * _dl_catch_error). Errors are raised the way libc expects: through libc's
 * own _dl_signal_error, which unwinds to libc's _dl_catch_error.
 */
#include "loader/glibc/internal.h"

#include <elf.h>
#include <stdarg.h>

#include "crt/fmt.h"
#include "crt/string.h"
#include "loader/dlopen.h"
#include "loader/error.h"
#include "loader/glibc/glibc.h"
#include "loader/hash.h"
#include "loader/scope.h"
#include "loader/state.h"
#include "loader/symbol.h"
#include "loader/tls.h"
#include "loader/trace.h"

/* glibc's lookup flag and type class bits (dl-lookup, link.h). */
#define LOOKUP_ADD_DEPENDENCY 1
#define LOOKUP_RETURN_NEWEST 2
#define RTYPE_CLASS_PLT 1
#define RTYPE_CLASS_COPY 2

void
glibc_raise(const char *objname, const char *occasion, const char *msg)
{
	if (ld_state.glibc.signal_error)
		ld_state.glibc.signal_error(0, objname, occasion, msg);
	ld_fatal("%s: %s: %s: %s", ld_state.progname, occasion, objname, msg);
}

static void
hook_debug_printf(const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	crt_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* glibc's messages end with "\n"; trace_printf adds its own. */
	if (text[0] && text[crt_strlen(text) - 1] == '\n')
		text[crt_strlen(text) - 1] = '\0';
	trace_printf("%s", text);
}

/* The n-th object of a NULL-terminated array of r_scope_elem pointers
 * (each a link-map array and its count), or NULL past the end; *pos is
 * the walk's position, 0 at first. No copy: the walk runs on whatever
 * stack libc calls from (a thread's may be PTHREAD_STACK_MIN). */
struct scope_walk {
	void **scope;
	unsigned index;
};

static struct elf_object *
scope_next(struct scope_walk *w)
{
	for (; w->scope && *w->scope; w->scope++, w->index = 0) {
		void **list = GLIBC_FIELD(*w->scope, 0, void **);
		unsigned count = GLIBC_FIELD(*w->scope, 8, unsigned);

		while (w->index < count) {
			struct elf_object *obj = glibc_object_of(list[w->index++]);

			if (obj)
				return obj;
		}
	}
	return NULL;
}

/* glibc's _dl_lookup_symbol_x: returns the defining map and sets *ref. */
static void *
hook_lookup_symbol_x(const char *name, void *undef_map, const Elf64_Sym **ref,
		     void **scope, const void *version, int type_class,
		     int flags, void *skip_map)
{
	struct elf_object *obj, *skip = glibc_object_of(skip_map);
	struct elf_object *undef = glibc_object_of(undef_map);
	struct scope_walk walk;
	struct version_entry want;
	struct symbol_request req;
	struct symbol_ref found;
	char msg[512];

	if (version) {
		want.name = GLIBC_FIELD(version, 0, const char *);
		want.hash = GLIBC_FIELD(version, 8, uint32_t);
		want.hidden = GLIBC_FIELD(version, 12, int) != 0;
		want.file = GLIBC_FIELD(version, 16, const char *);
	}
	symbol_request_init(&req, name, version ? &want : NULL,
			    (type_class & RTYPE_CLASS_PLT ? LOOKUP_PLT : 0) |
			    (flags & LOOKUP_RETURN_NEWEST ? LOOKUP_NEWEST : 0),
			    undef);
	walk.scope = scope;
	walk.index = 0;
	/* RTLD_NEXT: only what comes after skip_map. */
	if (skip)
		while ((obj = scope_next(&walk)) && obj != skip)
			;
	while ((obj = scope_next(&walk))) {
		if (type_class & RTYPE_CLASS_COPY && obj == undef)
			continue;
		if (symbol_lookup_scope(&obj, 1, &req, &found)) {
			if (!symbol_value_ok(&found)) {
				*ref = NULL;
				glibc_raise(object_name(found.obj),
					    "symbol lookup error", "symbol lies "
					    "outside the object that defines it");
			}
			/* dlsym(RTLD_DEFAULT) asks for a dependency (a
			 * handle's lookup does not); out of memory pins the
			 * definition instead, as glibc, so this cannot fail. */
			(void)scope_note_binding(undef, &req, &found,
						 SCOPE_PIN_ON_FAILURE |
						 (flags & LOOKUP_ADD_DEPENDENCY ?
						  SCOPE_ADD_DEPENDENCY : 0));
			*ref = found.sym;
			return found.obj->adapter;
		}
	}
	if (*ref == NULL || ELF64_ST_BIND((*ref)->st_info) != STB_WEAK) {
		crt_snprintf(msg, sizeof(msg), "undefined symbol: %s%s%s", name,
			     version ? ", version " : "", version ? want.name : "");
		*ref = NULL;
		glibc_raise(undef ? object_name(undef) : "", "symbol lookup error", msg);
	}
	*ref = NULL;
	return NULL;
}

static void
hook_error_free(void *p)
{
	if (ld_state.glibc.free)
		ld_state.glibc.free(p);
}

static void *
hook_tls_get_addr_soft(void *map)
{
	struct elf_object *obj = glibc_object_of(map);

	return obj ? tls_block_if_allocated(obj) : NULL;
}

static void
hook_libc_freeres(void)
{
}

/* struct dl_find_object (96 bytes): flags, map_start, map_end, link_map,
 * eh_frame, reserved. */
static int
hook_find_object(void *pc, void *result)
{
	struct elf_object *obj;
	size_t i;

	/* The unwinder calls this from any thread, without a lock. */
	scope_reader_enter();
	obj = dlopen_object_at(pc);
	if (!obj) {
		scope_reader_leave();
		return -1;
	}
	memset(result, 0, 96);
	GLIBC_FIELD(result, 8, uintptr_t) = obj->map_start;
	GLIBC_FIELD(result, 16, uintptr_t) = obj->map_end;
	GLIBC_FIELD(result, 24, void *) = obj->adapter;
	for (i = 0; i < obj->phnum; i++)
		if (obj->phdr[i].p_type == PT_GNU_EH_FRAME)
			GLIBC_FIELD(result, 32, uintptr_t) =
				obj->base + obj->phdr[i].p_vaddr;
	scope_reader_leave();
	return 0;
}

void
glibc_fill_hooks(unsigned char *ro)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;

	GLIBC_FIELD(ro, abi->glro_debug_printf, void *) = (void *)hook_debug_printf;
	/* LD_PROFILE is not supported: both ends are the same no-op. */
	GLIBC_FIELD(ro, abi->glro_mcount, void *) = (void *)_dl_mcount;
	GLIBC_FIELD(ro, abi->glro_lookup_symbol_x, void *) = (void *)hook_lookup_symbol_x;
	GLIBC_FIELD(ro, abi->glro_open, void *) = (void *)glibc_dl_open;
	GLIBC_FIELD(ro, abi->glro_close, void *) = (void *)glibc_dl_close;
	GLIBC_FIELD(ro, abi->glro_error_free, void *) = (void *)hook_error_free;
	GLIBC_FIELD(ro, abi->glro_tls_get_addr_soft, void *) =
		(void *)hook_tls_get_addr_soft;
	GLIBC_FIELD(ro, abi->glro_libc_freeres, void *) = (void *)hook_libc_freeres;
	GLIBC_FIELD(ro, abi->glro_find_object, void *) = (void *)hook_find_object;
}

void *
glibc_object_function(struct elf_object *obj, const char *name,
		      const struct version_entry *version)
{
	struct symbol_request req;
	struct symbol_ref ref;

	if (!obj)
		return NULL;
	symbol_request_init(&req, name, version, 0, NULL);
	ref.sym = symbol_lookup_object(obj, &req);
	ref.obj = obj;
	return ref.sym ? (void *)symbol_address(&ref) : NULL;
}

const struct version_entry glibc_version_2_2_5 = { .name = "GLIBC_2.2.5",
						   .hash = GLIBC_HASH_2_2_5 };
const struct version_entry glibc_version_private = { .name = "GLIBC_PRIVATE",
						     .hash = GLIBC_HASH_PRIVATE };
const struct version_entry glibc_version_linux_2_6 = { .name = "LINUX_2.6",
						       .hash = GLIBC_HASH_LINUX_2_6 };

/* A GLIBC_PRIVATE or GLIBC_2.2.5 function of libc, by name. */
static void *
libc_function(const char *name, const struct version_entry *version)
{
	return glibc_object_function(ld_state.glibc.libc, name, version);
}

/* The first definition of a GLIBC_2.2.5 function in the global scope: for
 * malloc and free, as glibc's ld.so binds its own after relocation, so
 * that a malloc the program or a preloaded library interposes also
 * serves the blocks the loader hands to libc (dynamic TLS, messages). */
static void *
global_function(const char *name)
{
	struct symbol_request req;
	struct symbol_ref ref;
	size_t nglobal;
	struct elf_object *const *global = scope_global(&nglobal);

	symbol_request_init(&req, name, &glibc_version_2_2_5, 0, ld_state.main_obj);
	if (!symbol_lookup_scope(global, nglobal, &req, &ref))
		return libc_function(name, &glibc_version_2_2_5);
	return (void *)symbol_address(&ref);
}

void
glibc_bind_libc_hooks(void)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;

	ld_state.glibc.malloc = (void *(*)(size_t))global_function("malloc");
	ld_state.glibc.free = (void (*)(void *))global_function("free");
	ld_state.glibc.signal_error = (void (*)(int, const char *, const char *,
						const char *))
		libc_function("_dl_signal_error", &glibc_version_private);
	ld_state.glibc.catch_error = libc_function("_dl_catch_error", &glibc_version_private);
	tls_set_block_allocator(ld_state.glibc.malloc, ld_state.glibc.free);
	ld_state.glibc.mutex_lock = (int (*)(void *))
		libc_function("pthread_mutex_lock", &glibc_version_2_2_5);
	ld_state.glibc.mutex_unlock = (int (*)(void *))
		libc_function("pthread_mutex_unlock", &glibc_version_2_2_5);
	GLIBC_FIELD(_rtld_global_ro, abi->glro_catch_error, void *) =
		ld_state.glibc.catch_error;
}
