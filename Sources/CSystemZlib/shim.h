// zlib, from Debian's zlib1g-dev: gzip output for `nnmip compile -o model.mps.gz`.
#include <zlib.h>
