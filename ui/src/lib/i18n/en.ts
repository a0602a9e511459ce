// The English texts, typed against the Dutch ones: a missing or extra key, a string
// where Dutch has a plural (or the other way round), or a placeholder that differs
// from the Dutch text fails `npm run check`.

import type { nl, nlErrors } from "./nl";
import type { PlaceholderMismatch, Translation } from "./message";

export const en = {
  "app.loading": "Starting Kluis…",
  "app.opening": "Opening Kluis…",
  "app.locking": "Locking Kluis…",
  "app.startFailed": "Kluis could not start.",
  "app.tagline": "Encrypted client records",

  "role.psychologist": "Psychologist",
  "role.lifestyle_expert": "Lifestyle expert",

  "common.optional": "optional",
  "common.retry": "Try again",
  "common.dateFormat": "dd-mm-yyyy",
  "common.yes": "Yes",
  "common.no": "No",

  "firstRun.title": "Welcome to Kluis",
  "firstRun.intro":
    "Set up your vault. All client data on this device is encrypted with your passphrase and with a secret kept in this device's keyring.",
  "firstRun.name": "Your name",
  "firstRun.role": "Role",
  "firstRun.passphrase": "Passphrase",
  "firstRun.passphraseHint":
    "Choose, for example, four or more separate words. You need this passphrase every time you unlock; nobody can recover it for you.",
  "firstRun.confirm": "Repeat passphrase",
  "firstRun.submit": "Create vault",
  "firstRun.busy": "Creating the vault…",
  "firstRun.nameRequired": "Enter your name.",
  "firstRun.passphraseRequired": "Enter a passphrase.",
  "firstRun.mismatch": "The passphrases do not match.",
  "firstRun.notAcceptable":
    "This passphrase is not strong enough. Choose a longer or less predictable passphrase.",
  "firstRun.enrolled": "IT set up this device for {name} ({role}).",
  "firstRun.enrolledHint":
    "All you need to do is choose a passphrase. Is this not you? Contact IT before you go on.",
  "firstRun.modeEnroll": "With an enrollment code from IT",
  "firstRun.modeStandalone": "Without a central store",
  "firstRun.token": "Enrollment code",
  "firstRun.tokenHint":
    "Paste the code IT gave you. Your key is made on this device and never leaves it.",
  "firstRun.tokenRequired": "Paste the enrollment code from IT.",
  "firstRun.tokenPlaced": "IT has placed an enrollment code on this device.",
  "firstRun.wiped":
    "IT had this device erased on {when}. The vault, the device's key and the settings were removed; what you had written was sent to the central store first.",
  "firstRun.wipedFailedUnlocks":
    "This device was erased on {when}: a wrong passphrase was entered too often, and your organisation's policy says to erase then. What had been sent to the central store is still there.",
  "firstRun.wipedOfflineGrace":
    "This device was erased on {when}: it had no contact with the central store for too long, and your organisation's policy says to erase then. What had been sent to the central store is still there.",
  "firstRun.wipeReported": "The central store has received the proof of erasure.",
  "firstRun.wipeReportWaiting":
    "The proof of erasure will be sent to the central store as soon as it can be reached.",
  "firstRun.enroll": "Enroll and create the vault",
  "firstRun.enrolling": "Enrolling…",
  "firstRun.enrolledFor": "This device is enrolled for {name} ({role}).",
  "firstRun.keyWordsIntro":
    "Read these words to IT when they ask; that is how they know this device is yours:",
  "firstRun.continue": "Continue",

  "strength.label": "Passphrase strength",
  "strength.score0": "Very weak",
  "strength.score1": "Weak",
  "strength.score2": "Fair",
  "strength.score3": "Strong",
  "strength.score4": "Very strong",
  "strength.acceptable": "Strong enough",
  "strength.notAcceptable": "Not strong enough yet",
  "strength.warning": "Warning",
  "strength.suggestions": "Suggestions",
  "strength.checking": "Checking strength…",

  "lock.title": "Kluis is locked",
  "lock.intro": "Enter your passphrase to continue.",
  "lock.passphrase": "Passphrase",
  "lock.submit": "Unlock",
  "lock.busy": "Unlocking…",
  "lock.passphraseRequired": "Enter your passphrase.",
  "lock.demoHint": "Demo profile — passphrase: {passphrase}",
  "lock.retryIn": "You can try again in {seconds} seconds.",
  "lock.retryNow": "You can try again now.",

  "shell.menu": "Main menu",
  "shell.lock": "Lock",
  "shell.lockShortcut": "Ctrl+L",
  "sync.upToDate": "Up to date with the central store",
  "sync.upToDateAt": "Up to date at {time}",
  "sync.syncing": "Syncing…",
  "sync.offline": "Offline — you can keep working",
  "sync.refused": "The server refuses this device. Contact IT.",
  "sync.failed": "Syncing failed on this device. Nothing is lost; it will be tried again shortly.",
  "sync.details": "Details",
  "sync.pending": "{count} change(s) waiting",
  "sync.progress": "Syncing: {received} of {total} changes received",
  "sync.conflicts": "{count} conflict(s) to resolve",
  "sync.now": "Sync now",
  "shell.signedInAs": "Signed in as",

  "nav.clients": "Clients",
  "nav.settings": "Settings",

  "clients.title": "Clients",
  "clients.new": "New client",
  "clients.search": "Search",
  "clients.searchPlaceholder": "Search by name or client code",
  "clients.loading": "Loading clients…",
  "clients.empty": "There are no clients yet. Add one with ‘New client’.",
  "clients.noMatches": "No clients found for ‘{query}’.",
  "clients.count": { one: "{count} client", other: "{count} clients" },
  "clients.colCode": "Client code",
  "clients.colName": "Name",
  "clients.colCareStart": "Care start",
  "clients.colStatus": "Status",
  "clients.open": "Open record of {code}",

  "status.active": "Active",
  "status.ended": "Ended",
  "status.restricted": "Restricted",
  "status.restrictedTitle": "Processing restricted: read-only",

  "client.back": "← Back to clients",
  "client.edit": "Edit details",
  "client.loading": "Loading client…",
  "client.sectionPersonal": "Personal details",
  "client.sectionCare": "Care",
  "client.sectionConsents": "Consents",
  "client.sectionRemarks": "Remarks",
  "client.sectionRecord": "Record",
  "client.noRemarks": "No remarks.",
  "client.restrictedBanner":
    "Processing of this record is restricted (GDPR art. 18): the record is read-only on every device and in the central store, and is not counted in reports to the employer. A psychologist can lift the restriction with Edit details (after a withdrawn consent only once the client consents again); lifting it is recorded in the privacy history and the access log.",
  "client.restrictedNoNewNote":
    "New notes and consults cannot be added while processing is restricted.",
  "client.employerReportingGiven": "Yes, since {date}",
  "client.employerReportingNone": "No",
  "client.careOngoing": "Ongoing",
  "client.healthConsentWithdrawn": "Consent withdrawn on {date}",

  "field.firstName": "First name",
  "field.lastName": "Last name",
  "field.email": "E-mail address",
  "field.birthYear": "Birth year",
  "field.phone": "Phone number",
  "field.employer": "Employer",
  "field.careStart": "Care start",
  "field.careEnd": "Care end",
  "field.remarks": "Remarks",
  "field.healthDataConsentDate": "Consent to processing of health data, given on",
  "field.healthDataConsentWithdrawal": "The client has withdrawn this consent",
  "field.healthDataConsentWithdrawn": "Withdrawn on",
  "field.employerReportingOptIn": "Client agrees to be included in anonymised employer reports",
  "field.employerReportingDate": "Date of consent to employer reporting",
  "field.restricted": "Restrict processing (GDPR, article 18)",
  "field.createdAt": "Created",
  "field.updatedAt": "Last changed",
  "field.version": "Version",

  "form.newTitle": "New client",
  "form.editTitle": "Edit client",
  "form.save": "Save",
  "form.saving": "Saving…",
  "form.cancel": "Cancel",
  "form.consentsIntro":
    "Consent to processing of health data is required. Inclusion in employer reports happens only with explicit consent.",
  "form.consentWithdrawnHint":
    "Without consent the record may not be processed any further: it is restricted (read-only on every device, left out of reports). Erasure is separate, on the Privacy tab. If the client later gives consent again, enter the new date and clear this checkbox.",
  "form.restrictedByWithdrawal":
    "Stays ticked while consent to processing of health data is withdrawn. If the client gives consent again, enter the new date and clear the withdrawal checkbox; after that you can lift the restriction.",
  "form.withdrawHint":
    "To withdraw: clear the checkbox and save. The client is then excluded from employer reports.",
  "form.restrictedHint":
    "Use this when the client asks for restriction of processing. The record is then excluded from reports.",
  "form.remarksHint": "No session notes; those belong in a note.",
  "form.restrictedLocked":
    "Processing of this record is restricted, so its details are read-only. Here you can only change the consents and the restriction. To lift the restriction, clear the ‘Restrict processing’ checkbox and save; after that you can edit the other details again. Every change is recorded in the privacy history and the access log.",

  "invalid.firstName": "Enter the first name.",
  "invalid.lastName": "Check the last name.",
  "invalid.email": "Enter a valid e-mail address, for example name@example.com.",
  "invalid.birthYear": "Enter a four-digit birth year, for example 1985.",
  "invalid.phone": "Enter a valid phone number, for example 06 12345678.",
  "invalid.employer": "Check the employer.",
  "invalid.careStart": "Enter the care start date (dd-mm-yyyy).",
  "invalid.careEnd": "Enter a valid date (dd-mm-yyyy) or leave the field empty.",
  "invalid.careEndBeforeStart": "The care end date is before the care start date.",
  "invalid.remarks": "Check the remarks.",
  "invalid.healthDataConsentDate":
    "Enter the date on which the client gave consent (dd-mm-yyyy). Without this consent the record cannot be saved.",
  "invalid.healthDataConsentDateBeforeWithdrawal":
    "The client gives consent again: enter the date of that new consent. It is not before the withdrawal.",
  "invalid.healthDataConsentWithdrawal": "Check the withdrawal of consent.",
  "invalid.healthDataConsentWithdrawn":
    "Enter the date on which the client withdrew consent (dd-mm-yyyy): not before the consent and not in the future.",
  "invalid.healthDataConsentWithdrawnBeforeConsent": "Consent cannot have been withdrawn before it was given.",
  "invalid.healthDataConsentWithdrawnInFuture": "The date of the withdrawal is in the future.",
  "invalid.employerReportingOptIn": "Check the consent to employer reporting.",
  "invalid.employerReportingDate": "Enter the date of this consent (dd-mm-yyyy).",
  "invalid.restricted": "Check the restriction of processing.",
  "invalid.idleTimeoutSeconds": "Your organisation's policy does not allow this time.",

  "settings.title": "Settings",
  "settings.loading": "Loading settings…",
  "settings.general": "Locking and language",
  "settings.idle": "Lock automatically after inactivity",
  "settings.idleMinutes": { one: "{count} minute", other: "{count} minutes" },
  "settings.idleSeconds": "{seconds} s",
  "settings.minimize": "Lock when minimised",
  "settings.language": "Language",
  "settings.save": "Save",
  "settings.saving": "Saving…",
  "settings.saved": "Settings saved.",
  "settings.managedBadge": "Managed by your organisation",
  "settings.idleManaged": "Your organisation allows at most {limit}.",
  "settings.managedTitle": "Set by your organisation",
  "settings.managedClipboard": "Copied text is removed from the clipboard after {seconds} seconds.",
  "settings.managedWipe":
    "After {attempts} wrong passphrases in a row, the vault on this device is erased.",
  "settings.managedGraceLock":
    "After {days} days without contact with the central store, the vault stays locked until contact is made again.",
  "settings.managedGraceWipe":
    "After {days} days without contact with the central store, the vault on this device is erased.",
  "settings.managedRegions": "The central store may keep data only in: {regions}.",
  "settings.passphraseTitle": "Change passphrase",
  "settings.passphraseIntro":
    "Your data is not re-encrypted; only the vault key is protected with the new passphrase.",
  "settings.currentPassphrase": "Current passphrase",
  "settings.newPassphrase": "New passphrase",
  "settings.confirmPassphrase": "Repeat new passphrase",
  "settings.changePassphrase": "Change passphrase",
  "settings.changing": "Changing…",
  "settings.passphraseChanged": "Your passphrase has been changed.",
  "settings.currentRequired": "Enter your current passphrase.",

  "nav.today": "Today",
  "nav.week": "Week",
  "nav.search": "Search",

  "shell.newNoteShortcut": "Ctrl+N",

  "weekday.mon": "Monday",
  "weekday.tue": "Tuesday",
  "weekday.wed": "Wednesday",
  "weekday.thu": "Thursday",
  "weekday.fri": "Friday",
  "weekday.sat": "Saturday",
  "weekday.sun": "Sunday",

  "consultKind.video": "Video consult",
  "consultKind.phone": "Phone consult",
  "consultKind.group_session": "OpenUp Space group session",
  "consultKind.self_check_in": "Self check-in",

  "consultStatus.planned": "Planned",
  "consultStatus.completed": "Completed",
  "consultStatus.cancelled": "Cancelled",
  "consultStatus.no_show": "No-show",

  "today.title": "Today",
  "today.loading": "Loading the agenda…",
  "today.empty": "No consults are planned for today.",
  "today.plan": "Plan consult",
  "today.planned": { one: "Consult planned.", other: "{count} consults planned." },

  "consult.complete": "Mark completed",
  "consult.noShow": "No-show",
  "consult.cancel": "Cancel consult",
  "consult.reopen": "Back to planned",
  "consult.writeNote": "Write note",
  "consult.time": "{start}–{end}",
  "consult.link": "Video link",

  "consultForm.title": "Plan consult",
  "consultForm.client": "Client",
  "consultForm.clients": "Clients",
  "consultForm.clientsHint": "Choose 2 to 20 clients; hold Ctrl to choose more than one.",
  "consultForm.chooseClient": "Choose a client",
  "consultForm.noClients": "There are no clients yet. Add a client under ‘Clients’ first.",
  "consultForm.loadingClients": "Loading clients…",
  "consultForm.kind": "Kind of consult",
  "consultForm.date": "Date",
  "consultForm.time": "Start time",
  "consultForm.timeFormat": "hh:mm",
  "consultForm.duration": "Duration in minutes",
  "consultForm.recurrence": "Repeat",
  "consultForm.count": "Number of consults in all",
  "consultForm.link": "Video link",
  "consultForm.linkHint": "An https:// address only.",
  "consultForm.restrictedClient": "{client} — restricted, read-only",
  "consultForm.restrictedHint":
    "Clients whose processing is restricted cannot be scheduled: their record is read-only.",

  "recurrence.none": "Does not repeat",
  "recurrence.weekly": "Every week",
  "recurrence.biweekly": "Every other week",

  "week.title": "Week",
  "week.number": "Week {week}",
  "week.range": "{from} to {to}",
  "week.prev": "← Previous week",
  "week.next": "Next week →",
  "week.current": "This week",
  "week.loading": "Loading the week…",
  "week.noConsults": "No consults",
  "week.export": "Export agenda (iCal)",
  "week.exporting": "Exporting the agenda…",
  "week.exported": "Saved as:",
  "week.exportNote": "The export holds client codes only, no names.",

  "template.free": "Free text",
  "template.soap": "SOAP",
  "template.dap": "DAP",
  "template.lifestyle_check_in": "Lifestyle check-in",

  "visibility.care_team": "Care team",
  "visibility.private": "Private (only me)",

  "section.text": "Text",
  "section.subjective": "Subjective",
  "section.objective": "Objective",
  "section.assessment": "Assessment",
  "section.plan": "Plan",
  "section.data": "Data",
  "section.sleep": "Sleep",
  "section.movement": "Exercise",
  "section.nutrition": "Nutrition",
  "section.stress": "Stress",
  "section.agreements": "Agreements",
  "section.who5_cheerful": "WHO-5: cheerful and in good spirits",
  "section.who5_calm": "WHO-5: calm and relaxed",
  "section.who5_active": "WHO-5: active and vigorous",
  "section.who5_rested": "WHO-5: woke up fresh and rested",
  "section.who5_interest": "WHO-5: daily life filled with things of interest",

  "who5.title": "WHO-5 wellbeing index",
  "who5.instruction": "How has the client felt over the last two weeks?",
  "who5.scaleHint": "0 = at no time, 5 = all of the time",
  "who5.clear": "Clear",
  "who5.clearItem": "Clear answer: {item}",
  "who5.score": "Score: {score} / 100",
  "who5.answered": "{answered} of 5 answered",
  "who5.incomplete":
    "Answer all five questions or none: a partly answered index cannot be signed.",
  "who5.notTaken": "The WHO-5 wellbeing index was not taken.",
  "who5.notAnswered": "not answered",
  "who5.answer": "{value} ({meaning})",
  "who5Item.who5_cheerful": "I have felt cheerful and in good spirits",
  "who5Item.who5_calm": "I have felt calm and relaxed",
  "who5Item.who5_active": "I have felt active and vigorous",
  "who5Item.who5_rested": "I woke up feeling fresh and rested",
  "who5Item.who5_interest": "My daily life has been filled with things that interest me",
  "who5Scale.0": "At no time",
  "who5Scale.1": "Some of the time",
  "who5Scale.2": "Less than half of the time",
  "who5Scale.3": "More than half of the time",
  "who5Scale.4": "Most of the time",
  "who5Scale.5": "All of the time",

  "noteStatus.draft": "Draft",
  "noteStatus.signed": "Signed",

  "note.newTitle": "New note",
  "note.forClient": "For {client}",
  "note.forConsult": "For the consult on {date} at {time}",
  "note.template": "Template",
  "note.visibility": "Visibility",
  "note.visibilityHint":
    "Care team: once signed, visible to this client's practitioners. Private: a work note, for you only.",
  "note.create": "Create note",
  "note.creating": "Creating the note…",
  "note.title": "Note · {template}",
  "note.loading": "Loading the note…",
  "note.meta": "{author} · created {date}",
  "note.saving": "Saving…",
  "note.savedAt": "Saved at {time}",
  "note.notSaved": "Not saved",
  "note.sign": "Sign",
  "note.signQuestion":
    "Once signed, this note can no longer be changed; you record corrections in an addendum. Sign now?",
  "note.signConfirm": "Yes, sign",
  "note.signing": "Signing the note…",
  "note.signedBanner": "Signed by {name} on {date}. Check code: {hash}",
  "note.discard": "Discard draft",
  "note.discardQuestion": "This draft will be deleted for good. Continue?",
  "note.discardConfirm": "Yes, discard",
  "note.close": "Close",
  "note.closeAnyway": "Close anyway",
  "note.closeBlocked":
    "The latest changes have not been saved. Try again, or copy your text before closing.",
  "note.empty": "(empty)",
  "note.restrictedDraft":
    "This draft cannot be edited, signed or discarded while processing is restricted.",
  "note.restrictedUnsaved":
    "What you typed after the last save has not been saved. The text stays readable below until you close the note.",
  "note.restrictedNoAddendum": "An addendum cannot be added while processing is restricted.",

  "addendum.title": "Addenda",
  "addendum.intro":
    "A signed note does not change. Record a correction or addition in an addendum; the original stays visible.",
  "addendum.new": "Add addendum",
  "addendum.reason": "Reason",
  "addendum.text": "Text",
  "addendum.save": "Save addendum",
  "addendum.saving": "Saving the addendum…",
  "addendum.required": "Enter a reason and a text.",
  "addendum.meta": "{author} · {date}",
  "addendum.reasonLabel": "Reason: {reason}",

  "client.tabs": "Parts of the record",
  "client.tabProfile": "Profile",
  "client.tabTimeline": "Timeline",
  "client.tabAccessLog": "Access log",
  "client.tabPrivacy": "Privacy",
  "privacy.exportTitle": "Copy of the record",
  "privacy.exportWhat":
    "Makes a complete copy of this client's record: their details, consents, consults, the notes you may read with their addenda, check-ins and the access log. You get a PDF in Kluis's language, to give to the client, and a JSON file, to transfer the record to another provider (GDPR, articles 15 and 20).",
  "privacy.exportLeftOut":
    "Practitioners' private work notes are not part of the record and are left out; the copy does say how many there are.",
  "privacy.exportUnencrypted":
    "The files are written unencrypted to this device's Downloads folder. Hand them to the client or the new provider in a secure way, then delete them from this device.",
  "privacy.exportLogged": "Making the copy is recorded in the access log.",
  "privacy.exportButton": "Make a copy",
  "privacy.exporting": "Making the copy…",
  "privacy.exportProgress": "Making the copy: {done} of {total} steps done",
  "privacy.exportDone": "The copy is in the Downloads folder:",
  "privacy.exportPdf": "PDF, for the client",
  "privacy.exportJson": "JSON, for transfer",
  "privacy.exportNotes": { one: "{count} note included.", other: "{count} notes included." },
  "privacy.exportPrivateLeftOut": {
    one: "{count} private work note left out.",
    other: "{count} private work notes left out.",
  },
  "privacy.exportDeleteAfter": "Delete the files once the client or the new provider has them.",
  "privacy.eraseTitle": "Erase client",
  "privacy.eraseWhat":
    "Erasing removes this client's whole record: their details, every note (signed ones too) with its addenda, the consults of this client alone, drafts and search data.",
  "privacy.eraseEverywhere":
    "The erasure goes to the central store and to every device of the care team; the central store shows on how many devices it has been carried out. The access log stays: it holds no content.",
  "privacy.eraseCannotUndo": "This cannot be undone.",
  "privacy.eraseReason": "Reason for the erasure",
  "privacy.eraseReason.client_request": "The client asked for it (GDPR art. 17)",
  "privacy.eraseReason.consent_withdrawn": "The client withdrew consent and asked for erasure",
  "privacy.eraseReasonKept": "The reason is kept with the erasure in the central store, without any content of the record.",
  "privacy.eraseConfirm": "Type the client code {code} to confirm",
  "privacy.eraseButton": "Erase client permanently",
  "privacy.erasing": "Erasing…",
  "privacy.restrictionTitle": "Restriction of processing (GDPR art. 18)",
  "privacy.restrictionOn":
    "Processing of this record is restricted: the record is read-only on every device and in the central store, and is not counted in reports to the employer.",
  "privacy.restrictionOff":
    "Processing of this record is not restricted. If the client asks for restriction, the record becomes read-only and is no longer counted in reports to the employer.",
  "privacy.restrictionWhere":
    "A psychologist restricts processing or lifts the restriction with Edit details, using the ‘Restrict processing (GDPR, article 18)’ checkbox. Every change is recorded in the privacy history and in the access log.",
  "privacy.restrictionByWithdrawal":
    "The client withdrew consent to processing of health data on {date}. The record stays restricted until the client gives consent again.",
  "privacy.logTitle": "Privacy history",
  "privacy.logIntro":
    "Every change of a consent or of the restriction, and every refused erasure request, is recorded here with its date and cannot be removed.",
  "privacy.logEmpty": "No entries yet.",
  "privacy.logBy": "by {name}",
  "privacy.logReason": "Reason: {reason}",
  "privacyEvent.health_data_consent_given": "Consent to processing of health data given",
  "privacyEvent.health_data_consent_withdrawn": "Consent to processing of health data withdrawn",
  "privacyEvent.employer_reporting_opted_in": "Agreed to inclusion in employer reports",
  "privacyEvent.employer_reporting_withdrawn": "Consent to employer reporting withdrawn",
  "privacyEvent.restricted": "Processing restricted (GDPR art. 18)",
  "privacyEvent.restriction_lifted": "Restriction of processing lifted",
  "privacyEvent.erasure_refused": "Erasure request refused",
  "privacy.refuseTitle": "Refuse an erasure request",
  "privacy.refuseWhat":
    "If the client asks for erasure but the provider must keep the record, record here that the request was refused. A reason is, for example, the WGBO's duty to keep treatment records for 20 years. Nothing is erased.",
  "privacy.refuseRecorded":
    "The refusal and its reason go into the privacy history and travel to the care team and the central store.",
  "privacy.refuseTell":
    "Tell the client that the request was refused and why, without delay and at the latest within one month of the request (GDPR art. 12).",
  "privacy.refuseReason": "Reason for the refusal",
  "privacy.refuseReasonHint": "Required, at most 2000 characters. For example: legal duty to keep the record (WGBO, 20 years).",
  "privacy.refuseReasonInvalid": "Enter a reason of at most 2000 characters.",
  "privacy.refuseButton": "Record the refusal",
  "privacy.refusing": "Recording…",
  "privacy.refuseDone": "The refusal has been recorded in the privacy history.",
  "client.newNote": "New note",

  "timeline.filter": "Show",
  "timeline.loading": "Loading the timeline…",
  "timeline.empty": "There is nothing in the timeline yet.",
  "timeline.noKinds": "Choose above what you want to see.",
  "timelineKinds.consult": "Consults",
  "timelineKinds.note": "Notes",
  "timelineKinds.addendum": "Addenda",
  "timelineKinds.check_in": "Check-ins",
  "timelineKind.consult": "Consult",
  "timelineKind.note": "Note",
  "timelineKind.addendum": "Addendum",
  "timelineKind.check_in": "Check-in",
  "timeline.open": "Open",
  "who5Graph.title": "WHO-5 wellbeing score",
  "who5Graph.summary": {
    one: "WHO-5 wellbeing score: 1 measurement, {last} out of 100 on {date}.",
    other: "WHO-5 wellbeing score: {count} measurements; the first {first}, the last {last} out of 100 on {date}.",
  },
  "who5Graph.cutOff": "50: cut-off",
  "who5Graph.cutOffHint": "A score below 50 suggests poor wellbeing.",
  "who5Graph.point": "{date}: {score} / 100",
  "who5Graph.colDate": "Date",
  "who5Graph.colScore": "Score",

  "accessLog.title": "Who looked at this record",
  "accessLog.intro":
    "Every view and change of this record is logged (NEN 7513). Times are local.",
  "accessLog.loading": "Loading the access log…",
  "accessLog.empty": "There are no entries yet.",
  "accessLog.colWhen": "When",
  "accessLog.colWho": "Who",
  "accessLog.colAction": "Action",
  "accessLog.colPart": "Record part",
  "accessLog.colOutcome": "Outcome",
  "accessLog.verify": "Check the chain",
  "accessLog.verifying": "Checking the chain…",
  "accessLog.intact": "The chain is intact: {entries} entries, none missing or changed.",
  "accessLog.broken":
    "The chain is broken at entry {seq}: an entry was removed or changed. Contact IT.",

  "auditAction.create": "Created",
  "auditAction.read": "Viewed",
  "auditAction.update": "Changed",
  "auditAction.delete": "Deleted",
  "auditAction.sign": "Signed",
  "auditAction.export": "Exported",
  "auditAction.search": "Searched",
  "auditAction.print": "Printed",

  "recordPart.client": "Client details",
  "recordPart.client_list": "Client list",
  "recordPart.consult": "Consult",
  "recordPart.agenda": "Agenda",
  "recordPart.note": "Note",
  "recordPart.note_addendum": "Addendum",
  "recordPart.timeline": "Timeline",
  "recordPart.access_log": "Access log",
  "recordPart.search": "Search",

  "auditOutcome.success": "Allowed",
  "auditOutcome.denied": "Denied",

  "search.title": "Search",
  "search.label": "Search clients and notes",
  "search.placeholder": "Name, client code or a word from a note",
  "search.submit": "Search",
  "search.searching": "Searching…",
  "search.intro": "Type a search term and press Enter.",
  "search.empty": "Nothing found for ‘{query}’.",
  "searchKind.client": "Client",
  "searchKind.note": "Note",

  "invalid.clientIds": "Choose a client.",
  "invalid.groupClients": "Choose 2 to 20 clients for a group session.",
  "invalid.date": "Enter a valid date (dd-mm-yyyy).",
  "invalid.time": "Enter a time as hh:mm, for example 09:30.",
  "invalid.durationMinutes": "Enter a duration of 5 to 480 minutes.",
  "invalid.count": "Enter a number from 2 to 52.",
  "invalid.link": "Enter an address that starts with https://, or leave the field empty.",

  "conflicts.title": "Conflicts",
  "conflicts.intro":
    "The server did not take these changes as they were. Choose what happens to each one.",
  "conflicts.loading": "Loading conflicts…",
  "conflicts.empty": "No conflicts. There is nothing to resolve.",
  "conflicts.detectedAt": "Found on {time}",
  "conflicts.editedBoth":
    "This was changed both on this device and elsewhere. Choose which version stays.",
  "conflicts.colField": "Part",
  "conflicts.mine": "On this device",
  "conflicts.theirs": "On the server",
  "conflicts.noDifferences": "Both versions have the same content.",
  "conflicts.emptyValue": "(empty)",
  "conflicts.keepMine": "Keep my version",
  "conflicts.keepTheirs": "Keep the server's version",
  "conflicts.localOnly":
    "This change stays on this device only; the server does not take it. Contact IT if you think this is wrong.",
  "conflicts.dismiss": "Understood",
  "conflicts.resolving": "Saving your choice…",

  "conflictKind.client": "Client details",
  "conflictKind.consult": "Consult",
  "conflictKind.note": "Note",
  "conflictKind.addendum": "Addendum",

  "conflictField.startsAt": "Date and start time",
  "conflictField.status": "Status",

  "conflictRefusal.forbidden":
    "The server refused this change: your role or your assignment to this client does not allow it.",
  "conflictRefusal.invalid": "The server refused this change because the data is not valid.",
  "conflictRefusal.not_found":
    "The server refused this change because it does not know this record (any more): it may have been removed, or you are no longer assigned to this client.",
  "conflictRefusal.other": "The server refused this change.",

  "error.throttledUnknown": "Too many attempts. Wait a moment and try again.",
} as const satisfies Translation<typeof nl>;

