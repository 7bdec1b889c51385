// libqrencode from Debian's libqrencode-dev (scripts/install-deps installs it).
#include <qrencode.h>
