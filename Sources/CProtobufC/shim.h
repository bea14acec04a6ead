// Umbrella header for the protobuf-c runtime (Debian: libprotobuf-c-dev).
#include <protobuf-c/protobuf-c.h>
