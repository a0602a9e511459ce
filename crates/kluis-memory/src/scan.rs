//! Scans a process's readable memory for a secret pattern, to prove that a lock
//! left nothing behind. The pattern is held masked (XOR with a random key), so
//! the scanner itself never keeps the plain secret in memory.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::FileExt;

use rand::RngCore;
use zeroize::Zeroize;

const PAGE_SIZE: u64 = 4096;
const CHUNK_PAGES: u64 = 4096;

/// A byte pattern stored as `plain ^ mask` together with the mask.
#[derive(Clone)]
pub struct MaskedPattern {
    masked: Vec<u8>,
    mask: Vec<u8>,
}

impl std::fmt::Debug for MaskedPattern {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "MaskedPattern({} bytes)", self.masked.len())
    }
}

impl MaskedPattern {
    /// Masks `plain` and wipes the caller's copy.
    pub fn from_plain_wiping(plain: &mut [u8]) -> Self {
        let mut mask = vec![0u8; plain.len()];
        rand::rngs::OsRng.fill_bytes(&mut mask);
        let masked = plain
            .iter()
            .zip(&mask)
            .map(|(byte, key)| byte ^ key)
            .collect();
        plain.zeroize();
        Self { masked, mask }
    }

    pub fn from_masked_parts(masked: Vec<u8>, mask: Vec<u8>) -> Option<Self> {
        (masked.len() == mask.len() && !masked.is_empty()).then_some(Self { masked, mask })
    }

    pub fn masked_parts_hex(&self) -> (String, String) {
        (hex::encode(&self.masked), hex::encode(&self.mask))
    }

    pub fn len(&self) -> usize {
        self.masked.len()
    }

    pub fn is_empty(&self) -> bool {
        self.masked.is_empty()
    }

    /// The same text as UTF-16LE, for ASCII patterns (JavaScript strings in
    /// WebKit are often stored as UTF-16).
    pub fn to_utf16le(&self) -> Self {
        let mut extra_mask = vec![0u8; self.mask.len()];
        rand::rngs::OsRng.fill_bytes(&mut extra_mask);
        let mut masked = Vec::with_capacity(self.masked.len() * 2);
        let mut mask = Vec::with_capacity(self.mask.len() * 2);
        for ((byte, key), zero_key) in self.masked.iter().zip(&self.mask).zip(&extra_mask) {
            masked.push(*byte);
            mask.push(*key);
            masked.push(*zero_key);
            mask.push(*zero_key);
        }
        Self { masked, mask }
    }

    /// Counts occurrences in `haystack`, unmasking one byte at a time.
    pub fn count_in(&self, haystack: &[u8]) -> usize {
        self.positions_in(haystack).count()
    }

    /// Where in `haystack` each occurrence starts.
    pub fn positions_in<'a>(&'a self, haystack: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
        // An empty pattern has no first byte; 0 then never matches because
        // the length check below fails for every start.
        let first = self
            .masked
            .first()
            .zip(self.mask.first())
            .map_or(0, |(byte, key)| byte ^ key);
        let length = self.masked.len();
        memchr::memchr_iter(first, haystack).filter(move |&start| {
            length > 0
                && haystack.len() - start >= length
                && haystack[start..start + length]
                    .iter()
                    .zip(self.masked.iter().zip(&self.mask))
                    .all(|(byte, (masked, key))| byte ^ key == *masked)
        })
    }
}

/// One mapping of the scanned process with at least one hit.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionHits {
    pub start: u64,
    pub end: u64,
    /// The mapping's name in `/proc/PID/maps` (`[heap]`, a file, or empty).
    pub name: String,
    pub hits: usize,
    /// Offsets of the first hits from the mapping's start (at most
    /// [`MAX_OFFSETS_PER_REGION`]).
    pub offsets: Vec<u64>,
    /// Which allocator most likely owns the mapping, as far as its shape
    /// tells (see [`likely_owner`]).
    pub likely_owner: &'static str,
}

