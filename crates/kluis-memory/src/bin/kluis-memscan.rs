//! Scans other processes for a masked pattern, as UTF-8 and UTF-16LE. The E2E
//! test uses it on the app and its WebKit processes after a lock.
//!
//! Usage: kluis-memscan --masked HEX --mask HEX PID [PID ...]
//! Prints one JSON object per PID: the hits as UTF-8 and UTF-16, and for each
//! mapping that holds any, its range, name, the offsets of the first hits and
//! the allocator that most likely owns it. Reading another process's memory needs the
//! same user and ptrace permission (root, or a parent of the process).
#![allow(clippy::print_stdout)]

use kluis_memory::scan::{MaskedPattern, scan_process};

fn main() -> std::process::ExitCode {
    let mut masked = None;
    let mut mask = None;
    let mut pids = Vec::new();
    let mut arguments = std::env::args().skip(1);
    while let Some(argument) = arguments.next() {
        match argument.as_str() {
            "--masked" => masked = arguments.next().and_then(|value| hex::decode(value).ok()),
            "--mask" => mask = arguments.next().and_then(|value| hex::decode(value).ok()),
            other => match other.parse::<u32>() {
                Ok(pid) => pids.push(pid),
                Err(_) => {
                    eprintln!("kluis-memscan: unexpected argument {other:?}");
                    return std::process::ExitCode::from(2);
                }
            },
        }
    }
    let Some(pattern) = masked
        .zip(mask)
        .and_then(|(masked, mask)| MaskedPattern::from_masked_parts(masked, mask))
    else {
        eprintln!("kluis-memscan: --masked and --mask must be hex of equal, non-zero length");
        return std::process::ExitCode::from(2);
    };
    let utf16 = pattern.to_utf16le();
    let mut failed = false;
    for pid in pids {
        match scan_process(Some(pid), &[&pattern, &utf16]) {
            Ok(report) => {
                // Where the copies are, so that whoever hunts them knows which
                // allocator and which mapping to look at.
                let hit_regions: Vec<serde_json::Value> = report
                    .regions_with_hits
                    .iter()
                    .map(|region| {
                        serde_json::json!({
                            "mapping": format!("{:x}-{:x}", region.start, region.end),
                            "name": region.name,
                            "sizeBytes": region.end - region.start,
                            "hits": region.hits,
                            "offsets": region.offsets.iter().map(|offset| format!("{offset:#x}")).collect::<Vec<_>>(),
                            "likelyOwner": region.likely_owner,
                        })
                    })
                    .collect();
                println!(
                    "{}",
                    serde_json::json!({
                        "pid": pid,
                        "utf8": report.hits[0],
                        "utf16": report.hits[1],
                        "bytesScanned": report.bytes_scanned,
                        "regions": report.regions_scanned,
                        "hitRegions": hit_regions,
                    })
                );
            }
            Err(error) => {
                failed = true;
                println!("{{\"pid\":{pid},\"error\":{:?}}}", error.to_string());
            }
        }
    }
    if failed {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
