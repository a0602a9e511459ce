//! The statistics the benchmark binaries report: percentiles of timed
//! samples, and how figures are written in `docs/benchmarks.md`.

use std::time::Duration;

/// Timed samples, sorted once.
#[derive(Debug, Clone)]
pub struct Samples(Vec<Duration>);

impl Samples {
    /// At least one sample is needed: a benchmark that measured nothing has
    /// nothing to report.
    pub fn new(mut samples: Vec<Duration>) -> Self {
        assert!(!samples.is_empty(), "no samples");
        samples.sort();
        Self(samples)
    }

    /// The sample at `fraction` (0.5 the median, 0.95 the 95th percentile),
    /// nearest rank.
    pub fn percentile(&self, fraction: f64) -> Duration {
        let index = ((self.0.len() as f64 - 1.0) * fraction).round() as usize;
        self.0[index]
    }

    pub fn median(&self) -> Duration {
        self.percentile(0.5)
    }

    pub fn max(&self) -> Duration {
        self.percentile(1.0)
    }
}

/// A duration in milliseconds with `decimals` places: `12.3 ms`.
pub fn milliseconds(duration: Duration, decimals: usize) -> String {
    format!("{:.decimals$} ms", duration.as_secs_f64() * 1000.0)
}

/// How many times `numerator` is `denominator`: `1.25×`.
pub fn ratio(numerator: Duration, denominator: Duration) -> String {
    format!(
        "{:.2}×",
        numerator.as_secs_f64() / denominator.as_secs_f64()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_the_nearest_rank_of_the_sorted_samples() {
        let samples = Samples::new((1..=10).rev().map(Duration::from_millis).collect());
        assert_eq!(samples.median(), Duration::from_millis(6));
        assert_eq!(samples.percentile(0.95), Duration::from_millis(10));
        assert_eq!(samples.percentile(0.0), Duration::from_millis(1));
        assert_eq!(samples.max(), Duration::from_millis(10));
        assert_eq!(milliseconds(Duration::from_micros(12_345), 1), "12.3 ms");
        assert_eq!(
            ratio(Duration::from_millis(5), Duration::from_millis(4)),
            "1.25×"
        );
    }
}
