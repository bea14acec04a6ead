// Umbrella header for libhdf5 (Debian: libhdf5-dev), used by the Keras front end.
//
// Swift cannot import HDF5's function-like macros (H5T_NATIVE_* expand to calls
// that also trigger library initialization, H5P_DEFAULT is a cast), so they are
// exposed here as static inline functions.
#include <hdf5.h>

static inline hid_t nnmip_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t nnmip_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t nnmip_h5t_c_s1(void) { return H5T_C_S1; }
static inline hid_t nnmip_h5s_all(void) { return H5S_ALL; }
static inline unsigned nnmip_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline hid_t nnmip_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t nnmip_h5e_default(void) { return H5E_DEFAULT; }
static inline size_t nnmip_h5t_variable(void) { return H5T_VARIABLE; }
