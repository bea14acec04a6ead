import Foundation
import NNIR

/// HiGHS's shared library, opened at run time with `dlopen`, and the C
/// functions of its C API (`highs_c_api.h`) that `HiGHSSolver` calls.
///
/// nnmip does not link against HiGHS, so `nnmip compile` works without it;
/// only solving needs it. A library once loaded stays loaded for the life of
/// the process (it is never `dlclose`d), and `load` hands out the same object
/// for the same request.
public final class HiGHSLibrary: @unchecked Sendable {
    /// Where HiGHS's install by `scripts/setup.sh` sits below the project folder.
    static let projectRelativePath = ".tools/highs/highsbox/highs_dist/lib/libhighs.so"
    /// The environment variable naming the library to load.
    static let environmentVariable = "NNMIP_HIGHS_LIBRARY"

    /// The file that was loaded, symbolic links resolved; just `libhighs.so`
    /// when `dlopen` found it on the system's library path.
    public let path: String
    /// HiGHS's version string, from `Highs_version`.
    public let version: String

    typealias Handle = UnsafeMutableRawPointer
    typealias ConstHandle = UnsafeRawPointer
    typealias CString = UnsafePointer<CChar>
    typealias Int32Array = UnsafePointer<Int32>
    typealias DoubleArray = UnsafePointer<Double>

