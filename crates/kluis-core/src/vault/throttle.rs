//! Throttling of wrong passphrases. The state lives in a small file beside the
//! vault so that quitting and restarting the app does not reset the delay.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};
use crate::vault::fsutil::write_atomically;

/// How wrong passphrases are slowed down.
#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    /// Failures allowed before any delay applies (typos happen).
    pub free_attempts: u32,
    /// The delay after the first counted failure; it doubles with each further one.
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            free_attempts: 3,
            base_delay: Duration::from_secs(5),
            max_delay: Duration::from_secs(15 * 60),
        }
    }
}

impl ThrottlePolicy {
    pub fn delay_after(&self, failures: u32) -> Duration {
        if failures < self.free_attempts {
            return Duration::ZERO;
        }
        let doublings = (failures - self.free_attempts).min(20);
        self.base_delay
            .saturating_mul(1u32 << doublings)
            .min(self.max_delay)
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThrottleState {
    pub failures: u32,
    /// Unix seconds before which no attempt is accepted.
    pub not_before: u64,
}

#[derive(Debug, Clone)]
pub struct Throttle {
    path: PathBuf,
    policy: ThrottlePolicy,
}

impl Throttle {
    pub fn new(path: impl Into<PathBuf>, policy: ThrottlePolicy) -> Self {
        Self {
            path: path.into(),
            policy,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn state(&self) -> CoreResult<ThrottleState> {
        match std::fs::read(&self.path) {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(state) => Ok(state),
                Err(_) => {
                    // A damaged throttle file must not become a way around the
                    // delay, nor a lock-out: one delay, saved so that it runs out.
                    let fallback = ThrottleState {
                        failures: self.policy.free_attempts,
                        not_before: unix_now() + self.policy.base_delay.as_secs(),
                    };
                    self.save(&fallback)?;
                    Ok(fallback)
                }
            },
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                Ok(ThrottleState::default())
            }
            Err(error) => Err(CoreError::io(&self.path)(error)),
        }
    }

    /// Refuses an attempt while the delay of earlier failures runs.
    pub fn check(&self) -> CoreResult<()> {
        let state = self.state()?;
        let now = unix_now();
        if state.not_before > now {
            // Capped, so a clock set back cannot lock the user out for longer.
            let wait = Duration::from_secs(state.not_before - now).min(self.policy.max_delay);
            return Err(CoreError::Throttled { retry_after: wait });
        }
        Ok(())
    }

    pub fn record_failure(&self) -> CoreResult<Duration> {
        let mut state = self.state()?;
        state.failures = state.failures.saturating_add(1);
        let delay = self.policy.delay_after(state.failures);
        state.not_before = unix_now() + delay.as_secs();
        self.save(&state)?;
        Ok(delay)
    }

    pub fn record_success(&self) -> CoreResult<()> {
        if self.state()? != ThrottleState::default() {
            self.save(&ThrottleState::default())?;
        }
        Ok(())
    }

    fn save(&self, state: &ThrottleState) -> CoreResult<()> {
        let bytes =
            serde_json::to_vec(state).map_err(|error| CoreError::Internal(error.to_string()))?;
        write_atomically(&self.path, &bytes)
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_doubles_after_free_attempts_and_is_capped() {
        let policy = ThrottlePolicy {
            free_attempts: 2,
            base_delay: Duration::from_secs(5),
            max_delay: Duration::from_secs(30),
        };
        let delays: Vec<u64> = (0..7)
            .map(|failures| policy.delay_after(failures).as_secs())
            .collect();
        assert_eq!(delays, vec![0, 0, 5, 10, 20, 30, 30]);
    }
}
