//! FNV-1a, 64 bits: the stable hash behind metron's names on disk (the
//! cache key of a compiled Rust snippet, the cached name of a metron binary
//! copied to a remote host).
//!
//! Those names outlive the process that made them, so the hash must be
//! fixed by its definition and the same on every platform and Rust release,
//! which std's `DefaultHasher` does not promise. FNV-1a is small and meets
//! that; it is not a cryptographic hash, and nothing here needs one: a name
//! only has to tell different inputs apart. Changing a single bit of the
//! output orphans every cached file, so the tests pin published vectors.

use std::io::Read;

/// FNV-1a's 64-bit offset basis: the hash of no bytes.
const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a's 64-bit prime.
const PRIME: u64 = 0x0100_0000_01b3;

/// An FNV-1a 64 hash being computed: feed it bytes with
/// [`Fnv1a::update`], read the hash with [`Fnv1a::finish`]. Feeding the
/// same bytes in any split gives the same hash.
///
/// ```
/// use metron::fingerprint::Fnv1a;
/// let mut h = Fnv1a::new();
/// h.update(b"foo");
/// h.update(b"bar");
/// assert_eq!(h.finish(), 0x8594_4171_f739_67e8);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fnv1a(u64);

impl Fnv1a {
    /// A hash of nothing yet.
    pub const fn new() -> Fnv1a {
        Fnv1a(OFFSET_BASIS)
    }

    /// Adds `bytes` to what has been hashed.
    pub fn update(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(PRIME);
        }
    }

    /// The hash of everything added so far.
    pub const fn finish(self) -> u64 {
        self.0
    }
}

impl Default for Fnv1a {
    fn default() -> Fnv1a {
        Fnv1a::new()
    }
}

/// The FNV-1a 64 hash of `bytes`.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash = Fnv1a::new();
    hash.update(bytes);
    hash.finish()
}

/// The FNV-1a 64 hash of everything `reader` yields, read in blocks (a
/// binary of many megabytes is never held in memory whole).
///
/// # Errors
/// The reader's error.
pub fn fnv1a64_reader(mut reader: impl Read) -> std::io::Result<u64> {
    let mut hash = Fnv1a::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        match reader.read(&mut buffer)? {
            0 => return Ok(hash.finish()),
            n => hash.update(&buffer[..n]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_test_vectors() {
        // From the FNV reference test suite (Landon Curt Noll's fnv-test).
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn blocks_do_not_change_the_hash() {
        let big = vec![7u8; 200_000];
        let mut byte_by_byte = Fnv1a::new();
        for b in &big {
            byte_by_byte.update(std::slice::from_ref(b));
        }
        assert_eq!(fnv1a64_reader(&big[..]).unwrap(), byte_by_byte.finish());
        assert_eq!(fnv1a64(&big), byte_by_byte.finish());
    }
}
