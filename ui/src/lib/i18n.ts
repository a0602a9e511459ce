// Every string the interface shows, in Dutch (the default) and English.
//
// The Dutch dictionary defines the keys; the English one is typed against it, so a
// missing or extra key is a compile error (and `i18n.test.ts` checks it at run time).
// Placeholders are written `{name}` and filled by `translate`.

import type { ErrorCode, Language } from "./bindings";

export const LANGUAGES: readonly Language[] = ["nl", "en"];

/** Language names in their own language, so they read the same in both dictionaries. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  nl: "Nederlands",
  en: "English",
};

const nl = {
  "app.loading": "Kluis wordt gestart…",
  "app.opening": "Kluis wordt geopend…",
  "app.locking": "Kluis wordt vergrendeld…",
  "app.startFailed": "Kluis kon niet starten.",
  "app.tagline": "Versleutelde cliëntdossiers",

  "role.psychologist": "Psycholoog",
  "role.lifestyle_expert": "Leefstijlexpert",

  "common.optional": "optioneel",
  "common.retry": "Opnieuw proberen",
  "common.dateFormat": "dd-mm-jjjj",

  "firstRun.title": "Welkom bij Kluis",
  "firstRun.intro":
    "Stel uw kluis in. Alle cliëntgegevens op dit apparaat worden versleuteld met uw wachtwoordzin en met een geheim dat in de sleutelbos van dit apparaat wordt bewaard.",
  "firstRun.name": "Uw naam",
  "firstRun.role": "Functie",
  "firstRun.passphrase": "Wachtwoordzin",
  "firstRun.passphraseHint":
    "Kies bijvoorbeeld vier of meer losse woorden. U heeft deze wachtwoordzin bij elke ontgrendeling nodig; niemand kan hem voor u herstellen.",
  "firstRun.confirm": "Herhaal wachtwoordzin",
  "firstRun.submit": "Kluis aanmaken",
  "firstRun.busy": "Kluis wordt aangemaakt…",
  "firstRun.nameRequired": "Vul uw naam in.",
  "firstRun.passphraseRequired": "Vul een wachtwoordzin in.",
  "firstRun.mismatch": "De wachtwoordzinnen komen niet overeen.",
  "firstRun.notAcceptable":
    "Deze wachtwoordzin is niet sterk genoeg. Kies een langere of minder voorspelbare wachtwoordzin.",

  "strength.label": "Sterkte van de wachtwoordzin",
  "strength.score0": "Zeer zwak",
  "strength.score1": "Zwak",
  "strength.score2": "Matig",
  "strength.score3": "Sterk",
  "strength.score4": "Zeer sterk",
  "strength.acceptable": "Sterk genoeg",
  "strength.notAcceptable": "Nog niet sterk genoeg",
  "strength.warning": "Waarschuwing (Engelstalig)",
  "strength.suggestions": "Tips (Engelstalig)",
  "strength.checking": "Sterkte wordt bepaald…",

  "lock.title": "Kluis is vergrendeld",
  "lock.intro": "Voer uw wachtwoordzin in om verder te werken.",
  "lock.passphrase": "Wachtwoordzin",
  "lock.submit": "Ontgrendelen",
  "lock.busy": "Bezig met ontgrendelen…",
  "lock.passphraseRequired": "Vul uw wachtwoordzin in.",
  "lock.demoHint": "Demoprofiel — wachtwoordzin: {passphrase}",
  "lock.retryIn": "Volgende poging mogelijk over {seconds} seconden.",
  "lock.retryNow": "U kunt het nu opnieuw proberen.",

  "shell.menu": "Hoofdmenu",
  "shell.lock": "Vergrendelen",
  "shell.lockShortcut": "Ctrl+L",
  "shell.signedInAs": "Ingelogd als",

  "nav.clients": "Cliënten",
  "nav.settings": "Instellingen",

  "clients.title": "Cliënten",
  "clients.new": "Nieuwe cliënt",
  "clients.search": "Zoeken",
  "clients.searchPlaceholder": "Zoek op naam of cliëntcode",
  "clients.loading": "Cliënten worden geladen…",
  "clients.empty": "Er zijn nog geen cliënten. Voeg een cliënt toe met ‘Nieuwe cliënt’.",
  "clients.noMatches": "Geen cliënten gevonden voor ‘{query}’.",
  "clients.countOne": "1 cliënt",
  "clients.countMany": "{count} cliënten",
  "clients.colCode": "Cliëntcode",
  "clients.colName": "Naam",
  "clients.colCareStart": "Start zorg",
  "clients.colStatus": "Status",
  "clients.open": "Open dossier van {code}",

  "status.active": "Actief",
  "status.ended": "Afgesloten",
  "status.restricted": "Beperkt",

  "client.back": "← Terug naar cliënten",
  "client.edit": "Bewerken",
  "client.loading": "Cliënt wordt geladen…",
  "client.sectionPersonal": "Persoonsgegevens",
  "client.sectionCare": "Zorg",
  "client.sectionConsents": "Toestemmingen",
  "client.sectionRemarks": "Opmerkingen",
  "client.sectionRecord": "Dossier",
  "client.noRemarks": "Geen opmerkingen.",
  "client.restrictedBanner":
    "De verwerking van dit dossier is beperkt op verzoek van de cliënt. Het dossier wordt uitgesloten van rapportages.",
  "client.employerReportingGiven": "Ja, sinds {date}",
  "client.employerReportingNone": "Nee",
  "client.careOngoing": "Lopend",

  "field.firstName": "Voornaam",
  "field.lastName": "Achternaam",
  "field.email": "E-mailadres",
  "field.birthYear": "Geboortejaar",
  "field.phone": "Telefoonnummer",
  "field.employer": "Werkgever",
  "field.careStart": "Start zorg",
  "field.careEnd": "Einde zorg",
  "field.remarks": "Opmerkingen",
  "field.healthDataConsentDate": "Toestemming verwerking gezondheidsgegevens, gegeven op",
  "field.employerReportingOptIn": "Cliënt stemt in met opname in geanonimiseerde werkgeversrapportages",
  "field.employerReportingDate": "Datum toestemming werkgeversrapportage",
  "field.restricted": "Verwerking beperken (AVG, artikel 18)",
  "field.createdAt": "Aangemaakt",
  "field.updatedAt": "Laatst gewijzigd",
  "field.version": "Versie",

  "form.newTitle": "Nieuwe cliënt",
  "form.editTitle": "Cliënt bewerken",
  "form.save": "Opslaan",
  "form.saving": "Bezig met opslaan…",
  "form.cancel": "Annuleren",
  "form.consentsIntro":
    "Toestemming voor het verwerken van gezondheidsgegevens is verplicht. Opname in werkgeversrapportages gebeurt alleen met uitdrukkelijke toestemming.",
  "form.withdrawHint":
    "Intrekken: zet het vinkje uit en sla op. De cliënt valt dan buiten werkgeversrapportages.",
  "form.restrictedHint":
    "Gebruik dit wanneer de cliënt om beperking van de verwerking vraagt. Het dossier valt dan buiten rapportages.",
  "form.remarksHint": "Geen sessieaantekeningen; die horen in een notitie.",

  "invalid.firstName": "Vul de voornaam in.",
  "invalid.lastName": "Controleer de achternaam.",
  "invalid.email": "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.",
  "invalid.birthYear": "Vul een geboortejaar van vier cijfers in, bijvoorbeeld 1985.",
  "invalid.phone": "Vul een geldig telefoonnummer in, bijvoorbeeld 06 12345678.",
  "invalid.employer": "Controleer de werkgever.",
  "invalid.careStart": "Vul de startdatum van de zorg in (dd-mm-jjjj).",
  "invalid.careEnd": "Vul een geldige datum in (dd-mm-jjjj) of laat het veld leeg.",
  "invalid.careEndBeforeStart": "Het einde van de zorg ligt vóór de start.",
  "invalid.remarks": "Controleer de opmerkingen.",
  "invalid.healthDataConsentDate":
    "Vul de datum in waarop de cliënt toestemming gaf (dd-mm-jjjj). Zonder deze toestemming kan het dossier niet worden opgeslagen.",
  "invalid.employerReportingOptIn": "Controleer de toestemming voor werkgeversrapportages.",
  "invalid.employerReportingDate": "Vul de datum van deze toestemming in (dd-mm-jjjj).",
  "invalid.restricted": "Controleer de beperking van de verwerking.",
  "invalid.idleTimeoutSeconds": "Deze tijd is niet toegestaan door het beleid van uw organisatie.",

  "settings.title": "Instellingen",
  "settings.loading": "Instellingen worden geladen…",
  "settings.general": "Vergrendeling en taal",
  "settings.idle": "Automatisch vergrendelen na inactiviteit",
  "settings.idleOneMinute": "1 minuut",
  "settings.idleMinutes": "{minutes} minuten",
  "settings.idleSeconds": "{seconds} s",
  "settings.minimize": "Vergrendelen bij minimaliseren",
  "settings.language": "Taal",
  "settings.save": "Opslaan",
  "settings.saving": "Bezig met opslaan…",
  "settings.saved": "Instellingen opgeslagen.",
  "settings.passphraseTitle": "Wachtwoordzin wijzigen",
  "settings.passphraseIntro":
    "Uw gegevens worden niet opnieuw versleuteld; alleen de sleutel van de kluis wordt met de nieuwe wachtwoordzin beveiligd.",
  "settings.currentPassphrase": "Huidige wachtwoordzin",
  "settings.newPassphrase": "Nieuwe wachtwoordzin",
  "settings.confirmPassphrase": "Herhaal nieuwe wachtwoordzin",
  "settings.changePassphrase": "Wachtwoordzin wijzigen",
  "settings.changing": "Bezig met wijzigen…",
  "settings.passphraseChanged": "Uw wachtwoordzin is gewijzigd.",
  "settings.currentRequired": "Vul uw huidige wachtwoordzin in.",

  "error.throttledUnknown": "Te veel pogingen. Wacht even en probeer het dan opnieuw.",
} as const;

export type MessageKey = keyof typeof nl;
export type Dictionary = Record<MessageKey, string>;

const en: Dictionary = {
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
  "clients.countOne": "1 client",
  "clients.countMany": "{count} clients",
  "clients.colCode": "Client code",
  "clients.colName": "Name",
  "clients.colCareStart": "Care start",
  "clients.colStatus": "Status",
  "clients.open": "Open record of {code}",

  "status.active": "Active",
  "status.ended": "Ended",
  "status.restricted": "Restricted",

  "client.back": "← Back to clients",
  "client.edit": "Edit",
  "client.loading": "Loading client…",
  "client.sectionPersonal": "Personal details",
  "client.sectionCare": "Care",
  "client.sectionConsents": "Consents",
  "client.sectionRemarks": "Remarks",
  "client.sectionRecord": "Record",
  "client.noRemarks": "No remarks.",
  "client.restrictedBanner":
    "Processing of this record is restricted at the client's request. The record is excluded from reports.",
  "client.employerReportingGiven": "Yes, since {date}",
  "client.employerReportingNone": "No",
  "client.careOngoing": "Ongoing",

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
  "form.withdrawHint":
    "To withdraw: clear the checkbox and save. The client is then excluded from employer reports.",
  "form.restrictedHint":
    "Use this when the client asks for restriction of processing. The record is then excluded from reports.",
  "form.remarksHint": "No session notes; those belong in a note.",

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
  "invalid.employerReportingOptIn": "Check the consent to employer reporting.",
  "invalid.employerReportingDate": "Enter the date of this consent (dd-mm-yyyy).",
  "invalid.restricted": "Check the restriction of processing.",
  "invalid.idleTimeoutSeconds": "Your organisation's policy does not allow this time.",

  "settings.title": "Settings",
  "settings.loading": "Loading settings…",
  "settings.general": "Locking and language",
  "settings.idle": "Lock automatically after inactivity",
  "settings.idleOneMinute": "1 minute",
  "settings.idleMinutes": "{minutes} minutes",
  "settings.idleSeconds": "{seconds} s",
  "settings.minimize": "Lock when minimised",
  "settings.language": "Language",
  "settings.save": "Save",
  "settings.saving": "Saving…",
  "settings.saved": "Settings saved.",
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

  "error.throttledUnknown": "Too many attempts. Wait a moment and try again.",
};

/** What went wrong and what to do, for every `ErrorCode` the Rust side can return. */
const nlErrors: Record<ErrorCode, string> = {
  wrong_passphrase: "Onjuiste wachtwoordzin. Probeer het opnieuw.",
  throttled: "Te veel pogingen. Wacht {seconds} seconden.",
  vault_locked: "De kluis is vergrendeld. Ontgrendel de kluis en probeer het opnieuw.",
  vault_missing:
    "Er is op dit apparaat geen kluis gevonden. Start Kluis opnieuw om een kluis aan te maken, of neem contact op met IT.",
  vault_exists:
    "Er bestaat al een kluis op dit apparaat. Start Kluis opnieuw om die te ontgrendelen.",
  keyring_unavailable:
    "De sleutelbos van het besturingssysteem (Secret Service) is niet bereikbaar. Start of ontgrendel de sleutelbos (bijvoorbeeld GNOME Keyring of KWallet) en probeer het opnieuw.",
  device_secret_missing:
    "Het apparaatgeheim ontbreekt in de sleutelbos van het besturingssysteem, dus de kluis kan niet worden geopend. Er is niets gewijzigd. Neem contact op met IT.",
  header_tampered:
    "De kluisbestanden zijn buiten Kluis om gewijzigd. Kluis heeft ze niet geopend en er is niets gewijzigd. Neem contact op met IT.",
  header_foreign:
    "Deze kluis hoort bij een ander apparaat of een andere gebruiker en kan hier niet worden geopend. Er is niets gewijzigd. Neem contact op met IT.",
  database_tampered:
    "De kluisbestanden zijn buiten Kluis om gewijzigd of beschadigd. Kluis heeft ze niet geopend en er is niets gewijzigd. Neem contact op met IT.",
  unsupported_vault_version:
    "Deze kluis is gemaakt met een nieuwere versie van Kluis. Installeer de nieuwste versie of neem contact op met IT.",
  weak_passphrase:
    "De wachtwoordzin is niet sterk genoeg. Kies een langere wachtwoordzin, bijvoorbeeld vier of meer losse woorden.",
  validation: "Niet alle gegevens zijn geldig. Controleer de gemarkeerde velden.",
  permission_denied:
    "U heeft geen toegang tot deze gegevens. Neem contact op met IT als u denkt dat dit niet klopt.",
  not_found: "Deze gegevens zijn niet gevonden; mogelijk zijn ze verwijderd. Ga terug en probeer het opnieuw.",
  restricted:
    "De verwerking van dit dossier is beperkt, daarom kan deze wijziging niet worden uitgevoerd.",
  storage:
    "De gegevens konden niet worden gelezen of opgeslagen. Controleer of er voldoende schijfruimte is en probeer het opnieuw; blijft het probleem, neem dan contact op met IT.",
  internal:
    "Er ging iets mis in Kluis. Probeer het opnieuw; blijft het probleem, neem dan contact op met IT.",
};

