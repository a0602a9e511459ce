// The Dutch texts: the default language, and the source of the key set. The English
// file is checked against this one (same keys, same placeholders, same plural shape).
//
// A text is a string with `{name}` placeholders, or a plural: the forms `one` and
// `other`, chosen by `Intl.PluralRules` from the `count` parameter.

import type { ErrorCode } from "../bindings";
import type { Message } from "./message";

export const nl = {
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
  "firstRun.modeEnroll": "Met een inschrijfcode van IT",
  "firstRun.modeStandalone": "Zonder centrale opslag",
  "firstRun.token": "Inschrijfcode",
  "firstRun.tokenHint":
    "Plak de code die u van IT kreeg. Uw sleutel wordt op dit apparaat gemaakt en verlaat het nooit.",
  "firstRun.tokenRequired": "Plak de inschrijfcode van IT.",
  "firstRun.tokenPlaced": "IT heeft een inschrijfcode op dit apparaat klaargezet.",
  "firstRun.wiped":
    "Dit apparaat is op verzoek van IT gewist op {when}. De kluis, de sleutel van het apparaat en de instellingen zijn verwijderd; wat u had geschreven was eerst naar de centrale opslag gestuurd.",
  "firstRun.wipedFailedUnlocks":
    "Dit apparaat is gewist op {when}: er werd te vaak een verkeerde wachtwoordzin ingevoerd, en het beleid van uw organisatie schrijft dan wissen voor. Wat al naar de centrale opslag was gestuurd, staat daar nog.",
  "firstRun.wipedOfflineGrace":
    "Dit apparaat is gewist op {when}: het had te lang geen contact met de centrale opslag, en het beleid van uw organisatie schrijft dan wissen voor. Wat al naar de centrale opslag was gestuurd, staat daar nog.",
  "firstRun.wipeReported": "De centrale opslag heeft het bewijs van het wissen ontvangen.",
  "firstRun.wipeReportWaiting":
    "Het bewijs van het wissen wordt naar de centrale opslag gestuurd zodra die bereikbaar is.",
  "firstRun.enroll": "Inschrijven en kluis aanmaken",
  "firstRun.enrolling": "Bezig met inschrijven…",
  "firstRun.enrolledFor": "Dit apparaat is ingeschreven voor {name} ({role}).",
  "firstRun.keyWordsIntro":
    "Lees deze woorden voor aan IT als zij erom vragen; zo weten zij dat dit apparaat het uwe is:",
  "firstRun.continue": "Doorgaan",

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
  "clients.count": { one: "{count} cliënt", other: "{count} cliënten" },
  "clients.colCode": "Cliëntcode",
  "clients.colName": "Naam",
  "clients.colCareStart": "Start zorg",
  "clients.colStatus": "Status",
  "clients.open": "Open dossier van {code}",

  "status.active": "Actief",
  "status.ended": "Afgesloten",
  "status.restricted": "Beperkt",
  "status.restrictedTitle": "Verwerking beperkt: alleen-lezen",

  "client.back": "← Terug naar cliënten",
  "client.edit": "Gegevens bewerken",
  "client.loading": "Cliënt wordt geladen…",
  "client.sectionPersonal": "Persoonsgegevens",
  "client.sectionCare": "Zorg",
  "client.sectionConsents": "Toestemmingen",
  "client.sectionRemarks": "Opmerkingen",
  "client.sectionRecord": "Dossier",
  "client.noRemarks": "Geen opmerkingen.",
  "client.restrictedBanner":
    "De verwerking van dit dossier is beperkt (AVG art. 18): het dossier is alleen-lezen op elk apparaat en in de centrale opslag, en telt niet mee in rapportages aan de werkgever. Een psycholoog kan de beperking opheffen via Gegevens bewerken (na een ingetrokken toestemming pas als de cliënt opnieuw toestemming geeft); het opheffen wordt vastgelegd in de privacygeschiedenis en de toegangslog.",
  "client.restrictedNoNewNote":
    "Nieuwe notities en consulten kunnen niet worden toegevoegd zolang de verwerking beperkt is.",
  "client.employerReportingGiven": "Ja, sinds {date}",
  "client.employerReportingNone": "Nee",
  "client.careOngoing": "Lopend",
  "client.healthConsentWithdrawn": "Toestemming ingetrokken op {date}",

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
  "field.healthDataConsentWithdrawal": "De cliënt heeft deze toestemming ingetrokken",
  "field.healthDataConsentWithdrawn": "Ingetrokken op",
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
  "form.consentWithdrawnHint":
    "Zonder toestemming mag het dossier niet verder worden verwerkt: het wordt beperkt (alleen-lezen op elk apparaat, niet in rapportages). Wissen kan apart, op het tabblad Privacy. Geeft de cliënt later opnieuw toestemming, vul dan de nieuwe datum in en haal het vinkje weg.",
  "form.restrictedByWithdrawal":
    "Blijft aangevinkt zolang de toestemming voor het verwerken van gezondheidsgegevens is ingetrokken. Geeft de cliënt opnieuw toestemming, vul dan de nieuwe datum in en haal het vinkje bij het intrekken weg; daarna kunt u de beperking opheffen.",
  "form.withdrawHint":
    "Intrekken: zet het vinkje uit en sla op. De cliënt valt dan buiten werkgeversrapportages.",
  "form.restrictedHint":
    "Gebruik dit wanneer de cliënt om beperking van de verwerking vraagt. Het dossier valt dan buiten rapportages.",
  "form.remarksHint": "Geen sessieaantekeningen; die horen in een notitie.",
  "form.restrictedLocked":
    "De verwerking van dit dossier is beperkt, dus de gegevens zijn alleen-lezen. U kunt hier alleen de toestemmingen en de beperking wijzigen. Om de beperking op te heffen zet u het vinkje bij ‘Verwerking beperken’ uit en slaat u op; daarna kunt u de andere gegevens weer bewerken. Elke wijziging wordt vastgelegd in de privacygeschiedenis en de toegangslog.",

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
  "invalid.healthDataConsentDateBeforeWithdrawal":
    "De cliënt geeft opnieuw toestemming: vul de datum van die nieuwe toestemming in. Die ligt niet vóór het intrekken.",
  "invalid.healthDataConsentWithdrawal": "Controleer het intrekken van de toestemming.",
  "invalid.healthDataConsentWithdrawn":
    "Vul de datum in waarop de cliënt de toestemming introk (dd-mm-jjjj): niet vóór de toestemming en niet in de toekomst.",
  "invalid.healthDataConsentWithdrawnBeforeConsent": "De toestemming kan niet zijn ingetrokken vóórdat ze werd gegeven.",
  "invalid.healthDataConsentWithdrawnInFuture": "De datum van het intrekken ligt in de toekomst.",
  "invalid.employerReportingOptIn": "Controleer de toestemming voor werkgeversrapportages.",
  "invalid.employerReportingDate": "Vul de datum van deze toestemming in (dd-mm-jjjj).",
  "invalid.restricted": "Controleer de beperking van de verwerking.",
  "invalid.idleTimeoutSeconds": "Deze tijd is niet toegestaan door het beleid van uw organisatie.",

  "settings.title": "Instellingen",
  "settings.loading": "Instellingen worden geladen…",
  "settings.general": "Vergrendeling en taal",
  "settings.idle": "Automatisch vergrendelen na inactiviteit",
  "settings.idleMinutes": { one: "{count} minuut", other: "{count} minuten" },
  "settings.idleSeconds": "{seconds} s",
  "settings.minimize": "Vergrendelen bij minimaliseren",
  "settings.language": "Taal",
  "settings.save": "Opslaan",
  "settings.saving": "Bezig met opslaan…",
  "settings.saved": "Instellingen opgeslagen.",
  "settings.managedBadge": "Beheerd door uw organisatie",
  "settings.idleManaged": "Uw organisatie staat hoogstens {limit} toe.",
  "settings.managedTitle": "Vastgelegd door uw organisatie",
  "settings.managedClipboard":
    "Gekopieerde tekst wordt na {seconds} seconden van het klembord gehaald.",
  "settings.managedWipe":
    "Na {attempts} verkeerde wachtwoordzinnen achter elkaar wordt de kluis op dit apparaat gewist.",
  "settings.managedGraceLock":
    "Na {days} dagen zonder contact met de centrale opslag blijft de kluis vergrendeld tot er weer contact is.",
  "settings.managedGraceWipe":
    "Na {days} dagen zonder contact met de centrale opslag wordt de kluis op dit apparaat gewist.",
  "settings.managedRegions": "De centrale opslag mag gegevens alleen bewaren in: {regions}.",
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
  "today.planned": { one: "Consult gepland.", other: "{count} consulten gepland." },

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
  "consultForm.restrictedClient": "{client} — beperkt, alleen-lezen",
  "consultForm.restrictedHint":
    "Cliënten van wie de verwerking beperkt is, kunnen niet worden ingepland: hun dossier is alleen-lezen.",

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
  "section.who5_cheerful": "WHO-5: opgewekt en in een goed humeur",
  "section.who5_calm": "WHO-5: rustig en ontspannen",
  "section.who5_active": "WHO-5: actief en energiek",
  "section.who5_rested": "WHO-5: fris en uitgerust wakker",
  "section.who5_interest": "WHO-5: dagelijks leven gevuld met boeiende dingen",

  "who5.title": "WHO-5-welzijnsindex",
  "who5.instruction": "Hoe voelde de cliënt zich de afgelopen twee weken?",
  "who5.scaleHint": "0 = nooit, 5 = altijd",
  "who5.clear": "Wissen",
  "who5.clearItem": "Antwoord wissen: {item}",
  "who5.score": "Score: {score} / 100",
  "who5.answered": "{answered} van 5 beantwoord",
  "who5.incomplete":
    "Beantwoord alle vijf vragen of geen enkele: een half ingevulde index kan niet worden ondertekend.",
  "who5.notTaken": "De WHO-5-welzijnsindex is niet afgenomen.",
  "who5.notAnswered": "niet beantwoord",
  "who5.answer": "{value} ({meaning})",
  "who5Item.who5_cheerful": "Ik voelde me opgewekt en in een goed humeur",
  "who5Item.who5_calm": "Ik voelde me rustig en ontspannen",
  "who5Item.who5_active": "Ik voelde me actief en energiek",
  "who5Item.who5_rested": "Ik werd fris en uitgerust wakker",
  "who5Item.who5_interest": "Mijn dagelijks leven was gevuld met dingen die mij interesseren",
  "who5Scale.0": "Nooit",
  "who5Scale.1": "Af en toe",
  "who5Scale.2": "Minder dan de helft van de tijd",
  "who5Scale.3": "Meer dan de helft van de tijd",
  "who5Scale.4": "Het grootste deel van de tijd",
  "who5Scale.5": "Altijd",

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
  "note.restrictedDraft":
    "Dit concept kan niet worden bewerkt, ondertekend of verwijderd zolang de verwerking beperkt is.",
  "note.restrictedUnsaved":
    "Wat u na het laatste opslaan typte, is niet opgeslagen. De tekst blijft hieronder leesbaar tot u de notitie sluit.",
  "note.restrictedNoAddendum": "Een addendum kan niet worden toegevoegd zolang de verwerking beperkt is.",

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
  "client.tabPrivacy": "Privacy",
  "privacy.exportTitle": "Kopie van het dossier",
  "privacy.exportWhat":
    "Maakt een volledige kopie van het dossier van deze cliënt: de gegevens, de toestemmingen, de consulten, de notities die u mag lezen met hun addenda, de check-ins en het toegangslog. U krijgt een PDF in de taal van Kluis, om aan de cliënt te geven, en een JSON-bestand, om het dossier over te dragen aan een andere zorgaanbieder (AVG, artikel 15 en 20).",
  "privacy.exportLeftOut":
    "Privé-werkaantekeningen van behandelaars horen niet bij het dossier en worden niet meegenomen; de kopie vermeldt wel hoeveel het er zijn.",
  "privacy.exportUnencrypted":
    "De bestanden worden onversleuteld in de map Downloads van dit apparaat gezet. Geef ze op een veilige manier aan de cliënt of de nieuwe zorgaanbieder en verwijder ze daarna van dit apparaat.",
  "privacy.exportLogged": "Het maken van de kopie wordt vastgelegd in het toegangslog.",
  "privacy.exportButton": "Kopie maken",
  "privacy.exporting": "Kopie wordt gemaakt…",
  "privacy.exportProgress": "Kopie wordt gemaakt: {done} van {total} stappen klaar",
  "privacy.exportDone": "De kopie staat in de map Downloads:",
  "privacy.exportPdf": "PDF, voor de cliënt",
  "privacy.exportJson": "JSON, voor overdracht",
  "privacy.exportNotes": { one: "{count} notitie opgenomen.", other: "{count} notities opgenomen." },
  "privacy.exportPrivateLeftOut": {
    one: "{count} privé-werkaantekening niet opgenomen.",
    other: "{count} privé-werkaantekeningen niet opgenomen.",
  },
  "privacy.exportDeleteAfter": "Verwijder de bestanden zodra de cliënt of de nieuwe zorgaanbieder ze heeft.",
  "privacy.eraseTitle": "Cliënt wissen",
  "privacy.eraseWhat":
    "Wissen verwijdert het hele dossier van deze cliënt: de gegevens, alle notities (ook ondertekende) met hun aanvullingen, de consulten van alleen deze cliënt, concepten en zoekgegevens.",
  "privacy.eraseEverywhere":
    "Het wissen gaat naar de centrale opslag en naar elk apparaat van het zorgteam; de centrale opslag laat zien op hoeveel apparaten het is uitgevoerd. Het toegangslog blijft bestaan: het bevat geen inhoud.",
  "privacy.eraseCannotUndo": "Dit kan niet ongedaan worden gemaakt.",
  "privacy.eraseReason": "Reden van het wissen",
  "privacy.eraseReason.client_request": "De cliënt vroeg erom (AVG art. 17)",
  "privacy.eraseReason.consent_withdrawn": "De cliënt trok de toestemming in en vroeg om wissen",
  "privacy.eraseReasonKept": "De reden wordt bij het wissen in de centrale opslag bewaard, zonder inhoud van het dossier.",
  "privacy.eraseConfirm": "Typ de cliëntcode {code} om te bevestigen",
  "privacy.eraseButton": "Cliënt definitief wissen",
  "privacy.erasing": "Bezig met wissen…",
  "privacy.restrictionTitle": "Beperking van de verwerking (AVG art. 18)",
  "privacy.restrictionOn":
    "De verwerking van dit dossier is beperkt: het dossier is alleen-lezen op elk apparaat en in de centrale opslag, en telt niet mee in rapportages aan de werkgever.",
  "privacy.restrictionOff":
    "De verwerking van dit dossier is niet beperkt. Vraagt de cliënt om beperking, dan wordt het dossier alleen-lezen en telt het niet meer mee in rapportages aan de werkgever.",
  "privacy.restrictionWhere":
    "Beperken of opheffen doet een psycholoog via Gegevens bewerken, met het vakje ‘Verwerking beperken (AVG, artikel 18)’. Elke wijziging wordt vastgelegd in de privacygeschiedenis en in de toegangslog.",
  "privacy.restrictionByWithdrawal":
    "De cliënt heeft op {date} de toestemming voor het verwerken van gezondheidsgegevens ingetrokken. Het dossier blijft beperkt tot de cliënt opnieuw toestemming geeft.",
  "privacy.logTitle": "Privacygeschiedenis",
  "privacy.logIntro":
    "Elke wijziging van een toestemming of van de beperking, en elk geweigerd verzoek om wissen, staat hier met de datum en kan niet worden verwijderd.",
  "privacy.logEmpty": "Nog geen vermeldingen.",
  "privacy.logBy": "door {name}",
  "privacy.logReason": "Reden: {reason}",
  "privacyEvent.health_data_consent_given": "Toestemming voor het verwerken van gezondheidsgegevens gegeven",
  "privacyEvent.health_data_consent_withdrawn": "Toestemming voor het verwerken van gezondheidsgegevens ingetrokken",
  "privacyEvent.employer_reporting_opted_in": "Ingestemd met opname in werkgeversrapportages",
  "privacyEvent.employer_reporting_withdrawn": "Toestemming voor werkgeversrapportages ingetrokken",
  "privacyEvent.restricted": "Verwerking beperkt (AVG art. 18)",
  "privacyEvent.restriction_lifted": "Beperking van de verwerking opgeheven",
  "privacyEvent.erasure_refused": "Verzoek om wissen geweigerd",
  "privacy.refuseTitle": "Verzoek om wissen weigeren",
  "privacy.refuseWhat":
    "Vraagt de cliënt om wissen, maar moet de zorgaanbieder het dossier bewaren, dan legt u hier vast dat het verzoek is geweigerd. Een reden is bijvoorbeeld de bewaarplicht van de WGBO: een behandeldossier wordt 20 jaar bewaard. Er wordt niets gewist.",
  "privacy.refuseRecorded":
    "De weigering en de reden komen in de privacygeschiedenis en gaan mee naar het zorgteam en de centrale opslag.",
  "privacy.refuseTell":
    "Laat de cliënt weten dat het verzoek is geweigerd en waarom, zonder vertraging en uiterlijk binnen een maand na het verzoek (AVG art. 12).",
  "privacy.refuseReason": "Reden van de weigering",
  "privacy.refuseReasonHint": "Verplicht, hoogstens 2000 tekens. Bijvoorbeeld: wettelijke bewaarplicht (WGBO, 20 jaar).",
  "privacy.refuseReasonInvalid": "Vul een reden in van hoogstens 2000 tekens.",
  "privacy.refuseButton": "Weigering vastleggen",
  "privacy.refusing": "Bezig met vastleggen…",
  "privacy.refuseDone": "De weigering is vastgelegd in de privacygeschiedenis.",
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
  "who5Graph.title": "WHO-5-welzijnsscore",
  "who5Graph.summary": {
    one: "WHO-5-welzijnsscore: 1 meting, {last} van 100 op {date}.",
    other: "WHO-5-welzijnsscore: {count} metingen; de eerste {first}, de laatste {last} van 100 op {date}.",
  },
  "who5Graph.cutOff": "50: grens",
  "who5Graph.cutOffHint": "Een score onder 50 wijst op een laag welzijn.",
  "who5Graph.point": "{date}: {score} / 100",
  "who5Graph.colDate": "Datum",
  "who5Graph.colScore": "Score",

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
} as const satisfies Record<string, Message>;

