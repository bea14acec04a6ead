// Umbrella header for OpenBLAS's CBLAS interface (Debian: libopenblas-dev), used for the dense
// matrix products of the search's evaluations, the gradient and bounds-symbolic.
#include <cblas.h>
