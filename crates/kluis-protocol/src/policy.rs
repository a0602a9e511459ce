//! The note rules of SPEC §1, in one place for the app and the store: both
//! refuse what these refuse, so a device and the store can never disagree on
//! who may write or read a note.

use crate::records::{NoteStatus, NoteTemplate, Role, Visibility};

/// Psychologists write every template; lifestyle experts write lifestyle
/// notes (a check-in or a free note), never the clinical SOAP and DAP.
pub fn may_write(role: Role, template: NoteTemplate) -> bool {
    match role {
        Role::Psychologist => true,
        Role::LifestyleExpert => matches!(
            template,
            NoteTemplate::LifestyleCheckIn | NoteTemplate::Free
        ),
    }
}

/// Whether a practitioner on the client's care team may read a note: the
/// author reads their own notes; others read only signed care-team notes, so a
/// draft and a private note stay with their author.
pub fn may_read(is_author: bool, visibility: Visibility, status: NoteStatus) -> bool {
    is_author || (visibility == Visibility::CareTeam && status == NoteStatus::Signed)
}

/// An addendum corrects a signed note: its author, or a practitioner who may
/// read the note and write its template.
pub fn may_amend(
    is_author: bool,
    role: Role,
    template: NoteTemplate,
    visibility: Visibility,
    status: NoteStatus,
) -> bool {
    status == NoteStatus::Signed
        && may_read(is_author, visibility, status)
        && (is_author || may_write(role, template))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matrix() {
        use NoteTemplate::*;
        for template in [Free, Soap, Dap, LifestyleCheckIn] {
            assert!(may_write(Role::Psychologist, template));
        }
        assert!(may_write(Role::LifestyleExpert, LifestyleCheckIn));
        assert!(may_write(Role::LifestyleExpert, Free));
        assert!(!may_write(Role::LifestyleExpert, Soap));
        assert!(!may_write(Role::LifestyleExpert, Dap));

        assert!(may_read(true, Visibility::Private, NoteStatus::Draft));
        assert!(may_read(false, Visibility::CareTeam, NoteStatus::Signed));
        assert!(!may_read(false, Visibility::CareTeam, NoteStatus::Draft));
        assert!(!may_read(false, Visibility::Private, NoteStatus::Signed));

        assert!(!may_amend(
            true,
            Role::Psychologist,
            Soap,
            Visibility::CareTeam,
            NoteStatus::Draft
        ));
        assert!(may_amend(
            false,
            Role::Psychologist,
            Soap,
            Visibility::CareTeam,
            NoteStatus::Signed
        ));
        assert!(!may_amend(
            false,
            Role::LifestyleExpert,
            Soap,
            Visibility::CareTeam,
            NoteStatus::Signed
        ));
        assert!(may_amend(
            true,
            Role::LifestyleExpert,
            LifestyleCheckIn,
            Visibility::Private,
            NoteStatus::Signed
        ));
    }
}
