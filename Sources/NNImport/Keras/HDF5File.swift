import CHDF5
import Foundation
import NNIR
import Synchronization

/// An HDF5 file opened read-only through libhdf5, with the few reads the
/// Keras front end needs: string attributes and float datasets by path.
///
/// Every libhdf5 call goes through `check`, which turns a negative status
/// into a `Diagnostic` naming the file and the HDF5 path. libhdf5's own error
/// stack printing is switched off once per process: nnmip reports errors itself.
final class HDF5File {
    /// The file as the user named it, for diagnostics.
    let path: String
    private let id: hid_t

    /// The signature that starts an HDF5 file (its superblock), at offset 0 or, after a user
    /// block, at 512, 1024, 2048, ... bytes.
    private static let signature = Data([0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A])

    /// Whether `bytes` hold an HDF5 superblock signature where libhdf5 looks for one.
    static func hasSignature(_ bytes: Data) -> Bool {
        var offset = 0
        while offset + signature.count <= bytes.count {
            let start = bytes.startIndex + offset
            if bytes[start..<(start + signature.count)] == signature { return true }
            offset = offset == 0 ? 512 : offset * 2
        }
        return false
    }

    /// Opens an HDF5 file image held in memory (`H5Pset_fapl_core`, `H5Pset_file_image`): a whole
    /// `.h5` file, or the `model.weights.h5` member of a `.keras` archive. `path` names it in diagnostics.
    ///
    /// libhdf5 opens files by name, but nnmip reads every input once into memory (`InputFile`):
    /// standard input and pipes cannot be read a second time, and gzip data must be inflated
    /// first. So the bytes go to libhdf5's core (memory) driver as a file image, for every Keras
    /// file alike, rather than to a private temporary copy on disk, which could be left behind
    /// and needs a writable folder. libhdf5 copies the image, which costs memory the size of the
    /// file while the model is built; Keras files are small enough for that.
    init(image: Data, path: String) throws {
        self.path = path
        Self.silenceErrorStack()
        let access = H5Pcreate(nnmip_h5p_file_access())
        guard access >= 0 else { throw Diagnostic(.malformedInput, file: path, "libhdf5 cannot create a file access list") }
        defer { H5Pclose(access) }
        let opened = image.withUnsafeBytes { bytes -> hid_t in
            guard let base = bytes.baseAddress, H5Pset_fapl_core(access, 1 << 16, false) >= 0,
                  H5Pset_file_image(access, UnsafeMutableRawPointer(mutating: base), bytes.count) >= 0 else { return -1 }
            return H5Fopen(Self.uniqueImageName(), nnmip_h5f_acc_rdonly(), access)
        }
        guard opened >= 0 else {
            throw Diagnostic(.malformedInput, file: path, "not a readable HDF5 file (is it truncated or damaged?)")
        }
        id = opened
    }

    deinit {
        H5Fclose(id)
    }

    /// Images opened so far, to name each differently.
    private static let imagesOpened = Atomic<Int>(0)

    /// A name for libhdf5 to give the next image: the core driver refuses an image whose name is
    /// an existing file (it opens the name to check, which would also wait on a FIFO), and takes
    /// two open files of the same name for one. No entry of /proc/self/fd has a name that is not
    /// a number, so these names never exist.
    private static func uniqueImageName() -> String {
        let number = imagesOpened.add(1, ordering: .relaxed).newValue
        return "/proc/self/fd/nnmip-hdf5-image-\(number)"
    }

    /// The most strings an attribute may hold (layer and weight names).
    static let attributeLimit = 1 << 20
    /// The most values a dataset may hold (2^28 Float64 values are 2 GiB).
    static let datasetLimit = 1 << 28

    /// Turns libhdf5's automatic error printing off (`H5Eset_auto2`); idempotent.
    private static func silenceErrorStack() {
        H5Eset_auto2(nnmip_h5e_default(), nil, nil)
    }

    /// The error for `message` at HDF5 object `object`.
    func error(_ object: String, _ message: String) -> Diagnostic {
        Diagnostic(.malformedInput, file: path, location: "HDF5 path '\(object)'", message)
    }

    private func check(_ status: Int64, _ object: String, _ what: String) throws {
        if status < 0 { throw error(object, "libhdf5 cannot \(what) (is the file truncated or damaged?)") }
    }

    /// Whether the link `object` exists, checking every component (`H5Lexists` fails on a missing parent).
    func exists(_ object: String) -> Bool {
        var prefix = ""
        for component in object.split(separator: "/") {
            prefix += (prefix.isEmpty ? "" : "/") + component
            guard H5Lexists(id, prefix, nnmip_h5p_default()) > 0 else { return false }
        }
        return true
    }

