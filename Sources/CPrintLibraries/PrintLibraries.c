// Definitions of the Pango, Cairo, GLib and libcups functions Motcua calls, each opening the
// libraries on first use and forwarding to the real function (see CPrintLibraries.h).
//
// Every definition below must match its declaration in the library's own header, which
// is included: a wrong parameter or return type is a compile error, not a crash. A
// function called from Swift but missing here is a link error (the libraries are not
// linked), so the list cannot silently fall behind the code.
#include "CPrintLibraries.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CUPS, PANGO_CAIRO, LIBRARY_COUNT };

// Sonames, as Debian's runtime packages install them. Pango, Cairo, GObject and GLib are
// dependencies of libpangocairo: its handle finds their functions too.
static const char *const sonames[LIBRARY_COUNT] = {"libcups.so.2", "libpangocairo-1.0.so.0"};
static void *handles[LIBRARY_COUNT];
static char loadError[512];
static pthread_once_t loadOnce = PTHREAD_ONCE_INIT;

static void loadLibraries(void) {
    for (int library = 0; library < LIBRARY_COUNT; library++) {
        handles[library] = dlopen(sonames[library], RTLD_NOW | RTLD_LOCAL);
        if (handles[library] == NULL && loadError[0] == '\0') {
            const char *reason = dlerror();
            snprintf(loadError, sizeof loadError, "%s", reason ? reason : sonames[library]);
        }
    }
}

int motcua_print_libraries_load(char *error, size_t capacity) {
    pthread_once(&loadOnce, loadLibraries);
    if (loadError[0] == '\0') return 1;
    if (capacity > 0) snprintf(error, capacity, "%s", loadError);
    return 0;
}

/// The real `name` in `library`. Callers check `motcua_print_libraries_load` before
/// printing, so a failure here is a broken installation: said plainly, then abort.
static void *realFunction(int library, const char *name) {
    pthread_once(&loadOnce, loadLibraries);
    // dlsym on the library's own handle searches it and its dependencies, never this
    // binary, so it cannot find these forwarding definitions again.
    void *function = handles[library] ? dlsym(handles[library], name) : NULL;
    if (function == NULL) {
        fprintf(stderr, "motcua: %s is not available from %s: %s\n", name, sonames[library],
                loadError[0] ? loadError : dlerror());
        abort();
    }
    return function;
}

