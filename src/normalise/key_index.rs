//! Finding a row's earlier twin without copying keys: a table from a 64-bit hash of each row's key
//! to the first row with that key. Every duplicate check of the reading stage uses it: account,
//! post and snapshot rows as they arrive (tables), the post groups (store), post ids repeated
//! across a canonical file (fast) and posts filed under several niches (store).

/// Rows by a 64-bit hash of their key, so that no key is copied per row (a million posts made
/// three `String`s each just to look themselves up). Rows whose keys share a hash but differ each
/// have their own slot, so equality is always decided on the keys themselves.
///
/// A table of (hash, row) slots probed one after another from the hash's home slot: looking up a
/// key touches one stretch of memory (a hash map of its own keeps its control bytes apart from its
/// slots, two cache misses a row once the table outgrows the cache). It is at most seven eighths
/// full, as such a map is, so it never takes more memory than one would; sized from a row count
/// rounded up to a power of two, it is mostly half to three quarters full, where probes are short.
#[derive(Debug, Clone, Default)]
pub struct KeyIndex {
    /// A power of two long (or empty); `EMPTY` rows are free slots.
    slots: Vec<(u64, usize)>,
    len: usize,
}

/// The row of a free slot of a [`KeyIndex`].
const EMPTY: usize = usize::MAX;

pub fn key_hash(parts: &[&str], extra: i64) -> u64 {
    use std::hash::{BuildHasher, Hash, Hasher};
    let mut h = foldhash::fast::FixedState::with_seed(0x006e_6963_6865).build_hasher();
    for p in parts {
        p.hash(&mut h);
    }
    extra.hash(&mut h);
    h.finish()
}

impl KeyIndex {
    /// Room for `more` keys, so that the table is not grown (and every key moved) as it fills.
    pub fn reserve(&mut self, more: usize) {
        let need = self.len.saturating_add(more);
        if need.saturating_mul(8) > self.slots.len().saturating_mul(7) {
            self.grow(need);
        }
    }

    /// Forget every key, keeping the table's memory for the next use (fresh memory costs a page
    /// fault per 4 KB).
    pub fn clear(&mut self) {
        self.slots.fill((0, EMPTY));
        self.len = 0;
    }

    /// Every hash that comes again among `hashes`, pushed to `out` at each of its second and later
    /// comings (keys known only by their hash). Forgets what the index held before.
    pub fn repeats(&mut self, hashes: &[u64], out: &mut Vec<u64>) {
        self.clear();
        self.reserve(hashes.len());
        for (i, &h) in hashes.iter().enumerate() {
            if self.find_or_insert(h, i, |_| true).is_some() {
                out.push(h);
            }
        }
    }

    /// Make the table long enough for `need` keys and put each stored one in its new place.
    fn grow(&mut self, need: usize) {
        let size = (need.saturating_mul(8) / 7 + 1).next_power_of_two().max(16);
        let old = std::mem::replace(&mut self.slots, vec![(0, EMPTY); size]);
        let mask = size - 1;
        for (hash, row) in old.into_iter().filter(|s| s.1 != EMPTY) {
            let mut at = hash as usize & mask;
            while self.slots[at].1 != EMPTY {
                at = (at + 1) & mask;
            }
            self.slots[at] = (hash, row);
        }
    }

    /// The row in `hash`'s home slot where that slot holds this hash: the row a lookup of the
    /// hash most likely finds, read from that one slot. Reading it for many hashes before looking
    /// each up has their slots on their way from memory at once ([`warm`]).
    pub fn likely_row(&self, hash: u64) -> Option<usize> {
        let (h, row) = *self.slots.get(hash as usize & self.slots.len().wrapping_sub(1))?;
        (h == hash && row != EMPTY).then_some(row)
    }

    /// The index of an earlier row with the same key (`same` compares a stored row's key with the
    /// new one's), or `None` after recording `next` as the first row with this key.
    pub fn find_or_insert(&mut self, hash: u64, next: usize, same: impl Fn(usize) -> bool) -> Option<usize> {
        if (self.len + 1) * 8 > self.slots.len() * 7 {
            self.grow((self.len + 1).max(self.len * 2));
        }
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let (h, row) = self.slots[at];
            if row == EMPTY {
                self.slots[at] = (hash, next);
                self.len += 1;
                return None;
            }
            if h == hash && same(row) {
                return Some(row);
            }
            at = (at + 1) & mask;
        }
    }
}

