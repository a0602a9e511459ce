//! Exponential backoff with jitter between sync attempts that failed for a
//! transient reason: 2 s, 4 s, 8 s … up to 5 minutes, each ±20 %.

use std::time::Duration;

use rand::Rng;

#[derive(Debug, Clone)]
pub struct Backoff {
    initial: Duration,
    maximum: Duration,
    failures: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new(Duration::from_secs(2), Duration::from_secs(300))
    }
}

impl Backoff {
    pub fn new(initial: Duration, maximum: Duration) -> Self {
        Self {
            initial,
            maximum,
            failures: 0,
        }
    }

    /// Records a failure and returns how long to wait before the next try.
    pub fn next_delay(&mut self) -> Duration {
        let exponent = self.failures.min(20);
        self.failures = self.failures.saturating_add(1);
        let base = self
            .initial
            .saturating_mul(1u32 << exponent)
            .min(self.maximum);
        let jitter = rand::thread_rng().gen_range(0.8..=1.2);
        base.mul_f64(jitter).min(self.maximum)
    }

    /// A success: the next failure starts from the initial delay again.
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_maximum_and_reset_after_a_success() {
        let mut backoff = Backoff::new(Duration::from_secs(2), Duration::from_secs(60));
        let delays: Vec<Duration> = (0..8).map(|_| backoff.next_delay()).collect();
        let within = |delay: Duration, seconds: f64| {
            let value = delay.as_secs_f64();
            value >= seconds * 0.8 - 1e-9 && value <= (seconds * 1.2).min(60.0) + 1e-9
        };
        for (delay, expected) in delays
            .iter()
            .zip([2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0])
        {
            assert!(within(*delay, expected), "{delay:?} vs {expected}");
        }
        assert_eq!(backoff.failures(), 8);
        backoff.reset();
        assert!(within(backoff.next_delay(), 2.0));
    }

    #[test]
    fn many_failures_do_not_overflow() {
        let mut backoff = Backoff::default();
        for _ in 0..1_000 {
            assert!(backoff.next_delay() <= Duration::from_secs(300));
        }
    }
}