// The real function's address, looked up once; racing first calls look up the same one.
#define REAL(library, name) \
    static __typeof__(&name) real_; \
    __typeof__(&name) real = __atomic_load_n(&real_, __ATOMIC_ACQUIRE); \
    if (real == NULL) { \
        real = (__typeof__(&name))realFunction(library, #name); \
        __atomic_store_n(&real_, real, __ATOMIC_RELEASE); \
    }
#define FORWARD(library, type, name, parameters, arguments) \
    type name parameters { REAL(library, name) return real arguments; }
#define FORWARD_VOID(library, name, parameters, arguments) \
    void name parameters { REAL(library, name) real arguments; }

// cups
FORWARD(CUPS, const char *, cupsLastErrorString, (void), ())
FORWARD(CUPS, const char *, cupsServer, (void), ())
FORWARD(CUPS, const char *, cupsUser, (void), ())
FORWARD(CUPS, const char *, ippErrorString, (ipp_status_t error), (error))
FORWARD(CUPS, const char *, ippGetString, (ipp_attribute_t *attr, int element, const char **language), (attr, element, language))
FORWARD(CUPS, const char *, ippOpString, (ipp_op_t op), (op))
FORWARD(CUPS, http_status_t, cupsStartDocument, (http_t *http, const char *name, int job_id, const char *docname, const char *format, int last_document), (http, name, job_id, docname, format, last_document))
FORWARD(CUPS, http_status_t, cupsWriteRequestData, (http_t *http, const char *buffer, size_t length), (http, buffer, length))
FORWARD(CUPS, http_t *, httpConnect2, (const char *host, int port, http_addrlist_t *addrlist, int family, http_encryption_t encryption, int blocking, int msec, int *cancel), (host, port, addrlist, family, encryption, blocking, msec, cancel))
FORWARD(CUPS, http_uri_status_t, httpAssembleURI, (http_uri_coding_t encoding, char *uri, int urilen, const char *scheme, const char *username, const char *host, int port, const char *resource), (encoding, uri, urilen, scheme, username, host, port, resource))
FORWARD(CUPS, int, cupsCreateJob, (http_t *http, const char *name, const char *title, int num_options, cups_option_t *options), (http, name, title, num_options, options))
FORWARD(CUPS, int, httpError, (http_t *http), (http))
FORWARD(CUPS, int, ippGetBoolean, (ipp_attribute_t *attr, int element), (attr, element))
FORWARD(CUPS, int, ippGetCount, (ipp_attribute_t *attr), (attr))
FORWARD(CUPS, int, ippGetInteger, (ipp_attribute_t *attr, int element), (attr, element))
FORWARD(CUPS, int, ippPort, (void), ())
FORWARD(CUPS, int, ippSetString, (ipp_t *ipp, ipp_attribute_t **attr, int element, const char *strvalue), (ipp, attr, element, strvalue))
FORWARD(CUPS, ipp_attribute_t *, ippAddInteger, (ipp_t *ipp, ipp_tag_t group, ipp_tag_t value_tag, const char *name, int value), (ipp, group, value_tag, name, value))
FORWARD(CUPS, ipp_attribute_t *, ippAddString, (ipp_t *ipp, ipp_tag_t group, ipp_tag_t value_tag, const char *name, const char *language, const char *value), (ipp, group, value_tag, name, language, value))
FORWARD(CUPS, ipp_attribute_t *, ippFindAttribute, (ipp_t *ipp, const char *name, ipp_tag_t value_tag), (ipp, name, value_tag))
FORWARD(CUPS, ipp_status_t, cupsCancelJob2, (http_t *http, const char *name, int job_id, int purge), (http, name, job_id, purge))
FORWARD(CUPS, ipp_status_t, cupsFinishDocument, (http_t *http, const char *name), (http, name))
FORWARD(CUPS, ipp_status_t, cupsLastError, (void), ())
FORWARD(CUPS, ipp_status_t, ippGetStatusCode, (ipp_t *ipp), (ipp))
FORWARD(CUPS, ipp_t *, cupsDoRequest, (http_t *http, ipp_t *request, const char *resource), (http, request, resource))
FORWARD(CUPS, ipp_t *, ippNewRequest, (ipp_op_t op), (op))
FORWARD_VOID(CUPS, cupsSetPasswordCB2, (cups_password_cb2_t cb, void *user_data), (cb, user_data))
FORWARD_VOID(CUPS, cupsSetServer, (const char *server), (server))
FORWARD_VOID(CUPS, httpClose, (http_t *http), (http))
FORWARD_VOID(CUPS, httpSetTimeout, (http_t *http, double timeout, http_timeout_cb_t cb, void *user_data), (http, timeout, cb, user_data))
FORWARD_VOID(CUPS, ippDelete, (ipp_t *ipp), (ipp))

// pango
FORWARD(PANGO_CAIRO, PangoAttrList *, pango_attr_list_new, (void), ())
FORWARD(PANGO_CAIRO, PangoAttribute *, pango_attr_insert_hyphens_new, (gboolean insert_hyphens), (insert_hyphens))
FORWARD(PANGO_CAIRO, PangoAttribute *, pango_attr_weight_new, (PangoWeight weight), (weight))
FORWARD(PANGO_CAIRO, PangoContext *, pango_font_map_create_context, (PangoFontMap *fontmap), (fontmap))
FORWARD(PANGO_CAIRO, PangoFontDescription *, pango_font_description_new, (void), ())
FORWARD(PANGO_CAIRO, PangoFontMap *, pango_cairo_font_map_get_default, (void), ())
FORWARD(PANGO_CAIRO, PangoLayout *, pango_layout_new, (PangoContext *context), (context))
FORWARD(PANGO_CAIRO, cairo_font_options_t *, cairo_font_options_create, (void), ())
FORWARD(PANGO_CAIRO, cairo_status_t, cairo_surface_status, (cairo_surface_t *surface), (surface))
FORWARD(PANGO_CAIRO, cairo_status_t, cairo_surface_write_to_png_stream, (cairo_surface_t *surface, cairo_write_func_t write_func, void *closure), (surface, write_func, closure))
FORWARD(PANGO_CAIRO, cairo_surface_t *, cairo_image_surface_create, (cairo_format_t format, int width, int height), (format, width, height))
FORWARD(PANGO_CAIRO, cairo_surface_t *, cairo_pdf_surface_create_for_stream, (cairo_write_func_t write_func, void *closure, double width_in_points, double height_in_points), (write_func, closure, width_in_points, height_in_points))
FORWARD(PANGO_CAIRO, cairo_t *, cairo_create, (cairo_surface_t *target), (target))
FORWARD(PANGO_CAIRO, const char *, cairo_status_to_string, (cairo_status_t status), (status))
FORWARD(PANGO_CAIRO, int, pango_layout_get_baseline, (PangoLayout *layout), (layout))
FORWARD_VOID(PANGO_CAIRO, cairo_destroy, (cairo_t *cr), (cr))
FORWARD_VOID(PANGO_CAIRO, cairo_fill, (cairo_t *cr), (cr))
FORWARD_VOID(PANGO_CAIRO, cairo_font_options_destroy, (cairo_font_options_t *options), (options))
FORWARD_VOID(PANGO_CAIRO, cairo_font_options_set_hint_metrics, (cairo_font_options_t *options, cairo_hint_metrics_t hint_metrics), (options, hint_metrics))
FORWARD_VOID(PANGO_CAIRO, cairo_font_options_set_hint_style, (cairo_font_options_t *options, cairo_hint_style_t hint_style), (options, hint_style))
FORWARD_VOID(PANGO_CAIRO, cairo_line_to, (cairo_t *cr, double x, double y), (cr, x, y))
FORWARD_VOID(PANGO_CAIRO, cairo_move_to, (cairo_t *cr, double x, double y), (cr, x, y))
FORWARD_VOID(PANGO_CAIRO, cairo_paint, (cairo_t *cr), (cr))
FORWARD_VOID(PANGO_CAIRO, cairo_pdf_surface_set_size, (cairo_surface_t *surface, double width_in_points, double height_in_points), (surface, width_in_points, height_in_points))
FORWARD_VOID(PANGO_CAIRO, cairo_rectangle, (cairo_t *cr, double x, double y, double width, double height), (cr, x, y, width, height))
FORWARD_VOID(PANGO_CAIRO, cairo_restore, (cairo_t *cr), (cr))
FORWARD_VOID(PANGO_CAIRO, cairo_save, (cairo_t *cr), (cr))
FORWARD_VOID(PANGO_CAIRO, cairo_scale, (cairo_t *cr, double sx, double sy), (cr, sx, sy))
FORWARD_VOID(PANGO_CAIRO, cairo_set_line_cap, (cairo_t *cr, cairo_line_cap_t line_cap), (cr, line_cap))
FORWARD_VOID(PANGO_CAIRO, cairo_set_line_width, (cairo_t *cr, double width), (cr, width))
FORWARD_VOID(PANGO_CAIRO, cairo_set_source_rgb, (cairo_t *cr, double red, double green, double blue), (cr, red, green, blue))
FORWARD_VOID(PANGO_CAIRO, cairo_show_page, (cairo_t *cr), (cr))
FORWARD_VOID(PANGO_CAIRO, cairo_stroke, (cairo_t *cr), (cr))
FORWARD_VOID(PANGO_CAIRO, cairo_surface_destroy, (cairo_surface_t *surface), (surface))
FORWARD_VOID(PANGO_CAIRO, cairo_surface_finish, (cairo_surface_t *surface), (surface))
FORWARD_VOID(PANGO_CAIRO, cairo_surface_flush, (cairo_surface_t *surface), (surface))
FORWARD_VOID(PANGO_CAIRO, cairo_translate, (cairo_t *cr, double tx, double ty), (cr, tx, ty))
FORWARD_VOID(PANGO_CAIRO, g_object_unref, (gpointer object), (object))
FORWARD_VOID(PANGO_CAIRO, pango_attr_list_insert, (PangoAttrList *list, PangoAttribute *attr), (list, attr))
FORWARD_VOID(PANGO_CAIRO, pango_attr_list_unref, (PangoAttrList *list), (list))
FORWARD_VOID(PANGO_CAIRO, pango_cairo_context_set_font_options, (PangoContext *context, const cairo_font_options_t *options), (context, options))
FORWARD_VOID(PANGO_CAIRO, pango_cairo_show_layout, (cairo_t *cr, PangoLayout *layout), (cr, layout))
FORWARD_VOID(PANGO_CAIRO, pango_context_set_round_glyph_positions, (PangoContext *context, gboolean round_positions), (context, round_positions))
FORWARD_VOID(PANGO_CAIRO, pango_font_description_free, (PangoFontDescription *desc), (desc))
FORWARD_VOID(PANGO_CAIRO, pango_font_description_set_absolute_size, (PangoFontDescription *desc, double size), (desc, size))
FORWARD_VOID(PANGO_CAIRO, pango_font_description_set_family, (PangoFontDescription *desc, const char *family), (desc, family))
FORWARD_VOID(PANGO_CAIRO, pango_font_description_set_style, (PangoFontDescription *desc, PangoStyle style), (desc, style))
FORWARD_VOID(PANGO_CAIRO, pango_font_description_set_weight, (PangoFontDescription *desc, PangoWeight weight), (desc, weight))
FORWARD_VOID(PANGO_CAIRO, pango_layout_get_size, (PangoLayout *layout, int *width, int *height), (layout, width, height))
FORWARD_VOID(PANGO_CAIRO, pango_layout_set_alignment, (PangoLayout *layout, PangoAlignment alignment), (layout, alignment))
FORWARD_VOID(PANGO_CAIRO, pango_layout_set_attributes, (PangoLayout *layout, PangoAttrList *attrs), (layout, attrs))
FORWARD_VOID(PANGO_CAIRO, pango_layout_set_font_description, (PangoLayout *layout, const PangoFontDescription *desc), (layout, desc))
FORWARD_VOID(PANGO_CAIRO, pango_layout_set_text, (PangoLayout *layout, const char *text, int length), (layout, text, length))
FORWARD_VOID(PANGO_CAIRO, pango_layout_set_width, (PangoLayout *layout, int width), (layout, width))
FORWARD_VOID(PANGO_CAIRO, pango_layout_set_wrap, (PangoLayout *layout, PangoWrapMode wrap), (layout, wrap))