/** What went wrong and what to do, for every `ErrorCode` the Rust side can return. */
export const nlErrors = {
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
    "De verwerking van dit dossier is beperkt (AVG art. 18), dus het dossier is alleen-lezen en deze wijziging is niet uitgevoerd. Een psycholoog kan de beperking opheffen via Gegevens bewerken.",
  note_signed:
    "Deze notitie is al ondertekend en kan niet meer worden gewijzigd. Leg een correctie vast in een addendum.",
  storage:
    "De gegevens konden niet worden gelezen of opgeslagen. Controleer of er voldoende schijfruimte is en probeer het opnieuw; blijft het probleem, neem dan contact op met IT.",
  internal:
    "Er ging iets mis in Kluis. Probeer het opnieuw; blijft het probleem, neem dan contact op met IT.",
  enrollment_token_invalid:
    "Dit is geen geldige inschrijfcode. Kopieer de hele code van IT opnieuw en plak die hier.",
  enrollment_token_unknown:
    "De centrale opslag kent deze inschrijfcode niet. Controleer de code of vraag IT om een nieuwe.",
  enrollment_token_used:
    "Deze inschrijfcode is al gebruikt. Vraag IT om een nieuwe code voor dit apparaat.",
  enrollment_token_expired:
    "Deze inschrijfcode is verlopen. Vraag IT om een nieuwe code voor dit apparaat.",
  enrollment_token_for_another_device:
    "Deze inschrijfcode is voor een ander apparaat gemaakt. Vraag IT om de code voor dit apparaat.",
  enrollment_too_many_attempts:
    "Te veel onjuiste inschrijfcodes vanaf dit netwerk. Wacht tien minuten en probeer het opnieuw.",
  store_unreachable:
    "De centrale opslag is niet bereikbaar. Controleer de internetverbinding en probeer het opnieuw.",
  store_not_trusted:
    "De centrale opslag is niet degene die IT heeft opgegeven. Er is niets verstuurd. Neem contact op met IT.",
  store_refused:
    "De centrale opslag weigerde het verzoek. Neem contact op met IT.",
  setting_managed:
    "Deze instelling wordt door uw organisatie beheerd. U kunt haar strenger maken, niet ruimer.",
  vault_wiped:
    "Er is te vaak een verkeerde wachtwoordzin ingevoerd. Volgens het beleid van uw organisatie is de kluis op dit apparaat gewist.",
  offline_grace_expired:
    "Dit apparaat heeft te lang geen contact gehad met de centrale opslag. Maak verbinding met het netwerk en probeer het opnieuw.",
  not_allowed_by_policy:
    "Het beleid van uw organisatie staat deze centrale opslag niet toe. Neem contact op met IT.",
} as const satisfies Record<ErrorCode, string>;