    /// `void* Highs_create(void)`.
    let create: @convention(c) () -> Handle?
    /// `void Highs_destroy(void* highs)`.
    let destroy: @convention(c) (Handle?) -> Void
    /// `HighsInt Highs_passModel(...)`: the whole model in one call.
    let passModel: @convention(c) (
        Handle?, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Double,
        DoubleArray?, DoubleArray?, DoubleArray?, DoubleArray?, DoubleArray?,
        Int32Array?, Int32Array?, DoubleArray?, Int32Array?, Int32Array?, DoubleArray?, Int32Array?
    ) -> Int32
    /// `HighsInt Highs_setBoolOptionValue(void* highs, const char* option, const HighsInt value)`.
    let setBoolOptionValue: @convention(c) (Handle?, CString?, Int32) -> Int32
    /// `HighsInt Highs_setIntOptionValue(void* highs, const char* option, const HighsInt value)`.
    let setIntOptionValue: @convention(c) (Handle?, CString?, Int32) -> Int32
    /// `HighsInt Highs_setDoubleOptionValue(void* highs, const char* option, const double value)`.
    let setDoubleOptionValue: @convention(c) (Handle?, CString?, Double) -> Int32
    /// `HighsInt Highs_getDoubleOptionValue(const void* highs, const char* option, double* value)`.
    let getDoubleOptionValue: @convention(c) (Handle?, CString?, UnsafeMutablePointer<Double>?) -> Int32
    /// `HighsInt Highs_setStringOptionValue(void* highs, const char* option, const char* value)`.
    let setStringOptionValue: @convention(c) (Handle?, CString?, CString?) -> Int32
    /// `HighsInt Highs_changeColsCostBySet(void* highs, HighsInt num_set_entries, const HighsInt* set, const double* cost)`.
    let changeColsCostBySet: @convention(c) (Handle?, Int32, Int32Array?, DoubleArray?) -> Int32
    /// `HighsInt Highs_changeColsBoundsBySet(void* highs, HighsInt num_set_entries, const HighsInt* set,
    /// const double* lower, const double* upper)`.
    let changeColsBoundsBySet: @convention(c) (Handle?, Int32, Int32Array?, DoubleArray?, DoubleArray?) -> Int32
    /// `HighsInt Highs_changeObjectiveSense(void* highs, const HighsInt sense)`.
    let changeObjectiveSense: @convention(c) (Handle?, Int32) -> Int32
    /// `HighsInt Highs_run(void* highs)`.
    let run: @convention(c) (Handle?) -> Int32
    /// `HighsInt Highs_getModelStatus(const void* highs)`.
    let getModelStatus: @convention(c) (ConstHandle?) -> Int32
    /// `double Highs_getObjectiveValue(const void* highs)`.
    let getObjectiveValue: @convention(c) (ConstHandle?) -> Double
    /// `HighsInt Highs_getSolution(const void* highs, double* col_value, double* col_dual, double* row_value, double* row_dual)`.
    let getSolution: @convention(c) (
        ConstHandle?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?,
        UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?
    ) -> Int32
    /// `HighsInt Highs_getIntInfoValue(const void* highs, const char* info, HighsInt* value)`.
    let getIntInfoValue: @convention(c) (ConstHandle?, CString?, UnsafeMutablePointer<Int32>?) -> Int32
    /// `HighsInt Highs_getDoubleInfoValue(const void* highs, const char* info, double* value)`.
    let getDoubleInfoValue: @convention(c) (ConstHandle?, CString?, UnsafeMutablePointer<Double>?) -> Int32
    /// `HighsInt Highs_getInt64InfoValue(const void* highs, const char* info, int64_t* value)`.
    let getInt64InfoValue: @convention(c) (ConstHandle?, CString?, UnsafeMutablePointer<Int64>?) -> Int32
    /// `double Highs_getRunTime(const void* highs)`: wall-clock seconds spent in `Highs_run`.
    let getRunTime: @convention(c) (ConstHandle?) -> Double
    /// `HighsInt Highs_zeroAllClocks(const void* highs)`.
    let zeroAllClocks: @convention(c) (ConstHandle?) -> Int32
    /// `HighsInt Highs_setSolution(void* highs, const double* col_value, const double* row_value,
    /// const double* col_dual, const double* row_dual)`: a MIP start when only columns are given.
    let setSolution: @convention(c) (Handle?, DoubleArray?, DoubleArray?, DoubleArray?, DoubleArray?) -> Int32
    /// The C callback type `HighsCCallbackType`: (callback type, message, data out, data in, user data).
    typealias CallbackFunction = @convention(c) (Int32, CString?, UnsafeRawPointer?, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Void
    /// `HighsInt Highs_setCallback(void* highs, HighsCCallbackType user_callback, void* user_callback_data)`.
    let setCallback: @convention(c) (Handle?, CallbackFunction?, UnsafeMutableRawPointer?) -> Int32
    /// `HighsInt Highs_startCallback(void* highs, const HighsInt callback_type)`.
    let startCallback: @convention(c) (Handle?, Int32) -> Int32
    /// `HighsInt Highs_setCallbackSolution(HighsCallbackDataIn* data_in, const HighsInt num_entries, const double* value)`:
    /// a solution offered from inside a user-solution callback.
    let setCallbackSolution: @convention(c) (UnsafeMutableRawPointer?, Int32, DoubleArray?) -> Int32
    /// `HighsInt Highs_stopCallback(void* highs, const HighsInt callback_type)`.
    let stopCallback: @convention(c) (Handle?, Int32) -> Int32
    /// `void Highs_resetGlobalScheduler(const HighsInt blocking)`: lets the next run start HiGHS's
    /// thread pool again, with the `threads` option of that run.
    let resetGlobalScheduler: @convention(c) (Int32) -> Void
    /// `const void* Highs_getCallbackDataOutItem(const HighsCallbackDataOut* data_out, const char* item_name)`:
    /// a pointer to the named field (for `mip_solution`, the array itself), so that nnmip never depends on the
    /// struct's layout.
    let getCallbackDataOutItem: @convention(c) (UnsafeRawPointer?, CString?) -> UnsafeRawPointer?
    /// `HighsInt Highs_readModel(void* highs, const char* filename)`: MPS or LP, gzipped or not, by the name's extension.
    let readModel: @convention(c) (Handle?, CString?) -> Int32
    /// `HighsInt Highs_getNumCol(const void* highs)`.
    let getNumCol: @convention(c) (ConstHandle?) -> Int32
    /// `HighsInt Highs_getNumRow(const void* highs)`.
    let getNumRow: @convention(c) (ConstHandle?) -> Int32
    /// `HighsInt Highs_getNumNz(const void* highs)`.
    let getNumNz: @convention(c) (ConstHandle?) -> Int32
    /// `HighsInt Highs_getHessianNumNz(const void* highs)`: nonzero when the objective is quadratic.
    let getHessianNumNz: @convention(c) (ConstHandle?) -> Int32
    /// `HighsInt Highs_getLp(const void* highs, HighsInt a_format, HighsInt* num_col, HighsInt* num_row,
    /// HighsInt* num_nz, HighsInt* sense, double* offset, double* col_cost, double* col_lower, double* col_upper,
    /// double* row_lower, double* row_upper, HighsInt* a_start, HighsInt* a_index, double* a_value, HighsInt* integrality)`.
    let getLp: @convention(c) (
        ConstHandle?, Int32, UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?,
        UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?,
        UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Int32>?,
        UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Int32>?
    ) -> Int32
    /// `HighsInt Highs_getColName(const void* highs, const HighsInt col, char* name)`: `name` holds
    /// `kHighsMaximumStringLength` (512) bytes.
    let getColName: @convention(c) (ConstHandle?, Int32, UnsafeMutablePointer<CChar>?) -> Int32
    /// `HighsInt Highs_getRowName(const void* highs, const HighsInt row, char* name)`, as `getColName`.
    let getRowName: @convention(c) (ConstHandle?, Int32, UnsafeMutablePointer<CChar>?) -> Int32

    /// Resolves every function in the library opened as `handle` from `name`,
    /// and checks that its `HighsInt` is 32-bit (`Highs_getSizeofHighsInt`).
    private init(handle: UnsafeMutableRawPointer, name: String) throws(LoadFailure) {
        func function<T>(_ symbol: String, _ type: T.Type = T.self) throws(LoadFailure) -> T {
            guard let address = dlsym(handle, symbol) else {
                throw LoadFailure(reason: "it has no function \(symbol) (not a HiGHS library, or too old a one)")
            }
            return unsafeBitCast(address, to: type)
        }
        create = try function("Highs_create")
        destroy = try function("Highs_destroy")
        passModel = try function("Highs_passModel")
        setBoolOptionValue = try function("Highs_setBoolOptionValue")
        setIntOptionValue = try function("Highs_setIntOptionValue")
        setDoubleOptionValue = try function("Highs_setDoubleOptionValue")
        getDoubleOptionValue = try function("Highs_getDoubleOptionValue")
        setStringOptionValue = try function("Highs_setStringOptionValue")
        changeColsCostBySet = try function("Highs_changeColsCostBySet")
        changeColsBoundsBySet = try function("Highs_changeColsBoundsBySet")
        changeObjectiveSense = try function("Highs_changeObjectiveSense")
        run = try function("Highs_run")
        getModelStatus = try function("Highs_getModelStatus")
        getObjectiveValue = try function("Highs_getObjectiveValue")
        getSolution = try function("Highs_getSolution")
        getIntInfoValue = try function("Highs_getIntInfoValue")
        getDoubleInfoValue = try function("Highs_getDoubleInfoValue")
        getInt64InfoValue = try function("Highs_getInt64InfoValue")
        getRunTime = try function("Highs_getRunTime")
        zeroAllClocks = try function("Highs_zeroAllClocks")
        setSolution = try function("Highs_setSolution")
        setCallback = try function("Highs_setCallback")
        startCallback = try function("Highs_startCallback")
        stopCallback = try function("Highs_stopCallback")
        setCallbackSolution = try function("Highs_setCallbackSolution")
        getCallbackDataOutItem = try function("Highs_getCallbackDataOutItem")
        resetGlobalScheduler = try function("Highs_resetGlobalScheduler")
        readModel = try function("Highs_readModel")
        getNumCol = try function("Highs_getNumCol")
        getNumRow = try function("Highs_getNumRow")
        getNumNz = try function("Highs_getNumNz")
        getHessianNumNz = try function("Highs_getHessianNumNz")
        getLp = try function("Highs_getLp")
        getColName = try function("Highs_getColName")
        getRowName = try function("Highs_getRowName")

        let versionFunction = try function("Highs_version", (@convention(c) () -> CString?).self)
        version = versionFunction().map { String(cString: $0) } ?? "unknown"
        // The size is a property of the build, but the C API asks for an instance.
        let sizeofHighsInt = try function("Highs_getSizeofHighsInt", (@convention(c) (ConstHandle?) -> Int32).self)
        guard let instance = create() else { throw LoadFailure(reason: "Highs_create returned NULL") }
        let size = sizeofHighsInt(instance)
        destroy(instance)
        guard size == 4 else {
            throw LoadFailure(reason: "its HighsInt is \(size) bytes (HiGHS \(version) built with HIGHSINT64); nnmip needs the default 32-bit build")
        }
        path = name.contains("/") ? Self.realPath(name) ?? name : name
    }

    /// Why one place did not give a usable library.
    private struct LoadFailure: Error {
        var reason: String
    }

    /// Opens `name` with `dlopen` and resolves its functions.
    private static func open(_ name: String) throws(LoadFailure) -> HiGHSLibrary {
        guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
            throw LoadFailure(reason: dlerror().map { String(cString: $0) } ?? "dlopen failed")
        }
        do {
            return try HiGHSLibrary(handle: handle, name: name)
        } catch {
            dlclose(handle)
            throw error
        }
    }