export const enErrors = {
  wrong_passphrase: "Wrong passphrase. Please try again.",
  throttled: "Too many attempts. Wait {seconds} seconds.",
  vault_locked: "The vault is locked. Unlock it and try again.",
  vault_missing:
    "No vault was found on this device. Restart Kluis to create one, or contact IT.",
  vault_exists: "A vault already exists on this device. Restart Kluis to unlock it.",
  keyring_unavailable:
    "The operating system keyring (Secret Service) cannot be reached. Start or unlock the keyring (for example GNOME Keyring or KWallet) and try again.",
  device_secret_missing:
    "The device secret is missing from the operating system keyring, so the vault cannot be opened. Nothing was changed. Contact IT.",
  header_tampered:
    "The vault files were changed outside Kluis. Kluis did not open them and nothing was changed. Contact IT.",
  header_foreign:
    "This vault belongs to another device or user and cannot be opened here. Nothing was changed. Contact IT.",
  database_tampered:
    "The vault files were changed outside Kluis or are damaged. Kluis did not open them and nothing was changed. Contact IT.",
  unsupported_vault_version:
    "This vault was made by a newer version of Kluis. Install the latest version or contact IT.",
  weak_passphrase:
    "The passphrase is not strong enough. Choose a longer passphrase, for example four or more separate words.",
  validation: "Some data is not valid. Check the highlighted fields.",
  permission_denied:
    "You do not have access to this data. Contact IT if you think this is wrong.",
  not_found: "This data was not found; it may have been removed. Go back and try again.",
  restricted:
    "Processing of this record is restricted (GDPR art. 18), so the record is read-only and this change was not made. A psychologist can lift the restriction with Edit details.",
  note_signed:
    "This note has already been signed and can no longer be changed. Record a correction in an addendum.",
  storage:
    "The data could not be read or saved. Check that there is enough disk space and try again; if the problem persists, contact IT.",
  internal: "Something went wrong in Kluis. Try again; if the problem persists, contact IT.",
  enrollment_token_invalid:
    "This is not a valid enrollment code. Copy the whole code from IT again and paste it here.",
  enrollment_token_unknown:
    "The central store does not know this enrollment code. Check the code or ask IT for a new one.",
  enrollment_token_used: "This enrollment code was used before. Ask IT for a new code for this device.",
  enrollment_token_expired: "This enrollment code has expired. Ask IT for a new code for this device.",
  enrollment_token_for_another_device:
    "This enrollment code was made for another device. Ask IT for the code for this device.",
  enrollment_too_many_attempts:
    "Too many wrong enrollment codes from this network. Wait ten minutes and try again.",
  store_unreachable: "The central store cannot be reached. Check the internet connection and try again.",
  store_not_trusted:
    "The central store is not the one IT named. Nothing was sent. Contact IT.",
  store_refused: "The central store refused the request. Contact IT.",
  setting_managed:
    "Your organisation manages this setting. You can make it stricter, not looser.",
  vault_wiped:
    "A wrong passphrase was entered too often. As your organisation's policy says, the vault on this device was erased.",
  offline_grace_expired:
    "This device has not reached the central store for too long. Connect to the network and try again.",
  not_allowed_by_policy:
    "Your organisation's policy does not allow this central store. Contact IT.",
} as const satisfies Translation<typeof nlErrors>;

/** Fails to compile, naming the key, when a text's placeholders differ from the Dutch. */
export const EN_PLACEHOLDERS_MATCH: [PlaceholderMismatch<typeof nl, typeof en>] extends [never]
  ? true
  : PlaceholderMismatch<typeof nl, typeof en> = true;
export const EN_ERROR_PLACEHOLDERS_MATCH: [
  PlaceholderMismatch<typeof nlErrors, typeof enErrors>,
] extends [never]
  ? true
  : PlaceholderMismatch<typeof nlErrors, typeof enErrors> = true;
