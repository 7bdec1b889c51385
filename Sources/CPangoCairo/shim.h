// Pango (text shaping, line breaking) drawn by Cairo (PDF and PNG surfaces), from Debian's
// libpango1.0-dev and libcairo2-dev (scripts/install-deps installs them).
#include <pango/pangocairo.h>
#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>
