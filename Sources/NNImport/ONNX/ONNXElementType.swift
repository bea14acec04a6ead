/// ONNX's `TensorProto.DataType` codes, as far as the importer judges graph inputs.
enum ONNXElementType {
    /// The element types of inputs nnmip refuses, by code: integers, booleans, strings and complex
    /// numbers, which a continuous MILP variable would not represent. Floating-point types (FLOAT,
    /// DOUBLE, FLOAT16, BFLOAT16, the FLOAT8 kinds) and an undeclared type (0) are read as reals.
    static let nonReal: [Int32: String] = [
        2: "UINT8", 3: "INT8", 4: "UINT16", 5: "INT16", 6: "INT32", 7: "INT64", 8: "STRING", 9: "BOOL",
        12: "UINT32", 13: "UINT64", 14: "COMPLEX64", 15: "COMPLEX128", 21: "UINT4", 22: "INT4",
    ]
}