    /// The libraries loaded so far, by the path asked for (nil: the default search).
    nonisolated(unsafe) private static var loaded: [String?: HiGHSLibrary] = [:]
    /// Guards `loaded`, and makes concurrent first loads wait for each other.
    private static let lock = NSLock()

    /// Loads HiGHS (once per process for each request) from the first place that has it.
    ///
    /// A library named by `explicitPath` (the `--highs-library PATH` flag) or
    /// else by the environment variable `NNMIP_HIGHS_LIBRARY` is the only one
    /// tried: when a user names a library, nnmip does not quietly use another.
    /// It is a path, relative ones taken from the current directory (`dlopen`
    /// would search the system's library path for a name without a slash).
    /// Otherwise the search tries, in order, the project's install by
    /// `scripts/setup.sh` (`.tools/highs/highsbox/highs_dist/lib/libhighs.so`
    /// in the folder of the running executable or any folder above it, then
    /// likewise from the current directory), then `libhighs.so` on the
    /// system's library path (`dlopen`'s own search).
    ///
    /// - Throws: `Diagnostic(.unavailable)` listing every place tried and why
    ///   it failed (`dlerror`'s text), and how to install HiGHS.
    public static func load(explicitPath: String? = nil) throws -> HiGHSLibrary {
        let named = explicitPath ?? ProcessInfo.processInfo.environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        lock.lock()
        defer { lock.unlock() }
        if let library = loaded[named] { return library }

        var tried: [String] = []
        var seen: Set<String> = []
        func attempt(_ path: String, _ origin: String) -> HiGHSLibrary? {
            guard seen.insert(path).inserted else { return nil }
            do {
                return try open(path)
            } catch {
                tried.append("\(path) (\(origin)): \(error.reason)")
                return nil
            }
        }
        var found: HiGHSLibrary?
        if let named {
            let origin = explicitPath != nil ? "--highs-library" : environmentVariable
            found = attempt(Self.inCurrentDirectory(named), named.hasPrefix("/") ? origin : "\(origin) \(named), from the current directory")
        } else {
            for (start, origin) in searchStarts() where found == nil {
                let candidates = projectInstalls(above: start)
                if candidates.isEmpty {
                    tried.append("no \(projectRelativePath) in \(start) or any folder above it (\(origin))")
                }
                for candidate in candidates where found == nil {
                    found = attempt(candidate, origin)
                }
            }
            if found == nil { found = attempt("libhighs.so", "system library path") }
        }
        guard let library = found else {
            throw Diagnostic(.unavailable, """
                cannot load the HiGHS library (libhighs.so), which solving needs; tried:
                \(tried.map { "  - " + $0 }.joined(separator: "\n"))
                Install it with scripts/setup.sh (puts the highsbox wheel in .tools/highs), \
                or name the library with the environment variable \(environmentVariable).
                """, hint: OptionHint(option: "--highs-library", "Or give its path with --highs-library PATH."))
        }
        loaded[named] = library
        return library
    }

