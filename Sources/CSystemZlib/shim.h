// zlib, from Debian's zlib1g-dev: gzip output for `nnmip compile -o model.mps.gz`, and the
// inflating of gzipped inputs (NNInput's Gzip).
#include <zlib.h>

// inflateInit2 is a macro, which Swift cannot import. Window bits 15 + 16: the largest window,
// and gzip framing only (header and CRC-32 trailer checked; zlib or raw deflate data is refused).
static inline int nnmip_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}