    /// Whether object `object` (`"."` for the root) has attribute `name` (`H5Aexists_by_name`).
    func hasAttribute(_ name: String, of object: String) -> Bool {
        (object == "." || exists(object)) && H5Aexists_by_name(id, object, name, nnmip_h5p_default()) > 0
    }

    /// A string attribute, scalar or one-dimensional, fixed-length or variable-length
    /// (`H5Aread`); an empty numeric array (Keras's "no weights") reads as no strings.
    func stringsAttribute(_ name: String, of object: String) throws -> [String] {
        let place = object == "." ? "/@\(name)" : "\(object)/@\(name)"
        let attribute = H5Aopen_by_name(id, object, name, nnmip_h5p_default(), nnmip_h5p_default())
        try check(Int64(attribute), place, "open the attribute")
        defer { H5Aclose(attribute) }
        let type = H5Aget_type(attribute)
        try check(Int64(type), place, "read the attribute's type")
        defer { H5Tclose(type) }
        let space = H5Aget_space(attribute)
        try check(Int64(space), place, "read the attribute's shape")
        defer { H5Sclose(space) }
        let count = Int(H5Sget_simple_extent_npoints(space))
        guard H5Tget_class(type) == H5T_STRING else {
            if count == 0 { return [] }
            throw error(place, "expected a string attribute")
        }
        guard count > 0 else { return [] }
        guard count <= Self.attributeLimit else { throw error(place, "\(count) strings: more than nnmip reads (\(Self.attributeLimit))") }
        let memoryType = H5Tcopy(nnmip_h5t_c_s1())
        defer { H5Tclose(memoryType) }
        // libhdf5 does not convert between ASCII and UTF-8: read in the stored character set.
        H5Tset_cset(memoryType, H5Tget_cset(type))
        if H5Tis_variable_str(type) > 0 {
            H5Tset_size(memoryType, nnmip_h5t_variable())
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            defer { for pointer in pointers { H5free_memory(pointer) } }
            try check(Int64(H5Aread(attribute, memoryType, &pointers)), place, "read the attribute")
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
        // One byte more than stored: Keras 2.2-2.3 write NULLPAD strings that fill their width, and a
        // null-terminated memory type of the same width would drop their last character.
        let size = H5Tget_size(type) + 1
        guard size <= 1 << 16 else { throw error(place, "strings of \(size) bytes: more than nnmip reads") }
        H5Tset_size(memoryType, size)
        var bytes = [UInt8](repeating: 0, count: count * size)
        try check(Int64(H5Aread(attribute, memoryType, &bytes)), place, "read the attribute")
        return (0..<count).map { k in
            let slice = bytes[(k * size)..<((k + 1) * size)].prefix { $0 != 0 }
            return String(decoding: slice, as: UTF8.self)
        }
    }

    /// One string attribute (the first element of an array one).
    func stringAttribute(_ name: String, of object: String) throws -> String {
        guard let first = try stringsAttribute(name, of: object).first else {
            throw error(object == "." ? "/@\(name)" : "\(object)/@\(name)", "the attribute is empty")
        }
        return first
    }

    /// A numeric dataset converted to Float64 by libhdf5 (`H5Dread` with `H5T_NATIVE_DOUBLE`), with its shape.
    func dataset(_ object: String) throws -> (shape: [Int], values: [Double]) {
        guard exists(object) else { throw error(object, "the dataset is missing") }
        let dataset = H5Dopen2(id, object, nnmip_h5p_default())
        try check(Int64(dataset), object, "open the dataset")
        defer { H5Dclose(dataset) }
        let space = H5Dget_space(dataset)
        try check(Int64(space), object, "read the dataset's shape")
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        try check(Int64(rank), object, "read the dataset's rank")
        var dims = [hsize_t](repeating: 0, count: max(rank, 1))
        H5Sget_simple_extent_dims(space, &dims, nil)
        let shape = dims.prefix(rank).map { Int($0) }
        guard let count = Shape.elementCount(shape, limit: Self.datasetLimit) else {
            throw error(object, "the dataset \(shape) holds more than \(Self.datasetLimit) values, which nnmip does not read")
        }
        let type = H5Dget_type(dataset)
        try check(Int64(type), object, "read the dataset's type")
        defer { H5Tclose(type) }
        let typeClass = H5Tget_class(type)
        guard typeClass == H5T_FLOAT || typeClass == H5T_INTEGER else { throw error(object, "expected a numeric dataset") }
        var values = [Double](repeating: 0, count: count)
        if count > 0 {
            try check(Int64(H5Dread(dataset, nnmip_h5t_native_double(), nnmip_h5s_all(), nnmip_h5s_all(), nnmip_h5p_default(), &values)),
                      object, "read the dataset's values")
        }
        return (shape, values)
    }
}