const enErrors: Record<ErrorCode, string> = {
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
  restricted: "Processing of this record is restricted, so this change cannot be made.",
  storage:
    "The data could not be read or saved. Check that there is enough disk space and try again; if the problem persists, contact IT.",
  internal: "Something went wrong in Kluis. Try again; if the problem persists, contact IT.",
};

export const dictionaries: Record<Language, Dictionary> = { nl, en };
export const errorDictionaries: Record<Language, Record<ErrorCode, string>> = {
  nl: nlErrors,
  en: enErrors,
};

/**
 * All error codes of the contract, for run-time checks (bindings.ts holds only the type).
 * `ERROR_CODES_COMPLETE` fails to compile when the contract gains a code missing here.
 */
export const ERROR_CODES = [
  "wrong_passphrase",
  "throttled",
  "vault_locked",
  "vault_missing",
  "vault_exists",
  "keyring_unavailable",
  "device_secret_missing",
  "header_tampered",
  "header_foreign",
  "database_tampered",
  "unsupported_vault_version",
  "weak_passphrase",
  "validation",
  "permission_denied",
  "not_found",
  "restricted",
  "storage",
  "internal",
] as const satisfies readonly ErrorCode[];
export const ERROR_CODES_COMPLETE: [Exclude<ErrorCode, (typeof ERROR_CODES)[number]>] extends [never]
  ? true
  : false = true;

export type Params = Record<string, string | number>;

/** Fills `{name}` placeholders; unknown placeholders are left as written. */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export function translate(language: Language, key: MessageKey, params?: Params): string {
  return interpolate(dictionaries[language][key], params);
}

export function isLanguage(value: unknown): value is Language {
  return value === "nl" || value === "en";
}