/// How many hit offsets a region reports.
pub const MAX_OFFSETS_PER_REGION: usize = 16;

/// A best guess at what owns a mapping, from its name, size and alignment:
/// glibc's main arena is `[heap]`; its per-thread arenas are anonymous
/// mappings aligned to and at most 64 MiB (`HEAP_MAX_SIZE`); other anonymous
/// mappings are large malloc chunks, WebKit's own allocator (libpas/bmalloc)
/// or a library's pool, which the maps file cannot tell apart.
pub fn likely_owner(start: u64, end: u64, name: &str) -> &'static str {
    const ARENA: u64 = 64 * 1024 * 1024;
    match name {
        "[heap]" => "glibc malloc, main arena",
        _ if name.starts_with("[stack") => "a thread's stack",
        _ if name.starts_with('/') => "a file mapping",
        "" if start.is_multiple_of(ARENA) && end - start <= ARENA => {
            "glibc malloc, a thread's arena"
        }
        "" => "anonymous: a large malloc chunk, WebKit's allocator or a library's pool",
        _ => "other",
    }
}

#[derive(Debug, Clone, Default)]
pub struct ScanReport {
    pub regions_scanned: usize,
    pub bytes_scanned: u64,
    /// Hits per pattern, in the order the patterns were given.
    pub hits: Vec<usize>,
    pub regions_with_hits: Vec<RegionHits>,
}

impl ScanReport {
    pub fn total_hits(&self) -> usize {
        self.hits.iter().sum()
    }
}

/// Scans every readable mapping of process `pid` (or this process), skipping
/// pages that were never touched (per `/proc/PID/pagemap`).
pub fn scan_process(pid: Option<u32>, patterns: &[&MaskedPattern]) -> std::io::Result<ScanReport> {
    let proc_dir = match pid {
        Some(pid) => format!("/proc/{pid}"),
        None => "/proc/self".to_owned(),
    };
    let maps = BufReader::new(File::open(format!("{proc_dir}/maps"))?);
    let memory = File::open(format!("{proc_dir}/mem"))?;
    let pagemap = File::open(format!("{proc_dir}/pagemap")).ok();
    let longest = patterns
        .iter()
        .map(|pattern| pattern.len())
        .max()
        .unwrap_or(1);

    let mut report = ScanReport {
        hits: vec![0; patterns.len()],
        ..ScanReport::default()
    };
    let mut regions = Vec::new();
    for line in maps.lines() {
        let line = line?;
        let mut fields = line.split_whitespace();
        let (Some(range), Some(permissions)) = (fields.next(), fields.next()) else {
            continue;
        };
        let name = fields.nth(3).unwrap_or("").to_owned();
        if !permissions.starts_with('r') || name.starts_with("[vvar") || name == "[vsyscall]" {
            continue;
        }
        let Some((start, end)) = range.split_once('-') else {
            continue;
        };
        let (Ok(start), Ok(end)) = (u64::from_str_radix(start, 16), u64::from_str_radix(end, 16))
        else {
            continue;
        };
        regions.push((start, end, name));
    }

    let mut buffer = Vec::new();
    for (start, end, name) in regions {
        report.regions_scanned += 1;
        let mut region_hits = 0;
        let mut offsets = Vec::new();
        for (run_start, run_end) in present_runs(pagemap.as_ref(), start, end) {
            let mut offset = run_start;
            while offset < run_end {
                let chunk_end = (offset + CHUNK_PAGES * PAGE_SIZE).min(run_end);
                // Overlap chunks so a pattern across a chunk border is found.
                let read_end = (chunk_end + longest as u64 - 1).min(run_end);
                let length = usize::try_from(read_end - offset).unwrap_or(0);
                buffer.resize(length, 0);
                if memory.read_exact_at(&mut buffer, offset).is_ok() {
                    report.bytes_scanned += length as u64;
                    // A hit in the overlap is counted in the next chunk.
                    let own = usize::try_from(chunk_end - offset).unwrap_or(usize::MAX);
                    for (index, pattern) in patterns.iter().enumerate() {
                        for position in pattern.positions_in(&buffer) {
                            if position >= own && chunk_end < run_end {
                                continue;
                            }
                            report.hits[index] += 1;
                            region_hits += 1;
                            if offsets.len() < MAX_OFFSETS_PER_REGION {
                                offsets.push(offset - start + position as u64);
                            }
                        }
                    }
                }
                offset = chunk_end;
            }
        }
        if region_hits > 0 {
            report.regions_with_hits.push(RegionHits {
                start,
                end,
                likely_owner: likely_owner(start, end, &name),
                name,
                hits: region_hits,
                offsets,
            });
        }
    }
    buffer.zeroize();
    Ok(report)
}

