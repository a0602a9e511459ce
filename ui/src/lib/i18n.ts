// Every string the interface shows, in Dutch (the default) and English.
//
// The Dutch dictionary defines the keys; the English one is typed against it, so a
// missing or extra key is a compile error (and `i18n.test.ts` checks it at run time).
// Placeholders are written `{name}` and filled by `translate`.

import { ERROR_CODES, type ErrorCode, type Language } from "./bindings";

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
  "common.yes": "Ja",
  "common.no": "Nee",

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
  "firstRun.enrolled": "Dit apparaat is door IT ingericht voor {name} ({role}).",
  "firstRun.enrolledHint":
    "U kiest alleen nog een wachtwoordzin. Bent u dit niet? Neem dan contact op met IT voordat u verdergaat.",

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
  "sync.upToDate": "Bijgewerkt met de centrale opslag",
  "sync.upToDateAt": "Bijgewerkt om {time}",
  "sync.syncing": "Bezig met synchroniseren…",
  "sync.offline": "Offline — u kunt gewoon doorwerken",
  "sync.refused": "De server weigert dit apparaat. Neem contact op met IT.",
  "sync.failed": "Synchroniseren lukte niet op dit apparaat. Er gaat niets verloren; het wordt zo opnieuw geprobeerd.",
  "sync.details": "Details (Engelstalig)",
  "sync.pending": "{count} wijziging(en) wachten",
  "sync.progress": "Synchroniseren: {received} van {total} wijzigingen ontvangen",
  "sync.conflicts": "{count} conflict(en) om op te lossen",
  "sync.now": "Nu synchroniseren",
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

  "nav.today": "Vandaag",
  "nav.week": "Week",
  "nav.search": "Zoeken",

  "shell.newNoteShortcut": "Ctrl+N",

  "weekday.mon": "maandag",
  "weekday.tue": "dinsdag",
  "weekday.wed": "woensdag",
  "weekday.thu": "donderdag",
  "weekday.fri": "vrijdag",
  "weekday.sat": "zaterdag",
  "weekday.sun": "zondag",

  "consultKind.video": "Videoconsult",
  "consultKind.phone": "Telefonisch consult",
  "consultKind.group_session": "OpenUp Space-groepssessie",
  "consultKind.self_check_in": "Zelf-check-in",

  "consultStatus.planned": "Gepland",
  "consultStatus.completed": "Afgerond",
  "consultStatus.cancelled": "Geannuleerd",
  "consultStatus.no_show": "Niet verschenen",

  "today.title": "Vandaag",
  "today.loading": "Agenda wordt geladen…",
  "today.empty": "Er staan vandaag geen consulten gepland.",
  "today.plan": "Consult plannen",
  "today.planned": "Consult gepland.",
  "today.plannedMany": "{count} consulten gepland.",

  "consult.complete": "Afgerond",
  "consult.noShow": "Niet verschenen",
  "consult.cancel": "Consult annuleren",
  "consult.reopen": "Terug naar gepland",
  "consult.writeNote": "Notitie schrijven",
  "consult.time": "{start}–{end}",
  "consult.link": "Videolink",

  "consultForm.title": "Consult plannen",
  "consultForm.client": "Cliënt",
  "consultForm.clients": "Cliënten",
  "consultForm.clientsHint": "Kies 2 tot 20 cliënten; houd Ctrl ingedrukt om er meer te kiezen.",
  "consultForm.chooseClient": "Kies een cliënt",
  "consultForm.noClients": "Er zijn nog geen cliënten. Voeg eerst een cliënt toe onder ‘Cliënten’.",
  "consultForm.loadingClients": "Cliënten worden geladen…",
  "consultForm.kind": "Soort consult",
  "consultForm.date": "Datum",
  "consultForm.time": "Begintijd",
  "consultForm.timeFormat": "uu:mm",
  "consultForm.duration": "Duur in minuten",
  "consultForm.recurrence": "Herhaling",
  "consultForm.count": "Aantal consulten in totaal",
  "consultForm.link": "Videolink",
  "consultForm.linkHint": "Alleen een https://-adres.",

  "recurrence.none": "Niet herhalen",
  "recurrence.weekly": "Elke week",
  "recurrence.biweekly": "Om de week",

  "week.title": "Week",
  "week.number": "Week {week}",
  "week.range": "{from} t/m {to}",
  "week.prev": "← Vorige week",
  "week.next": "Volgende week →",
  "week.current": "Deze week",
  "week.loading": "Week wordt geladen…",
  "week.noConsults": "Geen consulten",
  "week.export": "Exporteer agenda (iCal)",
  "week.exporting": "Agenda wordt geëxporteerd…",
  "week.exported": "Opgeslagen als:",
  "week.exportNote": "De export bevat alleen cliëntcodes, geen namen.",

  "template.free": "Vrije tekst",
  "template.soap": "SOAP",
  "template.dap": "DAP",
  "template.lifestyle_check_in": "Leefstijl-check-in",

  "visibility.care_team": "Zorgteam",
  "visibility.private": "Privé (alleen ik)",

  "section.text": "Tekst",
  "section.subjective": "Subjectief",
  "section.objective": "Objectief",
  "section.assessment": "Analyse",
  "section.plan": "Plan",
  "section.data": "Data",
  "section.sleep": "Slaap",
  "section.movement": "Beweging",
  "section.nutrition": "Voeding",
  "section.stress": "Stress",
  "section.agreements": "Afspraken",

  "noteStatus.draft": "Concept",
  "noteStatus.signed": "Ondertekend",

  "note.newTitle": "Nieuwe notitie",
  "note.forClient": "Voor {client}",
  "note.forConsult": "Bij het consult van {date} om {time}",
  "note.template": "Sjabloon",
  "note.visibility": "Zichtbaarheid",
  "note.visibilityHint":
    "Zorgteam: na ondertekenen zichtbaar voor de behandelaars van deze cliënt. Privé: werkaantekening, alleen voor u.",
  "note.create": "Notitie aanmaken",
  "note.creating": "Notitie wordt aangemaakt…",
  "note.title": "Notitie · {template}",
  "note.loading": "Notitie wordt geladen…",
  "note.meta": "{author} · aangemaakt {date}",
  "note.saving": "Opslaan…",
  "note.savedAt": "Opgeslagen om {time}",
  "note.notSaved": "Niet opgeslagen",
  "note.sign": "Ondertekenen",
  "note.signQuestion":
    "Na ondertekenen kan deze notitie niet meer worden gewijzigd; correcties legt u vast in een addendum. Nu ondertekenen?",
  "note.signConfirm": "Ja, ondertekenen",
  "note.signing": "Notitie wordt ondertekend…",
  "note.signedBanner": "Ondertekend door {name} op {date}. Controlecode: {hash}",
  "note.discard": "Concept verwijderen",
  "note.discardQuestion": "Dit concept wordt definitief verwijderd. Doorgaan?",
  "note.discardConfirm": "Ja, verwijderen",
  "note.close": "Sluiten",
  "note.closeAnyway": "Toch sluiten",
  "note.closeBlocked":
    "De laatste wijzigingen zijn niet opgeslagen. Probeer het opnieuw of kopieer uw tekst voordat u sluit.",
  "note.empty": "(leeg)",

  "addendum.title": "Addenda",
  "addendum.intro":
    "Een ondertekende notitie verandert niet. Leg een correctie of aanvulling vast in een addendum; het origineel blijft zichtbaar.",
  "addendum.new": "Addendum toevoegen",
  "addendum.reason": "Reden",
  "addendum.text": "Tekst",
  "addendum.save": "Addendum opslaan",
  "addendum.saving": "Addendum wordt opgeslagen…",
  "addendum.required": "Vul een reden en een tekst in.",
  "addendum.meta": "{author} · {date}",
  "addendum.reasonLabel": "Reden: {reason}",

  "client.tabs": "Onderdelen van het dossier",
  "client.tabProfile": "Profiel",
  "client.tabTimeline": "Tijdlijn",
  "client.tabAccessLog": "Toegangslog",
  "client.newNote": "Nieuwe notitie",

  "timeline.filter": "Tonen",
  "timeline.loading": "Tijdlijn wordt geladen…",
  "timeline.empty": "Er staat nog niets in de tijdlijn.",
  "timeline.noKinds": "Kies hierboven wat u wilt zien.",
  "timelineKinds.consult": "Consulten",
  "timelineKinds.note": "Notities",
  "timelineKinds.addendum": "Addenda",
  "timelineKinds.check_in": "Check-ins",
  "timelineKind.consult": "Consult",
  "timelineKind.note": "Notitie",
  "timelineKind.addendum": "Addendum",
  "timelineKind.check_in": "Check-in",
  "timeline.open": "Openen",

  "accessLog.title": "Wie heeft dit dossier ingezien",
  "accessLog.intro":
    "Elke inzage en wijziging van dit dossier wordt vastgelegd (NEN 7513). Tijden in lokale tijd.",
  "accessLog.loading": "Toegangslog wordt geladen…",
  "accessLog.empty": "Er zijn nog geen vermeldingen.",
  "accessLog.colWhen": "Wanneer",
  "accessLog.colWho": "Wie",
  "accessLog.colAction": "Handeling",
  "accessLog.colPart": "Onderdeel",
  "accessLog.colOutcome": "Resultaat",
  "accessLog.verify": "Controleer de keten",
  "accessLog.verifying": "Keten wordt gecontroleerd…",
  "accessLog.intact": "De keten is intact: {entries} vermeldingen, geen ontbrekende of gewijzigde.",
  "accessLog.broken":
    "De keten is verbroken bij vermelding {seq}: er is een vermelding verwijderd of gewijzigd. Neem contact op met IT.",

  "auditAction.create": "Aangemaakt",
  "auditAction.read": "Ingezien",
  "auditAction.update": "Gewijzigd",
  "auditAction.delete": "Verwijderd",
  "auditAction.sign": "Ondertekend",
  "auditAction.export": "Geëxporteerd",
  "auditAction.search": "Gezocht",
  "auditAction.print": "Afgedrukt",

  "recordPart.client": "Cliëntgegevens",
  "recordPart.client_list": "Cliëntenlijst",
  "recordPart.consult": "Consult",
  "recordPart.agenda": "Agenda",
  "recordPart.note": "Notitie",
  "recordPart.note_addendum": "Addendum",
  "recordPart.timeline": "Tijdlijn",
  "recordPart.access_log": "Toegangslog",
  "recordPart.search": "Zoeken",

  "auditOutcome.success": "Toegestaan",
  "auditOutcome.denied": "Geweigerd",

  "search.title": "Zoeken",
  "search.label": "Zoek in cliënten en notities",
  "search.placeholder": "Naam, cliëntcode of een woord uit een notitie",
  "search.submit": "Zoeken",
  "search.searching": "Bezig met zoeken…",
  "search.intro": "Typ een zoekterm en druk op Enter.",
  "search.empty": "Niets gevonden voor ‘{query}’.",
  "searchKind.client": "Cliënt",
  "searchKind.note": "Notitie",

  "invalid.clientIds": "Kies een cliënt.",
  "invalid.groupClients": "Kies voor een groepssessie 2 tot 20 cliënten.",
  "invalid.date": "Vul een geldige datum in (dd-mm-jjjj).",
  "invalid.time": "Vul een tijd in als uu:mm, bijvoorbeeld 09:30.",
  "invalid.durationMinutes": "Vul een duur in van 5 tot 480 minuten.",
  "invalid.count": "Vul een aantal van 2 tot 52 in.",
  "invalid.link": "Vul een adres in dat begint met https:// of laat het veld leeg.",

  "conflicts.title": "Conflicten",
  "conflicts.intro":
    "De server heeft deze wijzigingen niet overgenomen zoals ze waren. Kies per wijziging wat er gebeurt.",
  "conflicts.loading": "Conflicten worden geladen…",
  "conflicts.empty": "Geen conflicten. Er hoeft niets te worden opgelost.",
  "conflicts.detectedAt": "Gevonden op {time}",
  "conflicts.editedBoth":
    "Dit is zowel op dit apparaat als elders gewijzigd. Kies welke versie blijft.",
  "conflicts.colField": "Onderdeel",
  "conflicts.mine": "Op dit apparaat",
  "conflicts.theirs": "Op de server",
  "conflicts.noDifferences": "De inhoud van beide versies is gelijk.",
  "conflicts.emptyValue": "(leeg)",
  "conflicts.keepMine": "Mijn versie houden",
  "conflicts.keepTheirs": "Versie van de server houden",
  "conflicts.localOnly":
    "Deze wijziging blijft alleen op dit apparaat staan; de server neemt haar niet over. Neem contact op met IT als u denkt dat dit niet klopt.",
  "conflicts.dismiss": "Begrepen",
  "conflicts.resolving": "Uw keuze wordt verwerkt…",

  "conflictKind.client": "Cliëntgegevens",
  "conflictKind.consult": "Consult",
  "conflictKind.note": "Notitie",
  "conflictKind.addendum": "Addendum",

  "conflictField.startsAt": "Datum en begintijd",
  "conflictField.status": "Status",

  "conflictRefusal.forbidden":
    "De server heeft deze wijziging geweigerd: uw functie of uw toewijzing aan deze cliënt staat haar niet toe.",
  "conflictRefusal.invalid":
    "De server heeft deze wijziging geweigerd omdat de gegevens niet geldig zijn.",
  "conflictRefusal.not_found":
    "De server heeft deze wijziging geweigerd omdat hij dit gegeven niet (meer) kent: het is mogelijk verwijderd, of u bent niet (meer) aan deze cliënt toegewezen.",
  "conflictRefusal.other": "De server heeft deze wijziging geweigerd.",

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
  "today.planned": "Consult planned.",
  "today.plannedMany": "{count} consults planned.",

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
  note_signed:
    "Deze notitie is al ondertekend en kan niet meer worden gewijzigd. Leg een correctie vast in een addendum.",
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
  note_signed:
    "This note has already been signed and can no longer be changed. Record a correction in an addendum.",
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
 * All error codes of the contract, for run-time checks: generated from Rust with the
 * bindings (`ErrorCode::ALL`). `ERROR_CODES_COMPLETE` fails to compile when the list
 * misses a code of the type.
 */
export { ERROR_CODES };
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
