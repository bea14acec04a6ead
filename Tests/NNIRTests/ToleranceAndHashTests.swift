import NNIR
import Testing

/// The shared relative tolerance and the SHA-256 behind name maps' model hashes (issue 14).
@Suite struct ToleranceAndHashTests {
    @Test func theToleranceIsAbsoluteForSmallValuesAndRelativeForLargeOnes() {
        #expect(Tolerance.allowed(scale: 0) == 1e-6)
        #expect(Tolerance.allowed(scale: 0.5) == 1e-6)
        #expect(Tolerance.allowed(scale: -1e10) == 1e4)
        #expect(Tolerance.allowed(scale: .infinity) == 1e-6, "an infinite scale must not excuse every difference")
        #expect(Tolerance.scale(of: [1, -3e9, .nan, 2]) == 3e9)
        #expect(Tolerance.largestDifference([[1, 2]], [[1.5, 2]]) == 0.5)
        #expect(Tolerance.largestDifference([[1, .nan]], [[1, 2]]) == .infinity, "NaN is never within the tolerance")
    }

    /// FIPS 180-4's examples, and a message longer than one block with a split update.
    @Test func sha256MatchesTheStandardsExamples() {
        func digest(_ text: String) -> String {
            var hash = SHA256()
            hash.update(text)
            return hash.hexDigest()
        }
        #expect(digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var split = SHA256()
        split.update("abcdbcdecdefdefgefghfghighijhijk")
        split.update("ijkljklmklmnlmnomnopnopq")
        #expect(split.hexDigest() == digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))
        #expect(digest(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func equalNumbersHashEquallyAndDifferentOnesDoNot() {
        func digest(_ value: Double) -> String {
            var hash = SHA256()
            hash.update(value)
            return hash.hexDigest()
        }
        #expect(digest(0) == digest(-0.0))
        #expect(digest(.nan) == digest(-Double.nan))
        #expect(digest(1) != digest(1.0000000000000002))
    }
}
