// The print stack's C libraries, loaded when first used rather than at start-up.
//
// Pango and Cairo (text shaping, PDF and PNG surfaces, from Debian's libpango1.0-dev and
// libcairo2-dev) and libcups (libcups2-dev) bring some sixty shared libraries with them:
// X11, GnuTLS, Kerberos, GLib. Linked as usual they are mapped, relocated and initialised by
// every `motcua` process, 9 MB of resident memory before anything is printed, and a centre
// server or a display-only site never prints. So the binary does not link them: it defines
// the functions it calls from them (PrintLibraries.c), and each definition opens the
// libraries on its first call and forwards to the real one.
#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>
#include <cups/cups.h>
#include <pango/pangocairo.h>
#include <stddef.h>

/// Opens libcups and libpangocairo (with Pango, Cairo and GLib behind it) if not yet open.
/// Returns 1 when both are open; otherwise 0 with the loader's message in `error`.
/// Safe to call from any thread, and cheap once the libraries are open.
int motcua_print_libraries_load(char *error, size_t capacity);