    /// `path` made absolute against the current directory, so that `dlopen` opens that file.
    private static func inCurrentDirectory(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }

    /// The folders whose ancestors may hold the project's install: the running
    /// executable's folder (symbolic links resolved) and the current directory.
    private static func searchStarts() -> [(folder: String, origin: String)] {
        var starts: [(String, String)] = []
        let executable = realPath("/proc/self/exe") ?? realPath(CommandLine.arguments.first ?? "")
        if let executable {
            starts.append(((executable as NSString).deletingLastPathComponent, "the executable's folder"))
        }
        if let current = realPath(FileManager.default.currentDirectoryPath) {
            starts.append((current, "the current directory"))
        }
        return starts
    }

    /// `path` with symbolic links and `..` resolved (`realpath`), nil if it does not exist.
    private static func realPath(_ path: String) -> String? {
        guard !path.isEmpty, let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Every `folder/.tools/highs/.../libhighs.so` that exists, for `folder`
    /// going up from `start` to the root.
    private static func projectInstalls(above start: String) -> [String] {
        var found: [String] = []
        var folder = start
        while true {
            let candidate = (folder as NSString).appendingPathComponent(projectRelativePath)
            if FileManager.default.fileExists(atPath: candidate) { found.append(candidate) }
            let parent = (folder as NSString).deletingLastPathComponent
            if parent == folder || parent.isEmpty { return found }
            folder = parent
        }
    }
}
