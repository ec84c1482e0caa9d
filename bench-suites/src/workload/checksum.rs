//! The arithmetic every workload shares, in Rust and (identically) in
//! `python/metron_suite.py`: the hash step of the `cpu` chain, the byte
//! patterns of files and transfer inputs, the transform of `transfer`, and
//! the checksum that folds all task results together.
//!
//! Both languages compute exactly the same numbers, so the Rust side can
//! compute the expected checksum of a Python run and the Python driver can
//! refuse a run whose answer differs.

use super::task::Output;

/// Multiplier of the hash step (the 64-bit golden ratio).
pub const MIX_MUL: u64 = 0x9E37_79B9_7F4A_7C15;
/// Increment of the hash step.
pub const MIX_ADD: u64 = 0x632B_E59B_D9B4_E019;

/// One step of the hash chain: an xor-shift, a multiply and an add, modulo
/// 2⁶⁴. Each step depends on the one before, so the chain cannot be
/// vectorised or shortened: it is pure, serial computation.
#[inline]
pub fn mix(x: u64) -> u64 {
    (x ^ (x >> 31)).wrapping_mul(MIX_MUL).wrapping_add(MIX_ADD)
}

/// `steps` hash steps from `seed`.
pub fn chain(seed: u64, steps: u64) -> u64 {
    let mut x = seed;
    for _ in 0..steps {
        x = mix(x);
    }
    x
}

/// The starting value of task `index`.
pub fn seed(index: usize) -> u64 {
    (index as u64 + 1).wrapping_mul(MIX_MUL)
}

/// Adler-32 of `data` (as zlib's `adler32`), position-sensitive and cheap in
/// both languages.
pub fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    // The largest n with 255·n·(n+1)/2 + (n+1)·(MOD−1) < 2³²: sums of this
    // many bytes cannot overflow before the modulo.
    const NMAX: usize = 5552;
    let (mut a, mut b) = (1u32, 0u32);
    for block in data.chunks(NMAX) {
        for &byte in block {
            a += u32::from(byte);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// `len` bytes counting up from `rotation` (mod 256): the content of the
/// `io` files and of the `transfer` inputs, cheap to make in both languages.
pub fn pattern(rotation: usize, len: usize) -> Vec<u8> {
    (0..len).map(|j| ((j + rotation) % 256) as u8).collect()
}

/// The byte map of `transfer`: b ↦ (167·b + 13) mod 256, a bijection
/// (167 is odd), applied with `bytes.translate` in Python.
pub fn translate_table() -> [u8; 256] {
    let mut table = [0u8; 256];
    for (b, slot) in table.iter_mut().enumerate() {
        *slot = ((b * 167 + 13) % 256) as u8;
    }
    table
}

/// `input` mapped through [`translate_table`] into a new buffer.
pub fn translate(input: &[u8]) -> Vec<u8> {
    let table = translate_table();
    input.iter().map(|&b| table[usize::from(b)]).collect()
}

/// Folds one task's result into the running checksum. Order matters, so a
/// variant that puts results in the wrong slots computes another checksum.
pub fn fold(h: u64, value: u64, data: &[u8]) -> u64 {
    let h = mix(h ^ value);
    let h = mix(h ^ u64::from(adler32(data)));
    mix(h ^ data.len() as u64)
}

/// The checksum of a whole run: every output folded in task order.
pub fn combine(outputs: &[Output]) -> u64 {
    outputs.iter().fold(0, |h, o| fold(h, o.value, &o.data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adler32_matches_zlib() {
        // Reference values from Python's zlib.adler32.
        assert_eq!(adler32(b""), 1);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        let long = pattern(3, 100_000);
        assert_eq!(adler32(&long), 0x3F42_7BEF);
    }

    #[test]
    fn chain_and_translate_match_python() {
        // Reference values from python/metron_suite.py.
        assert_eq!(chain(seed(0), 1000), 0xC10A_2E81_61C8_4B9D);
        let table = translate_table();
        assert_eq!((table[0], table[1], table[255]), (13, 180, 102));
        let mut sorted = table.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..=255).collect::<Vec<u8>>(), "the map is a bijection");
    }
}