/// Reads what `touch` reads for the rows that `index` most likely finds for `hashes` (up to
/// [`WARM`] of them), the slots first and then the rows' own data: each read is one the lookups
/// of these hashes make next anyway, and made here, with no lookup between them, they are on
/// their way from memory together (a lookup in a table larger than the cache waits for memory at
/// each step, one key after another). Changes nothing.
pub fn warm(index: &KeyIndex, hashes: &[u64], touch: impl Fn(usize) -> usize) {
    let mut rows = [EMPTY; WARM];
    for (row, &h) in rows.iter_mut().zip(hashes) {
        *row = index.likely_row(h).unwrap_or(EMPTY);
    }
    let seen = rows
        .iter()
        .filter(|&&r| r != EMPTY)
        .fold(0usize, |acc, &r| acc ^ touch(r));
    std::hint::black_box(seen);
}

/// Keys warmed at a time by [`warm`]: as many reads from memory as a core keeps on their way.
pub const WARM: usize = 16;

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn keys_that_share_a_hash_are_still_told_apart() {
        let keys = ["a", "b", "a", "c", "b"];
        let mut index = KeyIndex::default();
        let mut stored: Vec<&str> = Vec::new();
        let mut found = Vec::new();
        for k in keys {
            // Every key gets the same hash, as if they all collided.
            match index.find_or_insert(7, stored.len(), |i| stored[i] == k) {
                Some(i) => found.push(Some(i)),
                None => {
                    stored.push(k);
                    found.push(None);
                }
            }
        }
        assert_eq!(stored, vec!["a", "b", "c"]);
        assert_eq!(found, vec![None, None, Some(0), None, Some(1)]);
    }

    #[test]
    fn the_likely_row_is_a_home_slots_own_and_warming_reads_only_those() {
        let mut index = KeyIndex::default();
        index.reserve(100);
        // Hashes 1 … 8 in their home slots; 1 + 128 shares hash 1's home and lands past it.
        let hashes: Vec<u64> = (1..=8).chain([1 + 128]).collect();
        for (row, &h) in hashes.iter().enumerate() {
            assert_eq!(index.find_or_insert(h, row, |_| false), None);
        }
        assert_eq!(index.slots.len(), 128);
        assert_eq!(index.likely_row(3), Some(2));
        assert_eq!(index.likely_row(1 + 128), None, "not in its home slot");
        assert_eq!(index.likely_row(50), None, "never stored");
        let touched = std::cell::RefCell::new(Vec::new());
        warm(&index, &[3, 50, 1 + 128, 8], |row| {
            touched.borrow_mut().push(row);
            row
        });
        assert_eq!(touched.into_inner(), vec![2, 7]);
        assert_eq!(KeyIndex::default().likely_row(3), None, "an empty table");
    }

    proptest::proptest! {
        /// Each key's first row is found, whatever the hashes share and however the table grew.
        #[test]
        fn the_index_finds_each_keys_first_row(
            keys in proptest::collection::vec(0u32..60, 0..400),
            hash_bits in 0u32..8,
            reserve in 0usize..50,
        ) {
            let mut index = KeyIndex::default();
            index.reserve(reserve);
            let mut stored: Vec<u32> = Vec::new();
            let mut first: HashMap<u32, usize> = HashMap::new();
            for k in keys {
                // Few hash bits: many keys share a hash.
                let hash = u64::from(k) & ((1 << hash_bits) - 1);
                let got = index.find_or_insert(hash, stored.len(), |i| stored[i] == k);
                proptest::prop_assert_eq!(got, first.get(&k).copied(), "key {}", k);
                if got.is_none() {
                    first.insert(k, stored.len());
                    stored.push(k);
                }
            }
        }
    }

    #[test]
    fn repeats_are_found_wherever_they_fall_and_the_index_is_reused() {
        let mut index = KeyIndex::default();
        let repeats = |index: &mut KeyIndex, hashes: &[u64]| {
            let mut out = Vec::new();
            index.repeats(hashes, &mut out);
            out
        };
        let distinct: Vec<u64> = (0..5_000u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15)).collect();
        assert_eq!(repeats(&mut index, &distinct), Vec::<u64>::new());
        for at in [0, 1, 2_500, 4_999] {
            let mut with_repeat = distinct.clone();
            with_repeat.push(distinct[at]);
            with_repeat.push(distinct[at]);
            assert_eq!(
                repeats(&mut index, &with_repeat),
                vec![distinct[at]; 2],
                "repeat of item {at}"
            );
        }
        // Hash zero is a hash like any other, and the index forgets between calls.
        assert_eq!(repeats(&mut index, &[0, 5, 7]), Vec::<u64>::new());
        assert_eq!(repeats(&mut index, &[0, 5, 0]), vec![0]);
        assert_eq!(repeats(&mut index, &[]), Vec::<u64>::new());
        assert_eq!(repeats(&mut index, &[5, 0]), Vec::<u64>::new());
    }
}