/// Runs of pages that are present in RAM or swapped out. Without a readable
/// pagemap, the whole range is one run.
fn present_runs(pagemap: Option<&File>, start: u64, end: u64) -> Vec<(u64, u64)> {
    let Some(pagemap) = pagemap else {
        return vec![(start, end)];
    };
    let pages = (end - start) / PAGE_SIZE;
    let mut entries = vec![0u8; usize::try_from(pages * 8).unwrap_or(0)];
    if pagemap
        .read_exact_at(&mut entries, (start / PAGE_SIZE) * 8)
        .is_err()
    {
        return vec![(start, end)];
    }
    let mut runs: Vec<(u64, u64)> = Vec::new();
    for (index, entry) in entries.chunks_exact(8).enumerate() {
        let mut raw = [0u8; 8];
        raw.copy_from_slice(entry);
        let value = u64::from_le_bytes(raw);
        let in_memory = value & (1 << 63) != 0 || value & (1 << 62) != 0;
        if !in_memory {
            continue;
        }
        let page_start = start + index as u64 * PAGE_SIZE;
        match runs.last_mut() {
            Some(last) if last.1 == page_start => last.1 = page_start + PAGE_SIZE,
            _ => runs.push((page_start, page_start + PAGE_SIZE)),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_pattern_finds_utf8_and_utf16() {
        let mut plain = b"needle-42".to_vec();
        let pattern = MaskedPattern::from_plain_wiping(&mut plain);
        assert!(
            plain.iter().all(|byte| *byte == 0),
            "the plain copy is wiped"
        );
        let haystack = b"hay needle-42 hay needle-4 needle-42".to_vec();
        assert_eq!(pattern.count_in(&haystack), 2);
        assert_eq!(
            pattern.positions_in(&haystack).collect::<Vec<_>>(),
            vec![4, 27]
        );
        let utf16: Vec<u8> = "xx needle-42"
            .encode_utf16()
            .flat_map(|unit| unit.to_le_bytes())
            .collect();
        assert_eq!(pattern.to_utf16le().count_in(&utf16), 1);
        assert_eq!(pattern.count_in(&utf16), 0);
    }

    #[test]
    fn scan_finds_a_live_copy_in_this_process() {
        let mut plain = format!("live-{:x}", rand::random::<u64>()).into_bytes();
        let live_copy = plain.clone();
        let pattern = MaskedPattern::from_plain_wiping(&mut plain);
        let report = scan_process(None, &[&pattern]).expect("scan");
        assert!(report.total_hits() >= 1, "{report:?}");
        let holding = report
            .regions_with_hits
            .iter()
            .find(|region| {
                region
                    .offsets
                    .iter()
                    .any(|offset| region.start + offset == live_copy.as_ptr() as u64)
            })
            .expect("the region holding the live copy, at its address");
        assert!(
            holding.likely_owner.starts_with("glibc malloc"),
            "{holding:?}"
        );
        drop(live_copy);
    }
}
