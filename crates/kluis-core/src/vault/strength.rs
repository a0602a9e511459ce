//! Passphrase strength, estimated with zxcvbn.

use serde::Serialize;

use crate::vault::secret::Passphrase;

/// The minimum length of a vault passphrase.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PassphraseStrength {
    /// zxcvbn's score from 0 (guessable) to 4 (very hard to guess).
    pub score: u8,
    pub acceptable: bool,
    pub warning: Option<String>,
    pub suggestions: Vec<String>,
}

/// A passphrase is acceptable at zxcvbn score 3 or more and at least
/// [`MIN_PASSPHRASE_CHARS`] characters.
pub fn estimate(passphrase: &Passphrase, user_inputs: &[&str]) -> PassphraseStrength {
    let text = passphrase.expose_secret_str();
    let entropy = zxcvbn::zxcvbn(text, user_inputs);
    let score = u8::from(entropy.score());
    let long_enough = text.chars().count() >= MIN_PASSPHRASE_CHARS;
    let mut suggestions: Vec<String> = entropy
        .feedback()
        .map(|feedback| {
            feedback
                .suggestions()
                .iter()
                .map(ToString::to_string)
                .collect()
        })
        .unwrap_or_default();
    if !long_enough {
        suggestions.insert(
            0,
            format!("Use at least {MIN_PASSPHRASE_CHARS} characters."),
        );
    }
    PassphraseStrength {
        score,
        acceptable: score >= 3 && long_enough,
        warning: entropy
            .feedback()
            .and_then(|feedback| feedback.warning())
            .map(|warning| warning.to_string()),
        suggestions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_common_passphrases_are_refused() {
        assert!(!estimate(&Passphrase::from("password"), &[]).acceptable);
        assert!(!estimate(&Passphrase::from("Aa1!"), &[]).acceptable);
        assert!(!estimate(&Passphrase::from("password12345"), &[]).acceptable);
    }

    #[test]
    fn a_long_unusual_passphrase_is_accepted() {
        let strength = estimate(
            &Passphrase::from("tulpen dansen langs de grachten 1987"),
            &[],
        );
        assert!(strength.acceptable, "{strength:?}");
        assert_eq!(strength.score, 4);
    }
}
