// libcups from Debian's libcups2-dev (scripts/install-deps installs it).
#include <cups/cups.h>
